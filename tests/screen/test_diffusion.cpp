// SPDX-License-Identifier: AGPL-3.0-or-later
// Error diffusion: blue-noise texture, no worms, state kept across bands.
#include "screen_fixtures.hpp"
#include "spectrum.hpp"

#include <catch2/catch.hpp>

using namespace ripline::screen;
using namespace ripline::screen::test;

namespace {

// The dots of a size x size window from the middle of a flat tint,
// screened in bands as the pipeline does.
std::vector<uint8_t> diffused_window(const char* type, int tint, int size)
{
    ScreenSpec spec;
    spec.type = type;
    auto screener = make_screener(spec, 1);
    Plane plane = flat_plane(3 * size, 3 * size, uint8_t(tint));
    screener->begin_sheet(plane.width);
    screen_in_bands(*screener, 0, plane, 50);
    std::vector<uint8_t> window(size_t(size) * size);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            window[size_t(y) * size + x] =
                uint8_t(dot_level(plane, 1, x + size, y + size));
    return window;
}

} // namespace

TEST_CASE("error diffusion gives blue-noise texture at light and mid tints")
{
    const int size = 128;
    for (const char* type : {"fs", "jarvis"})
        for (int tint : {13, 38, 128, 217}) {
            auto power = radial_power(diffused_window(type, tint, size), size);
            double density = tint / 255.0;
            double g = std::min(density, 1 - density);
            double white = size * size * density * (1 - density);
            size_t principal = size_t(std::sqrt(g) * size);
            double low = mean_of(power, 1, principal / 3);
            INFO(type << " tint " << tint << " low " << low / white
                      << " of white noise");
            CHECK(low < 0.2 * white);
        }
}

TEST_CASE("diffused textures have no preferred direction")
{
    // Plain diffusion draws worms and regular patterns along a few
    // directions; the modulated threshold spreads the power evenly.
    const int size = 96;
    for (const char* type : {"fs", "jarvis"})
        for (int tint : {32, 64, 96, 160, 192}) {
            auto dots = diffused_window(type, tint, size);
            double g = std::min(tint, 255 - tint) / 255.0;
            double principal = std::sqrt(g) * size;
            double peak =
                direction_peak(dots, size, 0.7 * principal, 1.3 * principal);
            INFO(type << " tint " << tint << " direction peak " << peak);
            CHECK(peak < 1.85); // unmodulated FS reaches 2-3
        }
}
