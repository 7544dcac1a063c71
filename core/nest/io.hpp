// SPDX-License-Identifier: AGPL-3.0-or-later
// Nesting files: the instance formats we read, the solution, report, SVG.
#pragma once

#include "core/nest/model.hpp"

#include <string>

namespace ripline::nest {

// The formats an instance may come in.
enum class Format {
    strip_json,  // jagua-rs / sparrow strip packing: length along x
    rect_json,   // OR-Datasets rectangles: {"Objects", "Items"}
    parts_list,  // ripline's own parts list (docs/nesting.md)
};

// A problem as read, with what is needed to answer in its own terms.
struct Instance {
    Problem problem;
    NestOptions options;  // spacing, margin, bleed, mode from the file
    Format format = Format::parts_list;
    std::string file;

    // strip_json files measure length along x; we nest with length along
    // y, so points swap axes on the way in and out.
    bool swapped_axes = false;
};

// Read any of the formats; throws ripline::Error naming the file and the
// field that is wrong.
Instance read_instance(const std::string& path);
Instance parse_instance(const std::string& text, const std::string& name);

// The pose of a placement in the instance's own coordinates.
Pose instance_pose(const Instance& instance, const Pose& pose);

// The solution as JSON: every placed copy with its id, rotation in
// degrees and translation in the instance's coordinates, then the totals.
std::string solution_json(const Instance& instance, const NestResult& result);

// A few lines for people: totals, then what was left out.
std::string nest_report(const Instance& instance, const NestResult& result);

// A line for every copy left out, with the reason ("" when none was).
std::string unplaced_lines(const Instance& instance, const NestResult& result);

// A picture of the nest in the instance's coordinates.
std::string nest_svg(const Instance& instance, const NestResult& result);

void write_text_file(const std::string& path, const std::string& text);

}  // namespace ripline::nest
