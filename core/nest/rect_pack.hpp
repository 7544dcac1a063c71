// SPDX-License-Identifier: AGPL-3.0-or-later
// Rectangle engine: skyline on a roll, max-rects on sheets, local search.
#pragma once

#include "core/nest/search.hpp"

#include <string>
#include <vector>

namespace ripline::nest {

// One way to lay an item: its size and the caller's tag (the rotation).
struct RectOption {
    double w = 0, h = 0;
    int tag = 0;
};

struct RectItem {
    std::vector<RectOption> options;
};

// An obstacle already on a bin (a pinned part).
struct RectFixed {
    int bin = 0;
    double x = 0, y = 0, w = 0, h = 0;
};

struct RectProblem {
    double width = 0;
    double length = 0;  // bin length; 0 = a strip without end
    bool strip = true;
    int max_bins = 0;  // sheets only; 0 = any number
    std::vector<RectItem> items;
    std::vector<RectFixed> fixed;
    double target_length = 0;  // strip: stop once reached
};

struct RectPlaced {
    int item = 0;
    int option = 0;
    int bin = 0;
    double x = 0, y = 0;
};

struct RectSolution {
    std::vector<RectPlaced> placed;
    std::vector<int> unplaced;
    double length = 0;  // strip: far edge; sheets: far edge on the last bin
    int bins = 0;
    long evaluations = 0;
    std::string engine;
};

RectSolution pack_rects(const RectProblem& problem, Budget& budget,
                        std::uint64_t seed);

}  // namespace ripline::nest
