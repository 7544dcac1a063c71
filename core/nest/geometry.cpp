// SPDX-License-Identifier: AGPL-3.0-or-later
// Plane geometry for the nester: rings, offsets, convex pieces, no-fit sets.
#include "core/nest/geometry.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numbers>
#include <utility>

namespace ripline::nest {

namespace bg = boost::geometry;
using BgPoint = bg::model::d2::point_xy<double>;
using BgPolygon = bg::model::polygon<BgPoint>;
using BgMulti = bg::model::multi_polygon<BgPolygon>;

double signed_area(const Ring& ring)
{
    double twice = 0;
    for (size_t i = 0, n = ring.size(); i < n; ++i)
        twice += cross(ring[i], ring[(i + 1) % n]);
    return twice / 2;
}

double area(const Shape& shape)
{
    double total = std::abs(signed_area(shape.outer));
    for (const Ring& hole : shape.holes)
        total -= std::abs(signed_area(hole));
    return total;
}

double area(const std::vector<Ring>& rings)
{
    double total = 0;
    for (const Ring& ring : rings)
        total += std::abs(signed_area(ring));
    return total;
}

Box bounds(const Ring& ring)
{
    return bounds(std::vector<Ring>{ring});
}

Box bounds(const std::vector<Ring>& rings)
{
    Box box{INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (const Ring& ring : rings) {
        for (Point p : ring) {
            box.x_min = std::min(box.x_min, p.x);
            box.y_min = std::min(box.y_min, p.y);
            box.x_max = std::max(box.x_max, p.x);
            box.y_max = std::max(box.y_max, p.y);
        }
    }
    return box;
}

// True when b lies on the line through a and c, relative to their length.
static bool collinear(Point a, Point b, Point c, double tolerance)
{
    Point ac = c - a;
    double len = std::sqrt(ac.x * ac.x + ac.y * ac.y);
    return std::abs(cross(b - a, ac)) <= tolerance * std::max(len, 1e-300);
}

Ring clean_ring(const Ring& ring, double tolerance)
{
    // Drop repeats, including the closing copy of the first vertex.
    Ring out;
    for (Point p : ring) {
        if (!out.empty() && std::abs(p.x - out.back().x) <= tolerance &&
            std::abs(p.y - out.back().y) <= tolerance)
            continue;
        out.push_back(p);
    }
    while (out.size() > 1 &&
           std::abs(out.front().x - out.back().x) <= tolerance &&
           std::abs(out.front().y - out.back().y) <= tolerance)
        out.pop_back();

    // Drop vertices on the straight line between their neighbours.
    bool changed = true;
    while (changed && out.size() > 3) {
        changed = false;
        for (size_t i = 0; i < out.size() && out.size() > 3; ++i) {
            size_t n = out.size();
            if (collinear(out[(i + n - 1) % n], out[i], out[(i + 1) % n],
                          tolerance)) {
                out.erase(out.begin() + static_cast<long>(i));
                changed = true;
            }
        }
    }
    return out;
}

Shape normalize(Shape shape)
{
    Box box = bounds(shape.outer);
    double tolerance = 1e-9 * std::max(box.width(), box.height());
    shape.outer = clean_ring(shape.outer, tolerance);
    if (signed_area(shape.outer) < 0)
        std::reverse(shape.outer.begin(), shape.outer.end());
    for (Ring& hole : shape.holes) {
        hole = clean_ring(hole, tolerance);
        if (signed_area(hole) > 0)
            std::reverse(hole.begin(), hole.end());
    }
    return shape;
}

Point rotate(Point p, double degrees)
{
    double turns = std::fmod(degrees, 360.0);
    if (turns < 0)
        turns += 360.0;

    // Quarter turns are exact, so rectangles stay on the grid.
    if (turns == 0)
        return p;
    if (turns == 90)
        return {-p.y, p.x};
    if (turns == 180)
        return {-p.x, -p.y};
    if (turns == 270)
        return {p.y, -p.x};
    double rad = turns * std::numbers::pi / 180.0;
    double c = std::cos(rad), s = std::sin(rad);
    return {c * p.x - s * p.y, s * p.x + c * p.y};
}

Ring rotate(const Ring& ring, double degrees)
{
    Ring out;
    out.reserve(ring.size());
    for (Point p : ring)
        out.push_back(rotate(p, degrees));
    return out;
}

Ring translate(const Ring& ring, Point by)
{
    Ring out;
    out.reserve(ring.size());
    for (Point p : ring)
        out.push_back(p + by);
    return out;
}

bool is_axis_rectangle(const Ring& ring)
{
    if (ring.size() != 4)
        return false;
    for (size_t i = 0; i < 4; ++i) {
        Point a = ring[i], b = ring[(i + 1) % 4];
        if (a.x != b.x && a.y != b.y)
            return false;
    }
    return true;
}

static BgPolygon to_boost(const Ring& ring)
{
    BgPolygon poly;
    for (Point p : ring)
        poly.outer().emplace_back(p.x, p.y);
    if (!ring.empty())
        poly.outer().emplace_back(ring.front().x, ring.front().y);
    bg::correct(poly);
    return poly;
}

static Ring from_boost(const BgPolygon& poly)
{
    Ring ring;
    for (const BgPoint& p : poly.outer())
        ring.push_back({p.x(), p.y()});
    Box box = bounds(ring);
    ring = clean_ring(ring, 1e-12 * std::max(box.width(), box.height()));
    if (signed_area(ring) < 0)
        std::reverse(ring.begin(), ring.end());
    return ring;
}

// Grow a ring with the given join strategy; keeps the largest part.
template <typename Join>
static Ring buffer_ring(const Ring& ring, double distance, const Join& join,
                        int arc_segments)
{
    BgMulti grown;
    bg::strategy::buffer::distance_symmetric<double> by(distance);
    bg::strategy::buffer::end_flat end;
    bg::strategy::buffer::point_circle circle(arc_segments);
    bg::strategy::buffer::side_straight side;
    bg::buffer(to_boost(ring), grown, by, side, join, end, circle);
    if (grown.empty())
        return ring;
    auto largest = std::max_element(
        grown.begin(), grown.end(), [](const auto& a, const auto& b) {
            return bg::area(a) < bg::area(b);
        });
    return from_boost(*largest);
}

Ring offset_outer(const Ring& ring, double distance, int arc_segments)
{
    if (distance <= 0)
        return ring;

    // Arc vertices sit on the circle, so chords dip inside it; grow the
    // radius until the chords clear the distance asked for.
    double chord_dip = std::cos(std::numbers::pi / arc_segments);
    double radius = distance / chord_dip;
    bg::strategy::buffer::join_round join(arc_segments);
    return buffer_ring(ring, radius, join, arc_segments);
}

std::vector<Ring> shrink_hole(const Ring& hole, double distance,
                              int arc_segments)
{
    Ring ccw = hole;
    if (signed_area(ccw) < 0)
        std::reverse(ccw.begin(), ccw.end());
    std::vector<Ring> out;
    if (distance <= 0) {
        out.push_back(ccw);
    } else {
        // As in offset_outer: chords of the round joins must clear the
        // distance, so the radius grows by the chord's dip.
        double radius = distance / std::cos(std::numbers::pi / arc_segments);
        BgMulti shrunk;
        bg::strategy::buffer::distance_symmetric<double> by(-radius);
        bg::strategy::buffer::join_round join(arc_segments);
        bg::strategy::buffer::end_flat end;
        bg::strategy::buffer::point_circle circle(arc_segments);
        bg::strategy::buffer::side_straight side;
        bg::buffer(to_boost(ccw), shrunk, by, side, join, end, circle);
        for (const BgPolygon& poly : shrunk) {
            Ring r = from_boost(poly);
            if (r.size() >= 3 && signed_area(r) > 0)
                out.push_back(std::move(r));
        }
    }
    for (Ring& r : out)
        std::reverse(r.begin(), r.end());
    return out;
}

Ring offset_mitred(const Ring& ring, double distance)
{
    if (distance <= 0)
        return ring;
    bg::strategy::buffer::join_miter join(4.0);
    return buffer_ring(ring, distance, join, 8);
}

static double segment_point_distance(Point a, Point b, Point p)
{
    Point ab = b - a, ap = p - a;
    double len2 = ab.x * ab.x + ab.y * ab.y;
    double t = len2 > 0 ? (ap.x * ab.x + ap.y * ab.y) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    Point q{a.x + t * ab.x, a.y + t * ab.y};
    return std::hypot(p.x - q.x, p.y - q.y);
}

// Douglas-Peucker on the open chain ring[first..last], marking kept points.
static void douglas_peucker(const Ring& ring, size_t first, size_t last,
                            double tolerance, std::vector<bool>& keep)
{
    double worst = 0;
    size_t worst_at = first;
    for (size_t i = first + 1; i < last; ++i) {
        double d = segment_point_distance(ring[first], ring[last], ring[i]);
        if (d > worst) {
            worst = d;
            worst_at = i;
        }
    }
    if (worst <= tolerance)
        return;
    keep[worst_at] = true;
    douglas_peucker(ring, first, worst_at, tolerance, keep);
    douglas_peucker(ring, worst_at, last, tolerance, keep);
}

Ring simplify_outward(const Ring& ring, double tolerance)
{
    if (tolerance <= 0 || ring.size() < 8)
        return ring;

    // Split the closed ring at vertex 0 and its farthest vertex.
    size_t far = 0;
    double far_d = -1;
    for (size_t i = 1; i < ring.size(); ++i) {
        double d = std::hypot(ring[i].x - ring[0].x, ring[i].y - ring[0].y);
        if (d > far_d) {
            far_d = d;
            far = i;
        }
    }
    Ring closed = ring;
    closed.push_back(ring[0]);
    std::vector<bool> keep(closed.size(), false);
    keep[0] = keep[far] = keep[closed.size() - 1] = true;
    douglas_peucker(closed, 0, far, tolerance, keep);
    douglas_peucker(closed, far, closed.size() - 1, tolerance, keep);
    Ring simple;
    for (size_t i = 0; i + 1 < closed.size(); ++i)
        if (keep[i])
            simple.push_back(closed[i]);
    if (simple.size() < 3 || simple.size() + 2 >= ring.size())
        return ring;

    // Every dropped vertex lies within `tolerance` of the simple ring, so
    // the simple ring grown by `tolerance` covers the original.
    bg::strategy::buffer::join_miter join(2.0);
    Ring grown = buffer_ring(simple, tolerance, join, 8);
    return grown.size() >= 3 ? grown : ring;
}

static bool point_in_triangle(Point p, Point a, Point b, Point c)
{
    // Inside or on the boundary of CCW triangle abc.
    return cross(b - a, p - a) >= 0 && cross(c - b, p - b) >= 0 &&
           cross(a - c, p - c) >= 0;
}

Ring fill_notches(const Ring& ring, double max_added)
{
    size_t n = ring.size();
    if (n <= 3 || max_added <= 0)
        return ring;
    std::vector<size_t> prev(n), next(n);
    for (size_t i = 0; i < n; ++i) {
        prev[i] = (i + n - 1) % n;
        next[i] = (i + 1) % n;
    }
    std::vector<bool> gone(n, false);
    // The area that dropping corner i adds (INFINITY: it is convex, or the
    // new edge would cut the ring: another corner lies in the triangle).
    auto added = [&](size_t i) {
        Point a = ring[prev[i]], b = ring[i], c = ring[next[i]];
        double turn = cross(b - a, c - b);
        if (turn >= 0)
            return double(INFINITY);
        for (size_t k = next[next[i]]; k != prev[i]; k = next[k])
            if (point_in_triangle(ring[k], a, c, b))
                return double(INFINITY);
        return -turn / 2;
    };
    std::vector<double> cost(n);
    for (size_t i = 0; i < n; ++i)
        cost[i] = added(i);
    double total = 0;
    for (size_t left = n; left > 3; --left) {
        size_t best = n;
        for (size_t i = 0; i < n; ++i)
            if (!gone[i] && (best == n || cost[i] < cost[best]))
                best = i;
        if (best == n || total + cost[best] > max_added)
            break;
        total += cost[best];
        gone[best] = true;
        size_t a = prev[best], c = next[best];
        next[a] = c;
        prev[c] = a;
        cost[a] = added(a);
        cost[c] = added(c);
    }
    Ring out;
    for (size_t i = 0; i < n; ++i)
        if (!gone[i])
            out.push_back(ring[i]);
    return out;
}

// Ear clipping of a simple CCW ring into triangles of vertex indices.
static std::vector<std::array<int, 3>> triangulate(const Ring& ring)
{
    std::vector<int> left(ring.size());
    for (size_t i = 0; i < ring.size(); ++i)
        left[i] = static_cast<int>(i);
    std::vector<std::array<int, 3>> triangles;
    while (left.size() > 3) {
        size_t n = left.size();
        size_t ear = n, best_convex = 0;
        double best_cross = -INFINITY;
        for (size_t i = 0; i < n && ear == n; ++i) {
            Point a = ring[left[(i + n - 1) % n]], b = ring[left[i]],
                  c = ring[left[(i + 1) % n]];
            double turn = cross(b - a, c - b);
            if (turn > best_cross) {
                best_cross = turn;
                best_convex = i;
            }
            if (turn <= 0)
                continue;
            bool empty = true;
            for (size_t j = 0; j < n && empty; ++j) {
                Point p = ring[left[j]];
                if (j == i || j == (i + 1) % n || j == (i + n - 1) % n)
                    continue;
                if ((p.x == a.x && p.y == a.y) || (p.x == b.x && p.y == b.y) ||
                    (p.x == c.x && p.y == c.y))
                    continue;
                empty = !point_in_triangle(p, a, b, c);
            }
            if (empty)
                ear = i;
        }

        // Numerical trouble: clip the most convex corner anyway.
        if (ear == n)
            ear = best_convex;
        triangles.push_back({left[(ear + n - 1) % n], left[ear],
                             left[(ear + 1) % n]});
        left.erase(left.begin() + static_cast<long>(ear));
    }
    triangles.push_back({left[0], left[1], left[2]});
    return triangles;
}

static bool convex_at(const Ring& ring, int prev, int at, int next)
{
    return cross(ring[at] - ring[prev], ring[next] - ring[at]) >= 0;
}

// Join piece q into piece p across their shared edge u-v when the union
// stays convex (Hertel-Mehlhorn); returns whether it did.
static bool merge_pieces(const Ring& ring, std::vector<int>& p,
                         const std::vector<int>& q, int u, int v)
{
    // p holds u->v, q holds v->u; walk p from v round to u, then q from
    // u round to v.
    auto at = [](const std::vector<int>& cycle, int value) {
        return std::find(cycle.begin(), cycle.end(), value) - cycle.begin();
    };
    std::vector<int> merged;
    long pn = static_cast<long>(p.size()), qn = static_cast<long>(q.size());
    for (long k = 0, s = at(p, v); k < pn - 1; ++k)
        merged.push_back(p[(s + k) % pn]);
    for (long k = 0, s = at(q, u); k < qn - 1; ++k)
        merged.push_back(q[(s + k) % qn]);
    long n = static_cast<long>(merged.size());
    for (long k = 0; k < n; ++k) {
        if (!convex_at(ring, merged[(k + n - 1) % n], merged[k],
                       merged[(k + 1) % n]))
            return false;
    }
    p = std::move(merged);
    return true;
}

// Ear clipping, then Hertel-Mehlhorn merging of the triangles.
static std::vector<Ring> merged_triangles(const Ring& ring)
{
    if (ring.size() <= 3)
        return {ring};
    std::vector<std::vector<int>> pieces;
    for (auto& t : triangulate(ring))
        pieces.push_back({t[0], t[1], t[2]});

    // Merge across diagonals while the union stays convex.
    bool merged_any = true;
    while (merged_any) {
        merged_any = false;
        std::map<std::pair<int, int>, size_t> owner;
        for (size_t k = 0; k < pieces.size(); ++k)
            for (size_t e = 0; e < pieces[k].size(); ++e)
                owner[{pieces[k][e],
                       pieces[k][(e + 1) % pieces[k].size()]}] = k;
        std::vector<bool> gone(pieces.size(), false);
        for (auto& [edge, k] : owner) {
            auto twin = owner.find({edge.second, edge.first});
            if (twin == owner.end() || gone[k] || gone[twin->second] ||
                twin->second == k)
                continue;
            if (merge_pieces(ring, pieces[k], pieces[twin->second],
                             edge.first, edge.second)) {
                gone[twin->second] = true;
                merged_any = true;
                break;  // edge owners changed; index again
            }
        }
        if (merged_any) {
            std::vector<std::vector<int>> alive;
            for (size_t k = 0; k < pieces.size(); ++k)
                if (!gone[k])
                    alive.push_back(std::move(pieces[k]));
            pieces = std::move(alive);
        }
    }

    std::vector<Ring> out;
    for (auto& piece : pieces) {
        Ring r;
        for (int i : piece)
            r.push_back(ring[i]);
        out.push_back(clean_ring(r, 0));
    }
    return out;
}

// Whether the segment from ring[i] towards w leaves ring[i] into the
// ring's interior (CCW ring): inside the corner's cone.
static bool enters(const Ring& ring, size_t i, Point w)
{
    size_t n = ring.size();
    Point v = ring[i], prev = ring[(i + n - 1) % n], next = ring[(i + 1) % n];
    if (cross(next - v, prev - v) >= 0)  // convex corner
        return cross(w - v, prev - v) > 0 && cross(next - v, w - v) > 0;
    return !(cross(next - v, w - v) <= 0 && cross(w - v, prev - v) <= 0);
}

// Whether segments ab and cd cross at a point inside both.
static bool segments_cross(Point a, Point b, Point c, Point d)
{
    double d1 = cross(b - a, c - a), d2 = cross(b - a, d - a);
    double d3 = cross(d - c, a - c), d4 = cross(d - c, b - c);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
           ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

// Whether segments ab and cd meet at all, touching included.
static bool segments_meet(Point a, Point b, Point c, Point d)
{
    if (segments_cross(a, b, c, d))
        return true;
    // r on the segment pq, given that it lies on its line.
    auto on = [](Point p, Point q, Point r) {
        return std::min(p.x, q.x) <= r.x && r.x <= std::max(p.x, q.x) &&
               std::min(p.y, q.y) <= r.y && r.y <= std::max(p.y, q.y);
    };
    return (cross(b - a, c - a) == 0 && on(a, b, c)) ||
           (cross(b - a, d - a) == 0 && on(a, b, d)) ||
           (cross(d - c, a - c) == 0 && on(c, d, a)) ||
           (cross(d - c, b - c) == 0 && on(c, d, b));
}

bool edges_cross(const Ring& ring, size_t& a, size_t& b)
{
    size_t n = ring.size();
    if (n < 4)
        return false;
    // Boxes first: outlines of thousands of vertices stay fast.
    std::vector<Box> boxes(n);
    for (size_t k = 0; k < n; ++k)
        boxes[k] = bounds(Ring{ring[k], ring[(k + 1) % n]});
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 2; j < n; ++j) {
            if (i == 0 && j == n - 1)
                continue;  // neighbours across the ring's start
            const Box& p = boxes[i];
            const Box& q = boxes[j];
            if (p.x_max < q.x_min || q.x_max < p.x_min ||
                p.y_max < q.y_min || q.y_max < p.y_min)
                continue;
            if (segments_cross(ring[i], ring[(i + 1) % n], ring[j],
                               ring[(j + 1) % n])) {
                a = i;
                b = j;
                return true;
            }
        }
    return false;
}

// Whether ring[i]-ring[j] is a diagonal: inside the ring, meeting its
// boundary only at the two ends.
static bool diagonal(const Ring& ring, size_t i, size_t j)
{
    size_t n = ring.size();
    if (!enters(ring, i, ring[j]) || !enters(ring, j, ring[i]))
        return false;
    for (size_t k = 0; k < n; ++k) {
        size_t l = (k + 1) % n;
        if (k == i || k == j || l == i || l == j)
            continue;
        if (segments_meet(ring[i], ring[j], ring[k], ring[l]))
            return false;
    }
    return true;
}

// Whether the corner a-b-c turns left or runs straight (convex).
static bool convex_corner(Point a, Point b, Point c)
{
    return cross(b - a, c - b) >= 0;
}

// The cosine of the corner's angle at b between the edges to a and to c:
// the sharper the corner, the larger.
static double corner_cos(Point a, Point b, Point c)
{
    Point u = a - b, w = c - b;
    return (u.x * w.x + u.y * w.y) /
           std::max(1e-300, std::hypot(u.x, u.y) * std::hypot(w.x, w.y));
}

// Convex pieces by cutting along diagonals, each from a reflex corner
// and, where one exists, to another that it also makes convex: two
// reflex corners go with every such cut, where merged triangles leave
// about one piece per reflex corner. Among equal cuts the shortest wins,
// or with `fat` the one whose new corners are least acute; neither
// greedy choice is always the better. A ring with no such cut (there
// always is a diagonal from a reflex corner, but it need not resolve it)
// falls back to merged triangles.
static std::vector<Ring> diagonal_pieces(const Ring& whole, bool fat)
{
    std::vector<Ring> out, todo{whole};
    while (!todo.empty()) {
        Ring ring = std::move(todo.back());
        todo.pop_back();
        size_t n = ring.size();
        int best_resolved = 0;
        double best_score = -INFINITY;
        size_t bi = 0, bj = 0;
        for (size_t i = 0; i < n; ++i) {
            Point prev = ring[(i + n - 1) % n], next = ring[(i + 1) % n];
            if (cross(ring[i] - prev, next - ring[i]) >= 0)
                continue;  // convex
            for (size_t j = 0; j < n; ++j) {
                if (j == i || j == (i + 1) % n || (j + 1) % n == i)
                    continue;
                // The two sides: i..j and j..i, CCW. The corner at i in
                // each must be convex; a reflex one at j counts when it
                // becomes convex in both.
                Point jp = ring[(j + n - 1) % n], jn = ring[(j + 1) % n];
                if (!convex_corner(ring[j], ring[i], next) ||
                    !convex_corner(prev, ring[i], ring[j]))
                    continue;
                bool j_convex = convex_corner(jp, ring[j], ring[i]) &&
                                convex_corner(ring[i], ring[j], jn);
                bool j_reflex = !convex_corner(jp, ring[j], jn);
                int resolved = 1 + (j_reflex && j_convex ? 1 : 0);
                if (resolved < best_resolved)
                    continue;
                double score;  // the larger the better
                if (fat) {
                    double sharpest =
                        std::max(corner_cos(ring[j], ring[i], next),
                                 corner_cos(prev, ring[i], ring[j]));
                    if (j_convex)
                        sharpest = std::max(
                            {sharpest, corner_cos(jp, ring[j], ring[i]),
                             corner_cos(ring[i], ring[j], jn)});
                    score = -sharpest;
                } else {
                    Point d = ring[j] - ring[i];
                    score = -std::hypot(d.x, d.y);
                }
                if (resolved == best_resolved && score <= best_score)
                    continue;
                if (!diagonal(ring, i, j))
                    continue;
                best_resolved = resolved;
                best_score = score;
                bi = i;
                bj = j;
            }
        }
        bool reflex = false;
        for (size_t i = 0; i < n && !reflex; ++i)
            reflex = cross(ring[i] - ring[(i + n - 1) % n],
                           ring[(i + 1) % n] - ring[i]) < 0;
        if (!reflex) {
            out.push_back(std::move(ring));
            continue;
        }
        if (best_resolved == 0) {
            for (Ring& r : merged_triangles(ring))
                out.push_back(std::move(r));
            continue;
        }
        Ring a, b;
        for (size_t k = bi;; k = (k + 1) % n) {
            a.push_back(ring[k]);
            if (k == bj)
                break;
        }
        for (size_t k = bj;; k = (k + 1) % n) {
            b.push_back(ring[k]);
            if (k == bi)
                break;
        }
        todo.push_back(std::move(a));
        todo.push_back(std::move(b));
    }
    for (Ring& r : out)
        r = clean_ring(r, 0);
    return out;
}

// Up to this many vertices rings are also cut along diagonals (a search
// over reflex corners and vertices per cut), both ways, and the way that
// gives the fewest pieces wins (fat cuts on a tie); larger ones only
// merge triangles.
constexpr size_t diagonal_cut_limit = 512;

std::vector<Ring> convex_pieces(const Ring& ring)
{
    if (ring.size() <= 3)
        return {ring};
    std::vector<Ring> best = merged_triangles(ring);
    if (ring.size() > diagonal_cut_limit)
        return best;
    for (bool fat : {false, true}) {
        std::vector<Ring> cut = diagonal_pieces(ring, fat);
        if (cut.size() <= best.size())
            best = std::move(cut);
    }
    return best;
}

std::vector<Ring> convex_pieces(const Ring& outer,
                                const std::vector<Ring>& holes)
{
    if (holes.empty())
        return convex_pieces(outer);
    BgPolygon shape = to_boost(outer);
    for (const Ring& hole : holes) {
        BgPolygon h = to_boost(hole);
        shape.inners().push_back(h.outer());
    }
    bg::correct(shape);

    // Cut at every hole's x extremes: inside one slab a hole either
    // crosses from side to side, parting the slab, or is absent.
    Box all = bounds(outer);
    std::vector<double> cuts{all.x_min, all.x_max};
    for (const Ring& hole : holes) {
        Box b = bounds(hole);
        cuts.push_back(b.x_min);
        cuts.push_back(b.x_max);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    double tiny = 1e-12 * std::max(all.width(), all.height());
    std::vector<Ring> out;
    for (size_t k = 0; k + 1 < cuts.size(); ++k) {
        if (cuts[k + 1] - cuts[k] <= tiny)
            continue;
        bg::model::box<BgPoint> slab({cuts[k], all.y_min - 1},
                                     {cuts[k + 1], all.y_max + 1});
        BgMulti parts;
        bg::intersection(shape, slab, parts);
        for (const BgPolygon& part : parts) {
            Ring r = from_boost(part);
            if (r.size() < 3 || signed_area(r) <= tiny * tiny)
                continue;
            for (Ring& convex : convex_pieces(r))
                out.push_back(std::move(convex));
        }
    }
    return out;
}

// Andrew's monotone chain.
Ring convex_hull(std::vector<Point> pts)
{
    std::sort(pts.begin(), pts.end(), [](Point a, Point b) {
        return a.x < b.x || (a.x == b.x && a.y < b.y);
    });
    if (pts.size() < 3)
        return pts;
    Ring hull(2 * pts.size());
    size_t k = 0;
    for (size_t i = 0; i < pts.size(); ++i) {
        while (k >= 2 && cross(hull[k - 1] - hull[k - 2],
                               pts[i] - hull[k - 2]) <= 0)
            --k;
        hull[k++] = pts[i];
    }
    for (size_t i = pts.size() - 1, t = k + 1; i > 0; --i) {
        while (k >= t && cross(hull[k - 1] - hull[k - 2],
                               pts[i - 1] - hull[k - 2]) <= 0)
            --k;
        hull[k++] = pts[i - 1];
    }
    hull.resize(k - 1);
    return hull;
}

// The vertex with the least y, the least x among equals: where a convex
// ring's edges start at the smallest polar angle.
static size_t lowest_vertex(const Ring& r)
{
    size_t at = 0;
    for (size_t i = 1; i < r.size(); ++i)
        if (r[i].y < r[at].y || (r[i].y == r[at].y && r[i].x < r[at].x))
            at = i;
    return at;
}

// A + (-B) by merging the two rings' edges in order of angle, from the
// sum of their lowest vertices: a + b steps, where the hull of all a * b
// vertex sums sorts them (and the hull of two 100-vertex parts' hulls
// kept a 10 000-point array per polygon).
Ring convex_nfp(const Ring& a, const Ring& b)
{
    Ring nb;
    nb.reserve(b.size());
    for (Point p : b)
        nb.push_back({-p.x, -p.y});
    size_t na = a.size(), nn = nb.size();
    size_t ia = lowest_vertex(a), ib = lowest_vertex(nb);
    Ring out;
    out.reserve(na + nn);
    for (size_t i = 0, j = 0; i < na || j < nn;) {
        Point pa = a[(ia + i) % na], pb = nb[(ib + j) % nn];
        out.push_back(pa + pb);
        Point ea = a[(ia + i + 1) % na] - pa;
        Point eb = nb[(ib + j + 1) % nn] - pb;
        double turn = cross(ea, eb);
        if (j == nn || (i < na && turn > 0))
            ++i;  // a's edge comes first
        else if (i == na || turn < 0)
            ++j;
        else {
            ++i;  // parallel: one edge of the sum
            ++j;
        }
    }
    // Sums of nearly parallel edges leave vertices a rounding error off
    // the line of their neighbours; an edge that short would give a
    // half-plane of no sure direction.
    Box box = bounds(out);
    return clean_ring(out, 1e-12 * std::max(box.width(), box.height()));
}

double boundary_distance(const Ring& a, const Ring& b)
{
    double best = INFINITY;
    for (size_t i = 0; i < a.size(); ++i) {
        Point a0 = a[i], a1 = a[(i + 1) % a.size()];
        for (size_t j = 0; j < b.size(); ++j) {
            Point b0 = b[j], b1 = b[(j + 1) % b.size()];
            if (segments_cross(a0, a1, b0, b1))
                return 0;
            best = std::min({best, segment_point_distance(a0, a1, b0),
                             segment_point_distance(a0, a1, b1),
                             segment_point_distance(b0, b1, a0),
                             segment_point_distance(b0, b1, a1)});
        }
    }
    return best;
}

// Sutherland-Hodgman: the part of convex `subject` inside convex `clip`.
static Ring clip_convex(const Ring& subject, const Ring& clip)
{
    Ring out = subject;
    for (size_t i = 0; i < clip.size() && !out.empty(); ++i) {
        Point c0 = clip[i], c1 = clip[(i + 1) % clip.size()];
        Ring in = std::move(out);
        out.clear();
        for (size_t j = 0; j < in.size(); ++j) {
            Point p = in[j], q = in[(j + 1) % in.size()];
            double sp = cross(c1 - c0, p - c0), sq = cross(c1 - c0, q - c0);
            if (sp >= 0)
                out.push_back(p);
            if ((sp >= 0) != (sq >= 0)) {
                double t = sp / (sp - sq);
                out.push_back({p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)});
            }
        }
    }
    return out;
}

static bool boxes_apart(const Box& a, const Box& b)
{
    return a.x_max <= b.x_min || b.x_max <= a.x_min || a.y_max <= b.y_min ||
           b.y_max <= a.y_min;
}

double overlap_area(const Ring& a, const Ring& b)
{
    if (boxes_apart(bounds(a), bounds(b)))
        return 0;
    return overlap_area(convex_pieces(a), convex_pieces(b));
}

double overlap_area(const std::vector<Ring>& a, const std::vector<Ring>& b)
{
    std::vector<Box> b_boxes;
    for (const Ring& pb : b)
        b_boxes.push_back(bounds(pb));
    double total = 0;
    for (const Ring& pa : a) {
        Box box = bounds(pa);
        for (size_t k = 0; k < b.size(); ++k)
            if (!boxes_apart(box, b_boxes[k]))
                total += std::abs(signed_area(clip_convex(pa, b[k])));
    }
    return total;
}

bool point_in_ring(Point p, const Ring& ring)
{
    bool inside = false;
    for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        Point a = ring[i], b = ring[j];
        if ((a.y > p.y) != (b.y > p.y) &&
            p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            inside = !inside;
    }
    return inside;
}

}  // namespace ripline::nest
