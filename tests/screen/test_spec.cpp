// SPDX-License-Identifier: AGPL-3.0-or-later
// Bad screen specs fail in create(), naming the field that is wrong.
#include "core/common/error.hpp"
#include "screen_fixtures.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace ripline::screen;
using namespace ripline::screen::test;

namespace {

// The message create() throws for a spec, or "" when it accepts it.
std::string error_of(const ScreenSpec& spec, int inks = 4, double dpi = 720)
{
    try {
        make_screener(spec, inks, dpi);
        return "";
    } catch (const ripline::Error& e) {
        REQUIRE(e.stage() == ripline::Stage::screen);
        return e.what();
    }
}

bool mentions(const std::string& text, const std::string& word)
{
    return text.find(word) != std::string::npos;
}

} // namespace

TEST_CASE("unknown screens and bit depths are refused")
{
    ScreenSpec spec;
    spec.type = "stochastic-ish";
    CHECK(mentions(error_of(spec), "stochastic-ish"));
    spec = {};
    spec.ink_types = {"", "", "", "nope"};
    CHECK(mentions(error_of(spec), "nope"));
    spec = {};
    spec.bits = 4;
    CHECK(mentions(error_of(spec), "bits"));
    CHECK(mentions(error_of(ScreenSpec{}, 0), "ink count"));
    CHECK(error_of(ScreenSpec{}) == "");
}

TEST_CASE("drop volumes must be three, positive and increasing")
{
    ScreenSpec spec;
    spec.bits = 2;
    CHECK(error_of(spec) == ""); // thirds by default
    for (std::vector<double> bad :
         std::vector<std::vector<double>>{{0.5, 0.4, 1.0},
                                          {0.3, 0.3, 1.0},
                                          {0, 0.5, 1},
                                          {0.5, 1},
                                          {-1, 0.5, 1}}) {
        spec.drop_volumes = bad;
        CHECK(mentions(error_of(spec), "drop_volumes"));
    }
    spec.drop_volumes = {2, 5, 9};
    CHECK(error_of(spec) == "");
}

TEST_CASE("an lpi the resolution cannot carry is refused")
{
    ScreenSpec spec;
    spec.type = "am";
    CHECK(error_of(spec) == ""); // dpi / 12 by default
    spec.lpi = 200;              // 3.6 dots per cell at 720 dpi
    std::string fine = error_of(spec);
    CHECK(mentions(fine, "lpi = 200"));
    CHECK(mentions(fine, "at most 180 lpi"));
    spec.lpi = 180;
    CHECK(error_of(spec) == "");
    spec.lpi = 1; // a cell of 720 dots
    CHECK(mentions(error_of(spec), "at least"));
    spec.lpi = -5;
    CHECK(mentions(error_of(spec), "lpi"));
    // The lpi only matters where an ink is AM.
    spec.type = "bluenoise";
    spec.lpi = 1000;
    CHECK(error_of(spec) == "");
    spec.ink_types = {"am"};
    CHECK(mentions(error_of(spec), "lpi = 1000"));
}

TEST_CASE("dot shapes and angles are checked")
{
    ScreenSpec spec;
    spec.type = "am";
    spec.dot_shape = "square";
    CHECK(mentions(error_of(spec), "dot_shape"));
    spec.dot_shape = "elliptical";
    CHECK(error_of(spec) == "");
    spec.angles_deg = {15, std::nan("")};
    CHECK(mentions(error_of(spec), "angles_deg[1]"));
}

TEST_CASE("per-ink screens: diffusion for white, AM for colours")
{
    ScreenSpec spec;
    spec.type = "am";
    spec.ink_types = {"", "", "", "", "fs"};
    auto screener = make_screener(spec, 5);
    CHECK(screener->needs_band_order());
    spec.ink_types = {"bluenoise"};
    CHECK_FALSE(make_screener(spec, 5)->needs_band_order());
}

TEST_CASE("error diffusion refuses bands out of order")
{
    ScreenSpec spec;
    spec.type = "jarvis";
    auto screener = make_screener(spec, 1);
    Plane plane = flat_plane(100, 64, 90);
    screener->begin_sheet(100);
    std::vector<uint8_t> out(13 * 64);
    screener->screen_plane(0, plane.contone.data(), 100, 100, 0, 32, out.data(),
                           13);
    CHECK_THROWS_AS(screener->screen_plane(0, plane.contone.data(), 100, 100,
                                           48, 16, out.data(), 13),
                    ripline::Error);
    // A new sheet starts again at row 0.
    CHECK_NOTHROW(screener->screen_plane(0, plane.contone.data(), 100, 100, 0,
                                         32, out.data(), 13));
}

TEST_CASE("describe() names each ink's screen as built")
{
    ScreenSpec spec;
    spec.type = "am";
    spec.lpi = 60;
    spec.ink_types = {"", "", "", "", "jarvis"};
    std::string text = make_screener(spec, 5)->describe();
    CHECK(mentions(text, "ink 0 am round 59.9"));
    CHECK(mentions(text, "at 14.9"));
    CHECK(mentions(text, "ink 4 jarvis"));
}
