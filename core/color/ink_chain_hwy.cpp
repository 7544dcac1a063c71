// SPDX-License-Identifier: AGPL-3.0-or-later
// InkChain band kernels in Highway: split + linearisation tables, the
// hue-preserving limits and the layers, one pixel per float lane, each
// step in the order of the scalar reference in ink_chain.cpp.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "core/color/ink_chain_hwy.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "core/color/ink_chain.hpp"

HWY_BEFORE_NAMESPACE();
namespace ripline::color::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
using DI = hn::RebindToSigned<DF>;
using VF = hn::Vec<DF>;

template <typename T> constexpr float full_scale()
{
    return sizeof(T) == 1 ? 255.0f : 65535.0f;
}

HWY_INLINE VF load_unit(const uint8_t* p)
{
    const DI di;
    const hn::Rebind<uint8_t, DI> d8;
    return hn::ConvertTo(DF(), hn::PromoteTo(di, hn::LoadU(d8, p)));
}

HWY_INLINE VF load_unit(const uint16_t* p)
{
    const DI di;
    const hn::Rebind<uint16_t, DI> d16;
    return hn::ConvertTo(DF(), hn::PromoteTo(di, hn::LoadU(d16, p)));
}

HWY_INLINE void store_unit(VF v, uint8_t* p)
{
    const DF df;
    const hn::Rebind<uint8_t, DI> d8;
    const VF scaled = hn::Add(
        hn::Mul(hn::Min(hn::Max(v, hn::Zero(df)), hn::Set(df, 1.0f)),
                hn::Set(df, 255.0f)),
        hn::Set(df, 0.5f));
    hn::StoreU(hn::DemoteTo(d8, hn::ConvertTo(DI(), scaled)), d8, p);
}

HWY_INLINE void store_unit(VF v, uint16_t* p)
{
    const DF df;
    const hn::Rebind<uint16_t, DI> d16;
    const VF scaled = hn::Add(
        hn::Mul(hn::Min(hn::Max(v, hn::Zero(df)), hn::Set(df, 1.0f)),
                hn::Set(df, 65535.0f)),
        hn::Set(df, 0.5f));
    hn::StoreU(hn::DemoteTo(d16, hn::ConvertTo(DI(), scaled)), d16, p);
}

// A 4097-point table at X (0..1), interpolated.
HWY_INLINE VF table_at(const float* table, VF x)
{
    const DF df;
    const DI di;
    const VF pos = hn::Mul(x, hn::Set(df, float(ChainTables::steps)));
    const auto k = hn::Min(hn::ConvertTo(di, pos),
                           hn::Set(di, ChainTables::steps - 1));
    const VF f = hn::Sub(pos, hn::ConvertTo(df, k));
    const VF lo = hn::GatherIndex(df, table, k);
    const VF hi = hn::GatherIndex(df, table, hn::Add(k, hn::Set(di, 1)));
    return hn::Add(lo, hn::Mul(f, hn::Sub(hi, lo)));
}

// The nearest of the 4097 points: for 8-bit output the step it skips is
// under 0.1 of an output step even on the steepest split curve.
HWY_INLINE VF table_near(const float* table, VF x)
{
    const DF df;
    const DI di;
    const VF pos = hn::Mul(x, hn::Set(df, float(ChainTables::steps)));
    const auto k = hn::ConvertTo(di, hn::Add(pos, hn::Set(df, 0.5f)));
    return hn::GatherIndex(df, table, k);
}

template <typename Out> HWY_INLINE VF lookup(const float* table, VF x)
{
    return sizeof(Out) == 1 ? table_near(table, x) : table_at(table, x);
}

// The limits on one block of pixels held in V (ink-major, LANES apart).
HWY_INLINE void limit_block(const ChainTables& t, float* v, size_t lanes)
{
    const DF df;
    const VF zero = hn::Zero(df), one = hn::Set(df, 1.0f);
    VF colour = zero, black = zero, scale = one;
    for (int i = 0; i < t.inks; ++i) {
        VF x = hn::Load(df, v + i * lanes);
        const VF cap = hn::Set(df, t.cap[i]);
        if (t.kind[i] == ChainTables::black) {
            x = hn::Min(x, cap);
            hn::Store(x, df, v + i * lanes);
            black = hn::Add(black, x);
        } else if (t.kind[i] == ChainTables::colour) {
            const auto over_cap = hn::Gt(x, cap);
            if (!hn::AllFalse(df, over_cap))
                scale = hn::IfThenElse(
                    over_cap, hn::Min(scale, hn::Div(cap, x)), scale);
            colour = hn::Add(colour, x);
        }
    }
    colour = hn::Mul(colour, scale);

    // Over the total: from colour first; black alone when it is over.
    const VF total = hn::Set(df, t.total);
    const auto over = hn::Gt(hn::Add(colour, black), total);
    if (hn::AllFalse(df, over) && hn::AllTrue(df, hn::Eq(scale, one)))
        return;
    const auto black_over = hn::And(over, hn::Not(hn::Lt(black, total)));
    const VF black_scale = hn::IfThenElse(
        black_over,
        hn::IfThenElse(hn::Gt(black, zero), hn::Div(total, black), zero),
        one);
    const VF cut = hn::Mul(scale, hn::Div(hn::Sub(total, black), colour));
    scale = hn::IfThenElse(over, hn::IfThenElse(black_over, zero, cut),
                           scale);
    for (int i = 0; i < t.inks; ++i) {
        if (t.kind[i] == ChainTables::none)
            continue;
        const VF x = hn::Load(df, v + i * lanes);
        hn::Store(hn::Mul(x, t.kind[i] == ChainTables::black ? black_scale
                                                               : scale),
                  df, v + i * lanes);
    }
}

HWY_INLINE void layer_block(const ChainTables& t, float* v, size_t lanes)
{
    const DF df;
    VF most = hn::Zero(df);
    for (int i = 0; i < t.inks; ++i)
        if (t.printing[i])
            most = hn::Max(most, hn::Load(df, v + i * lanes));
    for (const ChainTables::Layer& layer : t.layers) {
        const VF amount = hn::Set(df, layer.amount);
        if (layer.source == LayerSource::flood)
            hn::Store(amount, df, v + layer.ink * lanes);
        else if (layer.source == LayerSource::under_colour)
            hn::Store(hn::IfThenElseZero(
                          hn::Not(hn::Lt(most, hn::Set(df, layer.threshold))),
                          amount),
                      df, v + layer.ink * lanes);
    }
}

template <typename In, typename Out>
void run_t(const ChainTables& t, const In* const* in, Out* const* out,
           size_t count)
{
    const DF df;
    const size_t lanes = hn::Lanes(df);
    HWY_ALIGN float v[max_inks * (HWY_MAX_BYTES / sizeof(float))];
    const VF to_unit = hn::Set(df, 1.0f / full_scale<In>());
    size_t p = 0;
    for (; p + lanes <= count; p += lanes) {
        // Split and linearise each profile channel through its tables.
        for (int i = 0; i < t.inks; ++i)
            hn::Store(hn::Zero(df), df, v + i * lanes);
        for (int c = 0; c < t.sources; ++c) {
            const VF x = hn::Mul(load_unit(in[c] + p), to_unit);
            hn::Store(lookup<Out>(t.dark[c], x), df,
                      v + t.dark_ink[c] * lanes);
            if (t.light[c])
                hn::Store(lookup<Out>(t.light[c], x), df,
                          v + t.light_ink[c] * lanes);
        }
        limit_block(t, v, lanes);
        layer_block(t, v, lanes);
        for (int i = 0; i < t.inks; ++i)
            store_unit(hn::Load(df, v + i * lanes), out[i] + p);
    }
    if (p == count)
        return;

    // The tail through the scalar reference.
    const In* in_rest[max_inks];
    Out* out_rest[max_inks];
    for (int c = 0; c < t.sources; ++c)
        in_rest[c] = in[c] + p;
    for (int i = 0; i < t.inks; ++i)
        out_rest[i] = out[i] + p;
    chain_kernels::run_scalar(t, in_rest, out_rest, count - p);
}

void run_8_8(const ChainTables& t, const uint8_t* const* in,
             uint8_t* const* out, size_t count)
{
    run_t(t, in, out, count);
}

void run_16_8(const ChainTables& t, const uint16_t* const* in,
              uint8_t* const* out, size_t count)
{
    run_t(t, in, out, count);
}

void run_16_16(const ChainTables& t, const uint16_t* const* in,
               uint16_t* const* out, size_t count)
{
    run_t(t, in, out, count);
}

}  // namespace ripline::color::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ripline::color {

HWY_EXPORT(run_8_8);
HWY_EXPORT(run_16_8);
HWY_EXPORT(run_16_16);

void chain_kernels::run_simd(const ChainTables& t, const uint8_t* const* in,
                             uint8_t* const* out, size_t count)
{
    HWY_DYNAMIC_DISPATCH(run_8_8)(t, in, out, count);
}

void chain_kernels::run_simd(const ChainTables& t, const uint16_t* const* in,
                             uint8_t* const* out, size_t count)
{
    HWY_DYNAMIC_DISPATCH(run_16_8)(t, in, out, count);
}

void chain_kernels::run_simd(const ChainTables& t, const uint16_t* const* in,
                             uint16_t* const* out, size_t count)
{
    HWY_DYNAMIC_DISPATCH(run_16_16)(t, in, out, count);
}

}  // namespace ripline::color
#endif  // HWY_ONCE
