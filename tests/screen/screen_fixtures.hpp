// SPDX-License-Identifier: AGPL-3.0-or-later
// Helpers the screen tests share: planes to screen and dots to count.
#pragma once

#include "core/screen/screen.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace ripline::screen::test {

// A contone plane and the packed dots screened from it.
struct Plane {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> contone;
    size_t out_stride = 0;
    std::vector<uint8_t> dots;
};

inline Plane flat_plane(int width, int height, uint8_t tint)
{
    Plane plane;
    plane.width = width;
    plane.height = height;
    plane.contone.assign(size_t(width) * height, tint);
    return plane;
}

// Screens the whole plane in bands of `band_rows` rows, in order.
inline void screen_in_bands(const Screener& screener, int ink, Plane& plane,
                            int band_rows)
{
    int bits = screener.bits_per_dot();
    plane.out_stride = (size_t(plane.width) * bits + 7) / 8;
    plane.dots.assign(plane.out_stride * plane.height, 0xAA);
    for (int y = 0; y < plane.height; y += band_rows) {
        int rows = std::min(band_rows, plane.height - y);
        screener.screen_plane(
            ink, plane.contone.data() + size_t(y) * plane.width, plane.width,
            plane.width, y, rows, plane.dots.data() + y * plane.out_stride,
            plane.out_stride);
    }
}

// The same from 16-bit contone (plane.contone16, width * height values).
inline void screen16_in_bands(const Screener& screener, int ink,
                              const std::vector<uint16_t>& contone16,
                              Plane& plane, int band_rows)
{
    int bits = screener.bits_per_dot();
    plane.out_stride = (size_t(plane.width) * bits + 7) / 8;
    plane.dots.assign(plane.out_stride * plane.height, 0xAA);
    for (int y = 0; y < plane.height; y += band_rows) {
        int rows = std::min(band_rows, plane.height - y);
        screener.screen_plane16(ink, contone16.data() + size_t(y) * plane.width,
                                plane.width, plane.width, y, rows,
                                plane.dots.data() + y * plane.out_stride,
                                plane.out_stride);
    }
}

// The drop level (0 .. 2^bits - 1) of dot (x, y).
inline int dot_level(const Plane& plane, int bits, int x, int y)
{
    size_t bit = size_t(x) * bits;
    uint8_t byte = plane.dots[y * plane.out_stride + bit / 8];
    return (byte >> (8 - bits - bit % 8)) & ((1 << bits) - 1);
}

// Mean ink of a region, each dot weighted by its drop's relative volume
// (volumes[level - 1], the largest being 1).
inline double coverage(const Plane& plane, int bits,
                       const std::vector<double>& volumes, int x0 = 0,
                       int y0 = 0, int w = -1, int h = -1)
{
    w = w < 0 ? plane.width - x0 : w;
    h = h < 0 ? plane.height - y0 : h;
    double sum = 0;
    for (int y = y0; y < y0 + h; ++y)
        for (int x = x0; x < x0 + w; ++x) {
            int level = dot_level(plane, bits, x, y);
            if (level)
                sum +=
                    volumes.empty() ? 1.0 : volumes[level - 1] / volumes.back();
        }
    return sum / (double(w) * h);
}

inline std::unique_ptr<Screener> make_screener(const ScreenSpec& spec,
                                               int inks = 4, double dpi = 720,
                                               bool simd = true)
{
    return Screener::create(spec, inks, dpi, dpi, RIPLINE_PROFILE_DIR, simd);
}

} // namespace ripline::screen::test
