// SPDX-License-Identifier: AGPL-3.0-or-later
// AM screens: the ruling and angle met, and dots that really cluster.
#include "core/screen/am.hpp"
#include "screen_fixtures.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace ripline::screen;
using namespace ripline::screen::test;

namespace {

// Number of 4-connected groups of fired dots in a plane (1 bit).
int count_clusters(const Plane& plane)
{
    std::vector<int> label(size_t(plane.width) * plane.height, 0);
    int clusters = 0;
    std::vector<int> stack;
    for (int start = 0; start < plane.width * plane.height; ++start) {
        int sx = start % plane.width, sy = start / plane.width;
        if (label[start] || !dot_level(plane, 1, sx, sy))
            continue;
        label[start] = ++clusters;
        stack.push_back(start);
        while (!stack.empty()) {
            int i = stack.back();
            stack.pop_back();
            int x = i % plane.width, y = i / plane.width;
            const int nx[4] = {x - 1, x + 1, x, x};
            const int ny[4] = {y, y, y - 1, y + 1};
            for (int k = 0; k < 4; ++k) {
                if (nx[k] < 0 || ny[k] < 0 || nx[k] >= plane.width ||
                    ny[k] >= plane.height)
                    continue;
                int j = ny[k] * plane.width + nx[k];
                if (!label[j] && dot_level(plane, 1, nx[k], ny[k])) {
                    label[j] = clusters;
                    stack.push_back(j);
                }
            }
        }
    }
    return clusters;
}

} // namespace

TEST_CASE("AM tiles meet the ruling and angle closely")
{
    for (double dpi : {360.0, 720.0, 1440.0})
        for (double lpi : {30.0, 60.0, 85.0})
            for (double angle : {0.0, 15.0, 45.0, 75.0, 22.5}) {
                if (dpi / lpi < am_min_cell_dots)
                    continue;
                AmTile tile =
                    make_am_tile(lpi, angle, DotShape::round, dpi, dpi);
                INFO(dpi << " dpi " << lpi << " lpi " << angle
                         << " deg: " << tile.lpi << " lpi " << tile.angle_deg
                         << " deg, tile " << tile.width << " x "
                         << tile.height);
                CHECK(std::abs(tile.lpi / lpi - 1) < 0.005);
                CHECK(std::abs(tile.angle_deg - angle) < 0.2);
                CHECK(tile.ranks.size() == size_t(tile.width) * tile.height);
            }
    // Non-square dots: 720 x 1440 dpi still gets the asked screen.
    AmTile tall = make_am_tile(60, 15, DotShape::round, 720, 1440);
    CHECK(std::abs(tall.lpi / 60 - 1) < 0.005);
    CHECK(std::abs(tall.angle_deg - 15) < 0.2);
}

TEST_CASE("AM dots cluster: one dot per screen cell")
{
    for (const char* shape : {"round", "elliptical"}) {
        ScreenSpec spec;
        spec.type = "am";
        spec.lpi = 60;
        spec.dot_shape = shape;
        auto screener = make_screener(spec, 4, 720);
        // 480 dots at 60 lpi and 720 dpi is 40 x 40 = 1600 cells.
        for (int tint : {20, 60}) {
            Plane plane = flat_plane(480, 480, uint8_t(tint));
            screen_in_bands(*screener, 3, plane, 480);
            int clusters = count_clusters(plane);
            INFO(shape << " tint " << tint << ": " << clusters << " clusters");
            CHECK(clusters > 1500);
            CHECK(clusters < 1800); // cells cut at the border count twice
        }
    }
}

TEST_CASE("blue noise, by contrast, is dispersed")
{
    ScreenSpec spec;
    auto screener = make_screener(spec, 1);
    Plane plane = flat_plane(480, 480, 60);
    screen_in_bands(*screener, 0, plane, 480);
    // Most fired dots stand alone at 24%.
    CHECK(count_clusters(plane) > 0.5 * 480 * 480 * 60 / 255);
}

TEST_CASE("elliptical dots join into chains between 40% and 60%")
{
    ScreenSpec spec;
    spec.type = "am";
    spec.lpi = 60;
    spec.dot_shape = "elliptical";
    auto screener = make_screener(spec, 4, 720);
    // Yellow is at 0 degrees: 480 dots hold 40 rows of 40 cells.
    auto clusters_at = [&](int percent) {
        Plane plane = flat_plane(480, 480, uint8_t(percent * 255 / 100));
        screen_in_bands(*screener, 2, plane, 480);
        return count_clusters(plane);
    };
    CHECK(clusters_at(35) == 1600); // separate dots
    CHECK(clusters_at(48) == 40);   // one chain per row of cells
    CHECK(clusters_at(65) == 1);    // joined both ways
}
