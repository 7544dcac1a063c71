// SPDX-License-Identifier: AGPL-3.0-or-later
// ThresholdScreen: an ink screened against a threshold tile, row by row.
#include "core/screen/ink_screen.hpp"

namespace ripline::screen {

namespace {

class ThresholdScreen final : public InkScreen {
public:
    ThresholdScreen(ThresholdTile tile, bool simd)
        : tile_(std::move(tile)), simd_(simd)
    {
    }

    void screen(const uint8_t* contone, size_t contone_stride, int width, int y,
                int rows, uint8_t* out, size_t out_stride) const override
    {
        screen_rows(contone, contone_stride, width, y, rows, out, out_stride);
    }

    void screen16(const uint16_t* contone, size_t contone_stride, int width,
                  int y, int rows, uint8_t* out,
                  size_t out_stride) const override
    {
        screen_rows(contone, contone_stride, width, y, rows, out, out_stride);
    }

private:
    template <typename T>
    void screen_rows(const T* contone, size_t contone_stride, int width, int y,
                     int rows, uint8_t* out, size_t out_stride) const
    {
        const size_t period = tile_.width;
        for (int r = 0; r < rows; ++r) {
            // The sheet row, not the band row, picks the tile row, so
            // bands meet without a seam.
            int ty;
            size_t phase;
            tile_.locate(int64_t(y) + r, ty, phase);
            const T* c = contone + size_t(r) * contone_stride;
            uint8_t* o = out + size_t(r) * out_stride;
            if (tile_.planes == 1)
                row_1bit(c, tile_row<T>(0, ty), period, phase, width, o);
            else
                row_2bit(c, ty, period, phase, width, o);
        }
    }

    template <typename T>
    const T* tile_row(int plane, int ty) const
    {
        if constexpr (sizeof(T) == 1)
            return tile_.row(plane, ty);
        else
            return tile_.row16(plane, ty);
    }

    template <typename T>
    void row_1bit(const T* c, const T* t, size_t period, size_t phase,
                  int width, uint8_t* o) const
    {
        if (simd_)
            threshold_row_1bit_simd(c, t, period, phase, width, o);
        else
            threshold_row_1bit_scalar(c, t, period, phase, width, o);
    }

    template <typename T>
    void row_2bit(const T* c, int ty, size_t period, size_t phase, int width,
                  uint8_t* o) const
    {
        const T* s = tile_row<T>(0, ty);
        const T* m = tile_row<T>(1, ty);
        const T* l = tile_row<T>(2, ty);
        if (simd_)
            threshold_row_2bit_simd(c, s, m, l, period, phase, width, o);
        else
            threshold_row_2bit_scalar(c, s, m, l, period, phase, width, o);
    }

    ThresholdTile tile_;
    bool simd_;
};

} // namespace

std::unique_ptr<InkScreen> make_threshold_screen(ThresholdTile tile, bool simd)
{
    return std::make_unique<ThresholdScreen>(std::move(tile), simd);
}

} // namespace ripline::screen
