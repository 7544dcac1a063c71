// SPDX-License-Identifier: AGPL-3.0-or-later
// write_device_file: one JSON device definition.
#include "tests/support/device_file.hpp"

#include <fstream>

namespace ripline::test {

void write_device_file(const std::filesystem::path& path,
                       const DeviceFile& d,
                       const std::filesystem::path& profile_dir)
{
    std::ofstream out(path);
    out << R"({"id": ")" << d.id << R"(", "driver": ")" << d.driver
        << R"(", "driver_options": )" << d.driver_options
        << R"(, "media": {"type": ")" << (d.roll ? "roll" : "sheet")
        << R"(", "width_mm": )" << d.width_mm;
    if (!d.roll)
        out << R"(, "length_mm": )" << d.length_mm;
    out << R"(}, "print_mode": {"format": "ripline.print-mode", )"
        << R"("version": 1, "name": "test", "dpi": )" << d.dpi
        << R"(, "bits_per_dot": 1, "inks": ["C", "M", "Y", "K"], )"
        << R"("output_profile": ")"
        << (profile_dir / "icc/FOGRA39L.icc").string() << R"("}})";
}

}  // namespace ripline::test
