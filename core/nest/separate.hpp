// SPDX-License-Identifier: AGPL-3.0-or-later
// Strip shortening and sheet emptying by overlap minimisation with
// guided local search.
#pragma once

#include "core/nest/nfp_cache.hpp"
#include "core/nest/search.hpp"
#include "core/nest/shape_pack.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace ripline::nest {

// Every item of a strip problem in one orientation (an index into the
// item's options) at one translation, and the far edge of them all.
struct StripLayout {
    std::vector<int> option;
    std::vector<Point> t;
    double length = 0;
};

// Shorten a feasible strip layout until the budget is spent: cut the
// strip a little shorter, let the parts overlap, move them one at a time
// to where their weighted overlap is least, raise the weights of pairs
// that keep overlapping, and accept the shorter strip once no pair
// overlaps. Returns the shortest feasible layout seen (at worst `start`).
// `orients[i][k]` is the library id of item i's option k. Searches run on
// crew_size(problem.threads) threads side by side, each with a seed of
// its own and a copy of the budget; they meet three times to go on from
// the shortest strip so far, and the shortest strip wins.
StripLayout shorten_strip(const ShapeProblem& problem,
                          const PieceLibrary& lib,
                          const std::vector<std::vector<int>>& orients,
                          const StripLayout& start, Budget& budget,
                          std::uint64_t seed);

// The same, each search from a start of its own: run k first calls
// start_of(k, its budget) on its own thread (pack_shapes anneals a
// sequence there), then shortens what that returns. start_of must leave
// `lib` alone: the searches copy it meanwhile.
using StartOf = std::function<StripLayout(int run, Budget& budget)>;
StripLayout shorten_strip(const ShapeProblem& problem,
                          const PieceLibrary& lib,
                          const std::vector<std::vector<int>>& orients,
                          const StartOf& start_of, Budget& budget,
                          std::uint64_t seed);

// Every item of a sheet problem on one sheet (-1: left out), in one
// orientation at one translation on it.
struct SheetLayout {
    std::vector<int> sheet;
    std::vector<int> option;
    std::vector<Point> t;

    // The parts' true area on each sheet.
    std::vector<double> used_area(const ShapeProblem& p) const;
    // What the sheet search makes small, as the placer's sheet layouts:
    // the area left out first, then the sheets used plus the fill of the
    // emptiest (a nearly empty sheet counts as nearly one less).
    double spread(const ShapeProblem& p) const;
};

// Fewer sheets, or an emptier last one, by overlap minimisation: parts
// left out and those of the emptiest sheet move one at a time onto
// another sheet, whose parts make room for them by the strip's search at
// the sheet's length. The pinned parts of `problem.fixed` (their library
// ids in `fixed`) stay where they are, and so does the number of every
// sheet up to the last with a pin; sheets left empty past it close up.
// Runs as shorten_strip does, one search a thread; the least spread
// wins. Returns `start` or better.
SheetLayout empty_sheets(const ShapeProblem& problem, const PieceLibrary& lib,
                         const std::vector<std::vector<int>>& orients,
                         const std::vector<int>& fixed,
                         const SheetLayout& start, Budget& budget,
                         std::uint64_t seed);

}  // namespace ripline::nest
