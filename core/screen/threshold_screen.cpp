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
        const size_t period = tile_.width;
        for (int r = 0; r < rows; ++r) {
            // The sheet row, not the band row, picks the tile row, so
            // bands meet without a seam.
            int ty;
            size_t phase;
            tile_.locate(int64_t(y) + r, ty, phase);
            const uint8_t* c = contone + size_t(r) * contone_stride;
            uint8_t* o = out + size_t(r) * out_stride;
            if (tile_.planes == 1)
                row_1bit(c, tile_.row(0, ty), period, phase, width, o);
            else
                row_2bit(c, ty, period, phase, width, o);
        }
    }

private:
    void row_1bit(const uint8_t* c, const uint8_t* t, size_t period,
                  size_t phase, int width, uint8_t* o) const
    {
        if (simd_)
            threshold_row_1bit_simd(c, t, period, phase, width, o);
        else
            threshold_row_1bit_scalar(c, t, period, phase, width, o);
    }

    void row_2bit(const uint8_t* c, int ty, size_t period, size_t phase,
                  int width, uint8_t* o) const
    {
        const uint8_t* s = tile_.row(0, ty);
        const uint8_t* m = tile_.row(1, ty);
        const uint8_t* l = tile_.row(2, ty);
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
