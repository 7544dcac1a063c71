// SPDX-License-Identifier: AGPL-3.0-or-later
// True shapes: exact small optima, spacing, holes, sheets, benchmarks.
#include "core/nest/io.hpp"
#include "core/nest/nester.hpp"
#include "core/nest/validate.hpp"
#include "tests/nest/nest_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace ripline::nest;
using namespace ripline::nest::test;

namespace {

Part triangle(const std::string& id, double leg, int quantity)
{
    Part p;
    p.id = id;
    p.outline.outer = {{0, 0}, {leg, 0}, {0, leg}};
    p.quantity = quantity;
    p.rotations_deg = {0, 180};
    return p;
}

Part ell(const std::string& id, int quantity)
{
    Part p;
    p.id = id;
    p.outline.outer = {{0, 0}, {10, 0}, {10, 4}, {4, 4}, {4, 10}, {0, 10}};
    p.quantity = quantity;
    p.rotations_deg = {0, 90, 180, 270};
    return p;
}

NestResult checked(const Problem& problem, const NestOptions& options)
{
    NestResult r = nest(problem, options);
    std::vector<std::string> faults = check_nest(problem, options, r);
    INFO((faults.empty() ? std::string() : faults.front()));
    REQUIRE(faults.empty());
    return r;
}

}  // namespace

TEST_CASE("two triangles close into a square")
{
    NestResult r = checked(roll(10, {triangle("t", 10, 2)}), counted(20));
    CHECK(r.engine == "shape");
    CHECK(r.used_length == Approx(10).epsilon(1e-6));
    CHECK(r.efficiency == Approx(1).epsilon(1e-6));
}

TEST_CASE("four triangles on square sheets take two sheets")
{
    Problem p = roll(10, {triangle("t", 10, 4)});
    p.media.kind = Media::Kind::sheet;
    p.media.length = 10.000001;
    NestResult r = checked(p, counted(20));
    CHECK(r.sheet_count == 2);
    CHECK(r.unplaced.empty());
}

TEST_CASE("a part turned upright never stands past the strip's end")
{
    // A 6 x 1 bar that may turn, eight unit squares and four triangles
    // (legs 2 and 1.5) on a roll 10 wide: 2 long at best, 2.005 found.
    // Turned upright, the bar would stand 6 tall past the end of a strip
    // 2 long, where the overlap search saw no overlap; it took that for a
    // fit, and the nest grew to 6.
    Part bar;
    bar.id = "bar";
    bar.outline.outer = {{0, 0}, {6, 0}, {6, 1}, {0, 1}};
    bar.rotations_deg = {0, 90};
    Part square;
    square.id = "sq";
    square.outline.outer = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    square.quantity = 8;
    Part tri = triangle("tri", 2, 4);
    tri.outline.outer = {{0, 0}, {2, 0}, {0, 1.5}};
    tri.rotations_deg = {0, 90, 180, 270};
    NestOptions o = counted(3000);
    o.mode = Mode::true_shape;
    for (std::uint64_t seed : {1, 2, 3}) {
        o.seed = seed;
        NestResult r = checked(roll(10, {bar, square, tri}), o);
        CHECK(r.unplaced.empty());
        CHECK(r.used_length < 2.1);
    }
}

TEST_CASE("true shapes keep the spacing and the margin")
{
    NestOptions o = counted(30);
    o.spacing = 1;
    o.margin = 2;
    NestResult r = checked(roll(40, {ell("l", 9), triangle("t", 6, 5)}), o);
    CHECK(r.unplaced.empty());
    CHECK(r.used_length > 0);

    // Interlocking L's need less than their boxes would.
    NestResult tight = checked(roll(14, {ell("l", 2)}), counted(30));
    CHECK(tight.used_length < 20);
}

TEST_CASE("holes stay empty without part-in-part")
{
    Part frame;
    frame.id = "frame";
    frame.outline.outer = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    frame.outline.holes = {{{2, 2}, {2, 8}, {8, 8}, {8, 2}}};
    frame.rotations_deg = {0};
    Problem p = roll(10, {frame, triangle("t", 2, 6)});
    NestResult r = checked(p, counted(20));

    // The frame spans the roll, so no triangle may share its stretch.
    Box f{};
    for (const Placement& pl : r.placements)
        if (pl.part_id == "frame")
            f = bounds(placed_outline(p.parts[0], pl.pose));
    REQUIRE(f.width() == Approx(10));
    for (const Placement& pl : r.placements) {
        if (pl.part_id != "t")
            continue;
        Box b = bounds(placed_outline(p.parts[1], pl.pose));
        bool inside_frame = b.y_min < f.y_max - 1e-9 &&
                            b.y_max > f.y_min + 1e-9;
        CHECK_FALSE(inside_frame);
    }
}

namespace {

// A 10 x 10 frame around a 6 x 6 hole, on a roll not much wider.
Problem frame_and_squares(double square, int quantity, double width)
{
    Part frame;
    frame.id = "frame";
    frame.outline.outer = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    frame.outline.holes = {{{2, 2}, {2, 8}, {8, 8}, {8, 2}}};
    frame.rotations_deg = {0};
    return roll(width, {frame, rect_part("sq", square, square, quantity)});
}

}  // namespace

TEST_CASE("part-in-part fills the hole of a frame")
{
    // Four 2.5 squares fit the 6 x 6 hole: the nest is the frame alone.
    Problem p = frame_and_squares(2.5, 4, 10);
    NestOptions o = counted(20);
    o.part_in_part = true;
    NestResult r = checked(p, o);
    CHECK(r.unplaced.empty());
    // The round joins of the spacing offset stand a hair off the edge.
    CHECK(r.used_length == Approx(10).epsilon(1e-3));

    // The same nest read with holes closed: every square overlaps.
    NestOptions closed = o;
    closed.part_in_part = false;
    std::vector<std::string> faults = check_nest(p, closed, r);
    CHECK(faults.size() == 4);
}

TEST_CASE("part-in-part keeps the spacing to the hole's edge")
{
    // 2 x 2 squares, 0.5 apart and from the edge: four take 5.5 of 6.
    Problem p = frame_and_squares(2, 4, 11);
    NestOptions o = counted(20);
    o.part_in_part = true;
    o.spacing = 0.5;
    NestResult r = checked(p, o);
    CHECK(r.unplaced.empty());
    // The round joins of the spacing offset stand a hair off the edge.
    CHECK(r.used_length == Approx(10).epsilon(1e-3));

    // At 1.5 the hole has 4.5 left for contours of 3.5: one square, not
    // two, so the others go past the frame.
    o.spacing = 1.5;
    NestResult wide = checked(p, o);
    CHECK(wide.unplaced.empty());
    CHECK(wide.used_length > 10);
}

TEST_CASE("a pinned shape keeps its pose")
{
    Part pinned = ell("pin", 1);
    pinned.pins.push_back({{90, {12, 3}}, 0});
    Problem p = roll(30, {pinned, ell("l", 6)});
    // The sequence search alone, and with the overlap search after it,
    // which moves the other parts around the pin.
    for (long evaluations : {20L, 3000L}) {
        NestResult r = checked(p, counted(evaluations));
        CHECK(r.unplaced.empty());
        for (const Placement& pl : r.placements) {
            if (pl.part_id != "pin")
                continue;
            CHECK(pl.pose.rotation_deg == 90);
            CHECK(pl.pose.translation.x == 12);
            CHECK(pl.pose.translation.y == 3);
        }
    }
}

namespace {

// Options whose time is out before the first part is placed.
NestOptions out_of_time()
{
    NestOptions o = counted(0);
    o.time_limit_s = 1e-9;
    return o;
}

}  // namespace

TEST_CASE("a nest out of time lays the parts left in rows of their boxes")
{
    // The time is out before the first part: every ell goes in a row of
    // 10 x 10 boxes, two to a row on a roll 25 wide.
    Problem p = roll(25, {ell("l", 6)});
    NestOptions o = out_of_time();
    NestResult r = checked(p, o);
    CHECK(r.engine == "shape");
    CHECK(r.unplaced.empty());
    CHECK(r.used_length == Approx(30));

    // The rows start above a pinned part.
    Part pinned = ell("pin", 1);
    pinned.pins.push_back({{0, {0, 5}}, 0});
    p.parts.push_back(pinned);
    r = checked(p, o);
    CHECK(r.unplaced.empty());
    CHECK(r.used_length == Approx(45));
}

TEST_CASE("rows out of time take the tallest parts first")
{
    // On a roll 20 wide, two 12 x 5 boxes and two triangles of 8 x 10
    // boxes, in the order of decreasing area. In that order the rows are
    // a box, a box and a triangle, a triangle: 5 + 10 + 10. Tallest first,
    // the triangles share a row and each box takes one: 10 + 5 + 5.
    Part tall;
    tall.id = "t";
    tall.outline.outer = {{0, 0}, {8, 0}, {0, 10}};
    tall.quantity = 2;
    Problem p = roll(20, {rect_part("r", 12, 5, 2), tall});
    NestOptions o = out_of_time();
    NestResult r = checked(p, o);
    CHECK(r.engine == "shape");
    CHECK(r.unplaced.empty());
    CHECK(r.used_length == Approx(20));
}

TEST_CASE("a sheet nest out of time lays the parts left in rows on sheets")
{
    // Ells of 10 x 10 boxes on 25 x 25 sheets: two to a row, two rows to
    // a sheet, so six take two sheets. With one sheet allowed, the two
    // that do not fit are left out. The placer, given the time, would fit
    // more to a sheet (two ells interlock in a 10 x 14 box).
    Problem p = roll(25, {ell("l", 6)});
    p.media.kind = Media::Kind::sheet;
    p.media.length = 25;
    NestOptions o = out_of_time();
    NestResult r = checked(p, o);
    CHECK(r.engine == "shape");
    CHECK(r.unplaced.empty());
    CHECK(r.sheet_count == 2);

    p.media.max_sheets = 1;
    r = checked(p, o);
    CHECK(r.sheet_count == 1);
    CHECK(r.placements.size() == 4);
    CHECK(r.unplaced.size() == 2);
}

TEST_CASE("shape nests repeat with the same seed")
{
    Problem p = roll(25, {ell("l", 6), triangle("t", 7, 6)});
    NestResult a = nest(p, counted(40, 3));
    NestResult b = nest(p, counted(40, 3));
    CHECK(placements_text(a) == placements_text(b));
    CHECK_FALSE(placements_text(a).empty());
}

TEST_CASE("ESICUP instances give sound nests")
{
    for (const char* name : {"shirts", "swim", "trousers", "jakobs1",
                             "albano", "mao", "fu"}) {
        std::string path = std::string(RIPLINE_DATASETS_DIR) +
                           "/nesting/esicup/" + name + ".json";
        Instance in = read_instance(path);
        NestResult r = checked(in.problem, counted(2));
        INFO(name);
        CHECK(r.unplaced.empty());
        CHECK(r.efficiency > 0.5);
        CHECK(r.efficiency <= 1);
    }
}
