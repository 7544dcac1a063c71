// SPDX-License-Identifier: AGPL-3.0-or-later
// Marks: crop marks at the corners, registration discs, label, colour bar.
#include "core/impose/detail.hpp"
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

namespace {

// The device's mark set, as the render passes it on.
impose::Media with_marks(impose::Media media,
                         impose::Registration::Family family,
                         std::string barcode = {})
{
    media.registration.family = family;
    media.registration.size_mm = 5;
    media.registration.offset_mm = 4;
    media.registration.barcode = std::move(barcode);
    return media;
}

// Whether a rect mark covers the point (x, y) dots.
bool covers(const impose::Mark& m, double x, double y)
{
    return m.kind == impose::Mark::Kind::rect && x >= m.x0 && x <= m.x1 &&
           y >= m.y0 && y <= m.y1;
}

// The elements of Code 39 bars, 'n' narrow or 'w' wide, nine per
// character (bar, space, ... bar), without the gaps between characters.
std::vector<std::string> code39_elements(std::vector<impose::Mark> bars,
                                         double module_dots)
{
    std::sort(bars.begin(), bars.end(),
              [](const auto& a, const auto& b) { return a.x0 < b.x0; });
    auto kind = [&](double width) {
        return std::lround(width / module_dots) == 3 ? 'w' : 'n';
    };
    std::vector<std::string> chars;
    for (size_t i = 0; i + 5 <= bars.size(); i += 5) {
        std::string e;
        for (size_t b = i; b < i + 5; b++) {
            e += kind(bars[b].x1 - bars[b].x0);
            if (b + 1 < i + 5)
                e += kind(bars[b + 1].x0 - bars[b].x1);
        }
        chars.push_back(e);
    }
    return chars;
}

} // namespace

TEST_CASE("squares: OPOS-style squares at the frame, a bar along the top")
{
    job::Job j = one_input_job();
    auto sheets = impose::impose(
        j, {page_mm(0, 0, 200, 100)},
        with_marks(roll_mm(1000), impose::Registration::Family::squares),
        360, 360);
    const impose::Sheet& s = sheets[0];
    REQUIRE(s.mark_frame_dots);
    const impose::RectD f = *s.mark_frame_dots;
    const impose::RectD box = s.placements[0].clip_dots;

    // Frame points 4 + 2.5 mm outside the layout.
    CHECK(std::abs(box.x0 - f.x0 - dots(6.5, 360)) <= 1);
    CHECK(std::abs(f.y1 - box.y1 - dots(6.5, 360)) <= 1);

    // A 5 mm square on each frame corner, and the bar on the top line.
    REQUIRE(count_kind(s, impose::Mark::Kind::rect) == 5);
    for (double x : {f.x0, f.x1})
        for (double y : {f.y0, f.y1}) {
            bool found = false;
            for (const impose::Mark& m : s.marks)
                found |= covers(m, x, y) &&
                         std::abs(m.x1 - m.x0 - dots(5, 360)) <= 0.5;
            CHECK(found);
        }
    bool bar = false;
    for (const impose::Mark& m : s.marks)
        bar |= covers(m, (f.x0 + f.x1) / 2, f.y0) &&
               m.x1 - m.x0 > (f.x1 - f.x0) / 2;
    CHECK(bar);
    for (const impose::Mark& m : s.marks) {
        CHECK(m.registration);
        CHECK_FALSE(impose::detail::overlaps({m.x0, m.y0, m.x1, m.y1}, box));
    }
}

TEST_CASE("corners: an L at each corner of the frame, arms inwards")
{
    job::Job j = one_input_job();
    auto sheets = impose::impose(
        j, {page_mm(0, 0, 200, 100)},
        with_marks(roll_mm(1000), impose::Registration::Family::corners),
        360, 360);
    const impose::Sheet& s = sheets[0];
    REQUIRE(s.mark_frame_dots);
    const impose::RectD f = *s.mark_frame_dots;
    REQUIRE(count_kind(s, impose::Mark::Kind::rect) == 8);

    // The outer corner of each L is the frame point; its arms run 10 mm
    // towards the other corners, 1 mm thick.
    const double arm = dots(10, 360), t = dots(1, 360);
    for (double x : {f.x0, f.x1})
        for (double y : {f.y0, f.y1}) {
            const double dx = x == f.x0 ? 1 : -1, dy = y == f.y0 ? 1 : -1;
            int arms = 0;
            for (const impose::Mark& m : s.marks)
                arms += covers(m, x + dx * (arm - 1), y + dy * t / 2) ||
                        covers(m, x + dx * t / 2, y + dy * (arm - 1));
            CHECK(arms == 2);
            int outside = 0;
            for (const impose::Mark& m : s.marks)
                outside += covers(m, x - dx * 1, y - dy * 1);
            CHECK(outside == 0);
        }
    for (const impose::Mark& m : s.marks)
        CHECK_FALSE(impose::detail::overlaps({m.x0, m.y0, m.x1, m.y1},
                                             s.placements[0].clip_dots));
}

TEST_CASE("the device's discs replace the job's and set the frame")
{
    job::Job j = one_input_job();
    auto sheets = impose::impose(
        j, {page_mm(0, 0, 200, 100)},
        with_marks(roll_mm(1000), impose::Registration::Family::discs), 720,
        720);
    const impose::Sheet& s = sheets[0];
    REQUIRE(s.mark_frame_dots);
    REQUIRE(count_kind(s, impose::Mark::Kind::disc) == 4);
    for (const impose::Mark& m : s.marks) {
        CHECK(std::abs(m.x1 - dots(2.5, 720)) <= 0.01);
        CHECK((m.x0 == s.mark_frame_dots->x0 || m.x0 == s.mark_frame_dots->x1));
    }

    // Without a set and without MarkType: no marks, no frame.
    auto plain = impose::impose(j, {page_mm(0, 0, 200, 100)}, roll_mm(1000),
                                720, 720);
    CHECK(plain[0].marks.empty());
    CHECK_FALSE(plain[0].mark_frame_dots);
}

TEST_CASE("the barcode carries the job id as Code 39 by the origin mark")
{
    job::Job j = one_input_job();
    const std::string id = "6f1c2d3e-0a4b-4c5d-8e9f-a0b1c2d3e4f5";
    auto sheets = impose::impose(
        j, {page_mm(0, 0, 250, 100)},
        with_marks(roll_mm(1000), impose::Registration::Family::squares, id),
        720, 720);
    const impose::Sheet& s = sheets[0];
    REQUIRE(s.mark_frame_dots);
    const impose::RectD f = *s.mark_frame_dots;

    // The bars: thin rects centred on the bottom row, right of the
    // bottom-left square, clear of the layout.
    std::vector<impose::Mark> bars;
    for (const impose::Mark& m : s.marks)
        if (m.kind == impose::Mark::Kind::rect && m.x1 - m.x0 < dots(1, 720))
            bars.push_back(m);
    REQUIRE(bars.size() == (id.size() + 2) * 5);
    for (const impose::Mark& m : bars) {
        CHECK(std::abs((m.y0 + m.y1) / 2 - f.y1) <= 0.01);
        CHECK(m.x0 > f.x0 + dots(2.5, 720));
        CHECK(m.x1 < f.x1 - dots(2.5, 720));
        CHECK(m.y0 >= s.placements[0].clip_dots.y1);
    }
    // Start and stop are '*'; every character has 3 wide elements of 9.
    const auto chars = code39_elements(bars, dots(0.3, 720));
    REQUIRE(chars.size() == id.size() + 2);
    CHECK(chars.front() == "nwnnwnwnn");
    CHECK(chars.back() == "nwnnwnwnn");
    for (const std::string& c : chars)
        CHECK(std::count(c.begin(), c.end(), 'w') == 3);

    // Characters as the Code 39 table has them (ISO/IEC 16388).
    CHECK(chars[1] == "nnwwwnnnn"); // the id starts with 6
}

TEST_CASE("Code 39 bars follow the symbology's table")
{
    // '0', 'A', '-' and ' ' from the table, between start and stop.
    auto bars = impose::detail::code39_bars("0A- ");
    std::vector<impose::Mark> marks;
    for (const auto& b : bars) {
        impose::Mark m;
        m.kind = impose::Mark::Kind::rect;
        m.x0 = b.x_modules;
        m.x1 = b.x_modules + b.width_modules;
        marks.push_back(m);
    }
    const auto chars = code39_elements(marks, 1);
    REQUIRE(chars.size() == 6);
    CHECK(chars[1] == "nnnwwnwnn");
    CHECK(chars[2] == "wnnnnwnnw");
    CHECK(chars[3] == "nwnnnnwnw");
    CHECK(chars[4] == "nwwnnnwnn");
    // Lower case is read as upper case.
    CHECK(impose::detail::code39_bars("a").size() ==
          impose::detail::code39_bars("A").size());
}

TEST_CASE("a barcode that does not fit or cannot be encoded is refused")
{
    job::Job j = one_input_job();
    CHECK_THROWS_WITH(
        impose::impose(j, {page_mm(0, 0, 40, 40)},
                       with_marks(sheet_mm(100, 100),
                                  impose::Registration::Family::discs,
                                  std::string(36, 'A')),
                       360, 360),
        Catch::Contains("needs") && Catch::Contains("between the "
                                                    "registration marks"));

    // A small layout on wide media: the frame widens for the barcode.
    auto wide = impose::impose(
        j, {page_mm(0, 0, 40, 40)},
        with_marks(roll_mm(1000), impose::Registration::Family::discs,
                   std::string(36, 'A')),
        360, 360);
    REQUIRE(wide[0].mark_frame_dots);
    CHECK(wide[0].mark_frame_dots->width() > dots(38 * 16 * 0.3, 360));
    CHECK(wide[0].mark_frame_dots->x0 >= dots(2.5, 360) - 0.01);
    CHECK_THROWS_WITH(impose::detail::code39_bars("job_1"),
                      Catch::Contains("'_' is not a Code 39 character"));
}
