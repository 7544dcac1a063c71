// SPDX-License-Identifier: AGPL-3.0-or-later
// SIMD row kernels for threshold screens, one build per Highway target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "core/screen/threshold_hwy.cpp"
#include "core/screen/threshold.hpp"

#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace ripline::screen::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR

// One lane is no vector: the scalar target runs the references.
template <typename T>
void row_1bit(const T* contone, const T* thresholds, size_t period,
              size_t phase, size_t width, uint8_t* out)
{
    threshold_row_1bit_scalar(contone, thresholds, period, phase, width, out);
}

template <typename T>
void row_2bit(const T* contone, const T* small, const T* medium, const T* large,
              size_t period, size_t phase, size_t width, uint8_t* out)
{
    threshold_row_2bit_scalar(contone, small, medium, large, period, phase,
                              width, out);
}

#else

// Mirrors the bits of each byte in place: StoreMaskBits puts the first
// dot in bit 0, the devices want it in bit 7.
void reverse_bits(uint8_t* bytes, size_t count)
{
    const hn::FixedTag<uint8_t, 16> d;
    alignas(16) static constexpr uint8_t low[16] = {
        0x00, 0x80, 0x40, 0xC0, 0x20, 0xA0, 0x60, 0xE0,
        0x10, 0x90, 0x50, 0xD0, 0x30, 0xB0, 0x70, 0xF0};
    alignas(16) static constexpr uint8_t high[16] = {
        0x0, 0x8, 0x4, 0xC, 0x2, 0xA, 0x6, 0xE,
        0x1, 0x9, 0x5, 0xD, 0x3, 0xB, 0x7, 0xF};
    const auto low_table = hn::Load(d, low);
    const auto high_table = hn::Load(d, high);
    const auto nibble = hn::Set(d, 0x0F);
    const hn::Repartition<uint16_t, decltype(d)> d16;

    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        const auto v = hn::LoadU(d, bytes + i);
        const auto top = hn::And(
            hn::BitCast(d, hn::ShiftRight<4>(hn::BitCast(d16, v))), nibble);
        const auto mirrored =
            hn::Or(hn::TableLookupBytes(low_table, hn::And(v, nibble)),
                   hn::TableLookupBytes(high_table, top));
        hn::StoreU(mirrored, d, bytes + i);
    }
    for (; i < count; ++i) {
        uint8_t b = bytes[i];
        bytes[i] = uint8_t(low[b & 15] | high[b >> 4]);
    }
}

// 1 bit per dot: a dot fires where contone > threshold. Whole vectors
// go through the SIMD loop span by span; the last partial vector of the
// row goes to the scalar reference, which starts on a byte boundary.
template <typename T>
void row_1bit(const T* contone, const T* thresholds, size_t period,
              size_t phase, size_t width, uint8_t* out)
{
    const hn::ScalableTag<T> d;
    const size_t lanes = hn::Lanes(d);
    if (lanes < 8 || lanes > size_t(span_dots))
        return threshold_row_1bit_scalar(contone, thresholds, period, phase,
                                         width, out);

    size_t x = 0, p = phase;
    while (x + lanes <= width) {
        const size_t span = std::min<size_t>(span_dots, width - x);
        const T* t = thresholds + p;
        size_t i = 0;
        for (; i + lanes <= span; i += lanes) {
            const auto fire =
                hn::Gt(hn::LoadU(d, contone + x + i), hn::LoadU(d, t + i));
            hn::StoreMaskBits(d, fire, out + (x + i) / 8);
        }
        x += i;
        p = (p + i) % period;
    }
    reverse_bits(out, x / 8);
    if (x < width)
        threshold_row_1bit_scalar(contone + x, thresholds, period, p, width - x,
                                  out + x / 8);
}

// Packs drop levels (0-3, one per byte lane) four to a byte, first dot
// in the top bits, in two steps: pairs of dots in 16-bit lanes become
// 4-bit values in the low byte, then pairs of those in 32-bit lanes one
// byte. Bits above the low byte are left over and cut off at the end.
template <class D8>
void store_levels(D8 d8, hn::VFromD<D8> level, uint8_t* out)
{
    const hn::Repartition<uint16_t, D8> d16;
    const hn::Repartition<uint32_t, D8> d32;
    const hn::Rebind<uint8_t, decltype(d32)> dq;
    const auto v16 = hn::BitCast(d16, level);
    const auto pairs = hn::Or(hn::ShiftLeft<2>(v16), hn::ShiftRight<8>(v16));
    const auto v32 = hn::BitCast(d32, pairs);
    const auto packed = hn::Or(hn::ShiftLeft<4>(v32), hn::ShiftRight<16>(v32));
    hn::StoreU(hn::TruncateTo(dq, packed), dq, out);
    (void)d8;
}

// The drop level of each lane: how many of the three planes the contone
// exceeds (a true mask is all ones, -1, so subtracting counts them).
template <class D>
hn::VFromD<D> count_levels(D d, const typename hn::TFromD<D>* contone,
                           const typename hn::TFromD<D>* small,
                           const typename hn::TFromD<D>* medium,
                           const typename hn::TFromD<D>* large)
{
    const auto c = hn::LoadU(d, contone);
    auto level = hn::Zero(d);
    level = hn::Sub(level, hn::VecFromMask(d, hn::Gt(c, hn::LoadU(d, small))));
    level = hn::Sub(level, hn::VecFromMask(d, hn::Gt(c, hn::LoadU(d, medium))));
    level = hn::Sub(level, hn::VecFromMask(d, hn::Gt(c, hn::LoadU(d, large))));
    return level;
}

// Levels of 8-bit lanes are packed as they are; 16-bit lanes are first
// narrowed to bytes (levels are 0-3, so nothing saturates).
template <class D>
void store_levels_of(D d, hn::VFromD<D> level, uint8_t* out)
{
    if constexpr (sizeof(hn::TFromD<D>) == 1) {
        store_levels(d, level, out);
    } else {
        const hn::Rebind<uint8_t, D> d8;
        const hn::RebindToSigned<D> di;
        store_levels(d8, hn::DemoteTo(d8, hn::BitCast(di, level)), out);
    }
}

// 2 bits per dot, value = drop level, four dots per byte.
template <typename T>
void row_2bit(const T* contone, const T* small, const T* medium, const T* large,
              size_t period, size_t phase, size_t width, uint8_t* out)
{
    const hn::ScalableTag<T> d;
    const size_t lanes = hn::Lanes(d);
    if (lanes < 8 || lanes > size_t(span_dots))
        return threshold_row_2bit_scalar(contone, small, medium, large, period,
                                         phase, width, out);

    size_t x = 0, p = phase;
    while (x + lanes <= width) {
        const size_t span = std::min<size_t>(span_dots, width - x);
        size_t i = 0;
        for (; i + lanes <= span; i += lanes) {
            const auto level = count_levels(d, contone + x + i, small + p + i,
                                            medium + p + i, large + p + i);
            store_levels_of(d, level, out + (x + i) / 4);
        }
        x += i;
        p = (p + i) % period;
    }
    if (x < width)
        threshold_row_2bit_scalar(contone + x, small, medium, large, period, p,
                                  width - x, out + x / 4);
}

#endif // HWY_TARGET == HWY_SCALAR

// The entry points, one name each for HWY_EXPORT.
void threshold_row_1bit(const uint8_t* contone, const uint8_t* thresholds,
                        size_t period, size_t phase, size_t width, uint8_t* out)
{
    row_1bit(contone, thresholds, period, phase, width, out);
}

void threshold_row_1bit16(const uint16_t* contone, const uint16_t* thresholds,
                          size_t period, size_t phase, size_t width,
                          uint8_t* out)
{
    row_1bit(contone, thresholds, period, phase, width, out);
}

void threshold_row_2bit(const uint8_t* contone, const uint8_t* small,
                        const uint8_t* medium, const uint8_t* large,
                        size_t period, size_t phase, size_t width, uint8_t* out)
{
    row_2bit(contone, small, medium, large, period, phase, width, out);
}

void threshold_row_2bit16(const uint16_t* contone, const uint16_t* small,
                          const uint16_t* medium, const uint16_t* large,
                          size_t period, size_t phase, size_t width,
                          uint8_t* out)
{
    row_2bit(contone, small, medium, large, period, phase, width, out);
}

const char* target_name()
{
    return hwy::TargetName(HWY_TARGET);
}

} // namespace ripline::screen::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ripline::screen {

HWY_EXPORT(threshold_row_1bit);
HWY_EXPORT(threshold_row_2bit);
HWY_EXPORT(threshold_row_1bit16);
HWY_EXPORT(threshold_row_2bit16);
HWY_EXPORT(target_name);

void threshold_row_1bit_simd(const uint8_t* contone, const uint8_t* thresholds,
                             size_t period, size_t phase, size_t width,
                             uint8_t* out)
{
    HWY_DYNAMIC_DISPATCH(threshold_row_1bit)
    (contone, thresholds, period, phase, width, out);
}

void threshold_row_2bit_simd(const uint8_t* contone, const uint8_t* small,
                             const uint8_t* medium, const uint8_t* large,
                             size_t period, size_t phase, size_t width,
                             uint8_t* out)
{
    HWY_DYNAMIC_DISPATCH(threshold_row_2bit)
    (contone, small, medium, large, period, phase, width, out);
}

void threshold_row_1bit_simd(const uint16_t* contone,
                             const uint16_t* thresholds, size_t period,
                             size_t phase, size_t width, uint8_t* out)
{
    HWY_DYNAMIC_DISPATCH(threshold_row_1bit16)
    (contone, thresholds, period, phase, width, out);
}

void threshold_row_2bit_simd(const uint16_t* contone, const uint16_t* small,
                             const uint16_t* medium, const uint16_t* large,
                             size_t period, size_t phase, size_t width,
                             uint8_t* out)
{
    HWY_DYNAMIC_DISPATCH(threshold_row_2bit16)
    (contone, small, medium, large, period, phase, width, out);
}

const char* threshold_simd_target()
{
    return HWY_DYNAMIC_DISPATCH(target_name)();
}

} // namespace ripline::screen
#endif
