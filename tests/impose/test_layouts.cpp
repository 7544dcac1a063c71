// SPDX-License-Identifier: AGPL-3.0-or-later
// Layouts without parts: single pages, copies, grids, tiles, fitting.
#include "core/common/error.hpp"
#include "tests/impose/helpers.hpp"

#include <catch2/catch.hpp>

using namespace ripline;
using namespace ripline::test;

TEST_CASE("single pages on a roll: roll width by page height plus margins")
{
    for (double dpi : {360.0, 720.0, 1440.0}) {
        INFO(dpi << " dpi");
        job::Job j = one_input_job();
        std::vector<impose::PageRef> pages = {page_mm(0, 0, 210, 297),
                                              page_mm(0, 1, 297, 420)};
        auto sheets = impose::impose(j, pages, roll_mm(1000, 5), dpi, dpi);
        REQUIRE(sheets.size() == 2);
        const impose::Sheet& s = sheets[0];
        CHECK(s.width_dots == std::lround(dots(1000, dpi)));
        CHECK(std::abs(s.height_dots - dots(297 + 10, dpi)) <= 1);
        REQUIRE(s.placements.size() == 1);
        const impose::Placement& p = s.placements[0];
        CHECK(p.page == 0);
        CHECK(p.page_to_sheet.a == Approx(dpi / 72));
        CHECK(p.page_to_sheet.d == Approx(dpi / 72));
        CHECK(std::abs(p.page_to_sheet.e - dots(5, dpi)) <= 1);
        CHECK(std::abs(p.page_to_sheet.f - dots(5, dpi)) <= 1);
        Pt corner = map(p.page_to_sheet, 297 * pt_per_mm / 1.4142, 0);
        CHECK(std::abs(corner.x - dots(5 + 210, dpi)) <= 1.5);
        CHECK(sheets[1].placements[0].page == 1);
    }
}

TEST_CASE("on sheet media the page is centred; anisotropic dpi works")
{
    job::Job j = one_input_job();
    auto sheets = impose::impose(j, {page_mm(0, 0, 100, 50)},
                                 sheet_mm(320, 450, 10), 720, 360);
    REQUIRE(sheets.size() == 1);
    const impose::Sheet& s = sheets[0];
    CHECK(s.width_dots == std::lround(dots(320, 720)));
    CHECK(s.height_dots == std::lround(dots(450, 360)));
    const impose::Placement& p = s.placements[0];
    CHECK(std::abs(p.trim_dots.x0 - dots(110, 720)) <= 1);
    CHECK(std::abs(p.trim_dots.y0 - dots(200, 360)) <= 1);
    CHECK(p.trim_dots.width() == Approx(dots(100, 720)));
    CHECK(p.trim_dots.height() == Approx(dots(50, 360)));
}

TEST_CASE("copies: the job's copies repeat the set, each input its own")
{
    job::Job j = one_input_job(3);
    j.copies = 2;
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 100, 100)}, roll_mm(500), 360, 360);
    REQUIRE(sheets.size() == 6);
    for (int i = 0; i < 6; ++i)
        CHECK(sheets[i].placements[0].copy == i);
}

TEST_CASE("a page wider than the media is an error naming page and sizes")
{
    job::Job j = one_input_job();
    try {
        impose::impose(j, {page_mm(0, 0, 1200, 100)}, roll_mm(1000, 5), 720,
                       720);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.status() == RL_ERROR_BAD_INPUT);
        CHECK(e.stage() == Stage::impose);
        CHECK_THAT(e.what(), Catch::Contains("page 1 of /data/art.pdf") &&
                                 Catch::Contains("1200.0 mm") &&
                                 Catch::Contains("990.0 mm"));
    }
}

TEST_CASE("auto-rotation turns a page that only fits turned")
{
    job::Job j = one_input_job();
    j.layout.auto_rotate = true;
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 1200, 800)}, roll_mm(1000), 360, 360);
    const impose::Placement& p = sheets[0].placements[0];
    CHECK(std::abs(p.trim_dots.width() - dots(800, 360)) <= 1);
    CHECK(std::abs(p.trim_dots.height() - dots(1200, 360)) <= 1);
    // Counter-clockwise: the page's top-left corner ends bottom-left.
    Pt corner = map(p.page_to_sheet, 0, 0);
    CHECK(std::abs(corner.x - p.trim_dots.x0) <= 1);
    CHECK(std::abs(corner.y - p.trim_dots.y1) <= 1);

    // On a roll a page that fits both ways is turned to use less length.
    auto saved =
        impose::impose(j, {page_mm(0, 0, 300, 900)}, roll_mm(1000), 360, 360);
    CHECK(std::abs(saved[0].height_dots - dots(300, 360)) <= 1);
}

TEST_CASE("fit to media scales the page to the printable width")
{
    job::Job j = one_input_job();
    j.layout.fit_to_media = true;
    auto sheets = impose::impose(j, {page_mm(0, 0, 2000, 1000)},
                                 roll_mm(1000, 5), 720, 720);
    const impose::Placement& p = sheets[0].placements[0];
    CHECK(std::abs(p.trim_dots.width() - dots(990, 720)) <= 1);
    CHECK(std::abs(p.trim_dots.height() - dots(495, 720)) <= 1);
}

TEST_CASE("rotation, scale and mirror of the whole layout")
{
    job::Job j = one_input_job();
    j.layout.transform = {180, 0.5, true};
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 200, 100)}, roll_mm(1000), 720, 720);
    const impose::Placement& p = sheets[0].placements[0];
    CHECK(std::abs(p.trim_dots.width() - dots(100, 720)) <= 1);
    // Mirror then 180 degrees: the top-left corner ends bottom-left.
    Pt corner = map(p.page_to_sheet, 0, 0);
    CHECK(std::abs(corner.x - p.trim_dots.x0) <= 1);
    CHECK(std::abs(corner.y - p.trim_dots.y1) <= 1);

    j.layout.transform = {30, 1, false};
    auto free =
        impose::impose(j, {page_mm(0, 0, 200, 100)}, roll_mm(1000), 360, 360);
    double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
    const impose::Placement& q = free[0].placements[0];
    CHECK(std::abs(q.trim_dots.width() - dots(200 * c + 100 * s, 360)) <= 1);
    CHECK(std::abs(q.trim_dots.height() - dots(200 * s + 100 * c, 360)) <= 1);
}

TEST_CASE("step and repeat fills the roll as counted by hand")
{
    // 50 x 30 mm labels, 1 mm bleed, 2 mm gaps on a 1000 mm roll with
    // 5 mm margins: cells are 52 x 32 mm; (990 + 2) / (52 + 2) = 18.4,
    // so 18 columns; 3 rows asked: 54 labels on one sheet.
    job::Job j = one_input_job();
    j.layout.kind = job::LayoutKind::step_repeat;
    j.layout.rows = 3;
    j.layout.gap_x_units = job::units_from_mm(2);
    j.layout.gap_y_units = job::units_from_mm(2);
    j.layout.bleed_units = job::units_from_mm(1);
    for (double dpi : {360.0, 720.0, 1440.0}) {
        INFO(dpi << " dpi");
        auto sheets = impose::impose(j, {page_mm(0, 0, 50, 30)},
                                     roll_mm(1000, 5), dpi, dpi);
        REQUIRE(sheets.size() == 1);
        const auto& ps = sheets[0].placements;
        REQUIRE(ps.size() == 54);
        // Trim of column 2, row 1 (0-based): margin + bleed + 2 pitches.
        const impose::Placement& p = ps[1 * 18 + 2];
        CHECK(std::abs(p.trim_dots.x0 - dots(5 + 1 + 2 * 54, dpi)) <= 1);
        CHECK(std::abs(p.trim_dots.y0 - dots(5 + 1 + 34, dpi)) <= 1);
        CHECK(std::abs(p.clip_dots.x0 - dots(5 + 2 * 54, dpi)) <= 1);
        CHECK(std::abs(sheets[0].height_dots - dots(3 * 34 - 2 + 10, dpi)) <=
              1);
        CHECK(ps.back().copy == 53);
    }
}

TEST_CASE("step and repeat on a sheet fills both ways; copies add sheets")
{
    // 320 x 450 mm, 10 mm margins: 300 x 430 mm; 50 x 30 mm labels with
    // no gap give 6 x 14 = 84 per sheet.
    job::Job j = one_input_job(2);
    j.layout.kind = job::LayoutKind::step_repeat;
    auto sheets = impose::impose(j, {page_mm(0, 0, 50, 30)},
                                 sheet_mm(320, 450, 10), 720, 720);
    REQUIRE(sheets.size() == 2);
    CHECK(sheets[0].placements.size() == 84);
    CHECK(sheets[1].placements.size() == 84);
}

TEST_CASE("a grid that does not fit is an error saying what would")
{
    job::Job j = one_input_job();
    j.layout.kind = job::LayoutKind::nup;
    j.layout.columns = 5;
    try {
        impose::impose(j, {page_mm(0, 0, 210, 297)}, roll_mm(1000), 360, 360);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("5 columns") &&
                                 Catch::Contains("4 columns do"));
    }
}

TEST_CASE("n-up: pages flow into the cells, a new sheet when full")
{
    job::Job j = one_input_job();
    j.layout.kind = job::LayoutKind::nup;
    j.layout.columns = 2;
    j.layout.rows = 2;
    std::vector<impose::PageRef> pages;
    for (int i = 0; i < 5; ++i)
        pages.push_back(page_mm(0, i, 210, 297));
    auto sheets = impose::impose(j, pages, sheet_mm(500, 700, 10), 360, 360);
    REQUIRE(sheets.size() == 2);
    CHECK(sheets[0].placements.size() == 4);
    CHECK(sheets[1].placements.size() == 1);
    CHECK(sheets[0].placements[3].page == 3);
    CHECK(sheets[1].placements[0].page == 4);
    CHECK(sheets[0].placements[1].trim_dots.x0 ==
          Approx(sheets[0].placements[0].trim_dots.x1).margin(1));

    // On an endless roll all pages share one sheet, rows growing.
    j.layout.rows = 0;
    auto roll = impose::impose(j, pages, roll_mm(500), 360, 360);
    REQUIRE(roll.size() == 1);
    CHECK(roll[0].placements.size() == 5);
    CHECK(std::abs(roll[0].height_dots - dots(3 * 297, 360)) <= 1);

    // A roll with a length limit starts a new sheet: 2 rows fit 700 mm.
    auto limited = impose::impose(j, pages, roll_mm(500, 0, 700), 360, 360);
    REQUIRE(limited.size() == 2);
    CHECK(limited[0].placements.size() == 4);
}

TEST_CASE("centring puts the grid in the middle of the roll")
{
    job::Job j = one_input_job();
    j.layout.kind = job::LayoutKind::nup;
    j.layout.columns = 2;
    j.layout.center = true;
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 100, 100)}, roll_mm(1000), 720, 720);
    CHECK(std::abs(sheets[0].placements[0].trim_dots.x0 - dots(400, 720)) <= 1);
}

TEST_CASE("tiles overlap by the asked amount and cover the page")
{
    // A 3000 x 1000 mm banner on a 1300 mm roll in 508 mm wide tiles with
    // 12.7 mm overlap (360 and 9 units).
    job::Job j = one_input_job();
    j.layout.kind = job::LayoutKind::tile;
    j.layout.tile_width_units = 360;
    j.layout.tile_overlap_units = 9;
    for (double dpi : {360.0, 720.0, 1440.0}) {
        INFO(dpi << " dpi");
        auto sheets = impose::impose(j, {page_mm(0, 0, 3000, 1000)},
                                     roll_mm(1300, 5), dpi, dpi);
        // (3000 - 12.7) / (508 - 12.7) = 6.03: 7 tiles across, 1 down.
        REQUIRE(sheets.size() == 7);
        double covered_to = 0;
        for (std::size_t k = 0; k < sheets.size(); ++k) {
            const impose::Placement& p = sheets[k].placements[0];
            CHECK(p.part_id == "tile R1C" + std::to_string(k + 1));
            // The page point at the tile's start sits at the margin.
            double start_pt = k * (508 - 12.7) * pt_per_mm;
            Pt at = map(p.page_to_sheet, start_pt, 0);
            CHECK(std::abs(at.x - dots(5, dpi)) <= 1);
            if (k > 0)
                CHECK(std::abs(covered_to - k * dots(495.3, dpi) -
                               dots(12.7, dpi)) <= 1);
            covered_to = k * dots(495.3, dpi) + p.clip_dots.width();
            CHECK(p.clip_dots.width() <= dots(508, dpi) + 1);
        }
        CHECK(std::abs(covered_to - dots(3000, dpi)) <= 1);
    }
}

TEST_CASE("alternate tiles can be turned 180 degrees")
{
    job::Job j = one_input_job();
    j.layout.kind = job::LayoutKind::tile;
    j.layout.tile_width_units = 360;
    j.layout.rotate_alternate_tiles = true;
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 1016, 300)}, roll_mm(1300), 360, 360);
    REQUIRE(sheets.size() == 2);
    const impose::Placement& turned = sheets[1].placements[0];
    // The tile's top-left page point lands at its bottom-right.
    Pt at = map(turned.page_to_sheet, 508 * pt_per_mm, 0);
    CHECK(std::abs(at.x - turned.clip_dots.x1) <= 1);
    CHECK(std::abs(at.y - turned.clip_dots.y1) <= 1);
}

TEST_CASE("efficiency is the covered share of the used media")
{
    job::Job j = one_input_job();
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 500, 100)}, roll_mm(1000), 360, 360);
    CHECK(impose::efficiency(sheets) == Approx(0.5).margin(0.01));
}

TEST_CASE("media from the ticket's MediaSize overrides the device's")
{
    job::Job j = one_input_job();
    j.media = job::MediaRequest{job::units_from_mm(320),
                                job::units_from_mm(450), false};
    impose::Media m = impose::media_for(j, roll_mm(1000, 3));
    CHECK_FALSE(m.roll);
    CHECK(m.width_mm == Approx(320));
    CHECK(m.length_mm == Approx(450));
    CHECK(m.margin_mm == 3);
}

TEST_CASE("trim white crops each page to what it paints")
{
    job::Job j = one_input_job();
    j.layout.trim_white = true;
    impose::PageRef page = page_mm(0, 0, 200, 200);
    page.content_pt = {72, 36, 216, 108}; // 2 x 1 inch at (1, 0.5) in
    auto sheets = impose::impose(j, {page}, roll_mm(1000), 720, 720);
    const impose::Placement& p = sheets[0].placements[0];
    CHECK(p.trim_dots.width() == Approx(1440));
    CHECK(p.trim_dots.height() == Approx(720));
    Pt at = map(p.page_to_sheet, 72, 36);
    CHECK(at.x == Approx(p.trim_dots.x0));
    CHECK(at.y == Approx(p.trim_dots.y0));

    // Unmeasured content: the whole page.
    page.content_pt = {};
    auto whole = impose::impose(j, {page}, roll_mm(1000), 720, 720);
    CHECK(std::abs(whole[0].placements[0].trim_dots.width() - dots(200, 720)) <=
          1);
}

TEST_CASE("equal tiles share the page out, none wider than asked")
{
    // 1500 mm in 508 mm tiles with 12.7 mm overlap: 4 tiles, the last a
    // 14.1 mm sliver; shared out equally each is (1500 + 3 x 12.7) / 4.
    job::Job j = one_input_job();
    j.layout.kind = job::LayoutKind::tile;
    j.layout.tile_width_units = 360;
    j.layout.tile_overlap_units = 9;
    j.layout.equal_tiles = true;
    for (double dpi : {360.0, 720.0, 1440.0}) {
        INFO(dpi << " dpi");
        auto sheets = impose::impose(j, {page_mm(0, 0, 1500, 400)},
                                     roll_mm(1300), dpi, dpi);
        REQUIRE(sheets.size() == 4);
        double expected = (1500 + 3 * 12.7) / 4;
        double previous_end = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const impose::Placement& p = sheets[k].placements[0];
            CHECK(std::abs(p.clip_dots.width() - dots(expected, dpi)) <= 1);
            // Where this tile starts in the page, from its transform.
            double start = -(p.page_to_sheet.e - p.clip_dots.x0);
            if (k > 0)
                CHECK(std::abs(previous_end - start - dots(12.7, dpi)) <= 1);
            previous_end = start + p.clip_dots.width();
        }
        CHECK(std::abs(previous_end - dots(1500, dpi)) <= 1);
    }
}
