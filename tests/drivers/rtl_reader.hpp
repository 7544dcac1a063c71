// SPDX-License-Identifier: AGPL-3.0-or-later
// An HP-RTL reader for the tests: decodes our raster back to dots.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ripline::test {

// One raster page as the printer would see it.
struct RtlPage {
    int width_dots = 0;
    int height_dots = 0;
    int dpi = 0;                          // ESC*t#R
    int inks = 0;                         // from ESC*g#W
    int levels = 0;                       // per ink, from ESC*g#W
    int xdpi = 0, ydpi = 0;               // of the first ink, from ESC*g#W
    long plot_length = 0, plot_width = 0; // HP-GL/2 PS, plotter units
    int modes_used = 0;                   // bit m: compression mode m appeared
    // dots[ink][y * width + x]: the dot's value 0 .. levels - 1
    std::vector<std::vector<uint8_t>> dots;
};

// Decode BYTES; throws std::runtime_error at the offset of anything it
// does not understand.
RtlPage read_rtl(const std::string& bytes);

// Decode one row in MODE (0-3) onto ROW (which holds the seed row).
void decode_row(int mode, const uint8_t* data, size_t size,
                std::vector<uint8_t>& row);

} // namespace ripline::test
