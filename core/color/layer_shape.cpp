// SPDX-License-Identifier: AGPL-3.0-or-later
// Layer shaping: separable square erosion and dilation, and their use on
// the white and varnish planes of an ink chain.
#include "core/color/layer_shape.hpp"

#include "core/color/ink_chain.hpp"

#include <algorithm>
#include <vector>

namespace ripline::color {

namespace {

// One pass along a line of COUNT values STEP apart, through a copy.
template <typename T>
void morph_line(T* line, ptrdiff_t step, int count, int radius, bool spread,
                std::vector<T>& copy)
{
    copy.resize(count);
    for (int i = 0; i < count; ++i)
        copy[i] = line[i * step];
    for (int i = 0; i < count; ++i) {
        int lo = std::max(0, i - radius), hi = std::min(count - 1, i + radius);
        T v = copy[lo];
        for (int k = lo + 1; k <= hi; ++k)
            v = spread ? std::max(v, copy[k]) : std::min(v, copy[k]);
        line[i * step] = v;
    }
}

}  // namespace

template <typename T>
void morph_plane(T* plane, ptrdiff_t stride, int width, int rows,
                 int radius_dots, bool spread)
{
    if (radius_dots <= 0 || width <= 0 || rows <= 0)
        return;
    // A square is a row pass then a column pass.
    std::vector<T> copy;
    for (int y = 0; y < rows; ++y)
        morph_line(plane + y * stride, 1, width, radius_dots, spread, copy);
    for (int x = 0; x < width; ++x)
        morph_line(plane + x, stride, rows, radius_dots, spread, copy);
}

template void morph_plane(uint8_t*, ptrdiff_t, int, int, int, bool);
template void morph_plane(uint16_t*, ptrdiff_t, int, int, int, bool);

template <typename T>
void InkChain::shape_layers(T* const* out, ptrdiff_t out_stride, int width,
                            int rows) const
{
    for (const LayerRule* rule : {&white_, &varnish_}) {
        if (rule->ink < 0 || rule->source == LayerSource::flood)
            continue;
        if (rule->choke_dots > 0)
            morph_plane(out[rule->ink], out_stride, width, rows,
                        rule->choke_dots, false);
        if (rule->spread_dots > 0)
            morph_plane(out[rule->ink], out_stride, width, rows,
                        rule->spread_dots, true);
    }
}

template void InkChain::shape_layers(uint8_t* const*, ptrdiff_t, int,
                                     int) const;
template void InkChain::shape_layers(uint16_t* const*, ptrdiff_t, int,
                                     int) const;

}  // namespace ripline::color
