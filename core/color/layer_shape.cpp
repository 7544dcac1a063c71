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
void morph_line(uint8_t* line, ptrdiff_t step, int count, int radius,
                bool spread, std::vector<uint8_t>& copy)
{
    copy.resize(count);
    for (int i = 0; i < count; ++i)
        copy[i] = line[i * step];
    for (int i = 0; i < count; ++i) {
        int lo = std::max(0, i - radius), hi = std::min(count - 1, i + radius);
        uint8_t v = copy[lo];
        for (int k = lo + 1; k <= hi; ++k)
            v = spread ? std::max(v, copy[k]) : std::min(v, copy[k]);
        line[i * step] = v;
    }
}

}  // namespace

void morph_plane(uint8_t* plane, ptrdiff_t stride, int width, int rows,
                 int radius_dots, bool spread)
{
    if (radius_dots <= 0 || width <= 0 || rows <= 0)
        return;
    // A square is a row pass then a column pass.
    std::vector<uint8_t> copy;
    for (int y = 0; y < rows; ++y)
        morph_line(plane + y * stride, 1, width, radius_dots, spread, copy);
    for (int x = 0; x < width; ++x)
        morph_line(plane + x, stride, rows, radius_dots, spread, copy);
}

void InkChain::shape_layers(uint8_t* const* out, ptrdiff_t out_stride,
                            int width, int rows) const
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

}  // namespace ripline::color
