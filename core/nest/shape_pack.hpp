// SPDX-License-Identifier: AGPL-3.0-or-later
// True-shape engine: bottom-left placement on no-fit sets, local search.
#pragma once

#include "core/nest/geometry.hpp"
#include "core/nest/search.hpp"

#include <string>
#include <vector>

namespace ripline::nest {

// One orientation of an item: its nest contour (already offset by half
// the spacing) rotated into place. Several rings make one rigid block.
struct ShapeOrientation {
    std::vector<Ring> rings;
    int tag = 0;  // the caller's (rotation index)
    // Per ring, the holes other parts may fill (part-in-part); none, or
    // fewer entries than rings, keeps holes filled.
    std::vector<std::vector<Ring>> holes;
};

struct ShapeItem {
    std::vector<ShapeOrientation> options;
    double area = 0;  // true area, orders the first sequence
};

// An obstacle on a bin: a pinned part, in the orientation it must keep.
struct ShapeFixed {
    int bin = 0;
    ShapeOrientation shape;
    Point translation;
};

struct ShapeProblem {
    double width = 0;   // across, x
    double length = 0;  // along, y; 0 = a strip without end
    bool strip = true;
    int max_bins = 0;
    std::vector<ShapeItem> items;
    std::vector<ShapeFixed> fixed;
    double target_length = 0;
    // After the sequence search, shorten a strip, or empty sheets onto
    // the others, by overlap minimisation (core/nest/separate.hpp).
    bool overlap_search = true;
    // For that search: the last `pinned_items` items stand where its
    // start puts them (pinned parts, which the others move around).
    size_t pinned_items = 0;
    // Threads of that search; 0 = the machine's cores, at most 4.
    int threads = 0;

    // Whether a part of box `b` fits across the media. The placer and
    // the overlap search both ask this, so a part the placer laid down
    // is one the search can turn back to.
    bool fits_across(const Box& b, double eps) const
    {
        return b.width() <= width + eps;
    }
    // Across, and on sheets along their length too.
    bool fits_media(const Box& b, double eps) const
    {
        return fits_across(b, eps) && (strip || b.height() <= length + eps);
    }
};

struct ShapePlaced {
    int item = 0;
    int option = 0;
    int bin = 0;
    Point translation;
};

struct ShapeSolution {
    std::vector<ShapePlaced> placed;
    std::vector<int> unplaced;
    double length = 0;
    int bins = 0;
    long evaluations = 0;
};

ShapeSolution pack_shapes(const ShapeProblem& problem, Budget& budget,
                          std::uint64_t seed);

}  // namespace ripline::nest
