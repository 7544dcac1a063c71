// SPDX-License-Identifier: AGPL-3.0-or-later
// deinterleave_cmyk: interleaved CMYK rows to planes, with channel sums.
#include "core/raster/band.hpp"

namespace ripline::raster {

void deinterleave_cmyk(const uint8_t* cmyk, int width, int rows,
                       uint8_t* const planes[4], size_t plane_stride,
                       uint64_t sums[4])
{
    for (int r = 0; r < rows; r++) {
        const uint8_t* src = cmyk + size_t(r) * width * 4;
        uint8_t* c = planes[0] + r * plane_stride;
        uint8_t* m = planes[1] + r * plane_stride;
        uint8_t* y = planes[2] + r * plane_stride;
        uint8_t* k = planes[3] + r * plane_stride;
        uint32_t row_sums[4] = {0, 0, 0, 0};
        for (int x = 0; x < width; x++) {
            c[x] = src[4 * x + 0];
            m[x] = src[4 * x + 1];
            y[x] = src[4 * x + 2];
            k[x] = src[4 * x + 3];
            row_sums[0] += c[x];
            row_sums[1] += m[x];
            row_sums[2] += y[x];
            row_sums[3] += k[x];
        }
        for (int i = 0; i < 4; i++)
            sums[i] += row_sums[i];
    }
}

}  // namespace ripline::raster
