// SPDX-License-Identifier: AGPL-3.0-or-later
// Independent checks of a nest: overlaps, gaps, media bounds, counts.
#pragma once

#include "core/nest/model.hpp"

#include <string>
#include <vector>

namespace ripline::nest {

// Everything wrong with `result` for `problem`, one sentence each; empty
// when the nest is sound. It works on the true cut contours grown by the
// bleed, not on anything the engines saw: printed areas must be at least
// the spacing apart, overlap nowhere, keep the margin to every media
// edge, use allowed rotations, and each copy must be placed or listed as
// unplaced exactly once. With NestOptions::part_in_part the holes of the
// printed areas (cut holes shrunk by the bleed) are open to other parts;
// without it a part inside another's hole overlaps it.
std::vector<std::string> check_nest(const Problem& problem,
                                    const NestOptions& options,
                                    const NestResult& result);

}  // namespace ripline::nest
