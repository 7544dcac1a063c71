// SPDX-License-Identifier: AGPL-3.0-or-later
// Marks: crop marks at the corners, registration discs, label, colour bar.
#include "tests/impose/helpers.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace ripline;
using namespace ripline::test;

namespace {

long count_kind(const impose::Sheet& s, impose::Mark::Kind kind)
{
    return std::count_if(s.marks.begin(), s.marks.end(),
                         [&](const impose::Mark& m) { return m.kind == kind; });
}

} // namespace

TEST_CASE("crop marks: two lines per corner, outside the bleed")
{
    job::Job j = one_input_job();
    j.marks.crop_marks = true;
    j.layout.bleed_units = job::units_from_mm(3);
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 100, 100)}, roll_mm(1000), 720, 720);
    const impose::Sheet& s = sheets[0];
    REQUIRE(count_kind(s, impose::Mark::Kind::line) == 8);
    const impose::Placement& p = s.placements[0];
    for (const impose::Mark& m : s.marks) {
        // No mark enters the bleed box, and each touches a trim line.
        impose::RectD box = p.clip_dots;
        bool inside =
            std::max(m.x0, m.x1) > box.x0 && std::min(m.x0, m.x1) < box.x1 &&
            std::max(m.y0, m.y1) > box.y0 && std::min(m.y0, m.y1) < box.y1;
        CHECK_FALSE(inside);
        bool on_trim = m.x0 == p.trim_dots.x0 || m.x0 == p.trim_dots.x1 ||
                       m.y0 == p.trim_dots.y0 || m.y0 == p.trim_dots.y1;
        CHECK(on_trim);
        CHECK(m.stroke_dots >= 1);
    }
    // The margin made room for the marks: they stay on the sheet.
    for (const impose::Mark& m : s.marks) {
        CHECK(std::min(m.x0, m.x1) >= 0);
        CHECK(std::min(m.y0, m.y1) >= 0);
        CHECK(std::max(m.y0, m.y1) <= s.height_dots);
    }
}

TEST_CASE("crop marks between grid cells leave the neighbours alone")
{
    job::Job j = one_input_job();
    j.marks.crop_marks = true;
    j.layout.kind = job::LayoutKind::nup;
    j.layout.columns = 2;
    j.layout.rows = 1;
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 100, 100)}, roll_mm(1000), 360, 360);
    const impose::Sheet& s = sheets[0];
    for (const impose::Mark& m : s.marks)
        for (const impose::Placement& p : s.placements)
            CHECK_FALSE((std::max(m.x0, m.x1) > p.clip_dots.x0 + 1 &&
                         std::min(m.x0, m.x1) < p.clip_dots.x1 - 1 &&
                         std::max(m.y0, m.y1) > p.clip_dots.y0 + 1 &&
                         std::min(m.y0, m.y1) < p.clip_dots.y1 - 1));
}

TEST_CASE("registration marks surround the content for the cutter")
{
    job::Job j = one_input_job();
    j.marks.mark_type = 0;
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 200, 1200)}, roll_mm(1000), 360, 360);
    const impose::Sheet& s = sheets[0];
    long discs = count_kind(s, impose::Mark::Kind::disc);
    CHECK(discs >= 6); // corners and the middle of a 1.2 m sheet
    const impose::Placement& p = s.placements[0];
    for (const impose::Mark& m : s.marks) {
        CHECK(m.registration);
        CHECK((m.x0 < p.clip_dots.x0 || m.x0 > p.clip_dots.x1));
        CHECK(m.x0 - m.x1 >= 0);
        CHECK(m.y0 + m.x1 <= s.height_dots + 1);
    }
}

TEST_CASE("label and colour bar sit in their band under the layout")
{
    job::Job j = one_input_job();
    j.name = "Poster run";
    j.marks.job_label = true;
    j.marks.color_bar = true;
    auto sheets = impose::impose(j, {page_mm(0, 0, 200, 100)}, roll_mm(1000, 5),
                                 720, 720);
    const impose::Sheet& s = sheets[0];
    CHECK(std::abs(s.height_dots - dots(100 + 10 + 12, 720)) <= 1);
    REQUIRE(count_kind(s, impose::Mark::Kind::text) == 1);
    CHECK(count_kind(s, impose::Mark::Kind::rect) == 10);
    const impose::Placement& p = s.placements[0];
    for (const impose::Mark& m : s.marks) {
        if (m.kind == impose::Mark::Kind::text) {
            CHECK(m.y0 - m.text_dots >= p.clip_dots.y1);
            CHECK(m.y0 <= s.height_dots);
            CHECK_THAT(m.text, Catch::Contains("Poster run") &&
                                   Catch::Contains("sheet 1/1"));
            continue;
        }
        CHECK(std::min(m.y0, m.y1) >= p.clip_dots.y1);
        CHECK(std::max(m.y0, m.y1) <= s.height_dots);
    }
}

TEST_CASE("registration marks stay on the media next to edge parts")
{
    job::Job j = one_input_job();
    j.marks.mark_type = 0;
    job::Part p;
    p.id = p.original_id = job::new_guid();
    p.position = job::PointUnits{0, 0};
    j.parts = {p};
    auto sheets = impose::impose(j, {page_mm(0, 0, 100, 100)},
                                 sheet_mm(320, 450), 360, 360);
    for (const impose::Mark& m : sheets[0].marks) {
        CHECK(m.x0 - m.x1 >= -0.01);
        CHECK(m.y0 - m.x1 >= -0.01);
        CHECK(m.x0 + m.x1 <= sheets[0].width_dots + 0.01);
        CHECK(m.y0 + m.x1 <= sheets[0].height_dots + 0.01);
    }
}
