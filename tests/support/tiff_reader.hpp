// SPDX-License-Identifier: AGPL-3.0-or-later
// read_tiff: one plane of a ripline TIFF back into memory for checks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace ripline::test {

struct TiffPlane {
    uint32_t width = 0, height = 0;
    int bits = 0;
    uint16_t compression = 0;
    float xdpi = 0, ydpi = 0;
    // One value per dot: 0/1 at 1 bit (1 = ink), 0-255 at 8 bits; a
    // 16-bit file's values rounded to 0-255.
    std::vector<uint8_t> values;
    // 16-bit files only: one value per dot, 0-65535.
    std::vector<uint16_t> wide;

    uint8_t at(uint32_t x, uint32_t y) const { return values[y * width + x]; }
    uint16_t wide_at(uint32_t x, uint32_t y) const
    {
        return wide[y * width + x];
    }
    // Mean ink, 0-1 (dots fired, or contone over full scale).
    double coverage() const;
};

// Read PATH with libtiff; throws std::runtime_error when it cannot.
TiffPlane read_tiff(const std::filesystem::path& path);

}  // namespace ripline::test
