// SPDX-License-Identifier: AGPL-3.0-or-later
// The nesting problem and its answer: parts, media, options, placements.
#pragma once

#include "core/nest/geometry.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ripline {
class Log;
}

namespace ripline::nest {

// A placement's transform: rotate the part's own outline about its origin
// by rotation_deg (counter-clockwise in a y-up frame), then translate.
struct Pose {
    double rotation_deg = 0;
    Point translation;
};

// Where a pinned part must go: the pose and, for sheets, the sheet.
struct Pin {
    Pose pose;
    int sheet = 0;
};

// One part type: the cut contour and how many copies to place.
struct Part {
    std::string id;
    Shape outline;  // in the part's own coordinates
    int quantity = 1;

    // Allowed rotations in degrees; empty means any angle (the nester
    // tries NestOptions::free_rotation_steps evenly spaced ones).
    std::vector<double> rotations_deg{0};

    // Parts that share a non-empty group are nested as one block.
    std::string group;

    // Copies pinned in place, taken from the quantity first.
    std::vector<Pin> pins;
};

// x runs across the media (0..width), y along the feed (0..length).
struct Media {
    enum class Kind { roll, sheet };
    Kind kind = Kind::roll;
    double width = 0;
    double length = 0;  // sheet length; for a roll the longest nest, 0 = any
    int max_sheets = 0;  // 0 = as many as needed
};

enum class Mode {
    automatic,    // rectangles when every outline is one, else true shape
    rectangular,  // nest the bounding boxes of the outlines
    true_shape,   // nest the outlines themselves
};

struct NestOptions {
    double spacing = 0;  // smallest gap between the bleed areas of parts
    double margin = 0;   // gap between bleed areas and the media edge
    double bleed = 0;    // printed area beyond the cut contour
    Mode mode = Mode::automatic;
    // Nest parts inside the holes of others (true shapes only; holes
    // stay empty when off, and in rectangular mode).
    bool part_in_part = false;

    // True shapes: after a short sequence search, shorten a roll's strip
    // by overlap minimisation; on sheets, after half the budget, empty
    // the emptiest sheet onto the others by it (docs/nesting.md). Off =
    // the sequence search alone, for the whole budget.
    bool overlap_search = true;
    // Threads of the overlap search: 0 = the machine's cores, at most 4.
    // Each runs a search of its own, with its own seed and the whole
    // budget, and the shortest strip is kept.
    int threads = 0;

    double time_limit_s = 1;
    std::uint64_t seed = 1;

    // Stop after this many evaluated layouts (0 = only the time limit);
    // with it, a seed and a thread count give the same nest on any
    // machine.
    long max_evaluations = 0;

    // Discrete rotations tried for a part that allows any angle.
    int free_rotation_steps = 8;

    // Outlines with more vertices are simplified (only growing them) by
    // this fraction of their size before nesting.
    int simplify_above_vertices = 64;
    double simplify_tolerance = 0.002;

    // Shallow notches of a true-shape part are filled before nesting, as
    // long as that adds at most this share of its area: fewer corners,
    // fewer convex pieces, a faster search (swim: 6.3 pieces a part down
    // to 5.4 at 0.1 %).
    double notch_fill = 0.001;

    // Stop early when the used length reaches this (0 = run to the limit).
    double target_length = 0;

    Log* log = nullptr;
};

struct Problem {
    std::string name;
    Media media;
    std::vector<Part> parts;
};

struct Placement {
    std::string part_id;
    int part_index = 0;  // into Problem::parts
    int copy = 0;
    int sheet = 0;
    Pose pose;
};

// A copy that could not be placed, and why.
struct Unplaced {
    int part_index = 0;  // into Problem::parts
    int copy = 0;
    std::string reason;  // "too large for the media ...", "no room ..."
    bool fits_media = true;  // false: in no rotation, on no media
};

struct NestResult {
    std::vector<Placement> placements;
    std::vector<Unplaced> unplaced;

    double used_length = 0;  // roll: far edge of the last part plus margin
    int sheet_count = 0;
    double part_area = 0;    // true area of the placed cut contours
    double media_area = 0;   // width x used length, or the sheets used
    double efficiency = 0;   // part_area / media_area

    std::string engine;      // "skyline", "maxrects" or "shape"
    double seconds = 0;
    long evaluations = 0;
};

// The outline of a placed copy in media coordinates.
Ring placed_outline(const Part& part, const Pose& pose);

}  // namespace ripline::nest
