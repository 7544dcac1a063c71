// SPDX-License-Identifier: AGPL-3.0-or-later
// The SIMD threshold kernels match the scalar references on every target.
#include "core/screen/matrix.hpp"
#include "core/screen/threshold.hpp"

#include <catch2/catch.hpp>
#include <hwy/targets.h>

#include <random>
#include <string>

using namespace ripline::screen;

namespace {

// A tile of odd period (as AM tiles have) from a shuffled rank order.
ThresholdTile random_tile(int width, int height,
                          const std::vector<double>& volumes,
                          std::mt19937& random)
{
    std::vector<uint32_t> ranks(size_t(width) * height);
    for (size_t i = 0; i < ranks.size(); ++i)
        ranks[i] = uint32_t(i);
    std::shuffle(ranks.begin(), ranks.end(), random);
    return make_threshold_tile(width, height, ranks, volumes);
}

// Rows of random contone, with runs of 0 and 255 as real art has.
std::vector<uint8_t> random_row(size_t width, std::mt19937& random)
{
    std::vector<uint8_t> row(width);
    for (size_t x = 0; x < width; ++x)
        row[x] = uint8_t(random());
    for (size_t x = 0; x + 40 < width; x += 97)
        std::fill_n(row.begin() + x, 40, (x / 97) % 2 ? 255 : 0);
    return row;
}

// Runs both kernels of one bit depth over many widths and phases.
void compare_on_current_target(const ThresholdTile& tile, int bits,
                               std::mt19937& random)
{
    const size_t widths[] = {1,   7,   8,   9,    15,   16,  17,
                             31,  63,  64,  65,   127,  255, 256,
                             257, 300, 511, 1000, 1023, 4099};
    for (size_t width : widths) {
        auto row = random_row(width, random);
        size_t bytes = (width * bits + 7) / 8;
        std::vector<uint8_t> ref(bytes + 8, 0x5A), simd(bytes + 8, 0x5A);
        size_t phase = random() % tile.width;
        int ty = int(random() % tile.height);
        if (bits == 1) {
            threshold_row_1bit_scalar(row.data(), tile.row(0, ty), tile.width,
                                      phase, width, ref.data());
            threshold_row_1bit_simd(row.data(), tile.row(0, ty), tile.width,
                                    phase, width, simd.data());
        } else {
            threshold_row_2bit_scalar(row.data(), tile.row(0, ty),
                                      tile.row(1, ty), tile.row(2, ty),
                                      tile.width, phase, width, ref.data());
            threshold_row_2bit_simd(row.data(), tile.row(0, ty),
                                    tile.row(1, ty), tile.row(2, ty),
                                    tile.width, phase, width, simd.data());
        }
        INFO("width " << width << " phase " << phase);
        REQUIRE(ref == simd); // includes the guard bytes past the row
    }
}

// The 16-bit kernels over the same widths, with random 16-bit tones.
void compare16_on_current_target(const ThresholdTile& tile, int bits,
                                 std::mt19937& random)
{
    for (size_t width : {1, 8, 9, 31, 32, 33, 100, 255, 256, 257, 1000}) {
        std::vector<uint16_t> row(width);
        for (uint16_t& c : row)
            c = uint16_t(random());
        size_t bytes = (width * bits + 7) / 8;
        std::vector<uint8_t> ref(bytes + 8, 0x5A), simd(bytes + 8, 0x5A);
        size_t phase = random() % tile.width;
        int ty = int(random() % tile.height);
        if (bits == 1) {
            threshold_row_1bit_scalar(row.data(), tile.row16(0, ty), tile.width,
                                      phase, width, ref.data());
            threshold_row_1bit_simd(row.data(), tile.row16(0, ty), tile.width,
                                    phase, width, simd.data());
        } else {
            threshold_row_2bit_scalar(row.data(), tile.row16(0, ty),
                                      tile.row16(1, ty), tile.row16(2, ty),
                                      tile.width, phase, width, ref.data());
            threshold_row_2bit_simd(row.data(), tile.row16(0, ty),
                                    tile.row16(1, ty), tile.row16(2, ty),
                                    tile.width, phase, width, simd.data());
        }
        INFO("16-bit width " << width << " phase " << phase);
        REQUIRE(ref == simd);
    }
}

} // namespace

TEST_CASE("threshold kernels are bit-exact with the scalar reference on "
          "every compiled target")
{
    std::mt19937 random(7);
    const std::vector<double> drops = {0.3, 0.6, 1.0};
    auto blue = blue_noise_set(RIPLINE_PROFILE_DIR "/screens", 128, 1)[0];
    std::vector<uint32_t> ranks(blue.ranks.begin(), blue.ranks.end());
    const ThresholdTile tiles[] = {
        make_threshold_tile(128, 128, ranks, {}),
        make_threshold_tile(128, 128, ranks, drops),
        random_tile(51, 17, {}, random),
        random_tile(51, 17, drops, random),
        random_tile(3, 5, {}, random),
    };

    auto targets = hwy::SupportedAndGeneratedTargets();
    REQUIRE(!targets.empty());
    for (int64_t target : targets) {
        hwy::SetSupportedTargetsForTest(target);
        INFO("target " << hwy::TargetName(target));
        REQUIRE(std::string(threshold_simd_target()) ==
                hwy::TargetName(target));
        for (const ThresholdTile& tile : tiles) {
            const int bits = tile.planes == 1 ? 1 : 2;
            compare_on_current_target(tile, bits, random);
            compare16_on_current_target(tile, bits, random);
        }
    }
    hwy::SetSupportedTargetsForTest(0);
}

TEST_CASE("threshold tiles: planes ordered, flat tints exact per tile")
{
    std::mt19937 random(3);
    ThresholdTile tile = random_tile(40, 25, {0.25, 0.5, 1.0}, random);
    for (int y = 0; y < tile.height; ++y)
        for (int x = 0; x < tile.width; ++x) {
            REQUIRE(tile.row(0, y)[x] <= tile.row(1, y)[x]);
            REQUIRE(tile.row(1, y)[x] <= tile.row(2, y)[x]);
            REQUIRE(tile.row(2, y)[x] <= 254); // 255 fires every drop
        }
    // The stored rows repeat the tile row past its period.
    for (size_t x = tile.width; x < tile.row_stride; ++x)
        REQUIRE(tile.row(1, 7)[x] == tile.row(1, 7)[x % tile.width]);
}
