// SPDX-License-Identifier: AGPL-3.0-or-later
// Threshold tiles and the row kernels that compare contone against them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ripline::screen {

// The kernels read a tile row in spans of this many dots; each stored row
// repeats the tile row so that such a span is contiguous wherever it
// starts. A multiple of every SIMD width we compile for.
inline constexpr int span_dots = 256;

// One ink's threshold tile, laid out for the row kernels. A dot fires at
// level k (1-based) when its contone is greater than plane k-1's value;
// 1-bit tiles have one plane, 2-bit tiles three (small, medium, large),
// and the planes are ordered: plane 0 <= plane 1 <= plane 2 everywhere.
struct ThresholdTile {
    int width = 0;   // period across, in dots
    int height = 0;  // period along the feed, in dots
    int planes = 1;  // 1 or 3
    int phase_x = 0; // where dot x = 0 falls in the tile
    int phase_y = 0;
    // A brick tile (AM): each repeat of the tile along the feed starts
    // this many dots further left, so an angled screen needs only one
    // period of rows. 0 for plain tiles.
    int shift_x = 0;
    size_t row_stride = 0;     // width + span_dots
    std::vector<uint8_t> data; // [plane][row][row_stride]
    // The same thresholds for 16-bit contone (65535 = full ink).
    std::vector<uint16_t> data16;

    const uint8_t* row(int plane, int y) const
    {
        return data.data() + (size_t(plane) * height + y) * row_stride;
    }
    const uint16_t* row16(int plane, int y) const
    {
        return data16.data() + (size_t(plane) * height + y) * row_stride;
    }

    // Where sheet row y reads the tile: the tile row, and the tile column
    // of dot 0.
    void locate(int64_t y, int& tile_row, size_t& tile_column) const
    {
        int64_t shifted = y + phase_y;
        int64_t repeat = shifted / height;
        tile_row = int(shifted % height);
        int64_t column = (phase_x - repeat * shift_x) % width;
        tile_column = size_t(column < 0 ? column + width : column);
    }
};

// Builds a tile from a rank order (each of width * height cells once,
// rank 0 fires first). volumes: empty for 1 bit, or the three increasing
// relative drop volumes for 2 bits (normalised so the largest is 1). The
// thresholds are chosen so that a flat tint t covers t of the tile,
// weighted by drop volume, to within one cell.
ThresholdTile make_threshold_tile(int width, int height,
                                  const std::vector<uint32_t>& ranks,
                                  const std::vector<double>& volumes);

// One row of dots against a tile row. thresholds: a stored tile row
// (length period + span_dots); phase: the tile column of dot 0, in
// [0, period). out: packed MSB first, (width + 7) / 8 bytes written, pad
// bits 0. The _scalar functions are the references the SIMD ones must
// match bit for bit.
void threshold_row_1bit_scalar(const uint8_t* contone,
                               const uint8_t* thresholds, size_t period,
                               size_t phase, size_t width, uint8_t* out);
void threshold_row_1bit_simd(const uint8_t* contone, const uint8_t* thresholds,
                             size_t period, size_t phase, size_t width,
                             uint8_t* out);

// The same for three planes and 2 bits per dot (value = drop level 0-3);
// (2 * width + 7) / 8 bytes written.
void threshold_row_2bit_scalar(const uint8_t* contone, const uint8_t* small,
                               const uint8_t* medium, const uint8_t* large,
                               size_t period, size_t phase, size_t width,
                               uint8_t* out);
void threshold_row_2bit_simd(const uint8_t* contone, const uint8_t* small,
                             const uint8_t* medium, const uint8_t* large,
                             size_t period, size_t phase, size_t width,
                             uint8_t* out);

// The same four kernels for 16-bit contone against 16-bit tile rows.
void threshold_row_1bit_scalar(const uint16_t* contone,
                               const uint16_t* thresholds, size_t period,
                               size_t phase, size_t width, uint8_t* out);
void threshold_row_1bit_simd(const uint16_t* contone,
                             const uint16_t* thresholds, size_t period,
                             size_t phase, size_t width, uint8_t* out);
void threshold_row_2bit_scalar(const uint16_t* contone, const uint16_t* small,
                               const uint16_t* medium, const uint16_t* large,
                               size_t period, size_t phase, size_t width,
                               uint8_t* out);
void threshold_row_2bit_simd(const uint16_t* contone, const uint16_t* small,
                             const uint16_t* medium, const uint16_t* large,
                             size_t period, size_t phase, size_t width,
                             uint8_t* out);

// The name of the Highway target the _simd functions dispatch to now
// (tests use it to prove each target really ran).
const char* threshold_simd_target();

} // namespace ripline::screen
