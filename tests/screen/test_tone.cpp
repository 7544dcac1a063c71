// SPDX-License-Identifier: AGPL-3.0-or-later
// Screens keep tone: flat tints, gradients, band seams, ink stacking.
#include "screen_fixtures.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace ripline::screen;
using namespace ripline::screen::test;

namespace {

// Every screen type at both bit depths, as the print mode names them.
std::vector<ScreenSpec> all_specs()
{
    std::vector<ScreenSpec> specs;
    for (const char* type : {"bluenoise", "am", "fs", "jarvis"})
        for (int bits : {1, 2}) {
            ScreenSpec spec;
            spec.type = type;
            spec.bits = bits;
            if (bits == 2)
                spec.drop_volumes = {0.2, 0.55, 1.0};
            specs.push_back(spec);
        }
    return specs;
}

std::string name_of(const ScreenSpec& spec)
{
    return spec.type + " " + std::to_string(spec.bits) + "-bit";
}

bool is_threshold(const ScreenSpec& spec)
{
    return spec.type == "bluenoise" || spec.type == "am";
}

// A smooth picture: two crossed ramps and a ring, as a band test target.
Plane picture(int width, int height)
{
    Plane plane = flat_plane(width, height, 0);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            double r = std::hypot(x - width / 2.0, y - height / 3.0);
            double v = 0.5 * x / width + 0.3 * y / height +
                       0.2 * (0.5 + 0.5 * std::sin(r / 9));
            plane.contone[size_t(y) * width + x] = uint8_t(255 * v);
        }
    return plane;
}

} // namespace

TEST_CASE("flat tints cover their tint within 0.5%")
{
    for (const ScreenSpec& spec : all_specs()) {
        auto screener = make_screener(spec);
        const int bits = screener->bits_per_dot();
        for (int tint :
             {0, 1, 3, 13, 40, 64, 100, 128, 170, 200, 240, 252, 254, 255}) {
            for (int ink = 0; ink < 4; ink += 3) {
                Plane plane = flat_plane(1024, 512, uint8_t(tint));
                screener->begin_sheet(plane.width);
                screen_in_bands(*screener, ink, plane, 64);
                double got = coverage(plane, bits, spec.drop_volumes);
                INFO(name_of(spec) << " ink " << ink << " tint " << tint);
                CHECK(std::abs(got - tint / 255.0) <= 0.005);
            }
        }
    }
}

TEST_CASE("gradients screen to monotone coverage")
{
    for (const ScreenSpec& spec : all_specs()) {
        auto screener = make_screener(spec);
        const int bits = screener->bits_per_dot();
        Plane plane = flat_plane(2048, 256, 0);
        for (int y = 0; y < plane.height; ++y)
            for (int x = 0; x < plane.width; ++x)
                plane.contone[size_t(y) * plane.width + x] =
                    uint8_t(x * 256 / plane.width);
        screener->begin_sheet(plane.width);
        screen_in_bands(*screener, 1, plane, 32);

        // Windows of one contone level each (8 columns x 256 rows).
        double previous = -1;
        for (int x0 = 0; x0 < plane.width; x0 += 64) {
            double got =
                coverage(plane, bits, spec.drop_volumes, x0, 0, 64, 256);
            INFO(name_of(spec) << " at column " << x0);
            CHECK(got >= previous - (is_threshold(spec) ? 0.0 : 0.01));
            previous = got;
        }
    }
}

TEST_CASE("threshold screens nest: more ink never removes a drop")
{
    for (const ScreenSpec& spec : all_specs()) {
        if (!is_threshold(spec))
            continue;
        auto screener = make_screener(spec);
        const int bits = screener->bits_per_dot();
        Plane lower = flat_plane(300, 300, 0);
        for (int tint = 1; tint < 256; tint += 2) {
            Plane upper = flat_plane(300, 300, uint8_t(tint));
            screen_in_bands(*screener, 2, upper, 300);
            bool nested = true;
            for (int y = 0; y < 300 && nested; y += 3)
                for (int x = 0; x < 300; ++x)
                    if (tint > 1 && dot_level(lower, bits, x, y) >
                                        dot_level(upper, bits, x, y))
                        nested = false;
            INFO(name_of(spec) << " tint " << tint);
            REQUIRE(nested);
            lower = upper;
        }
    }
}

TEST_CASE("bands of any height meet without seams")
{
    for (const ScreenSpec& spec : all_specs()) {
        auto screener = make_screener(spec);
        Plane whole = picture(333, 250), banded = whole;
        screener->begin_sheet(whole.width);
        screen_in_bands(*screener, 0, whole, 250);
        for (int band_rows : {1, 7, 64}) {
            screener->begin_sheet(banded.width);
            screen_in_bands(*screener, 0, banded, band_rows);
            INFO(name_of(spec) << " bands of " << band_rows);
            REQUIRE(banded.dots == whole.dots);
        }
    }
}

TEST_CASE("pad bits at the row end stay 0")
{
    for (const ScreenSpec& spec : all_specs()) {
        auto screener = make_screener(spec);
        const int bits = screener->bits_per_dot();
        Plane plane = flat_plane(13, 20, 255);
        screener->begin_sheet(plane.width);
        screen_in_bands(*screener, 0, plane, 20);
        for (int y = 0; y < plane.height; ++y) {
            uint8_t last =
                plane.dots[y * plane.out_stride + plane.out_stride - 1];
            int used = (plane.width * bits) % 8;
            INFO(name_of(spec));
            REQUIRE((last & (0xFF >> used)) == 0);
        }
    }
}

TEST_CASE("blue-noise inks do not stack on each other")
{
    ScreenSpec spec;
    auto screener = make_screener(spec, 8);
    std::vector<Plane> inks;
    for (int ink = 0; ink < 8; ++ink) {
        inks.push_back(flat_plane(512, 512, 64));
        screen_in_bands(*screener, ink, inks.back(), 512);
    }
    // Independent inks at 25% overlap on 1/16 of the dots; stacked inks
    // would overlap on 1/4.
    for (int a = 0; a < 8; ++a)
        for (int b = a + 1; b < 8; ++b) {
            double both = 0;
            for (int y = 0; y < 512; ++y)
                for (int x = 0; x < 512; ++x)
                    both += dot_level(inks[a], 1, x, y) &&
                            dot_level(inks[b], 1, x, y);
            INFO("inks " << a << " and " << b);
            CHECK(both / (512.0 * 512.0) < 0.09);
        }
}

TEST_CASE("SIMD and scalar screeners give the same dots")
{
    for (const ScreenSpec& spec : all_specs()) {
        auto simd = make_screener(spec, 4, 720, true);
        auto scalar = make_screener(spec, 4, 720, false);
        Plane a = picture(1001, 120), b = a;
        simd->begin_sheet(a.width);
        scalar->begin_sheet(b.width);
        screen_in_bands(*simd, 3, a, 40);
        screen_in_bands(*scalar, 3, b, 40);
        INFO(name_of(spec));
        REQUIRE(a.dots == b.dots);
    }
}

TEST_CASE("16-bit contone: c * 257 gives the 8-bit dots; fine tints hold")
{
    for (const ScreenSpec& spec : all_specs()) {
        auto screener = make_screener(spec);
        const int bits = screener->bits_per_dot();
        Plane eight = picture(301, 90), sixteen = eight;
        std::vector<uint16_t> wide(eight.contone.size());
        for (size_t i = 0; i < wide.size(); ++i)
            wide[i] = uint16_t(eight.contone[i] * 257);
        screener->begin_sheet(eight.width);
        screen_in_bands(*screener, 1, eight, 30);
        screener->begin_sheet(sixteen.width);
        screen16_in_bands(*screener, 1, wide, sixteen, 30);
        INFO(name_of(spec));
        REQUIRE(sixteen.dots == eight.dots);

        // Tones between the 8-bit steps keep their value too.
        for (int tint : {300, 1000, 32896, 50000, 65300}) {
            Plane plane = flat_plane(1024, 512, 0);
            std::vector<uint16_t> flat(plane.contone.size(), uint16_t(tint));
            screener->begin_sheet(plane.width);
            screen16_in_bands(*screener, 2, flat, plane, 64);
            double got = coverage(plane, bits, spec.drop_volumes);
            INFO("16-bit tint " << tint << " got " << got);
            CHECK(std::abs(got - tint / 65535.0) <= 0.005);
        }
    }
}
