// SPDX-License-Identifier: AGPL-3.0-or-later
// Explicit Imposition/Parts: positions, source areas, flow and copies.
#include "core/common/error.hpp"
#include "tests/impose/helpers.hpp"

#include <catch2/catch.hpp>

using namespace ripline;
using namespace ripline::test;

namespace {

job::Part part_at(double x_units, double y_units, int page = 0)
{
    job::Part p;
    p.id = job::new_guid();
    p.original_id = p.id;
    p.source_page = page;
    p.position = job::PointUnits{x_units, y_units};
    return p;
}

} // namespace

TEST_CASE("part positions in dots match the ticket's units within a dot")
{
    for (double dpi : {360.0, 720.0, 1440.0}) {
        INFO(dpi << " dpi");
        job::Job j = one_input_job();
        j.parts = {part_at(18.12345, 36.5), part_at(200.7, 3.3, 1)};
        auto sheets =
            impose::impose(j, {page_mm(0, 0, 100, 80), page_mm(0, 1, 60, 40)},
                           roll_mm(1000), dpi, dpi);
        REQUIRE(sheets.size() == 1);
        const auto& ps = sheets[0].placements;
        REQUIRE(ps.size() == 2);
        for (std::size_t i = 0; i < 2; ++i) {
            double x = j.parts[i].position->x * dpi / 18;
            double y = j.parts[i].position->y * dpi / 18;
            CHECK(std::abs(ps[i].trim_dots.x0 - x) <= 1);
            CHECK(std::abs(ps[i].trim_dots.y0 - y) <= 1);
            Pt at = map(ps[i].page_to_sheet, 0, 0);
            CHECK(std::abs(at.x - x) <= 1);
            CHECK(std::abs(at.y - y) <= 1);
            CHECK(ps[i].part_id == j.parts[i].id);
        }
        CHECK(ps[1].page == 1);
        // The roll ends below the lowest part: 36.5 units + 80 mm.
        CHECK(std::abs(sheets[0].height_dots -
                       (36.5 * dpi / 18 + dots(80, dpi))) <= 1);
    }
}

TEST_CASE("a source area crops the page to the part")
{
    job::Job j = one_input_job();
    job::Part p = part_at(0, 0);
    p.source_area = job::RectUnits{18, 9, 54, 27}; // 2 x 1 in at (1, .5)
    j.parts = {p};
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 200, 200)}, roll_mm(1000), 720, 720);
    const impose::Placement& pl = sheets[0].placements[0];
    CHECK(pl.trim_dots.width() == Approx(1440));
    CHECK(pl.trim_dots.height() == Approx(720));
    Pt at = map(pl.page_to_sheet, 72, 36);
    CHECK(at.x == Approx(0).margin(1e-6));
    CHECK(at.y == Approx(0).margin(1e-6));
}

TEST_CASE("a part that lies outside the media is flagged")
{
    job::Job j = one_input_job();
    j.parts = {part_at(job::units_from_mm(950), 0)};
    try {
        impose::impose(j, {page_mm(0, 0, 100, 100)}, roll_mm(1000), 360, 360);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK_THAT(e.what(), Catch::Contains(j.parts[0].id) &&
                                 Catch::Contains("outside"));
    }
}

TEST_CASE("a part naming a page that does not exist is an error")
{
    job::Job j = one_input_job();
    j.parts = {part_at(0, 0, 3)};
    CHECK_THROWS_WITH(
        impose::impose(j, {page_mm(0, 0, 100, 100)}, roll_mm(1000), 360, 360),
        Catch::Contains("SourcePage 3"));
}

TEST_CASE("parts without positions flow, onto more sheets when full")
{
    // 100 mm squares on 320 x 450 mm sheets with 10 mm margins: 3 per row,
    // 4 rows: 12 per sheet, so 13 parts need two sheets.
    job::Job j = one_input_job();
    job::Part p;
    p.id = "aaaaaaaa-0000-4000-8000-000000000001";
    p.original_id = p.id;
    p.copies = 13;
    j.parts = {p};
    auto sheets = impose::impose(j, {page_mm(0, 0, 100, 100)},
                                 sheet_mm(320, 450, 10), 360, 360);
    REQUIRE(sheets.size() == 2);
    CHECK(sheets[0].placements.size() == 12);
    CHECK(sheets[1].placements.size() == 1);
    CHECK(sheets[1].placements[0].copy == 12);
    const auto& ps = sheets[0].placements;
    CHECK(std::abs(ps[1].trim_dots.x0 - dots(110, 360)) <= 1);
    CHECK(std::abs(ps[3].trim_dots.y0 - dots(110, 360)) <= 1);
}

TEST_CASE("destination pages put parts on their sheets; copies repeat")
{
    job::Job j = one_input_job();
    job::Part a = part_at(0, 0), b = part_at(0, 0);
    b.destination_page = 2;
    j.parts = {a, b};
    j.copies = 2;
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 100, 100)}, roll_mm(1000), 360, 360);
    REQUIRE(sheets.size() == 4);
    CHECK(sheets[0].placements[0].part_id == a.id);
    CHECK(sheets[1].placements[0].part_id == b.id);
    CHECK(sheets[2].placements[0].copy == 1);
}

TEST_CASE("per part rotation and mirror")
{
    job::Job j = one_input_job();
    job::Part p = part_at(0, 0);
    p.transform = {270, 1, false};
    job::Part q = part_at(0, 200);
    q.transform = {0, 2, true};
    j.parts = {p, q};
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 100, 50)}, roll_mm(1000), 720, 720);
    const auto& ps = sheets[0].placements;
    CHECK(std::abs(ps[0].trim_dots.width() - dots(50, 720)) <= 1);
    // 270 counter-clockwise: the top-left corner ends top-right.
    Pt at = map(ps[0].page_to_sheet, 0, 0);
    CHECK(std::abs(at.x - ps[0].trim_dots.x1) <= 1);
    CHECK(std::abs(at.y - ps[0].trim_dots.y0) <= 1);
    // Mirrored and doubled: the top-left corner ends top-right.
    CHECK(std::abs(ps[1].trim_dots.width() - dots(200, 720)) <= 1);
    Pt m = map(ps[1].page_to_sheet, 0, 0);
    CHECK(std::abs(m.x - ps[1].trim_dots.x1) <= 1);
}

TEST_CASE("a part beyond a roll's maximum length is flagged")
{
    job::Job j = one_input_job();
    j.parts = {part_at(0, job::units_from_mm(450))};
    CHECK_THROWS_WITH(impose::impose(j, {page_mm(0, 0, 100, 100)},
                                     roll_mm(1000, 0, 500), 360, 360),
                      Catch::Contains("outside"));
}
