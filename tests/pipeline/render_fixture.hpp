// SPDX-License-Identifier: AGPL-3.0-or-later
// RenderFixture: a context, a temp folder and test devices for renders.
#pragma once

#include "tests/support/tiff_reader.hpp"

#include <ripline/ripline.h>

#include <filesystem>
#include <map>
#include <string>

namespace ripline::test {

// Owns a context with the build's drivers and a fresh temp folder.
class RenderFixture {
public:
    RenderFixture();
    ~RenderFixture();

    rl_context* ctx() { return ctx_; }
    const std::filesystem::path& dir() const { return dir_; }

    // Write a device definition for a sheet of WIDTH_MM x HEIGHT_MM at DPI
    // with the shipped FOGRA39L profile; returns its path. EXTRA is raw
    // JSON members added to the top level (for bad-input tests).
    // DRIVER_OPTIONS: the device's driver_options object as JSON.
    std::filesystem::path device(double width_mm, double height_mm,
                                 double dpi,
                                 const std::string& driver = "tiff",
                                 const std::string& driver_options =
                                     R"({"compression": "deflate"})");

    // Render JOB on DEVICE into OUT; returns the status. OPTIONS are
    // render options (key -> value).
    rl_status render(const std::filesystem::path& job,
                     const std::filesystem::path& device,
                     const std::filesystem::path& out,
                     const std::map<std::string, std::string>& options = {},
                     rl_render_stats* stats = nullptr);

    std::string last_error() const { return rl_context_last_error(ctx_); }

    // The TIFF of SHEET (1-based) and INK among OUT's files.
    TiffPlane plane(const std::filesystem::path& out, int sheet,
                    const std::string& ink) const;

    // Cancel after this many bands (negative: never).
    int cancel_after = -1;

private:
    rl_context* ctx_ = nullptr;
    std::filesystem::path dir_;
};

// Files in DIR, sorted by name.
std::vector<std::string> list_files(const std::filesystem::path& dir);

}  // namespace ripline::test
