// SPDX-License-Identifier: AGPL-3.0-or-later
// AM (clustered-dot) screens: rank orders for a ruling and angle at a dpi.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ripline::screen {

enum class DotShape { round, elliptical };

// A clustered-dot screen laid on the device grid as a brick tile: width
// x height dots, each repeat along the feed shifted left by shift_x.
// The cells are an integer supercell of `cells` x `cells` screen cells,
// so the ruling and angle are met closely, not only at rational tangents.
struct AmTile {
    int width = 0;
    int height = 0;
    int shift_x = 0;
    int cells = 1;
    double lpi = 0;              // the ruling achieved
    double angle_deg = 0;        // the angle achieved
    std::vector<uint32_t> ranks; // width * height, rank 0 fires first
};

// The largest cell that fits in a tile (dots per cell side), and the
// smallest: a cell of fewer than 4 x 4 dots has too few tone levels.
inline constexpr double am_min_cell_dots = 4;
inline constexpr double am_max_cell_dots = 512;

// Builds the tile. Throws ripline::Error (Stage::screen) naming `lpi`
// when the resolution cannot carry the ruling.
AmTile make_am_tile(double lpi, double angle_deg, DotShape shape, double xdpi,
                    double ydpi);

} // namespace ripline::screen
