// SPDX-License-Identifier: AGPL-3.0-or-later
// Small builders shared by the nester's tests.
#pragma once

#include "core/nest/model.hpp"

#include <string>

namespace ripline::nest::test {

inline Part rect_part(const std::string& id, double w, double h,
                      int quantity = 1, std::vector<double> rotations = {0})
{
    Part p;
    p.id = id;
    p.outline.outer = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    p.quantity = quantity;
    p.rotations_deg = std::move(rotations);
    return p;
}

inline Problem roll(double width, std::vector<Part> parts)
{
    Problem p;
    p.name = "test";
    p.media.width = width;
    p.parts = std::move(parts);
    return p;
}

// Options that stop after a fixed number of layouts: same on every run.
inline NestOptions counted(long evaluations, std::uint64_t seed = 1)
{
    NestOptions o;
    o.time_limit_s = 0;
    o.max_evaluations = evaluations;
    o.seed = seed;
    return o;
}

// The placements alone, as text, to compare two nests exactly.
inline std::string placements_text(const NestResult& r)
{
    std::string out;
    for (const Placement& p : r.placements)
        out += p.part_id + "/" + std::to_string(p.copy) + "@" +
               std::to_string(p.sheet) + ":" +
               std::to_string(p.pose.rotation_deg) + "," +
               std::to_string(p.pose.translation.x) + "," +
               std::to_string(p.pose.translation.y) + ";";
    return out;
}

}  // namespace ripline::nest::test
