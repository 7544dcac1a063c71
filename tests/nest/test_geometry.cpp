// SPDX-License-Identifier: AGPL-3.0-or-later
// Geometry of the nester: offsets, convex pieces, no-fit polygons.
#include "core/nest/geometry.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <random>

using namespace ripline::nest;

namespace {

Ring square(double side)
{
    return {{0, 0}, {side, 0}, {side, side}, {0, side}};
}

// An L: a 10 x 10 square less its 6 x 6 top-right corner.
Ring ell()
{
    return {{0, 0}, {10, 0}, {10, 4}, {4, 4}, {4, 10}, {0, 10}};
}

// Distance from a point to a ring's boundary.
double distance_to(const Ring& ring, Point p)
{
    return boundary_distance(ring, Ring{p, p, p});
}

}  // namespace

TEST_CASE("offset of a square has the area of a rounded square")
{
    double side = 10, d = 2;
    Ring grown = offset_outer(square(side), d);
    double expect = side * side + 4 * side * d + std::numbers::pi * d * d;
    REQUIRE(std::abs(signed_area(grown)) == Approx(expect).epsilon(0.01));

    // Every vertex of the offset keeps at least d from the square.
    for (Point p : grown)
        CHECK(distance_to(square(side), p) >= d * (1 - 1e-9));
}

TEST_CASE("offset of a concave outline keeps the distance everywhere")
{
    double d = 1.5;
    Ring grown = offset_outer(ell(), d);
    REQUIRE(signed_area(grown) > 0);
    for (Point p : grown) {
        double gap = distance_to(ell(), p);
        CHECK(gap >= d * (1 - 1e-9));
        CHECK(gap <= d * 1.02);
    }

    // At the inner corner (4, 4) the two offset edges meet at
    // (4 + d, 4 + d); the outer corner (10, 10) is cut by a round arc.
    CHECK(point_in_ring({4 + d * 0.98, 4 + d * 0.98}, grown));
    CHECK_FALSE(point_in_ring({4 + d * 1.05, 4 + d * 1.05}, grown));
    CHECK(point_in_ring({10 + d * 0.69, 4 + d * 0.69}, grown));
    CHECK_FALSE(point_in_ring({10 + d * 0.75, 4 + d * 0.75}, grown));
}

TEST_CASE("simplification only grows an outline")
{
    Ring wavy;
    for (int k = 0; k < 200; ++k) {
        double a = 2 * std::numbers::pi * k / 200;
        double r = 10 + 0.01 * std::sin(17 * a);
        wavy.push_back({r * std::cos(a), r * std::sin(a)});
    }
    Ring simple = simplify_outward(wavy, 0.05);
    CHECK(simple.size() < wavy.size());
    for (Point p : wavy)
        CHECK(point_in_ring(p, simple));
}

TEST_CASE("notch filling closes shallow notches and keeps deep ones")
{
    // A 10 x 10 square with three notches 0.01 deep in its bottom edge
    // (0.001 of area each) and one 5 deep in its top edge (area 10).
    Ring ring = {{0, 0}};
    for (double x : {2.0, 5.0, 8.0}) {
        ring.push_back({x - 0.1, 0});
        ring.push_back({x, 0.01});
        ring.push_back({x + 0.1, 0});
    }
    ring.insert(ring.end(), {{10, 0}, {10, 10}, {7, 10}, {5, 5}, {3, 10},
                             {0, 10}});
    double budget = 0.001 * signed_area(ring);
    Ring filled = fill_notches(ring, budget);
    CHECK(filled.size() == ring.size() - 3);
    double added = signed_area(filled) - signed_area(ring);
    CHECK(added == Approx(0.003));
    CHECK(added <= budget);
    // The filled ring holds the old one.
    CHECK(overlap_area(ring, filled) == Approx(signed_area(ring)));
    CHECK(std::find_if(filled.begin(), filled.end(), [](Point p) {
              return p.x == 5 && p.y == 5;
          }) != filled.end());  // the deep notch stays
    CHECK(convex_pieces(filled).size() < convex_pieces(ring).size());
    CHECK(fill_notches(ring, 0).size() == ring.size());
}

// Every piece convex and CCW, and their areas add up to the ring's.
void check_convex_cover(const Ring& ring, const std::vector<Ring>& pieces)
{
    double total = 0;
    for (const Ring& piece : pieces) {
        total += signed_area(piece);
        for (size_t i = 0; i < piece.size(); ++i) {
            Point a = piece[i], b = piece[(i + 1) % piece.size()],
                  c = piece[(i + 2) % piece.size()];
            CHECK(cross(b - a, c - b) >= 0);
        }
    }
    CHECK(total == Approx(signed_area(ring)));
}

TEST_CASE("convex pieces cover a concave ring exactly")
{
    std::vector<Ring> pieces = convex_pieces(ell());
    CHECK(pieces.size() == 2);
    check_convex_cover(ell(), pieces);
}

TEST_CASE("convex pieces cut between reflex corners: a plus in three")
{
    // Four reflex corners; two cuts, each joining two of them, leave the
    // bar across and the two arms.
    Ring plus = {{1, 0}, {2, 0}, {2, 1}, {3, 1}, {3, 2}, {2, 2},
                 {2, 3}, {1, 3}, {1, 2}, {0, 2}, {0, 1}, {1, 1}};
    std::vector<Ring> pieces = convex_pieces(plus);
    CHECK(pieces.size() == 3);
    check_convex_cover(plus, pieces);
}

TEST_CASE("convex pieces of a comb: a piece a tooth and the spine")
{
    // Four teeth on a spine, six reflex corners: the cuts across the two
    // inner teeth each join two of them.
    Ring comb = {{0, 0}, {7, 0}, {7, 3}, {6, 3}, {6, 1}, {5, 1},
                 {5, 3}, {4, 3}, {4, 1}, {3, 1}, {3, 3}, {2, 3},
                 {2, 1}, {1, 1}, {1, 3}, {0, 3}};
    REQUIRE(signed_area(comb) == Approx(15));
    std::vector<Ring> pieces = convex_pieces(comb);
    CHECK(pieces.size() == 5);
    check_convex_cover(comb, pieces);
}

TEST_CASE("no-fit polygons by merged edges equal the hull of all differences")
{
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> at(-10, 10);
    auto random_convex = [&](int points) {
        std::vector<Point> cloud;
        for (int k = 0; k < points; ++k)
            cloud.push_back({at(rng), at(rng)});
        return convex_hull(cloud);
    };
    for (int trial = 0; trial < 50; ++trial) {
        Ring a = random_convex(3 + trial % 9), b = random_convex(3 + trial % 7);
        std::vector<Point> differences;
        for (Point pa : a)
            for (Point pb : b)
                differences.push_back(pa - pb);
        Ring expected = convex_hull(differences);
        Ring nfp = convex_nfp(a, b);
        CHECK(signed_area(nfp) == Approx(signed_area(expected)));
        CHECK(nfp.size() == expected.size());
        for (Point p : expected) {
            bool found = false;
            for (Point q : nfp)
                found = found || (std::abs(p.x - q.x) < 1e-9 &&
                                  std::abs(p.y - q.y) < 1e-9);
            CHECK(found);
        }
    }
}

TEST_CASE("no-fit polygon of two squares is the summed square")
{
    Ring nfp = convex_nfp(square(3), square(2));
    CHECK(std::abs(signed_area(nfp)) == Approx(25));
    Box b = bounds(nfp);
    CHECK(b.x_min == Approx(-2));
    CHECK(b.x_max == Approx(3));
    CHECK(b.y_min == Approx(-2));
    CHECK(b.y_max == Approx(3));
}

TEST_CASE("overlap area and boundary distance")
{
    Ring a = square(10), b = translate(square(10), {5, 5});
    CHECK(overlap_area(a, b) == Approx(25));
    CHECK(overlap_area(a, translate(square(10), {10, 0})) == Approx(0));
    CHECK(boundary_distance(a, translate(square(10), {13, 0})) ==
          Approx(3));
    CHECK(boundary_distance(a, b) == 0);
}

TEST_CASE("convex pieces of a ring with holes cover it less the holes")
{
    Ring outer = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    std::vector<Ring> holes = {{{2, 2}, {2, 5}, {5, 5}, {5, 2}},
                               {{6, 4}, {6, 8}, {8, 8}, {8, 4}}};
    double sum = 0;
    for (const Ring& piece : convex_pieces(outer, holes)) {
        CHECK(signed_area(piece) > 0);
        sum += signed_area(piece);
        for (const Ring& h : holes) {
            Ring ccw(h.rbegin(), h.rend());
            CHECK(overlap_area(piece, ccw) == Approx(0).margin(1e-9));
        }
    }
    CHECK(sum == Approx(100 - 9 - 8));
}

TEST_CASE("a shrunk hole keeps the distance to its edge")
{
    Ring hole = {{0, 0}, {0, 6}, {6, 6}, {6, 0}};
    std::vector<Ring> shrunk = shrink_hole(hole, 1);
    REQUIRE(shrunk.size() == 1);
    CHECK(signed_area(shrunk[0]) < 0);
    Box b = bounds(shrunk[0]);
    CHECK(b.x_min >= 1 - 1e-9);
    CHECK(b.x_max <= 5 + 1e-9);
    CHECK(b.width() == Approx(4).epsilon(0.02));
    CHECK(shrink_hole(hole, 3.5).empty());
}
