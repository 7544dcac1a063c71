// SPDX-License-Identifier: AGPL-3.0-or-later
// The nester's entry point: a problem and options in, placements out.
#pragma once

#include "core/nest/model.hpp"

namespace ripline::nest {

// Nest every copy of every part on the media. Spacing, margin and bleed
// are applied here; the engines see grown contours on a shrunk media.
// Throws ripline::Error (Stage::nest) for a problem that makes no sense:
// no width, an outline with fewer than three vertices, a pin off the
// media. Copies that cannot be placed are listed, not an error.
NestResult nest(const Problem& problem, const NestOptions& options);

// The contour a true-shape part is nested by: its printed outline,
// turned, grown by half the spacing, simplified outward when it has many
// vertices, with its shallowest notches filled (NestOptions).
Ring nest_contour(const Ring& turned, double half_gap,
                  const NestOptions& options);

// The rotations a part may take: its own list, or evenly spaced ones.
std::vector<double> allowed_rotations(const Part& part,
                                      const NestOptions& options);

}  // namespace ripline::nest
