// SPDX-License-Identifier: AGPL-3.0-or-later
// BandColor: a band with process art and spot planes comes out as the
// mode's inks: process spots overprinted, spot inks added with white
// under them, varnish from its spot, cut spots never printed.
#include "core/color/band_color.hpp"
#include "core/color/engine.hpp"

#include "color_test_util.hpp"

#include <catch2/catch.hpp>

using namespace ripline::color;
using nlohmann::json;

namespace {

// Planar band buffers: N planes of W x H bytes.
struct Planes {
    int w, h;
    std::vector<uint8_t> bytes;
    std::vector<uint8_t*> p;
    Planes(int n, int width, int height, uint8_t fill = 0)
        : w(width), h(height), bytes(size_t(n) * width * height, fill), p(n)
    {
        for (int i = 0; i < n; ++i)
            p[i] = &bytes[size_t(i) * w * h];
    }
    uint8_t& at(int plane, int x, int y) { return p[plane][y * w + x]; }
};

}  // namespace

TEST_CASE("a band with spots becomes the mode's inks")
{
    json doc = test::read_json(test::mode_path("cmyk-white-varnish.json"));
    doc["inks"] = {"C", "M", "Y", "K", "W", "V", "Or"};
    doc["spots"]["entries"].push_back({{"name", "Orange 021"},
                                       {"ink", "Or"}});
    doc["white"]["choke_dots"] = 0;
    PrintMode mode = load_print_mode(test::scratch_mode(doc, "band-spots"));
    Profile output = Profile::open(mode.output_profile);
    BandColor color(mode, output);
    color.add_spot("Orange 021", std::nullopt);
    color.add_spot("Corporate Teal", std::nullopt);
    color.add_spot("CutContour", std::nullopt);
    color.add_spot("Varnish", std::nullopt);
    REQUIRE(color.is_cut(2));
    REQUIRE(color.spot_plans()[1].action == SpotAction::process);

    // 8 x 1 band: x0 paper, x1 orange spot, x2 teal spot, x3 cut line,
    // x4 magenta art with varnish, x5 cyan art under teal.
    const int w = 8, h = 1;
    Planes process(4, w, h), spots(4, w, h), inks(7, w, h, 77);
    process.at(1, 4, 0) = 128;
    process.at(0, 5, 0) = 128;
    spots.at(0, 1, 0) = 255;
    spots.at(1, 2, 0) = spots.at(1, 5, 0) = 255;
    spots.at(2, 3, 0) = 255;
    spots.at(3, 4, 0) = 255;
    SpotPlane planes[4];
    for (int s = 0; s < 4; ++s)
        planes[s] = {spots.p[s], w};
    color.run(process.p.data(), w, planes, inks.p.data(), w, w, h);

    auto ink = [&](int i, int x) { return int(inks.at(i, x, 0)); };
    for (int i = 0; i < 7; ++i)
        CHECK(ink(i, 0) == 0); // paper: nothing, not even white
    CHECK(ink(6, 1) == 255);    // the orange ink
    CHECK(ink(4, 1) == 255);    // white under the spot ink
    CHECK(ink(0, 2) > 100);     // teal: cyan from the profile
    CHECK(ink(4, 2) == 255);
    for (int i = 0; i < 7; ++i)
        CHECK(ink(i, 3) == 0);  // the cut line prints nothing
    CHECK(ink(5, 4) == 255);    // varnish from its spot
    CHECK(ink(5, 1) == 0);
    // Teal overprints the cyan art: more cyan than either alone.
    CHECK(ink(0, 5) > 128);
    CHECK(ink(0, 5) > ink(0, 2));
}

TEST_CASE("spot inks count in the total ink limit, keeping hue")
{
    json doc = test::read_json(test::mode_path("cmyk-white-varnish.json"));
    doc["inks"] = {"C", "M", "Y", "K", "W", "V", "Or"};
    doc["spots"]["entries"].push_back({{"name", "Orange"}, {"ink", "Or"}});
    doc["ink_limits"]["total_pct"] = 250;
    doc["white"]["choke_dots"] = 0;
    PrintMode mode = load_print_mode(test::scratch_mode(doc, "band-tac"));
    Profile output = Profile::open(mode.output_profile);
    BandColor color(mode, output);
    color.add_spot("Orange", std::nullopt);
    REQUIRE(color.chain().limits_ink(6));
    REQUIRE(!color.chain().limits_ink(4)); // white is a layer

    // x0: 240 % process alone; x1: the same with 100 % orange; x2: 100 %
    // black with the orange; x3: orange alone.
    const int w = 4, h = 1;
    Planes process(4, w, h), spots(1, w, h), inks(7, w, h);
    for (int x = 0; x < 2; ++x)
        for (int c = 0; c < 3; ++c)
            process.at(c, x, 0) = 204;
    process.at(3, 2, 0) = 255;
    spots.at(0, 1, 0) = spots.at(0, 2, 0) = spots.at(0, 3, 0) = 255;
    SpotPlane plane{spots.p[0], w};
    color.run(process.p.data(), w, &plane, inks.p.data(), w, w, h);

    auto ink = [&](int i, int x) { return int(inks.at(i, x, 0)); };
    CHECK(ink(0, 0) == 204); // within the limit: unchanged
    CHECK(ink(6, 0) == 0);
    int total = ink(0, 1) + ink(1, 1) + ink(2, 1) + ink(3, 1) + ink(6, 1);
    CHECK(total <= 2.5 * 255 + 2);
    CHECK(total >= 2.5 * 255 - 4);
    // One factor for the chromatic inks, spot included: 340 % -> 250 %.
    CHECK(std::abs(ink(6, 1) - int(255 * 250 / 340.0)) <= 1);
    CHECK(std::abs(ink(0, 1) - int(204 * 250 / 340.0)) <= 1);
    // Black keeps its share; the spot takes the rest of the total.
    CHECK(ink(3, 2) == 255);
    CHECK(ink(6, 2) == 255); // 200 % is within 250 %
    CHECK(ink(6, 3) == 255);
}
