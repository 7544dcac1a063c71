// SPDX-License-Identifier: AGPL-3.0-or-later
// Bad screen specs fail in create(), naming the field that is wrong.
#include "core/common/error.hpp"
#include "screen_fixtures.hpp"

#include <catch2/catch.hpp>

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
    for (std::vector<double> bad : std::vector<std::vector<double>>{
             {0.5, 0.4, 1.0}, {0.3, 0.3, 1.0}, {0, 0.5, 1}, {0.5, 1},
             {-1, 0.5, 1}}) {
        spec.drop_volumes = bad;
        CHECK(mentions(error_of(spec), "drop_volumes"));
    }
    spec.drop_volumes = {2, 5, 9};
    CHECK(error_of(spec) == "");
}
