// SPDX-License-Identifier: AGPL-3.0-or-later
// read_tiff: libtiff scanlines unpacked to one value per dot.
#include "tests/support/tiff_reader.hpp"

#include <tiffio.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace ripline::test {

double TiffPlane::coverage() const
{
    double sum = 0;
    if (bits == 16) {
        for (uint16_t v : wide)
            sum += v;
        return wide.empty() ? 0 : sum / (65535.0 * wide.size());
    }
    for (uint8_t v : values)
        sum += v;
    const double full = bits == 1 ? 1.0 : bits == 2 ? 3.0 : 255.0;
    return values.empty() ? 0 : sum / (full * values.size());
}

// A 16-bit row: libtiff has already swapped it to this host's order.
static void read_wide_row(TiffPlane& plane, const uint8_t* row, uint32_t y,
                          bool invert)
{
    for (uint32_t x = 0; x < plane.width; x++) {
        uint16_t v;
        std::memcpy(&v, row + 2 * size_t(x), sizeof v);
        v = invert ? uint16_t(65535 - v) : v;
        const size_t at = size_t(y) * plane.width + x;
        plane.wide[at] = v;
        plane.values[at] = uint8_t((v * 255u + 32767u) / 65535u);
    }
}

TiffPlane read_tiff(const std::filesystem::path& path)
{
    std::unique_ptr<TIFF, decltype(&TIFFClose)> tiff(
        TIFFOpen(path.c_str(), "r"), TIFFClose);
    if (!tiff)
        throw std::runtime_error("libtiff cannot open " + path.string());

    TiffPlane plane;
    uint16_t bits = 0, photometric = 0, unit = 0;
    TIFFGetField(tiff.get(), TIFFTAG_IMAGEWIDTH, &plane.width);
    TIFFGetField(tiff.get(), TIFFTAG_IMAGELENGTH, &plane.height);
    TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_COMPRESSION,
                          &plane.compression);
    TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_PHOTOMETRIC, &photometric);
    TIFFGetField(tiff.get(), TIFFTAG_XRESOLUTION, &plane.xdpi);
    TIFFGetField(tiff.get(), TIFFTAG_YRESOLUTION, &plane.ydpi);
    TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_RESOLUTIONUNIT, &unit);
    if (unit == RESUNIT_CENTIMETER) {
        plane.xdpi *= 2.54f;
        plane.ydpi *= 2.54f;
    }
    plane.bits = bits;

    // Ink is "more" in both conventions ripline writes: min-is-white for
    // dots, and contone stored as ink amount with min-is-white too.
    const bool invert = photometric == PHOTOMETRIC_MINISBLACK;
    std::vector<uint8_t> row(TIFFScanlineSize(tiff.get()));
    plane.values.resize(size_t(plane.width) * plane.height);
    if (bits == 16)
        plane.wide.resize(plane.values.size());
    const int max = (1 << bits) - 1;
    for (uint32_t y = 0; y < plane.height; y++) {
        if (TIFFReadScanline(tiff.get(), row.data(), y, 0) < 0)
            throw std::runtime_error("cannot read row " + std::to_string(y) +
                                     " of " + path.string());
        if (bits == 16) {
            read_wide_row(plane, row.data(), y, invert);
            continue;
        }
        for (uint32_t x = 0; x < plane.width; x++) {
            const size_t bit = size_t(x) * bits;
            int v = (row[bit / 8] >> (8 - bits - bit % 8)) & max;
            plane.values[size_t(y) * plane.width + x] =
                uint8_t(invert ? max - v : v);
        }
    }
    return plane;
}

}  // namespace ripline::test
