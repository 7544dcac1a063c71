// SPDX-License-Identifier: AGPL-3.0-or-later
// Row-by-row RGB image writers (PNG, JPEG) that report errors, not exit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace ripline::preview {

// Writes an 8-bit RGB image to a file one row at a time. Every call
// throws std::runtime_error with libpng's or libjpeg's message on failure.
class ImageWriter {
public:
    virtual ~ImageWriter() = default;
    virtual void write_row(const uint8_t* rgb) = 0;
    virtual void finish() = 0; // all rows written; close the file
};

// DPI is stored as the image's density; QUALITY is JPEG's 1-100.
std::unique_ptr<ImageWriter> open_png(const std::string& path, int width,
                                      int height, double dpi);
std::unique_ptr<ImageWriter> open_jpeg(const std::string& path, int width,
                                       int height, double dpi, int quality);

} // namespace ripline::preview
