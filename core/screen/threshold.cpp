// SPDX-License-Identifier: AGPL-3.0-or-later
// Threshold tiles from rank orders, and the scalar reference row kernels.
#include "core/screen/threshold.hpp"

#include <algorithm>
#include <cmath>

namespace ripline::screen {

namespace {

// The contone value a cell must exceed to fire, for a cell whose rank
// sits at fraction q in (0, 1) of the tile and a drop whose tone range
// is [low, high): c > floor(255 * t) holds exactly when c / 255 > t.
// The same holds on the 16-bit scale, so a 16-bit tone c * 257 fires
// exactly the dots the 8-bit tone c fires.
template <typename T>
T threshold_for(double q, double low, double high)
{
    constexpr double full = sizeof(T) == 1 ? 255.0 : 65535.0;
    double t = full * (low + q * (high - low));
    return static_cast<T>(std::min(full - 1, std::floor(t)));
}

template <typename T>
void row_1bit(const T* contone, const T* thresholds, size_t period,
              size_t phase, size_t width, uint8_t* out)
{
    size_t p = phase;
    for (size_t byte = 0; byte < (width + 7) / 8; ++byte) {
        uint8_t bits = 0;
        for (size_t i = 0; i < 8; ++i) {
            size_t x = byte * 8 + i;
            if (x < width && contone[x] > thresholds[p])
                bits |= uint8_t(0x80u >> i);
            p = p + 1 == period ? 0 : p + 1;
        }
        out[byte] = bits;
    }
}

template <typename T>
void row_2bit(const T* contone, const T* small, const T* medium, const T* large,
              size_t period, size_t phase, size_t width, uint8_t* out)
{
    size_t p = phase;
    for (size_t byte = 0; byte < (width + 3) / 4; ++byte) {
        uint8_t bits = 0;
        for (size_t i = 0; i < 4; ++i) {
            size_t x = byte * 4 + i;
            if (x < width) {
                T c = contone[x];
                int level = (c > small[p]) + (c > medium[p]) + (c > large[p]);
                bits |= uint8_t(level << (6 - 2 * i));
            }
            p = p + 1 == period ? 0 : p + 1;
        }
        out[byte] = bits;
    }
}

} // namespace

ThresholdTile make_threshold_tile(int width, int height,
                                  const std::vector<uint32_t>& ranks,
                                  const std::vector<double>& volumes)
{
    ThresholdTile tile;
    tile.width = width;
    tile.height = height;
    tile.planes = volumes.empty() ? 1 : 3;
    tile.row_stride = size_t(width) + span_dots;
    tile.data.resize(tile.row_stride * height * tile.planes);
    tile.data16.resize(tile.data.size());

    // Tone bounds of each plane: one plane spans 0..1; drop levels split
    // 0..1 at the normalised volumes of the smaller drops.
    std::vector<double> bounds = {0.0, 1.0};
    if (!volumes.empty())
        bounds = {0.0, volumes[0] / volumes[2], volumes[1] / volumes[2], 1.0};

    double cells = double(width) * height;
    for (int plane = 0; plane < tile.planes; ++plane)
        for (int y = 0; y < height; ++y) {
            auto* row = const_cast<uint8_t*>(tile.row(plane, y));
            auto* row16 = const_cast<uint16_t*>(tile.row16(plane, y));
            for (int x = 0; x < width; ++x) {
                double q = (ranks[size_t(y) * width + x] + 0.5) / cells;
                double low = bounds[plane], high = bounds[plane + 1];
                row[x] = threshold_for<uint8_t>(q, low, high);
                row16[x] = threshold_for<uint16_t>(q, low, high);
            }
            for (size_t x = width; x < tile.row_stride; ++x) {
                row[x] = row[x % width];
                row16[x] = row16[x % width];
            }
        }
    return tile;
}

void threshold_row_1bit_scalar(const uint8_t* contone,
                               const uint8_t* thresholds, size_t period,
                               size_t phase, size_t width, uint8_t* out)
{
    row_1bit(contone, thresholds, period, phase, width, out);
}

void threshold_row_1bit_scalar(const uint16_t* contone,
                               const uint16_t* thresholds, size_t period,
                               size_t phase, size_t width, uint8_t* out)
{
    row_1bit(contone, thresholds, period, phase, width, out);
}

void threshold_row_2bit_scalar(const uint8_t* contone, const uint8_t* small,
                               const uint8_t* medium, const uint8_t* large,
                               size_t period, size_t phase, size_t width,
                               uint8_t* out)
{
    row_2bit(contone, small, medium, large, period, phase, width, out);
}

void threshold_row_2bit_scalar(const uint16_t* contone, const uint16_t* small,
                               const uint16_t* medium, const uint16_t* large,
                               size_t period, size_t phase, size_t width,
                               uint8_t* out)
{
    row_2bit(contone, small, medium, large, period, phase, width, out);
}

} // namespace ripline::screen
