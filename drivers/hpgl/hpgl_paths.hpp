// SPDX-License-Identifier: AGPL-3.0-or-later
// Cut paths in plotter units: conversion, overcut and travel ordering.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ripline::hpgl {

struct Point {
    long x = 0;
    long y = 0;
    bool operator==(const Point&) const = default;
};

// One path ready to plot: integer plotter units, its tool's pen number.
struct Path {
    std::vector<Point> points;
    bool closed = false;
    int pen = 1;
    bool overcut = false; // the tool cuts: overcut applies
};

// Drop points that round to the one before; close a closed path exactly
// (its last point is its first); a path with under 2 points is empty.
void tidy(Path& path);

// Extend a closed path past its start along its own outline by
// OVERCUT_UNITS, so the knife meets the start cleanly.
void add_overcut(Path& path, double overcut_units);

// Order PATHS to limit pen-up travel, starting from the origin: pen by
// pen (ascending), then nearest next path; a closed path may start at
// any of its points and an open one may be reversed.
std::vector<Path> order_for_travel(std::vector<Path> paths);

// The pen-up distance, in plotter units, of plotting PATHS in order.
double travel_units(const std::vector<Path>& paths);

} // namespace ripline::hpgl
