// SPDX-License-Identifier: AGPL-3.0-or-later
// Planes: Highway's interleaved loads and stores for 3- and 4-byte
// pixels, with a scalar loop for the tail and every other layout.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "core/color/planes_hwy.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "core/color/planes.hpp"
#include "core/color/simd.hpp"

HWY_BEFORE_NAMESPACE();
namespace ripline::color::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Returns how many pixels it did; the caller does the rest.
size_t split_simd(const uint8_t* in, int step, int channels,
                  uint8_t* const* planes, size_t count)
{
    const hn::ScalableTag<uint8_t> d;
    const size_t lanes = hn::Lanes(d);
    size_t i = 0;
    if (step == 3 && channels == 3) {
        for (; i + lanes <= count; i += lanes) {
            hn::Vec<decltype(d)> a, b, c;
            hn::LoadInterleaved3(d, in + 3 * i, a, b, c);
            hn::StoreU(a, d, planes[0] + i);
            hn::StoreU(b, d, planes[1] + i);
            hn::StoreU(c, d, planes[2] + i);
        }
    } else if (step == 4 && (channels == 3 || channels == 4)) {
        for (; i + lanes <= count; i += lanes) {
            hn::Vec<decltype(d)> a, b, c, e;
            hn::LoadInterleaved4(d, in + 4 * i, a, b, c, e);
            hn::StoreU(a, d, planes[0] + i);
            hn::StoreU(b, d, planes[1] + i);
            hn::StoreU(c, d, planes[2] + i);
            if (channels == 4)
                hn::StoreU(e, d, planes[3] + i);
        }
    }
    return i;
}

size_t join_simd(const uint8_t* const* planes, int channels, uint8_t* out,
                 int step, size_t count)
{
    const hn::ScalableTag<uint8_t> d;
    const size_t lanes = hn::Lanes(d);
    size_t i = 0;
    if (step == 3 && channels == 3) {
        for (; i + lanes <= count; i += lanes)
            hn::StoreInterleaved3(hn::LoadU(d, planes[0] + i),
                                  hn::LoadU(d, planes[1] + i),
                                  hn::LoadU(d, planes[2] + i), d,
                                  out + 3 * i);
    } else if (step == 4 && channels == 4) {
        for (; i + lanes <= count; i += lanes)
            hn::StoreInterleaved4(hn::LoadU(d, planes[0] + i),
                                  hn::LoadU(d, planes[1] + i),
                                  hn::LoadU(d, planes[2] + i),
                                  hn::LoadU(d, planes[3] + i), d,
                                  out + 4 * i);
    }
    return i;
}

}  // namespace ripline::color::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ripline::color {

HWY_EXPORT(split_simd);
HWY_EXPORT(join_simd);

void split_planes(const uint8_t* in, int step, int channels,
                  uint8_t* const* planes, size_t count)
{
    size_t done = simd_disabled() ? 0
                                  : HWY_DYNAMIC_DISPATCH(split_simd)(
                                        in, step, channels, planes, count);
    const uint8_t* px = in + done * size_t(step);
    for (size_t i = done; i < count; ++i, px += step)
        for (int c = 0; c < channels; ++c)
            planes[c][i] = px[c];
}

void join_planes(const uint8_t* const* planes, int channels, uint8_t* out,
                 int step, size_t count)
{
    size_t done = simd_disabled() ? 0
                                  : HWY_DYNAMIC_DISPATCH(join_simd)(
                                        planes, channels, out, step, count);
    uint8_t* px = out + done * size_t(step);
    for (size_t i = done; i < count; ++i, px += step)
        for (int c = 0; c < channels; ++c)
            px[c] = planes[c][i];
}

}  // namespace ripline::color
#endif  // HWY_ONCE
