// SPDX-License-Identifier: AGPL-3.0-or-later
// InkChain: split, linearisation, hue-preserving limits, white, varnish.
#include "core/color/ink_chain.hpp"

#include "core/color/simd.hpp"

#include <algorithm>
#include <cstring>
#include <cmath>

namespace ripline::color {

namespace {

// The light partner of black shares black's place in ink limiting.
bool is_black_family(const PrintMode& mode, int ink)
{
    if (mode.inks[ink] == "K")
        return true;
    for (const LightSplit& split : mode.light_splits)
        if (split.light_ink == ink && mode.inks[split.dark_ink] == "K")
            return true;
    return false;
}

// The sample value of full ink at 8 or 16 bits.
template <typename T> constexpr float full_scale()
{
    return sizeof(T) == 1 ? 255.0f : 65535.0f;
}

}  // namespace

InkChain::InkChain(const PrintMode& mode)
    : profile_inks_(mode.profile_inks), roles_(mode.roles),
      linearization_(mode.linearization), limits_(mode.limits),
      total_limit_(mode.total_limit), white_(mode.white),
      varnish_(mode.varnish)
{
    for (int ink = 0; ink < int(mode.inks.size()); ++ink)
        black_.push_back(is_black_family(mode, ink));

    // Each profile channel feeds its ink, or the two inks of its split.
    for (int ink : profile_inks_) {
        Source source;
        source.ink = ink;
        for (const LightSplit& split : mode.light_splits) {
            if (split.dark_ink != ink)
                continue;
            source.light = split.light_ink;
            source.dark = split.dark;
            source.light_curve = split.light;
        }
        sources_.push_back(std::move(source));
    }
    build_tables();
    identity_ = find_identity();
}

bool InkChain::find_identity() const
{
    const int n = int(profile_inks_.size());
    if (int(roles_.size()) != n || white_.ink >= 0 || varnish_.ink >= 0 ||
        total_limit_ < n)
        return false;
    for (int i = 0; i < n; ++i) {
        const Source& s = sources_[i];
        if (profile_inks_[i] != i || s.light >= 0 || !s.dark.is_identity())
            return false;
        if (i < int(linearization_.size()) &&
            !linearization_[i].is_identity())
            return false;
        if (i < int(limits_.size()) && limits_[i] < 1)
            return false;
    }
    return true;
}

void InkChain::build_tables()
{
    // Split + linearisation of each profile channel, sampled.
    ChainTables& t = tables_;
    t.sources = int(sources_.size());
    for (const Source& s : sources_) {
        std::vector<float> dark(ChainTables::steps + 1);
        std::vector<float> light(s.light >= 0 ? ChainTables::steps + 1 : 0);
        for (int i = 0; i <= ChainTables::steps; ++i) {
            double x = double(i) / ChainTables::steps;
            dark[i] = float(linearization_[s.ink](s.dark(x)));
            if (s.light >= 0)
                light[i] = float(linearization_[s.light](s.light_curve(x)));
        }
        dark_table_.push_back(std::move(dark));
        light_table_.push_back(std::move(light));
    }
    for (int c = 0; c < t.sources; ++c) {
        t.dark[c] = dark_table_[c].data();
        t.light[c] = sources_[c].light >= 0 ? light_table_[c].data()
                                            : nullptr;
        t.dark_ink[c] = sources_[c].ink;
        t.light_ink[c] = sources_[c].light;
    }

    // How each ink is limited, and the layers.
    t.inks = ink_count();
    for (int i = 0; i < t.inks; ++i) {
        bool limited = roles_[i] == InkRole::process
                       || roles_[i] == InkRole::light;
        t.kind[i] = !limited    ? ChainTables::none
                    : black_[i] ? ChainTables::black
                                : ChainTables::colour;
        t.printing[i] = roles_[i] != InkRole::white
                        && roles_[i] != InkRole::varnish;
        t.cap[i] = float(limits_[i]);
    }
    t.total = float(total_limit_);
    const LayerRule* rules[2] = {&white_, &varnish_};
    for (int k = 0; k < 2; ++k) {
        t.layers[k].ink = rules[k]->ink;
        t.layers[k].source = rules[k]->source;
        t.layers[k].amount = std::min(float(rules[k]->amount), 1.0f);
        t.layers[k].threshold = float(rules[k]->threshold);
    }
}

void InkChain::map_inks(const float* profile, float* inks) const
{
    std::fill(inks, inks + ink_count(), 0.0f);

    // Split, then linearise each ink, with the curves themselves.
    for (size_t c = 0; c < sources_.size(); ++c) {
        const Source& s = sources_[c];
        double x = std::clamp(double(profile[c]), 0.0, 1.0);
        inks[s.ink] = float(linearization_[s.ink](s.dark(x)));
        if (s.light >= 0)
            inks[s.light] = float(linearization_[s.light](s.light_curve(x)));
    }
    limit(inks);
}

void InkChain::map_pixel(const float* profile, float* inks) const
{
    map_inks(profile, inks);
    fill_layers(inks);
}

void InkChain::limit(float* inks) const
{
    limit_inks(inks, false);
}

bool InkChain::limits_ink(int ink) const
{
    return roles_.at(ink) == InkRole::spot;
}

// Whether limits count an ink of ROLE: process and light inks always,
// spot inks once spot colours have been added.
static bool counted(InkRole role, bool count_spots)
{
    return role == InkRole::process || role == InkRole::light ||
           (count_spots && role == InkRole::spot);
}

void InkChain::limit_inks(float* inks, bool count_spots) const
{
    // Per-ink limits: black inks are clipped alone; chromatic inks all
    // shrink by the factor that brings the worst one to its limit.
    float colour = 0, black = 0, scale = 1;
    for (int i = 0; i < ink_count(); ++i) {
        if (!counted(roles_[i], count_spots))
            continue;
        float cap = float(limits_[i]);
        if (black_[i]) {
            inks[i] = std::min(inks[i], cap);
            black += inks[i];
        } else {
            if (inks[i] > cap)
                scale = std::min(scale, cap / inks[i]);
            colour += inks[i];
        }
    }
    colour *= scale;

    // The total: take it from the chromatic inks first, keeping black.
    float total = float(total_limit_);
    float black_scale = 1;
    if (colour + black > total) {
        if (black >= total) {
            black_scale = black > 0 ? total / black : 0;
            scale = 0;
        } else {
            scale *= (total - black) / colour;
        }
    }
    if (scale == 1 && black_scale == 1)
        return;
    for (int i = 0; i < ink_count(); ++i)
        if (counted(roles_[i], count_spots))
            inks[i] *= black_[i] ? black_scale : scale;
}

template <typename T>
void InkChain::limit_spot_inks(T* const* out, ptrdiff_t out_stride,
                               int width, int rows) const
{
    // The limits in samples, rounded down: a dot within them is left as
    // it is without going to floats.
    const float full = full_scale<T>();
    const int n = ink_count();
    std::vector<int> spot_inks, counted_inks;
    int cap_samples[max_inks];
    for (int i = 0; i < n; ++i) {
        if (roles_[i] == InkRole::spot)
            spot_inks.push_back(i);
        if (counted(roles_[i], true))
            counted_inks.push_back(i);
        cap_samples[i] = int(std::floor(limits_[i] * full + 1e-6));
    }
    const int total_samples = int(std::floor(total_limit_ * full + 1e-6));
    float v[max_inks];
    for (int y = 0; y < rows; ++y) {
        for (int x = 0; x < width; ++x) {
            // Only dots where a spot ink prints can have changed.
            const ptrdiff_t at = y * out_stride + x;
            bool spot = false;
            for (int i : spot_inks)
                spot |= out[i][at] != 0;
            if (!spot)
                continue;
            int sum = 0;
            bool over = false;
            for (int i : counted_inks) {
                sum += out[i][at];
                over |= out[i][at] > cap_samples[i];
            }
            if (!over && sum <= total_samples)
                continue;
            for (int i = 0; i < n; ++i)
                v[i] = out[i][at] / full;
            limit_inks(v, true);
            for (int i = 0; i < n; ++i)
                if (counted(roles_[i], true))
                    out[i][at] = T(std::clamp(v[i], 0.0f, 1.0f) * full
                                   + 0.5f);
        }
    }
}

template void InkChain::limit_spot_inks(uint8_t* const*, ptrdiff_t, int,
                                        int) const;
template void InkChain::limit_spot_inks(uint16_t* const*, ptrdiff_t, int,
                                        int) const;

void InkChain::fill_layers(float* inks) const
{
    // Under-colour looks at the most ink any printing channel lays.
    float most = 0;
    for (int i = 0; i < ink_count(); ++i)
        if (roles_[i] != InkRole::white && roles_[i] != InkRole::varnish)
            most = std::max(most, inks[i]);
    for (const LayerRule* rule : {&white_, &varnish_}) {
        if (rule->ink < 0)
            continue;
        float amount = std::min(float(rule->amount), 1.0f);
        if (rule->source == LayerSource::flood)
            inks[rule->ink] = amount;
        else if (rule->source == LayerSource::under_colour)
            inks[rule->ink] = most >= rule->threshold ? amount : 0.0f;
    }
}

// ---- the band kernels' scalar reference --------------------------------
//
// Each step is written in the order the Highway kernel in
// ink_chain_hwy.cpp does it, so both round the same way.

namespace {

void limit_pixel(const ChainTables& t, float* v)
{
    float colour = 0, black = 0, scale = 1;
    for (int i = 0; i < t.inks; ++i) {
        if (t.kind[i] == ChainTables::black) {
            v[i] = std::min(v[i], t.cap[i]);
            black = black + v[i];
        } else if (t.kind[i] == ChainTables::colour) {
            if (v[i] > t.cap[i])
                scale = std::min(scale, t.cap[i] / v[i]);
            colour = colour + v[i];
        }
    }
    colour = colour * scale;
    float black_scale = 1;
    if (colour + black > t.total) {
        if (black >= t.total) {
            black_scale = black > 0 ? t.total / black : 0.0f;
            scale = 0;
        } else {
            scale = scale * ((t.total - black) / colour);
        }
    }
    for (int i = 0; i < t.inks; ++i) {
        if (t.kind[i] == ChainTables::black)
            v[i] = v[i] * black_scale;
        else if (t.kind[i] == ChainTables::colour)
            v[i] = v[i] * scale;
    }
}

void layer_pixel(const ChainTables& t, float* v)
{
    float most = 0;
    for (int i = 0; i < t.inks; ++i)
        if (t.printing[i])
            most = std::max(most, v[i]);
    for (const ChainTables::Layer& layer : t.layers) {
        if (layer.source == LayerSource::flood)
            v[layer.ink] = layer.amount;
        else if (layer.source == LayerSource::under_colour)
            v[layer.ink] = most >= layer.threshold ? layer.amount : 0.0f;
    }
}

float table_at(const float* table, float x)
{
    float pos = x * float(ChainTables::steps);
    int k = std::min(int(pos), ChainTables::steps - 1);
    float f = pos - float(k);
    return table[k] + f * (table[k + 1] - table[k]);
}

// The nearest point; what 8-bit output uses (see ink_chain_hwy.cpp).
float table_near(const float* table, float x)
{
    float pos = x * float(ChainTables::steps);
    return table[int(pos + 0.5f)];
}

template <typename Out> float lookup(const float* table, float x)
{
    return sizeof(Out) == 1 ? table_near(table, x) : table_at(table, x);
}

template <typename In, typename Out>
void run_scalar_t(const ChainTables& t, const In* const* in,
                  Out* const* out, size_t count)
{
    const float to_unit = 1.0f / full_scale<In>();
    float v[max_inks];
    for (size_t p = 0; p < count; ++p) {
        std::fill(v, v + t.inks, 0.0f);
        for (int c = 0; c < t.sources; ++c) {
            float x = float(in[c][p]) * to_unit;
            v[t.dark_ink[c]] = lookup<Out>(t.dark[c], x);
            if (t.light[c])
                v[t.light_ink[c]] = lookup<Out>(t.light[c], x);
        }
        limit_pixel(t, v);
        layer_pixel(t, v);
        for (int i = 0; i < t.inks; ++i)
            out[i][p] = Out(std::min(std::max(v[i], 0.0f), 1.0f)
                                * full_scale<Out>()
                            + 0.5f);
    }
}

}  // namespace

void chain_kernels::run_scalar(const ChainTables& t, const uint8_t* const* in,
                               uint8_t* const* out, size_t count)
{
    run_scalar_t(t, in, out, count);
}

void chain_kernels::run_scalar(const ChainTables& t,
                               const uint16_t* const* in, uint8_t* const* out,
                               size_t count)
{
    run_scalar_t(t, in, out, count);
}

void chain_kernels::run_scalar(const ChainTables& t,
                               const uint16_t* const* in,
                               uint16_t* const* out, size_t count)
{
    run_scalar_t(t, in, out, count);
}

// ---- bands -------------------------------------------------------------

namespace {

// Run KERNEL row by row with the planes moved to each row.
template <typename In, typename Out, typename Kernel>
void by_rows(const ChainTables& t, const In* const* in, ptrdiff_t in_stride,
             Out* const* out, ptrdiff_t out_stride, int width, int rows,
             Kernel kernel)
{
    const In* in_row[max_inks];
    Out* out_row[max_inks];
    for (int y = 0; y < rows; ++y) {
        for (int c = 0; c < t.sources; ++c)
            in_row[c] = in[c] + y * in_stride;
        for (int i = 0; i < t.inks; ++i)
            out_row[i] = out[i] + y * out_stride;
        kernel(t, in_row, out_row, size_t(width));
    }
}

}  // namespace

void InkChain::apply(const uint8_t* const* in, ptrdiff_t in_stride,
                     uint8_t* const* out, ptrdiff_t out_stride, int width,
                     int rows) const
{
    if (identity_) {
        for (int c = 0; c < int(roles_.size()); ++c)
            for (int y = 0; y < rows; ++y)
                std::memcpy(out[c] + y * out_stride, in[c] + y * in_stride,
                            size_t(width));
        return;
    }
    using Fn = void (*)(const ChainTables&, const uint8_t* const*,
                        uint8_t* const*, size_t);
    Fn kernel = simd_disabled() ? Fn(chain_kernels::run_scalar)
                                : Fn(chain_kernels::run_simd);
    by_rows(tables_, in, in_stride, out, out_stride, width, rows, kernel);
}

void InkChain::apply(const uint16_t* const* in, ptrdiff_t in_stride,
                     uint16_t* const* out, ptrdiff_t out_stride, int width,
                     int rows) const
{
    if (identity_) {
        for (int c = 0; c < int(roles_.size()); ++c)
            for (int y = 0; y < rows; ++y)
                std::memcpy(out[c] + y * out_stride, in[c] + y * in_stride,
                            size_t(width) * sizeof(uint16_t));
        return;
    }
    using Fn = void (*)(const ChainTables&, const uint16_t* const*,
                        uint16_t* const*, size_t);
    Fn kernel = simd_disabled() ? Fn(chain_kernels::run_scalar)
                                : Fn(chain_kernels::run_simd);
    by_rows(tables_, in, in_stride, out, out_stride, width, rows, kernel);
}

void InkChain::apply_pixels(const uint16_t* const* in, uint8_t* const* out,
                            size_t count) const
{
    if (simd_disabled())
        chain_kernels::run_scalar(tables_, in, out, count);
    else
        chain_kernels::run_simd(tables_, in, out, count);
}

void InkChain::apply_pixels(const uint16_t* const* in, uint16_t* const* out,
                            size_t count) const
{
    if (simd_disabled())
        chain_kernels::run_scalar(tables_, in, out, count);
    else
        chain_kernels::run_simd(tables_, in, out, count);
}

int InkChain::halo_rows() const
{
    return std::max({white_.choke_dots, white_.spread_dots,
                     varnish_.choke_dots, varnish_.spread_dots});
}

}  // namespace ripline::color
