// SPDX-License-Identifier: AGPL-3.0-or-later
// Layer shaping: choke (erode) and spread (dilate) a layer plane in dots.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ripline::color {

// Replace each dot of PLANE (WIDTH x ROWS, STRIDE bytes a row) by the
// least (choke) or the most (spread) value within a square of side
// 2 * RADIUS_DOTS + 1 around it; outside the plane, edges repeat.
void morph_plane(uint8_t* plane, ptrdiff_t stride, int width, int rows,
                 int radius_dots, bool spread);

}  // namespace ripline::color
