// SPDX-License-Identifier: AGPL-3.0-or-later
// Overlap minimisation: a loose strip shortens to the optimum, soundly.
#include "core/nest/crew.hpp"
#include "core/nest/separate.hpp"
#include "core/nest/nester.hpp"
#include "core/nest/validate.hpp"
#include "tests/nest/nest_fixtures.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <utility>

using namespace ripline::nest;
using namespace ripline::nest::test;

namespace {

Ring square(double side)
{
    return {{0, 0}, {side, 0}, {side, side}, {0, side}};
}

// Four 1 x 1 squares in a column on a strip 2 wide: length 4, optimum 2.
struct Column {
    ShapeProblem problem;
    PieceLibrary lib;
    std::vector<std::vector<int>> orients;
    StripLayout start;

    Column()
    {
        problem.width = 2;
        lib.scale = 4;
        for (int k = 0; k < 4; ++k) {
            ShapeItem item;
            item.area = 1;
            item.options.push_back({{square(1)}, 0, {}});
            problem.items.push_back(item);
            orients.push_back({lib.add(item.options.front())});
            start.option.push_back(0);
            start.t.push_back({0, double(k)});
        }
        lib.seal();
        start.length = 4;
    }
};

// Eight L shapes in four rotations on a roll 30 wide.
Problem ells()
{
    Part ell;
    ell.id = "l";
    ell.outline.outer = {{0, 0}, {10, 0}, {10, 4}, {4, 4}, {4, 10}, {0, 10}};
    ell.quantity = 8;
    ell.rotations_deg = {0, 90, 180, 270};
    return roll(30, {ell});
}

// Where the vertical line x cuts a convex ring, by a walk over every
// edge: what the bisection on a no-fit polygon's chains must agree with.
bool walk_span(const Ring& convex, double x, double& lo, double& hi)
{
    lo = INFINITY;
    hi = -INFINITY;
    for (size_t i = 0, n = convex.size(); i < n; ++i) {
        Point a = convex[i], b = convex[(i + 1) % n];
        if ((a.x < x && b.x < x) || (a.x > x && b.x > x))
            continue;
        if (a.x == b.x) {
            lo = std::min({lo, a.y, b.y});
            hi = std::max({hi, a.y, b.y});
            continue;
        }
        double y = a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x);
        lo = std::min(lo, y);
        hi = std::max(hi, y);
    }
    return lo <= hi;
}

bool overlap_free(const StripLayout& l)
{
    for (size_t i = 0; i < l.t.size(); ++i)
        for (size_t j = i + 1; j < l.t.size(); ++j)
            if (std::abs(l.t[i].x - l.t[j].x) < 1 - 1e-6 &&
                std::abs(l.t[i].y - l.t[j].y) < 1 - 1e-6)
                return false;
    return true;
}

}  // namespace

TEST_CASE("overlap minimisation closes a column of squares into a block")
{
    Column c;
    Budget budget(0, 3000);
    StripLayout l =
        shorten_strip(c.problem, c.lib, c.orients, c.start, budget, 1);
    CHECK(overlap_free(l));
    CHECK(l.length == Approx(2).epsilon(0.002));
    for (Point t : l.t) {
        CHECK(t.x >= -1e-9);
        CHECK(t.x <= 1 + 1e-9);
        CHECK(t.y >= -1e-9);
    }
}

TEST_CASE("overlap minimisation moves the parts around a pinned one")
{
    // The column of four squares and a fifth pinned at (1, 1): three
    // rows at best (two squares, the pin and a square, one square).
    Column c;
    ShapeItem pin = c.problem.items.front();
    c.problem.items.push_back(pin);
    c.orients.push_back(c.orients.front());
    c.problem.pinned_items = 1;
    c.start.option.push_back(0);
    c.start.t.push_back({1, 1});
    Budget budget(0, 3000);
    StripLayout l =
        shorten_strip(c.problem, c.lib, c.orients, c.start, budget, 1);
    CHECK(l.t.back().x == 1);
    CHECK(l.t.back().y == 1);
    CHECK(overlap_free(l));
    CHECK(l.length == Approx(3).epsilon(0.002));
}

TEST_CASE("a part the strip only takes turned stays turned")
{
    // A 3 x 1 bar on a strip 2 wide fits only upright; with three unit
    // squares stacked beside and above it (length 6) the search closes
    // the strip without ever laying the bar across the edge.
    ShapeProblem problem;
    problem.width = 2;
    StripLayout start;
    for (int k = 0; k < 3; ++k) {
        problem.items.push_back({{{{square(1)}, 0, {}}}, 1});
        start.option.push_back(0);
        start.t.push_back({1, double(k + 3)});
    }
    ShapeItem bar;
    bar.area = 3;
    bar.options.push_back({{{{0, 0}, {3, 0}, {3, 1}, {0, 1}}}, 0, {}});
    bar.options.push_back({{{{0, 0}, {1, 0}, {1, 3}, {0, 3}}}, 1, {}});
    problem.items.push_back(bar);
    start.option.push_back(1);
    start.t.push_back({0, 0});
    start.length = 6;

    PieceLibrary lib;
    lib.scale = 6;
    std::vector<std::vector<int>> orients;
    for (const ShapeItem& item : problem.items) {
        orients.emplace_back();
        for (const ShapeOrientation& o : item.options)
            orients.back().push_back(lib.add(o));
    }
    lib.seal();
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        Budget budget(0, 2000);
        StripLayout l = shorten_strip(problem, lib, orients, start, budget,
                                      seed);
        CHECK(l.length < 6);
        for (size_t i = 0; i < l.t.size(); ++i) {
            const Box& b = lib.orient(orients[i][size_t(l.option[i])]).box;
            CHECK(l.t[i].x + b.x_min >= -1e-9);
            CHECK(l.t[i].x + b.x_max <= 2 + 1e-9);
        }
    }
}

namespace {

// Unit squares on 2 x 2 sheets, each to a sheet of its own to start
// with (`on_sheets` of them; the rest left out), and unit squares pinned
// at `pins`: sheet and corner.
struct Sheets {
    ShapeProblem problem;
    PieceLibrary lib;
    std::vector<std::vector<int>> orients;
    std::vector<int> fixed;  // the pins' library ids
    SheetLayout start;

    Sheets(int squares, int on_sheets,
           const std::vector<std::pair<int, Point>>& pins = {})
    {
        for (auto [sheet, at] : pins) {
            Ring ring = square(1);
            for (Point& v : ring)
                v = v + at;
            problem.fixed.push_back({sheet, {{ring}, 0, {}}, {0, 0}});
            fixed.push_back(lib.add(problem.fixed.back().shape));
        }
        problem.width = 2;
        problem.length = 2;
        problem.strip = false;
        lib.scale = 2;
        for (int k = 0; k < squares; ++k) {
            ShapeItem item;
            item.area = 1;
            item.options.push_back({{square(1)}, 0, {}});
            problem.items.push_back(item);
            orients.push_back({lib.add(item.options.front())});
            start.sheet.push_back(k < on_sheets ? k : -1);
            start.option.push_back(0);
            start.t.push_back({0, 0});
        }
        lib.seal();
    }
};

// Squares per sheet, after checking each lies inside its sheet and
// apart from the others there.
std::vector<int> per_sheet(const SheetLayout& l)
{
    std::vector<int> count;
    for (size_t i = 0; i < l.sheet.size(); ++i) {
        REQUIRE(l.sheet[i] >= 0);
        if (count.size() <= size_t(l.sheet[i]))
            count.resize(size_t(l.sheet[i]) + 1, 0);
        ++count[size_t(l.sheet[i])];
        CHECK(l.t[i].x >= -1e-9);
        CHECK(l.t[i].x <= 1 + 1e-9);
        CHECK(l.t[i].y >= -1e-9);
        CHECK(l.t[i].y <= 1 + 1e-9);
        for (size_t j = 0; j < i; ++j)
            if (l.sheet[j] == l.sheet[i])
                CHECK_FALSE((std::abs(l.t[i].x - l.t[j].x) < 1 - 1e-6 &&
                             std::abs(l.t[i].y - l.t[j].y) < 1 - 1e-6));
    }
    return count;
}

}  // namespace

TEST_CASE("the sheet search empties sheets onto the others")
{
    // Eight squares, one to a sheet: four to a sheet is the optimum.
    Sheets s(8, 8);
    Budget budget(0, 20000);
    SheetLayout l =
        empty_sheets(s.problem, s.lib, s.orients, s.fixed, s.start,
                     budget, 1);
    CHECK(per_sheet(l) == std::vector<int>{4, 4});
    CHECK(l.spread(s.problem) < s.start.spread(s.problem));
    CHECK(budget.evaluations() < 20000);  // it stopped at the optimum
}

TEST_CASE("the sheet search finds room for parts left out")
{
    // Two squares left out, the others one to a sheet on 2 sheets: all
    // eight fit on them.
    Sheets s(8, 2);
    s.start.sheet = {0, 1, 0, 1, 0, 1, -1, -1};
    s.start.t = {{0, 0}, {0, 0}, {1, 0}, {1, 0}, {0, 1}, {0, 1}, {}, {}};
    Budget budget(0, 20000);
    SheetLayout l =
        empty_sheets(s.problem, s.lib, s.orients, s.fixed, s.start,
                     budget, 1);
    CHECK(per_sheet(l) == std::vector<int>{4, 4});
}

TEST_CASE("the sheet search moves parts around the pins")
{
    // Seven squares, one to a sheet, and an eighth pinned at (1, 1) on
    // sheet 0: three squares go round the pin, four fill sheet 1.
    Sheets s(7, 7, {{0, {1, 1}}});
    Budget budget(0, 20000);
    SheetLayout l = empty_sheets(s.problem, s.lib, s.orients, s.fixed,
                                 s.start, budget, 1);
    CHECK(per_sheet(l) == std::vector<int>{3, 4});
    for (size_t i = 0; i < l.sheet.size(); ++i)
        if (l.sheet[i] == 0)
            CHECK_FALSE((std::abs(l.t[i].x - 1) < 1 - 1e-6 &&
                         std::abs(l.t[i].y - 1) < 1 - 1e-6));
}

TEST_CASE("overlap minimisation repeats with the same seed")
{
    Column a, b;
    Budget budget_a(0, 500), budget_b(0, 500);
    StripLayout la =
        shorten_strip(a.problem, a.lib, a.orients, a.start, budget_a, 7);
    StripLayout lb =
        shorten_strip(b.problem, b.lib, b.orients, b.start, budget_b, 7);
    REQUIRE(la.t.size() == lb.t.size());
    for (size_t i = 0; i < la.t.size(); ++i) {
        CHECK(la.t[i].x == lb.t[i].x);
        CHECK(la.t[i].y == lb.t[i].y);
    }
}

TEST_CASE("the overlap search never leaves a longer or unsound nest")
{
    // L shapes: the search may only improve the start.
    Problem p = ells();
    NestOptions on = counted(400);
    NestOptions off = on;
    off.overlap_search = false;
    off.max_evaluations = 40;  // the sequence search's share of 400
    NestResult with = nest(p, on);
    NestResult without = nest(p, off);
    CHECK(check_nest(p, on, with).empty());
    CHECK(with.unplaced.empty());
    CHECK(with.used_length <= without.used_length + 1e-9);
}

TEST_CASE("parts of many pieces start from their hulls and close up")
{
    // Combs of ten teeth, eleven convex pieces each, so the strip starts
    // from their hulls (19 x 4 boxes, one above the other: length 24);
    // turned half the time, a comb's teeth fit into another's gaps.
    Part comb;
    comb.id = "comb";
    comb.outline.outer = {{0, 0}, {19, 0}};
    for (int tooth = 9; tooth >= 0; --tooth) {
        double x = 2.0 * tooth;  // the tooth spans x .. x + 1
        comb.outline.outer.push_back({x + 1, 4});
        comb.outline.outer.push_back({x, 4});
        if (tooth > 0) {
            comb.outline.outer.push_back({x, 1});
            comb.outline.outer.push_back({x - 1, 1});
        }
    }
    REQUIRE(signed_area(comb.outline.outer) == Approx(19 + 10 * 3));
    REQUIRE(convex_pieces(comb.outline.outer).size() > 8);
    comb.quantity = 6;
    comb.rotations_deg = {0, 180};
    Problem p = roll(20, {comb});
    NestOptions o = counted(3000);
    NestResult r = nest(p, o);
    CHECK(check_nest(p, o, r).empty());
    CHECK(r.unplaced.empty());
    CHECK(r.used_length < 24 - 1);
}

TEST_CASE("a crew runs every member once per job")
{
    for (int size : {1, 2, 5}) {
        Crew crew(size);
        REQUIRE(crew.size() == size);
        std::vector<std::atomic<int>> runs(static_cast<size_t>(size));
        for (int job = 0; job < 200; ++job)
            crew.run([&](int k) { runs[size_t(k)].fetch_add(1); });
        for (const std::atomic<int>& r : runs)
            CHECK(r.load() == 200);
    }
    CHECK(crew_size(3) == 3);
    CHECK(crew_size(0) >= 1);
    CHECK(crew_size(0) <= 4);
}

TEST_CASE("searches meet to trade results and stop waiting for one that left")
{
    // Three searches meet once; the third then leaves, and the other two
    // meet again without it. A result is a length and whose it is.
    using Result = std::pair<double, size_t>;
    Meeting<Result> meeting(3);
    auto shorter = [](const Result& a, const Result& b) {
        return a.first < b.first;
    };
    std::vector<Result> first(3), second(3);
    std::vector<std::thread> searches;
    for (size_t k = 0; k < 3; ++k) {
        searches.emplace_back([&, k] {
            first[k] = meeting.meet(k, 0, {10.0 - double(k), k}, shorter);
            if (k < 2)  // equally short: each keeps its own
                second[k] = meeting.meet(k, 1, {20.0, k}, shorter);
            meeting.leave(k);
        });
    }
    for (std::thread& t : searches)
        t.join();
    for (size_t k = 0; k < 3; ++k)
        CHECK(first[k] == Result{8.0, 2});
    CHECK(second[0] == Result{20.0, 0});
    CHECK(second[1] == Result{20.0, 1});
}

TEST_CASE("the overlap search on several threads repeats with a seed")
{
    // More threads than this machine may have cores: each search is the
    // same, only slower.
    Problem p = ells();
    NestOptions o = counted(600, 3);
    o.threads = 3;
    NestResult a = nest(p, o);
    NestResult b = nest(p, o);
    CHECK(check_nest(p, o, a).empty());
    CHECK(a.unplaced.empty());
    CHECK(placements_text(a) == placements_text(b));
    CHECK(a.used_length == b.used_length);

    // One thread runs the first of those searches alone, meeting none:
    // as sound.
    o.threads = 1;
    NestResult c = nest(p, o);
    CHECK(check_nest(p, o, c).empty());
    CHECK(c.unplaced.empty());
}

TEST_CASE("the exit move takes a translation onto the no-fit edge")
{
    // Two unit squares: B overlaps A while B's translation is inside
    // the square (-1, -1)..(1, 1).
    PieceLibrary lib;
    int a = lib.add({{square(1)}, 0, {}});
    lib.seal();
    int piece = lib.orient(a).pieces.front();
    const Nfp& nfp = lib.nfp(piece, piece);
    Point move;
    CHECK(penetration(nfp, {0.8, 0.1}) == Approx(0.2));
    REQUIRE(exit_move(nfp, {0.8, 0.1}, move) == Approx(0.2));
    CHECK(move.x == Approx(0.2));
    CHECK(move.y == Approx(0).margin(1e-12));
    REQUIRE(exit_move(nfp, {-0.3, -0.9}, move) == Approx(0.1));
    CHECK(move.x == Approx(0).margin(1e-12));
    CHECK(move.y == Approx(-0.1));
    CHECK(penetration(nfp, {1.0, 0.5}) == 0);  // touching
    CHECK(exit_move(nfp, {1.5, 0.5}, move) == 0);
}

TEST_CASE("a piece is as thick as the circle that touches its edges")
{
    // Twice the area over the perimeter. The root measure weighs a pair
    // of pieces' depth by the thinner one, over the thinner part's
    // thickest piece, so a sliver weighs little.
    PieceLibrary lib;
    int sq = lib.add({{square(2)}, 0, {}});
    int sliver = lib.add({{{{0, 0}, {10, 0}, {10, 0.2}, {0, 0.2}}}, 0, {}});
    int triangle = lib.add({{{{0, 0}, {2, 0}, {1, std::sqrt(3.0)}}}, 0, {}});
    auto thickness = [&](int orient) {
        REQUIRE(lib.orient(orient).pieces.size() == 1);
        return lib.piece(lib.orient(orient).pieces[0]).thickness;
    };
    CHECK(thickness(sq) == Approx(1));
    CHECK(thickness(sliver) == Approx(4.0 / 20.4));
    CHECK(thickness(triangle) == Approx(1 / std::sqrt(3.0)));
    CHECK(lib.orient(sq).thickest == Approx(1));
    CHECK(lib.piece(lib.orient(sq).hull).thickness == Approx(1));

    // An ell of arms 1 wide in two pieces: the thicker one is its
    // thickness, and neither is as thick as the 2 x 2 square.
    int ell = lib.add({{{{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 3}, {0, 3}}},
                       0, {}});
    const std::vector<int>& pieces = lib.orient(ell).pieces;
    REQUIRE(pieces.size() == 2);
    double thicker = std::max(lib.piece(pieces[0]).thickness,
                              lib.piece(pieces[1]).thickness);
    CHECK(lib.orient(ell).thickest == thicker);
    CHECK(thicker > 0.5);
    CHECK(thicker < 1);
}

namespace {

// A triangle and an irregular hexagon into `lib`: their orientations.
std::pair<int, int> add_triangle_and_hexagon(PieceLibrary& lib)
{
    int tri = lib.add({{{{0, 0}, {2, 0.5}, {0.7, 1.6}}}, 0, {}});
    int hex = lib.add({{{{0, 0}, {1.5, -0.4}, {3, 0.2}, {3.2, 1.4},
                         {1.2, 2.5}, {-0.3, 1.1}}},
                       0, {}});
    return {tri, hex};
}

}  // namespace

TEST_CASE("the packed depth is the no-fit polygon's, to the bit")
{
    // An irregular hexagon against a triangle and against itself: no-fit
    // polygons of 6 to 9 edges, so blocks of four end part filled. On a
    // grid of points over their boxes, inside, outside and on edges, the
    // SIMD depth equals the scalar one exactly: counted nests repeat on
    // every target.
    PieceLibrary lib;
    auto [tri, hex] = add_triangle_and_hexagon(lib);
    lib.seal();
    int a = lib.orient(hex).pieces[0];
    int inside = 0;
    for (int b : {lib.orient(tri).pieces[0], a}) {
        const Nfp& nfp = lib.nfp(a, b);
        for (int i = 0; i <= 40; ++i)
            for (int j = 0; j <= 40; ++j) {
                Point t{nfp.box.x_min + nfp.box.width() * i / 40,
                        nfp.box.y_min + nfp.box.height() * j / 40};
                double want = penetration(nfp, t);
                inside += want > 0;
                REQUIRE(lib.depth(a, b, t) == want);
            }
    }
    CHECK(inside > 400);
}

TEST_CASE("a trimmed no-fit cache gives the same depths")
{
    // A unit square against an ell, through the flat tables: the cache
    // forgets everything past its limit and makes the polygons again.
    PieceLibrary lib;
    int sq = lib.add({{square(1)}, 0, {}});
    int ell = lib.add({{{{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 3}, {0, 3}}},
                       0, {}});
    lib.seal();
    auto depths = [&] {
        std::vector<double> out;
        for (int placed : lib.orient(ell).pieces)
            for (Point t : {Point{0.5, 0.5}, Point{2.2, 0.1}, Point{0.1, 2.5}})
                out.push_back(lib.depth(placed, lib.orient(sq).pieces[0], t));
        return out;
    };
    std::vector<double> before = depths();
    CHECK(*std::max_element(before.begin(), before.end()) > 0);
    lib.cache_bytes = 1;
    lib.trim();
    CHECK(depths() == before);
    lib.trim();
    CHECK(lib.nfp(lib.orient(ell).pieces[0], lib.orient(sq).pieces[0])
              .edges.size() >= 4);
}

TEST_CASE("a no-fit polygon's chains give the spans a walk round it gives")
{
    // A triangle against an irregular hexagon, and two squares (whose
    // no-fit polygon has vertical edges at both ends): on lines across
    // each, through vertices and between them, the bisection finds the
    // same lowest and highest y as the walk over every edge.
    PieceLibrary lib;
    auto [tri, hex] = add_triangle_and_hexagon(lib);
    int sq = lib.add({{square(1)}, 0, {}});
    lib.seal();
    auto piece = [&](int o) { return lib.orient(o).pieces.front(); };
    for (auto [placed, moving] : {std::pair{hex, tri}, std::pair{tri, hex},
                                  std::pair{sq, sq}}) {
        const Nfp& nfp = lib.nfp(piece(placed), piece(moving));
        std::vector<double> xs;
        for (Point v : nfp.ring)
            xs.push_back(v.x);
        for (int k = 0; k <= 40; ++k)
            xs.push_back(nfp.box.x_min + nfp.box.width() * k / 40.0);
        int inside = 0;
        for (double x : xs) {
            double lo, hi, walk_lo, walk_hi;
            bool strictly = x > nfp.box.x_min && x < nfp.box.x_max;
            REQUIRE(vertical_span(nfp, x, lo, hi) == strictly);
            if (!strictly)
                continue;
            ++inside;
            REQUIRE(walk_span(nfp.ring, x, walk_lo, walk_hi));
            CHECK(lo == Approx(walk_lo).margin(1e-12));
            CHECK(hi == Approx(walk_hi).margin(1e-12));
            CHECK(lo < hi);
        }
        CHECK(inside >= 39);
    }
}
