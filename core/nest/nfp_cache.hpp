// SPDX-License-Identifier: AGPL-3.0-or-later
// Convex pieces of every orientation and the cache of their no-fit sets.
#pragma once

#include "core/nest/geometry.hpp"
#include "core/nest/shape_pack.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <unordered_map>
#include <vector>

namespace ripline::nest {

struct Piece {
    Ring ring;
    Box box;
    double thickness = 0;  // twice the area over the perimeter
};

// One orientation of an item: its convex pieces, their common box, the
// piece that is their convex hull (a quick test for a pair of parts with
// several pieces: hulls apart, parts apart), a point well inside the
// part (the vertex mean of its largest piece) and its thickest piece's
// thickness.
struct Orient {
    std::vector<int> pieces;
    Box box;
    int hull = -1;
    Point inner;
    double thickest = 0;
};

// One edge of a convex CCW ring as the line a x + b y + c = 0 with
// (a, b) the unit normal into the ring: the value is the signed distance.
struct HalfPlane {
    double a, b, c;
};

// A no-fit polygon with its box and its edges as half-planes, so a
// penetration depth costs two products per edge and no square root. Its
// lower chain runs from vertex `lower` for `lower_edges` edges, left to
// right; its upper chain from `upper` for `upper_edges`, right to left.
struct Nfp {
    Ring ring;
    Box box;
    std::vector<HalfPlane> edges;
    std::uint32_t lower = 0, lower_edges = 0;
    std::uint32_t upper = 0, upper_edges = 0;
    std::int32_t packed = -1;  // PieceLibrary's copy, without flat tables
};

// How deep t lies inside the convex no-fit polygon: the distance to its
// nearest edge, 0 outside or on the boundary.
double penetration(const Nfp& nfp, Point t);

// Where the vertical line x cuts the no-fit polygon: its lowest and
// highest y, found on the two chains by bisection. False when x is not
// strictly inside the polygon's box.
bool vertical_span(const Nfp& nfp, double x, double& lo, double& hi);

// The shortest move that takes t out of the no-fit polygon onto its
// nearest edge, and how long it is (0 and no move when t is outside).
double exit_move(const Nfp& nfp, Point t, Point& move);

// A polygon's edges packed for SIMD: their count of blocks, then per
// block of `edge_block` edges the a's, the b's and the c's. Lanes past
// the last edge hold 0, 0, +inf: never nearer, never outside.
constexpr size_t edge_block = 4;
void pack_edges(const std::vector<HalfPlane>& edges, std::vector<double>& out);

// penetration() of t in each of `count` packed polygons, which start at
// table + at[k], into out[k] (core/nest/depth_hwy.cpp). One call for all
// the piece pairs of two parts, which share t.
void packed_depths(const double* table, const std::int32_t* at,
                   size_t count, Point t, double* out);

class PieceLibrary {
public:
    PieceLibrary() = default;
    // The pieces, orientations and packed table, without the cached
    // no-fit polygons, which are kept by address: each search thread
    // fills a cache of its own.
    PieceLibrary(const PieceLibrary& other);
    PieceLibrary& operator=(const PieceLibrary&) = delete;

    // The orientation's id; an orientation with the same rings as one
    // added before (another copy of a part) shares its id and pieces, so
    // their no-fit sets are made once.
    int add(const ShapeOrientation& shape);
    const Orient& orient(int id) const { return orients_[size_t(id)]; }
    const Piece& piece(int id) const { return pieces_[size_t(id)]; }

    // The no-fit set of `moving` against `placed` (both at the origin),
    // computed on first use.
    const Nfp& nfp(int placed, int moving) { return entry(placed, moving); }

    // penetration(nfp(placed, moving), t), read from a packed copy of the
    // polygon's edges: the overlap search's inner loop, whose time goes
    // in cache misses on the scattered polygons otherwise. The caller has
    // seen the two pieces' boxes meet, which is t inside the polygon's
    // box: that test, only a shortcut, is not made again.
    double depth(int placed, int moving, Point t);
    // The same for many pairs at once: packed(placed, moving) gives where
    // a pair's copy starts (packing it on first use), depths() the depths
    // of t in those copies.
    std::int32_t packed(int placed, int moving);
    void depths(const std::int32_t* at, size_t count, Point t,
                double* out) const
    {
        packed_depths(packed_.data(), at, count, t, out);
    }

    // Once every orientation is in: index no-fit sets in a flat table
    // when there are few enough pieces for one.
    void seal();
    double scale = 1;

    // Forget the cached no-fit polygons once they take more than
    // `cache_bytes`: parts of many pieces (gardeyn9: 6000 pieces over
    // its orientations) would otherwise fill the memory. Call it only
    // where no reference from nfp() is held.
    void trim();
    size_t cache_bytes = size_t(256) << 20;

private:
    Nfp& entry(int placed, int moving);
    Nfp& make(int placed, int moving);

    std::vector<Piece> pieces_;
    std::vector<Orient> orients_;
    std::map<std::vector<double>, int> orient_at_;  // by coordinates
    std::unordered_map<std::uint64_t, Nfp*> nfp_at_;
    std::vector<Nfp*> dense_;  // placed * pieces + moving
    // Per dense index, where the packed polygon starts in packed_ (-1
    // before its first use); without the flat tables, in the Nfp.
    std::vector<std::int32_t> packed_at_;
    std::vector<double> packed_;
    std::deque<Nfp> nfps_;  // stable addresses: callers keep pointers
    size_t bytes_ = 0;      // about what nfps_ and packed_ take
};

}  // namespace ripline::nest
