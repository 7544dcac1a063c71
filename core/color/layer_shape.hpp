// SPDX-License-Identifier: AGPL-3.0-or-later
// Layer shaping: choke (erode) and spread (dilate) a layer plane in dots.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ripline::color {

// Replace each dot of PLANE (WIDTH x ROWS, STRIDE samples a row) by the
// least (choke) or the most (spread) value within a square of side
// 2 * RADIUS_DOTS + 1 around it; outside the plane, edges repeat. T is
// uint8_t or uint16_t (8- or 16-bit contone).
template <typename T>
void morph_plane(T* plane, ptrdiff_t stride, int width, int rows,
                 int radius_dots, bool spread);

}  // namespace ripline::color
