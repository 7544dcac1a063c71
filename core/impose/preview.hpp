// SPDX-License-Identifier: AGPL-3.0-or-later
// A picture of a layout for a person to check: sheets, parts, marks.
#pragma once

#include "core/impose/impose.hpp"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace ripline::impose {

// An 8-bit RGB picture, rows top to bottom.
struct Picture {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;
    const std::uint8_t* at(int x, int y) const
    {
        return &rgb[(std::size_t(y) * width + x) * 3];
    }
};

// The sheets stacked top to bottom, scaled to `width_px` (or less, so
// that the whole picture stays under `max_height_px`): media white on
// grey, each placement tinted by its input with its trim outlined and a
// corner tab at the page's top-left (showing rotation and mirror), bleed
// boxes in a lighter line, and the marks in their colours.
Picture draw_preview(const std::vector<Sheet>& sheets, int width_px = 1200,
                     int max_height_px = 16000);

// Write a picture as PNG. Throws Error(RL_ERROR_IO) naming the file.
void write_png(const Picture& picture, const std::filesystem::path& path);

} // namespace ripline::impose
