// SPDX-License-Identifier: AGPL-3.0-or-later
// write_device_file: device definitions for tests and benches, with an
// inline 1-bit CMYK print mode on the shipped FOGRA39L profile.
#pragma once

#include <filesystem>
#include <string>

namespace ripline::test {

struct DeviceFile {
    std::string id = "test";
    std::string driver = "tiff";
    std::string driver_options = R"({"compression": "deflate"})"; // JSON
    bool roll = false;
    double width_mm = 210;
    double length_mm = 297; // sheets only
    double dpi = 72;
};

// Write DEVICE as JSON to PATH. PROFILE_DIR is the profiles/ folder.
void write_device_file(const std::filesystem::path& path,
                       const DeviceFile& device,
                       const std::filesystem::path& profile_dir);

}  // namespace ripline::test
