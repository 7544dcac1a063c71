// SPDX-License-Identifier: AGPL-3.0-or-later
// ChainLut kernels in Highway: tetrahedral interpolation of a 16-bit
// table, one pixel per 32-bit lane, with the exact integer arithmetic of
// the scalar reference in chain_lut.cpp, so both give the same numbers.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "core/color/chain_lut_hwy.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "core/color/chain_lut.hpp"

HWY_BEFORE_NAMESPACE();
namespace ripline::color::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DI = hn::ScalableTag<int32_t>;
using DU = hn::RebindToUnsigned<DI>;
using VU = hn::Vec<DU>;

// The four corners of each lane's tetrahedron and their weights.
struct Tetra {
    VU c0, c1, c2, c3;
    VU w0, w1, w2, w3;
};

HWY_INLINE Tetra locate(const LutTable& t, VU cell0, VU cell1, VU cell2,
                        VU f0, VU f1, VU f2)
{
    const DI di;
    const DU du;
    const VU s0 = hn::Set(du, t.stride[0]), s1 = hn::Set(du, t.stride[1]);
    const VU s2 = hn::Set(du, t.stride[2]);

    // The order of the fractions, ties to the lower axis, as the scalar
    // code breaks them (a >= b is !(a < b); fractions fit in int32).
    const auto i0 = hn::BitCast(di, f0), i1 = hn::BitCast(di, f1);
    const auto i2 = hn::BitCast(di, f2);
    const auto ab = hn::RebindMask(du, hn::Not(hn::Lt(i0, i1)));
    const auto ac = hn::RebindMask(du, hn::Not(hn::Lt(i0, i2)));
    const auto bc = hn::RebindMask(du, hn::Not(hn::Lt(i1, i2)));
    const VU s_max = hn::IfThenElse(
        hn::And(ab, ac), s0, hn::IfThenElse(hn::AndNot(ab, bc), s1, s2));
    const VU s_min = hn::IfThenElse(
        hn::And(ac, bc), s2, hn::IfThenElse(hn::AndNot(bc, ab), s1, s0));
    const VU f_max = hn::Max(hn::Max(f0, f1), f2);
    const VU f_min = hn::Min(hn::Min(f0, f1), f2);
    const VU f_mid = hn::Sub(hn::Add(hn::Add(f0, f1), f2),
                             hn::Add(f_max, f_min));

    Tetra q;
    const VU all = hn::Add(hn::Add(s0, s1), s2);
    q.c0 = hn::Add(hn::Add(hn::Mul(cell0, s0), hn::Mul(cell1, s1)),
                   hn::Mul(cell2, s2));
    q.c1 = hn::Add(q.c0, s_max);
    q.c2 = hn::Sub(hn::Add(q.c0, all), s_min);
    q.c3 = hn::Add(q.c0, all);
    q.w0 = hn::Sub(hn::Set(du, 65536), f_max);
    q.w1 = hn::Sub(f_max, f_mid);
    q.w2 = hn::Sub(f_mid, f_min);
    q.w3 = f_min;
    return q;
}

// Blend word PAIR of the four corners, OFFSET words further on: the
// low and high channel, rounded to 16 bits.
HWY_INLINE void blend(const LutTable& t, const Tetra& q, VU offset, int pair,
                      VU& lo, VU& hi)
{
    const DI di;
    const DU du;
    const int32_t* words = reinterpret_cast<const int32_t*>(t.words) + pair;
    const VU mask = hn::Set(du, 0xFFFF);
    VU acc_lo = hn::Set(du, 32768), acc_hi = acc_lo;
    const VU corners[4] = {q.c0, q.c1, q.c2, q.c3};
    const VU weights[4] = {q.w0, q.w1, q.w2, q.w3};
    for (int k = 0; k < 4; ++k) {
        const VU index = hn::Add(corners[k], offset);
        const VU g = hn::BitCast(
            du, hn::GatherIndex(di, words, hn::BitCast(di, index)));
        acc_lo = hn::Add(acc_lo, hn::Mul(weights[k], hn::And(g, mask)));
        acc_hi = hn::Add(acc_hi, hn::Mul(weights[k], hn::ShiftRight<16>(g)));
    }
    lo = hn::ShiftRight<16>(acc_lo);
    hi = hn::ShiftRight<16>(acc_hi);
}

HWY_INLINE void store(VU v, uint8_t* out)
{
    const DU du;
    const hn::Rebind<uint8_t, DI> d8;
    const VU v8 = hn::ShiftRight<16>(
        hn::Add(hn::Mul(v, hn::Set(du, 255)), hn::Set(du, 32895)));
    hn::StoreU(hn::DemoteTo(d8, hn::BitCast(DI(), v8)), d8, out);
}

HWY_INLINE void store(VU v, uint16_t* out)
{
    const hn::Rebind<uint16_t, DI> d16;
    hn::StoreU(hn::DemoteTo(d16, hn::BitCast(DI(), v)), d16, out);
}

// Along K: (r0 * (65536 - f) + r1 * f + 32768) >> 16.
HWY_INLINE VU lerp_k(VU r0, VU r1, VU f)
{
    const DU du;
    const VU keep = hn::Sub(hn::Set(du, 65536), f);
    return hn::ShiftRight<16>(hn::Add(
        hn::Add(hn::Mul(r0, keep), hn::Mul(r1, f)), hn::Set(du, 32768)));
}

template <typename Out>
HWY_INLINE void run_block(const LutTable& t, const uint8_t* const* in,
                          Out* const* out, size_t i)
{
    const DU du;
    const hn::Rebind<uint8_t, DU> d8;
    const VU mul = hn::Set(du, uint32_t(t.grid - 1) * 257);
    const VU low = hn::Set(du, 0xFFFF);
    VU cell[4] = {low, low, low, low}, f[4] = {low, low, low, low};
    for (int a = 0; a < t.inputs; ++a) {
        const VU p = hn::Mul(hn::PromoteTo(du, hn::LoadU(d8, in[a] + i)), mul);
        cell[a] = hn::ShiftRight<16>(p);
        f[a] = hn::And(p, low);
    }
    const Tetra q = locate(t, cell[0], cell[1], cell[2], f[0], f[1], f[2]);
    const VU zero = hn::Zero(du);
    const VU k0 = t.inputs == 4 ? hn::Mul(cell[3], hn::Set(du, t.stride[3]))
                                : zero;
    const VU k1 = hn::Add(k0, hn::Set(du, t.stride[3]));
    for (int pair = 0; pair < t.pairs; ++pair) {
        VU lo, hi;
        blend(t, q, k0, pair, lo, hi);
        if (t.inputs == 4) {
            VU lo1, hi1;
            blend(t, q, k1, pair, lo1, hi1);
            lo = lerp_k(lo, lo1, f[3]);
            hi = lerp_k(hi, hi1, f[3]);
        }
        store(lo, out[2 * pair] + i);
        if (2 * pair + 1 < t.channels)
            store(hi, out[2 * pair + 1] + i);
    }
}

template <typename Out>
void run_t(const LutTable& t, const uint8_t* const* in, Out* const* out,
           size_t count)
{
    const size_t lanes = hn::Lanes(DU());
    size_t i = 0;
    if (t.inputs == 3 || t.inputs == 4)
        for (; i + lanes <= count; i += lanes)
            run_block(t, in, out, i);
    if (i == count)
        return;

    // The tail (and 1-input tables) through the scalar reference.
    const uint8_t* in_rest[4];
    Out* out_rest[max_inks];
    for (int a = 0; a < t.inputs; ++a)
        in_rest[a] = in[a] + i;
    for (int ch = 0; ch < t.channels; ++ch)
        out_rest[ch] = out[ch] + i;
    kernels::run_scalar(t, in_rest, out_rest, count - i);
}

void run8(const LutTable& t, const uint8_t* const* in, uint8_t* const* out,
          size_t count)
{
    run_t(t, in, out, count);
}

void run16(const LutTable& t, const uint8_t* const* in, uint16_t* const* out,
           size_t count)
{
    run_t(t, in, out, count);
}

}  // namespace ripline::color::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ripline::color {

HWY_EXPORT(run8);
HWY_EXPORT(run16);

void kernels::run_simd(const LutTable& t, const uint8_t* const* in,
                       uint8_t* const* out, size_t count)
{
    HWY_DYNAMIC_DISPATCH(run8)(t, in, out, count);
}

void kernels::run_simd(const LutTable& t, const uint8_t* const* in,
                       uint16_t* const* out, size_t count)
{
    HWY_DYNAMIC_DISPATCH(run16)(t, in, out, count);
}

}  // namespace ripline::color
#endif  // HWY_ONCE
