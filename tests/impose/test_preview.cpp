// SPDX-License-Identifier: AGPL-3.0-or-later
// The layout preview: media, parts and marks where the sheets say.
#include "core/common/error.hpp"
#include "core/impose/preview.hpp"
#include "tests/impose/helpers.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ripline;
using namespace ripline::test;

namespace {

bool is(const impose::Picture& p, int x, int y, int r, int g, int b)
{
    const std::uint8_t* px = p.at(x, y);
    return px[0] == r && px[1] == g && px[2] == b;
}

} // namespace

TEST_CASE("the preview shows media, the part's tint and its outline")
{
    // 1000 mm roll, a 500 x 250 mm page at the left, 720 dpi, drawn
    // 1012 px wide: 1 px per mm plus the 12 px gap on each side.
    job::Job j = one_input_job();
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 500, 250)}, roll_mm(1000), 720, 720);
    impose::Picture p = impose::draw_preview(sheets, 1000);
    CHECK(p.width == 1000 + 24);
    CHECK(std::abs(p.height - (250 + 24)) <= 1);
    CHECK(is(p, 3, 3, 128, 128, 128));               // grey around the media
    CHECK(is(p, 12 + 750, 12 + 125, 255, 255, 255)); // empty media
    CHECK(is(p, 12 + 250, 12 + 125, 255, 224, 178)); // the part's tint
    CHECK(is(p, 12 + 250, 12, 20, 20, 20));          // its trim outline
    CHECK(is(p, 12 + 499, 12 + 125, 20, 20, 20));
}

TEST_CASE("the preview draws registration marks and fits tall layouts")
{
    job::Job j = one_input_job();
    j.marks.mark_type = 0;
    auto sheets =
        impose::impose(j, {page_mm(0, 0, 200, 5000)}, roll_mm(1000), 360, 360);
    impose::Picture p = impose::draw_preview(sheets, 1200, 2000);
    CHECK(p.height <= 2000);
    const impose::Mark& m = sheets[0].marks[0];
    REQUIRE(m.kind == impose::Mark::Kind::disc);
    double s = (2000.0 - 24) / sheets[0].height_dots;
    CHECK(is(p, int(12 + m.x0 * s), int(12 + m.y0 * s), 0, 0, 0));
}

TEST_CASE("write_png writes a PNG, and names a path it cannot write")
{
    impose::Picture p;
    p.width = 4;
    p.height = 2;
    p.rgb.assign(4 * 2 * 3, 200);
    auto path = std::filesystem::temp_directory_path() / "ripline-prev.png";
    impose::write_png(p, path);
    std::ifstream in(path, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    CHECK(std::string(magic + 1, 3) == "PNG");
    std::filesystem::remove(path);
    CHECK_THROWS_WITH(impose::write_png(p, "/no/such/dir/x.png"),
                      Catch::Contains("/no/such/dir/x.png"));
}
