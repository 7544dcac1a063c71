// SPDX-License-Identifier: AGPL-3.0-or-later
// Convex pieces of every orientation and the cache of their no-fit sets.
#include "core/nest/nfp_cache.hpp"

#include <algorithm>
#include <cmath>

namespace ripline::nest {

namespace {

// How deep t lies inside a convex ring of `count` edges, `edge(k)` the
// half-plane of edge k: the smallest of the distances to its edges, 0
// outside or on the boundary. `nearest`, when given, gets the index of
// the nearest edge.
template <typename EdgeAt>
double depth_in(size_t count, Point t, EdgeAt edge, size_t* nearest = nullptr)
{
    double depth = INFINITY;
    for (size_t k = 0; k < count; ++k) {
        HalfPlane h = edge(k);
        double d = h.a * t.x + h.b * t.y + h.c;
        if (d <= 0)
            return 0;
        if (d < depth) {
            depth = d;
            if (nearest != nullptr)
                *nearest = k;
        }
    }
    return count > 0 ? depth : 0;
}

// A convex piece with its box and its thickness: twice its area over its
// perimeter, the radius of the circle that touches every edge where there
// is one (a square's half side), and small for a sliver.
Piece make_piece(Ring convex)
{
    double perimeter = 0;
    for (size_t i = 0; i < convex.size(); ++i) {
        Point e = convex[(i + 1) % convex.size()] - convex[i];
        perimeter += std::sqrt(e.x * e.x + e.y * e.y);
    }
    double thickness =
        perimeter > 0 ? 2 * std::abs(signed_area(convex)) / perimeter : 0;
    Box box = bounds(convex);
    return {std::move(convex), box, thickness};
}

bool outside_box(const Box& b, Point t)
{
    return t.x <= b.x_min || t.x >= b.x_max || t.y <= b.y_min ||
           t.y >= b.y_max;
}

}  // namespace

double penetration(const Nfp& nfp, Point t)
{
    if (outside_box(nfp.box, t))
        return 0;
    return depth_in(nfp.edges.size(), t,
                    [&nfp](size_t k) { return nfp.edges[k]; });
}

double exit_move(const Nfp& nfp, Point t, Point& move)
{
    size_t nearest = 0;
    if (outside_box(nfp.box, t))
        return 0;
    double depth = depth_in(nfp.edges.size(), t,
                            [&nfp](size_t k) { return nfp.edges[k]; },
                            &nearest);
    if (depth > 0) {
        const HalfPlane& h = nfp.edges[nearest];
        move = {-h.a * depth, -h.b * depth};
    }
    return depth;
}

void pack_edges(const std::vector<HalfPlane>& edges, std::vector<double>& out)
{
    size_t blocks = (edges.size() + edge_block - 1) / edge_block;
    size_t at = out.size();
    out.push_back(double(blocks));
    out.resize(at + 1 + 3 * edge_block * blocks);
    double* block = out.data() + at + 1;
    for (size_t k = 0; k < blocks; ++k, block += 3 * edge_block)
        for (size_t i = 0; i < edge_block; ++i) {
            size_t e = k * edge_block + i;
            bool real = e < edges.size();
            block[i] = real ? edges[e].a : 0;
            block[edge_block + i] = real ? edges[e].b : 0;
            block[2 * edge_block + i] = real ? edges[e].c : HUGE_VAL;
        }
}

namespace {

// The y where a chain of `count` edges from ring[start], its x rising
// (or falling) from one side of x to the other, crosses x: the last
// vertex on the near side is found by bisection.
double chain_y(const Ring& ring, size_t start, size_t count, double x,
               bool rising)
{
    size_t n = ring.size();
    auto at = [&](size_t k) -> const Point& {
        size_t i = start + k;
        return ring[i < n ? i : i - n];
    };
    size_t near = 0, far = count;  // at(near) is on the near side of x
    while (far - near > 1) {
        size_t mid = (near + far) / 2;
        double vx = at(mid).x;
        if (rising ? vx <= x : vx >= x)
            near = mid;
        else
            far = mid;
    }
    const Point& a = at(near);
    const Point& b = at(near + 1);
    return a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x);
}

// The ends of the two chains of a convex CCW ring: the lower one from
// the lowest of its leftmost vertices to the lowest of its rightmost, the
// upper one from the highest rightmost to the highest leftmost.
void find_chains(Nfp& n)
{
    const Ring& r = n.ring;
    size_t count = r.size();
    if (count < 3)
        return;
    size_t left_low = 0, left_high = 0, right_low = 0, right_high = 0;
    for (size_t i = 1; i < count; ++i) {
        auto before = [&](size_t k, bool max_x, bool max_y) {
            if (r[i].x != r[k].x)
                return max_x ? r[i].x > r[k].x : r[i].x < r[k].x;
            return max_y ? r[i].y > r[k].y : r[i].y < r[k].y;
        };
        if (before(left_low, false, false))
            left_low = i;
        if (before(left_high, false, true))
            left_high = i;
        if (before(right_low, true, false))
            right_low = i;
        if (before(right_high, true, true))
            right_high = i;
    }
    n.lower = std::uint32_t(left_low);
    n.lower_edges = std::uint32_t((right_low + count - left_low) % count);
    n.upper = std::uint32_t(right_high);
    n.upper_edges = std::uint32_t((left_high + count - right_high) % count);
}

}  // namespace

bool vertical_span(const Nfp& nfp, double x, double& lo, double& hi)
{
    if (x <= nfp.box.x_min || x >= nfp.box.x_max || nfp.lower_edges == 0 ||
        nfp.upper_edges == 0)
        return false;
    lo = chain_y(nfp.ring, nfp.lower, nfp.lower_edges, x, true);
    hi = chain_y(nfp.ring, nfp.upper, nfp.upper_edges, x, false);
    return lo <= hi;
}

namespace {

// Every coordinate of an orientation, its rings and then its holes, as
// the key that finds an identical one.
std::vector<double> coordinates(const ShapeOrientation& shape)
{
    std::vector<double> key;
    auto put = [&key](const Ring& ring) {
        key.push_back(double(ring.size()));
        for (Point p : ring) {
            key.push_back(p.x);
            key.push_back(p.y);
        }
    };
    for (const Ring& ring : shape.rings)
        put(ring);
    for (const std::vector<Ring>& holes : shape.holes) {
        key.push_back(-double(holes.size()));
        for (const Ring& hole : holes)
            put(hole);
    }
    return key;
}

}  // namespace

int PieceLibrary::add(const ShapeOrientation& shape)
{
    auto [at, fresh] =
        orient_at_.emplace(coordinates(shape), int(orients_.size()));
    if (!fresh)
        return at->second;
    Orient o;
    o.box = bounds(shape.rings);
    static const std::vector<Ring> no_holes;
    double largest = -1;
    for (size_t k = 0; k < shape.rings.size(); ++k) {
        const std::vector<Ring>& holes =
            k < shape.holes.size() ? shape.holes[k] : no_holes;
        for (Ring& convex : convex_pieces(shape.rings[k], holes)) {
            if (convex.size() < 3)
                continue;
            double area = signed_area(convex);
            if (area > largest) {
                largest = area;
                o.inner = {0, 0};
                for (Point p : convex)
                    o.inner = o.inner + p;
                o.inner = {o.inner.x / double(convex.size()),
                           o.inner.y / double(convex.size())};
            }
            o.pieces.push_back(static_cast<int>(pieces_.size()));
            pieces_.push_back(make_piece(std::move(convex)));
            o.thickest = std::max(o.thickest, pieces_.back().thickness);
        }
    }
    std::vector<Point> points;
    for (const Ring& ring : shape.rings)
        points.insert(points.end(), ring.begin(), ring.end());
    Ring hull = convex_hull(std::move(points));
    if (hull.size() >= 3) {
        o.hull = static_cast<int>(pieces_.size());
        pieces_.push_back(make_piece(std::move(hull)));
    }
    orients_.push_back(std::move(o));
    return static_cast<int>(orients_.size()) - 1;
}

PieceLibrary::PieceLibrary(const PieceLibrary& other)
    : scale(other.scale), pieces_(other.pieces_), orients_(other.orients_),
      orient_at_(other.orient_at_), dense_(other.dense_.size(), nullptr),
      packed_at_(other.packed_at_), packed_(other.packed_),
      bytes_(packed_.size() * sizeof(double))  // trim() counts the copy
{
}

// Up to this many pieces the no-fit sets are found through flat tables
// (12 bytes a pair: 50 MB at the limit, once per search thread); above
// it through a hash map.
constexpr size_t dense_pieces = 2048;

void PieceLibrary::seal()
{
    size_t n = pieces_.size();
    if (n <= dense_pieces) {
        dense_.assign(n * n, nullptr);
        packed_at_.assign(n * n, -1);
    }
}

Nfp& PieceLibrary::make(int placed, int moving)
{
    Nfp n;
    n.ring = convex_nfp(piece(placed).ring, piece(moving).ring);
    n.box = bounds(n.ring);
    for (size_t i = 0; i < n.ring.size(); ++i) {
        Point a = n.ring[i], e = n.ring[(i + 1) % n.ring.size()] - a;
        // Not std::hypot: its guard against overflow took 15 % of a
        // gardeyn9 search, whose time goes in making no-fit polygons.
        double length = std::sqrt(e.x * e.x + e.y * e.y);
        if (length <= 0)
            continue;
        // cross(e, t - a) / |e|, written as a t.x + b t.y + c.
        n.edges.push_back({-e.y / length, e.x / length,
                           (e.y * a.x - e.x * a.y) / length});
    }
    find_chains(n);
    // The polygon, its two arrays with the allocator's own words, and a
    // hash node when there is no flat table.
    bytes_ += sizeof(Nfp) + n.ring.size() * sizeof(Point) +
              n.edges.size() * sizeof(HalfPlane) + 2 * 32 +
              (dense_.empty() ? 48 : 0);
    nfps_.push_back(std::move(n));
    return nfps_.back();
}

std::int32_t PieceLibrary::packed(int placed, int moving)
{
    std::int32_t* at;
    if (dense_.empty())
        at = &entry(placed, moving).packed;
    else
        at = &packed_at_[size_t(placed) * pieces_.size() + size_t(moving)];
    if (*at < 0) {
        size_t before = packed_.size();
        pack_edges(nfp(placed, moving).edges, packed_);
        *at = static_cast<std::int32_t>(before);
        bytes_ += (packed_.size() - before) * sizeof(double);
    }
    return *at;
}

double PieceLibrary::depth(int placed, int moving, Point t)
{
    std::int32_t at = packed(placed, moving);
    double out;
    depths(&at, 1, t, &out);
    return out;
}

void PieceLibrary::trim()
{
    if (bytes_ <= cache_bytes)
        return;
    nfps_.clear();
    nfp_at_.clear();
    std::fill(dense_.begin(), dense_.end(), nullptr);
    std::fill(packed_at_.begin(), packed_at_.end(), -1);
    packed_.clear();
    bytes_ = 0;
}

Nfp& PieceLibrary::entry(int placed, int moving)
{
    if (!dense_.empty()) {
        Nfp*& at = dense_[size_t(placed) * pieces_.size() + size_t(moving)];
        if (at == nullptr)
            at = &make(placed, moving);
        return *at;
    }
    std::uint64_t key = (std::uint64_t(std::uint32_t(placed)) << 32) |
                        std::uint32_t(moving);
    auto [at, fresh] = nfp_at_.try_emplace(key, nullptr);
    if (fresh)
        at->second = &make(placed, moving);
    return *at->second;
}

}  // namespace ripline::nest
