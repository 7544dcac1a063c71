// SPDX-License-Identifier: AGPL-3.0-or-later
// InkChain: split, linearisation, hue-preserving limits, white, varnish.
#include "core/color/ink_chain.hpp"

#include <algorithm>
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

float lookup(const std::vector<float>& table, float x)
{
    float pos = std::clamp(x, 0.0f, 1.0f) * float(table.size() - 1);
    int i = std::min(int(pos), int(table.size()) - 2);
    float t = pos - float(i);
    return table[i] + t * (table[i + 1] - table[i]);
}

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
}

void InkChain::build_tables()
{
    for (const Source& s : sources_) {
        std::vector<float> dark(table_steps + 1), light(table_steps + 1);
        for (int i = 0; i <= table_steps; ++i) {
            double x = double(i) / table_steps;
            dark[i] = float(linearization_[s.ink](s.dark(x)));
            if (s.light >= 0)
                light[i] = float(linearization_[s.light](s.light_curve(x)));
        }
        dark_table_.push_back(std::move(dark));
        light_table_.push_back(std::move(light));
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
    // Per-ink limits: black inks are clipped alone; chromatic inks all
    // shrink by the factor that brings the worst one to its limit.
    float colour = 0, black = 0, scale = 1;
    for (int i = 0; i < ink_count(); ++i) {
        InkRole role = roles_[i];
        if (role != InkRole::process && role != InkRole::light)
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
    for (int i = 0; i < ink_count(); ++i) {
        InkRole role = roles_[i];
        if (role == InkRole::process || role == InkRole::light)
            inks[i] *= black_[i] ? black_scale : scale;
    }
}

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

template <typename T>
void InkChain::apply_rows(const T* const* in, ptrdiff_t in_stride,
                          T* const* out, ptrdiff_t out_stride, int width,
                          int rows) const
{
    const float to_unit = 1.0f / full_scale<T>();
    const int n = ink_count();
    float inks[max_inks];
    for (int y = 0; y < rows; ++y) {
        for (int x = 0; x < width; ++x) {
            // Split and linearise through the tables, limit, layer.
            std::fill(inks, inks + n, 0.0f);
            for (size_t c = 0; c < sources_.size(); ++c) {
                float v = float(in[c][y * in_stride + x]) * to_unit;
                inks[sources_[c].ink] = lookup(dark_table_[c], v);
                if (sources_[c].light >= 0)
                    inks[sources_[c].light] = lookup(light_table_[c], v);
            }
            limit(inks);
            fill_layers(inks);
            for (int i = 0; i < n; ++i)
                out[i][y * out_stride + x] =
                    T(std::clamp(inks[i], 0.0f, 1.0f) * full_scale<T>()
                      + 0.5f);
        }
    }
}

void InkChain::apply(const uint8_t* const* in, ptrdiff_t in_stride,
                     uint8_t* const* out, ptrdiff_t out_stride, int width,
                     int rows) const
{
    apply_rows(in, in_stride, out, out_stride, width, rows);
}

void InkChain::apply(const uint16_t* const* in, ptrdiff_t in_stride,
                     uint16_t* const* out, ptrdiff_t out_stride, int width,
                     int rows) const
{
    apply_rows(in, in_stride, out, out_stride, width, rows);
}

int InkChain::halo_rows() const
{
    return std::max({white_.choke_dots, white_.spread_dots,
                     varnish_.choke_dots, varnish_.spread_dots});
}

}  // namespace ripline::color
