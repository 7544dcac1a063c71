// SPDX-License-Identifier: AGPL-3.0-or-later
// Rectangles on rolls and sheets: optima, spacing, pins, groups, seeds.
#include "core/nest/io.hpp"
#include "core/nest/nester.hpp"
#include "core/nest/validate.hpp"
#include "tests/nest/nest_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace ripline::nest;
using namespace ripline::nest::test;

namespace {

NestResult checked(const Problem& problem, const NestOptions& options)
{
    NestResult r = nest(problem, options);
    std::vector<std::string> faults = check_nest(problem, options, r);
    INFO((faults.empty() ? std::string() : faults.front()));
    REQUIRE(faults.empty());
    return r;
}

}  // namespace

TEST_CASE("a perfect rectangle packing is found")
{
    // 20 x 10 exactly: 20x4 on top of 12x6 beside 8x6.
    Problem p = roll(20, {rect_part("a", 12, 6), rect_part("b", 20, 4),
                          rect_part("c", 8, 6)});
    NestResult r = checked(p, counted(200));
    CHECK(r.used_length == Approx(10));
    CHECK(r.efficiency == Approx(1));
}

TEST_CASE("rotation by 90 degrees is used when allowed, not otherwise")
{
    // Four 5 x 20 strips on a 20 wide roll: stood up they need 20, laid
    // down (rotated) they stack to 20 as well; three of them 10 x 20
    // only fit rotated: 20 wide, 30 long.
    Problem p = roll(20, {rect_part("a", 10, 20, 3, {0, 90})});
    NestResult r = checked(p, counted(200));
    CHECK(r.used_length == Approx(30));

    Problem fixed = roll(20, {rect_part("a", 10, 20, 3, {0})});
    NestResult f = checked(fixed, counted(200));
    CHECK(f.used_length == Approx(40));
    for (const Placement& pl : f.placements)
        CHECK(pl.pose.rotation_deg == 0);
}

TEST_CASE("spacing and margin are kept around rectangles")
{
    // Two 10 x 10 side by side need 1 + 10 + 2 + 10 + 1 = 24 across.
    NestOptions o = counted(100);
    o.spacing = 2;
    o.margin = 1;
    NestResult r = checked(roll(24, {rect_part("a", 10, 10, 2)}), o);
    CHECK(r.used_length == Approx(12));

    // One unit narrower and they must go one after the other.
    NestResult r2 = checked(roll(23.5, {rect_part("a", 10, 10, 2)}), o);
    CHECK(r2.used_length == Approx(1 + 10 + 2 + 10 + 1));
}

TEST_CASE("bleed grows the printed area the spacing is measured from")
{
    NestOptions o = counted(100);
    o.bleed = 1;
    // Printed 12 x 12 each: two fit across 24.
    NestResult r = checked(roll(24, {rect_part("a", 10, 10, 2)}), o);
    CHECK(r.used_length == Approx(12));
    for (const Placement& pl : r.placements)
        CHECK(pl.pose.translation.y == Approx(1));
}

TEST_CASE("sheets: the fewest sheets for squares")
{
    Problem p = roll(20, {rect_part("a", 10, 10, 9)});
    p.media.kind = Media::Kind::sheet;
    p.media.length = 20;
    NestResult r = checked(p, counted(200));
    CHECK(r.sheet_count == 3);
    CHECK(r.unplaced.empty());

    // Two sheets at most: one copy stays out.
    p.media.max_sheets = 2;
    NestResult capped = checked(p, counted(200));
    CHECK(capped.sheet_count == 2);
    CHECK(capped.unplaced.size() == 1);
}

TEST_CASE("a part too large for the media is left out, with the reason")
{
    // 60 x 60 in neither rotation on 100 x 50 sheets; the squares fill
    // one sheet, so the search stops there instead of looking for room
    // the big part can never have.
    Problem p = roll(100, {rect_part("big", 60, 60, 1, {0, 90}),
                           rect_part("sq", 20, 20, 4)});
    p.media.kind = Media::Kind::sheet;
    p.media.length = 50;
    NestOptions o = counted(2000);
    o.margin = 2;
    NestResult r = checked(p, o);
    CHECK(r.placements.size() == 4);
    CHECK(r.sheet_count == 1);
    REQUIRE(r.unplaced.size() == 1);
    CHECK(r.unplaced[0].part_index == 0);
    CHECK_FALSE(r.unplaced[0].fits_media);
    CHECK(r.unplaced[0].reason ==
          "too large for the media: its printed area is 60 x 60 at 0 "
          "degrees (the closest of 2 rotations), and the media has 96 x 46 "
          "inside its margins");
    CHECK(r.evaluations < 2000);

    // Turned, a 40 x 60 part fits, one to a sheet; a copy left out for
    // want of sheets says so.
    p.parts = {rect_part("long", 40, 60, 2, {0, 90})};
    p.media.max_sheets = 1;
    r = checked(p, o);
    REQUIRE(r.unplaced.size() == 1);
    CHECK(r.unplaced[0].fits_media);
    CHECK(r.unplaced[0].reason == "no room left on the 1 sheets allowed");
}

TEST_CASE("pinned parts stay where they are pinned")
{
    Part pinned = rect_part("pin", 10, 10, 1);
    pinned.pins.push_back({{0, {5, 5}}, 0});
    Problem p = roll(30, {pinned, rect_part("a", 10, 10, 6)});
    NestResult r = checked(p, counted(300));
    bool seen = false;
    for (const Placement& pl : r.placements) {
        if (pl.part_id != "pin")
            continue;
        seen = true;
        CHECK(pl.pose.translation.x == 5);
        CHECK(pl.pose.translation.y == 5);
    }
    CHECK(seen);
}

TEST_CASE("a group is nested as one block")
{
    Part g1 = rect_part("g1", 4, 4, 3);
    Part g2 = rect_part("g2", 6, 2, 2);
    g1.group = g2.group = "order-7";
    Problem p = roll(30, {g1, g2, rect_part("x", 5, 3, 10, {0, 90})});
    NestResult r = checked(p, counted(300));

    // No other part enters the box around the group's parts.
    Box group{1e9, 1e9, -1e9, -1e9};
    for (const Placement& pl : r.placements) {
        if (pl.part_id == "x")
            continue;
        Box b = bounds(placed_outline(p.parts[size_t(pl.part_index)],
                                      pl.pose));
        group = {std::min(group.x_min, b.x_min),
                 std::min(group.y_min, b.y_min),
                 std::max(group.x_max, b.x_max),
                 std::max(group.y_max, b.y_max)};
    }
    for (const Placement& pl : r.placements) {
        if (pl.part_id != "x")
            continue;
        Box b = bounds(placed_outline(p.parts[size_t(pl.part_index)],
                                      pl.pose));
        bool apart = b.x_max <= group.x_min + 1e-9 ||
                     b.x_min >= group.x_max - 1e-9 ||
                     b.y_max <= group.y_min + 1e-9 ||
                     b.y_min >= group.y_max - 1e-9;
        CHECK(apart);
    }
}

TEST_CASE("the check finds every fault among thousands of parts")
{
    // 4000 squares of 10 on a roll 200 wide, 16 to a row, 2 apart (the
    // spacing): sound. Then two copies moved: one onto the last row's
    // first square, one to 1 from its left neighbour.
    Problem p = roll(200, {rect_part("sq", 10, 10, 4000)});
    NestOptions o = counted(1);
    o.spacing = 2;
    NestResult r;
    for (int k = 0; k < 4000; ++k) {
        Pose pose{0, {double(k % 16) * 12, double(k / 16) * 12}};
        r.placements.push_back({"sq", 0, k, 0, pose});
    }
    CHECK(check_nest(p, o, r).empty());

    r.placements[5].pose.translation = {0, 249 * 12 + 3};
    r.placements[9].pose.translation.x -= 1;
    std::vector<std::string> faults = check_nest(p, o, r);
    REQUIRE(faults.size() == 2);
    CHECK(faults[0] == "parts 'sq' copy 5 and 'sq' copy 3984 overlap by "
                       "70.000000");
    CHECK(faults[1] == "parts 'sq' copy 8 and 'sq' copy 9 are 1.000000 "
                       "apart, less than the spacing");

    // On sheets, copies on different sheets never meet: on sheet 1, copy
    // 5 overlaps no row 248 of sheet 0.
    p.media.kind = Media::Kind::sheet;
    p.media.length = 3000;
    r.placements[5].sheet = 1;
    r.placements[5].pose.translation = {0, 248 * 12 + 3};
    faults = check_nest(p, o, r);
    REQUIRE(faults.size() == 1);
    CHECK(faults[0].find("copy 8 and 'sq' copy 9") != std::string::npos);
}

TEST_CASE("the same seed and budget give the same nest")
{
    std::string path = std::string(RIPLINE_DATASETS_DIR) +
                       "/nesting/rect/HT2001a/10.json";
    Instance in = read_instance(path);
    NestResult a = nest(in.problem, counted(300, 7));
    NestResult b = nest(in.problem, counted(300, 7));
    CHECK(placements_text(a) == placements_text(b));
    CHECK(a.used_length == b.used_length);
}

TEST_CASE("Hopper and Turton instances: sound nests near the optimum")
{
    // Optimum lengths by class (item count picks the class; the files
    // swap the names of C2 and C3).
    for (int k = 1; k <= 21; k += 3) {
        std::string path = std::string(RIPLINE_DATASETS_DIR) +
                           "/nesting/rect/HT2001a/" + std::to_string(k) +
                           ".json";
        Instance in = read_instance(path);
        NestResult r = checked(in.problem, counted(400));
        double optimum = r.part_area / in.problem.media.width;
        INFO(in.problem.name);
        CHECK(r.used_length <= optimum * 1.1);
        CHECK(r.used_length >= optimum * (1 - 1e-9));
    }
}
