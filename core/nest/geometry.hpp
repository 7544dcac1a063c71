// SPDX-License-Identifier: AGPL-3.0-or-later
// Plane geometry for the nester: rings, offsets, convex pieces, no-fit sets.
#pragma once

#include <cstddef>
#include <vector>

namespace ripline::nest {

struct Point {
    double x = 0;
    double y = 0;
};

inline Point operator+(Point a, Point b) { return {a.x + b.x, a.y + b.y}; }
inline Point operator-(Point a, Point b) { return {a.x - b.x, a.y - b.y}; }
inline double cross(Point a, Point b) { return a.x * b.y - a.y * b.x; }

// A closed ring without the repeated first vertex.
using Ring = std::vector<Point>;

// An outline: one outer ring and the holes inside it. Outer rings run
// counter-clockwise, holes clockwise, once normalize() has seen them.
struct Shape {
    Ring outer;
    std::vector<Ring> holes;
};

struct Box {
    double x_min = 0, y_min = 0, x_max = 0, y_max = 0;
    double width() const { return x_max - x_min; }
    double height() const { return y_max - y_min; }
};

double signed_area(const Ring& ring);
double area(const Shape& shape);  // outer minus holes
double area(const std::vector<Ring>& rings);  // a block of rings, summed
Box bounds(const Ring& ring);
Box bounds(const std::vector<Ring>& rings);

// Drop repeated and collinear vertices, orient outer CCW and holes CW.
Ring clean_ring(const Ring& ring, double tolerance);
Shape normalize(Shape shape);

// Whether two edges of the ring cross, each at a point inside it: edge k
// runs from ring[k] to the next vertex, and the first such pair goes into
// `a` < `b`. A simple ring has none; rings that only touch themselves (a
// hole's bridge drawn as two coincident edges) pass.
bool edges_cross(const Ring& ring, std::size_t& a, std::size_t& b);

// Rotation by `degrees` about the origin, counter-clockwise in a y-up
// frame; multiples of 90 are exact.
Point rotate(Point p, double degrees);
Ring rotate(const Ring& ring, double degrees);
Ring translate(const Ring& ring, Point by);

bool is_axis_rectangle(const Ring& ring);

// Outward offset of the outer ring by `distance` (round joins whose
// chords stay at least `distance` away); holes are dropped. The result
// is one ring: the offset of a simple ring grown outward is connected.
Ring offset_outer(const Ring& ring, double distance, int arc_segments = 24);

// Outward offset with mitred corners (limit 4), as bleed is drawn: a
// rectangle stays a rectangle exactly `distance` larger on every side.
Ring offset_mitred(const Ring& ring, double distance);

// The hole shrunk by `distance` (the material around it grown): round
// joins whose chords stay at least `distance` from the hole's edge. A
// narrow hole may split in several or vanish. Rings come back CW.
std::vector<Ring> shrink_hole(const Ring& hole, double distance,
                              int arc_segments = 24);

// Simplification that only grows the ring: Douglas-Peucker within
// `tolerance`, then an outward offset by the same amount.
Ring simplify_outward(const Ring& ring, double tolerance);

// Fill the shallowest notches of a simple CCW ring: drop reflex corners,
// each the one whose removal adds the least area and leaves the ring
// simple, while the area added stays within `max_added`. The result holds
// the ring and has fewer corners, so fewer convex pieces.
Ring fill_notches(const Ring& ring, double max_added);

// Split a simple CCW ring into convex CCW pieces: the fewest of ear
// clipping with Hertel-Mehlhorn merging of the triangles, and greedy
// cuts along diagonals between reflex corners (rings up to 512 vertices).
std::vector<Ring> convex_pieces(const Ring& ring);

// Convex CCW pieces of a ring with holes: vertical cuts through each
// hole's leftmost and rightmost points leave pieces without holes, which
// convex_pieces() splits further. Their union is the ring less the holes.
std::vector<Ring> convex_pieces(const Ring& outer,
                                const std::vector<Ring>& holes);

// The convex hull of the points, CCW, without collinear vertices.
Ring convex_hull(std::vector<Point> points);

// The no-fit polygon of two convex CCW rings: B translated by t overlaps A
// (interiors meet) exactly when t is inside the result. It is A + (-B).
Ring convex_nfp(const Ring& a, const Ring& b);

// Smallest distance between two rings' boundaries, 0 when they cross;
// and whether their interiors overlap by more than `area_tolerance`.
double boundary_distance(const Ring& a, const Ring& b);
double overlap_area(const Ring& a, const Ring& b);
// The same for two rings already split by convex_pieces(), for callers
// that test one ring against many.
double overlap_area(const std::vector<Ring>& a_pieces,
                    const std::vector<Ring>& b_pieces);
bool point_in_ring(Point p, const Ring& ring);

}  // namespace ripline::nest
