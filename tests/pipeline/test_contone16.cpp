// SPDX-License-Identifier: AGPL-3.0-or-later
// 16-bit contone through the whole render: a mode with a light-ink split,
// linearisation, a spot ink, a limited total and a spread white, rendered
// at 8 and at 16 bits and compared plane by plane.
#include "tests/pipeline/render_fixture.hpp"
#include "tests/support/pdf_writer.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <fstream>

using namespace ripline::test;
namespace fs = std::filesystem;

namespace {

const fs::path fogra = fs::path(RIPLINE_PROFILE_DIR) / "icc/FOGRA39L.icc";

const char* const inks[] = {"C", "M", "Y", "K", "c", "Or", "W"};
constexpr int ink_count = 7;

// A 72 x 72 pt sheet at 72 dpi on DRIVER whose inline mode has
// contone_bits BITS: C splits into C + c, c, K and Or are linearised,
// Orange prints with Or, White with W spread by one dot, total 260 %.
fs::path device(const RenderFixture& f, int bits,
                const std::string& driver = "tiff")
{
    const fs::path path = f.dir() / ("device-" + std::to_string(bits) + "-" +
                                     driver + ".json");
    std::ofstream out(path);
    out << R"({"id": "c16", "driver": ")" << driver << R"(",
      "driver_options": {},
      "media": {"type": "sheet", "width_mm": 25.4, "length_mm": 25.4},
      "print_mode": {"format": "ripline.print-mode", "version": 1,
        "name": "contone )" << bits << R"(", "dpi": 72, "bits_per_dot": 1,
        "contone_bits": )" << bits << R"(,
        "inks": ["C", "M", "Y", "K", "c", "Or", "W"],
        "output_profile": ")" << fogra.string() << R"(",
        "ink_limits": {"total_pct": 260},
        "light_inks": [{"dark": "C", "light": "c",
          "dark_curve": [[0, 0], [20, 0], [50, 32], [75, 62], [100, 100]],
          "light_curve": [[0, 0], [20, 55], [40, 80], [60, 60], [85, 20],
                          [100, 0]]}],
        "linearization": {
          "c": {"measure": "lstar", "patches": [[0, 95.0], [25, 88.0],
                [50, 82.0], [75, 77.5], [100, 74.0]]},
          "K": {"measure": "lstar", "patches": [[0, 95.0], [25, 69.0],
                [50, 45.5], [100, 16.5]]},
          "Or": {"measure": "density", "patches": [[0, 0.05], [30, 0.5],
                 [60, 0.9], [100, 1.3]]}},
        "white": {"ink": "W", "source": "spot", "spot": "White",
                  "spread_dots": 1},
        "spots": {"entries": [{"name": "Orange", "ink": "Or"}]}}})";
    return path;
}

std::string separation(const std::string& name, const std::string& c1)
{
    return "[/Separation /" + name + " /DeviceCMYK << /FunctionType 2 "
           "/Domain [0 1] /C0 [0 0 0 0] /C1 [" + c1 + "] /N 1 >>]";
}

// A CMYK ramp left to right over the page; an Orange ramp in a band
// across it; Orange overprinted at 80 % on the ramp's top quarter (where
// the total limit takes the spot ink with the process inks); a White
// patch overprinted.
PdfWriter ramp_page()
{
    const std::string orange = separation("Orange", "0 0.6 1 0");
    const std::string resources =
        "<< /ColorSpace << /O " + orange + " /Wh " +
        separation("White", "0 0 0 0.1") +
        " >> /ExtGState << /GS0 << /OP true /op true /OPM 1 >> >>"
        " /Shading << /Sh0 << /ShadingType 2 /ColorSpace /DeviceCMYK"
        " /Coords [0 0 72 0] /Extend [true true] /Function"
        " << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0]"
        " /C1 [1 0.9 0.8 0.7] /N 1 >> >>"
        " /Sh1 << /ShadingType 2 /ColorSpace " + orange +
        " /Coords [0 0 72 0] /Extend [true true] /Function"
        " << /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 >> >> >> >>";
    PdfWriter pdf;
    pdf.add_page(72, 72,
                 "/Sh0 sh q 0 36 72 18 re W n /Sh1 sh Q "
                 "/GS0 gs /O cs 0.8 sc 0 54 72 18 re f "
                 "/Wh cs 1 sc 20 8 30 20 re f",
                 resources);
    return pdf;
}

// The page rendered contone on a mode of BITS; its planes and coverage.
struct Render {
    RenderFixture f;
    std::array<TiffPlane, ink_count> planes;
    rl_render_stats stats{};

    explicit Render(int bits, const std::string& isolation = "process")
    {
        const fs::path file = f.dir() / "ramp.pdf";
        ramp_page().write(file);
        const fs::path out = f.dir() / "out";
        stats.size = sizeof stats;
        rl_status status = f.render(file, device(f, bits), out,
                                    {{"contone", "1"},
                                     {"driver_isolation", isolation}},
                                    &stats);
        INFO(f.last_error());
        REQUIRE(status == RL_OK);
        for (int i = 0; i < ink_count; i++)
            planes[i] = f.plane(out, 1, inks[i]);
    }
};

}  // namespace

TEST_CASE("16-bit contone agrees with 8-bit within one 8-bit step")
{
    Render eight(8), sixteen(16);
    for (int i = 0; i < ink_count; i++) {
        INFO("ink " << inks[i]);
        const TiffPlane& a = eight.planes[i];
        const TiffPlane& b = sixteen.planes[i];
        REQUIRE(a.bits == 8);
        REQUIRE(b.bits == 16);
        REQUIRE(b.width == a.width);
        REQUIRE(b.height == a.height);
        double worst = 0;
        for (uint32_t y = 0; y < a.height; y++)
            for (uint32_t x = 0; x < a.width; x++)
                worst = std::max(worst, std::abs(b.wide_at(x, y) / 257.0 -
                                                 a.at(x, y)));
        CHECK(worst <= 1.0);
        CHECK(std::abs(sixteen.stats.coverage[i] - eight.stats.coverage[i])
              <= 1.0 / 255);
        CHECK(std::abs(b.coverage() - sixteen.stats.coverage[i]) < 1e-6);
    }

    // The page does reach every ink the test means to look at.
    for (int i : {0, 3, 4, 5, 6})
        CHECK(sixteen.stats.coverage[i] > 0.02);
}

TEST_CASE("16-bit contone keeps the precision of curves and splits")
{
    Render r(16);
    // Ink values between the 8-bit steps (v * 257) show the chain ran
    // at 16 bits: the split, the curves, the limit and the spot's curve.
    for (int i : {0, 3, 4, 5}) {
        INFO("ink " << inks[i]);
        const TiffPlane& p = r.planes[i];
        long between = 0, printed = 0;
        for (uint16_t v : p.wide) {
            printed += v != 0;
            between += v % 257 != 0;
        }
        CHECK(printed > 0);
        CHECK(between > printed / 2);
    }

    // The white patch grows by one dot on each side (x 20..49 -> 19..50).
    const TiffPlane& w = r.planes[6];
    CHECK(w.wide_at(19, 60) == 65535);
    CHECK(w.wide_at(50, 60) == 65535);
    CHECK(w.wide_at(18, 60) == 0);
    CHECK(w.wide_at(51, 60) == 0);
}

TEST_CASE("16-bit contone stays within the total ink limit with spots")
{
    Render r(16);
    // Counted inks: C M Y K c Or (white does not count); 260 % at most.
    double worst = 0;
    for (uint32_t y = 0; y < r.planes[0].height; y++)
        for (uint32_t x = 0; x < r.planes[0].width; x++) {
            double sum = 0;
            for (int i = 0; i < 6; i++)
                sum += r.planes[i].wide_at(x, y) / 65535.0;
            worst = std::max(worst, sum);
        }
    CHECK(worst <= 2.6 + 6.0 / 65535);
    CHECK(worst > 2.5); // the limit did bite
}

TEST_CASE("16-bit bands cross the isolated driver host unchanged")
{
    Render isolated(16, "process"), direct(16, "none");
    for (int i = 0; i < ink_count; i++) {
        INFO("ink " << inks[i]);
        REQUIRE(isolated.planes[i].wide.size() == 72 * 72);
        CHECK(isolated.planes[i].wide == direct.planes[i].wide);
    }
}

TEST_CASE("a screened render of a 16-bit mode screens from 8 bits")
{
    RenderFixture f;
    const fs::path file = f.dir() / "ramp.pdf";
    ramp_page().write(file);
    const fs::path out = f.dir() / "out";
    rl_status status = f.render(file, device(f, 16), out);
    INFO(f.last_error());
    REQUIRE(status == RL_OK);
    CHECK(f.plane(out, 1, "K").bits == 1);
}

TEST_CASE("16-bit contone on a driver without 16 bits is refused")
{
    RenderFixture f;
    const fs::path file = f.dir() / "ramp.pdf";
    ramp_page().write(file);
    const fs::path out = f.dir() / "out";
    rl_status status = f.render(file, device(f, 16, "preview"), out,
                                {{"contone", "1"}});
    CHECK(status == RL_ERROR_UNSUPPORTED);
    const std::string error = f.last_error();
    CHECK_THAT(error, Catch::Contains("preview") &&
                          Catch::Contains("contone_bits"));
    CHECK(list_files(out).empty());

    // The same mode at 8 bits renders on it.
    CHECK(f.render(file, device(f, 8, "preview"), f.dir() / "out8",
                   {{"contone", "1"}}) == RL_OK);
}
