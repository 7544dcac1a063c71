// SPDX-License-Identifier: AGPL-3.0-or-later
// Device: what a printer or cutter is to the pipeline, read from the JSON
// definitions under the profile path's devices/ folder.
#pragma once

#include "core/color/print_mode.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ripline::device {

struct Media {
    bool roll = true;       // a roll: fixed width, the length grows
    double width_mm = 0;    // across the media
    double length_mm = 0;   // a sheet's height; a roll's maximum (0: any)
    double margin_mm = 0;   // unprintable edge on every side
};

// What a job can be on a device: printed, cut, or both.
enum class CutMode { print, cut, print_and_cut };

// The optical registration marks a cutter reads: their family, as that
// cutter's camera looks for them (docs/drivers.md, "Print & cut").
enum class MarkFamily {
    none,    // no marks of the device's own (the job's MarkType may ask)
    discs,   // filled discs at the corners and along long sides
    squares, // OPOS-style filled squares, and a bar along the top edge
    corners  // L-shaped corner marks
};

// The device's "cut" settings (all optional).
struct CutSettings {
    // Spot names that are cut contours, matched without regard to case.
    std::vector<std::string> names = {"CutContour", "Thru-cut", "KissCut"};
    MarkFamily marks = MarkFamily::none;
    double mark_size_mm = 5;    // disc diameter, square side, L arm / 2
    double mark_offset_mm = -1; // marks to layout; < 0: the job's offset
    bool barcode = false;       // Code 39 of the job id by the origin mark
    std::string cutter;         // a separate cutter device (id), or ""
    // What a job does when the render does not say; unset: print & cut
    // on a device whose driver cuts or that names a cutter, else print.
    std::optional<CutMode> mode;
};

// "print" / "cut" / "print-and-cut"; throws Error naming WHERE.
CutMode parse_cut_mode(const std::string& text, const std::string& where);

struct Device {
    std::string id;   // short id, e.g. "sample-roll-720"
    std::string guid; // DeviceGUID, as Job XML names it
    std::string name;
    std::string driver;
    std::string connection; // file:///dir, a folder, tcp://, stdout
    std::map<std::string, std::string> driver_options;
    Media media;
    // The print mode, in the format of docs/print-mode.md: the device
    // file names a mode file (relative to itself) or holds one inline.
    color::PrintMode print_mode;
    CutSettings cut;
    std::filesystem::path file; // the definition it was read from
};

// Read one definition. Throws Error(RL_ERROR_BAD_INPUT, Stage::device)
// naming the file and the field that is missing or wrong.
Device load_device(const std::filesystem::path& file);

// Every definition in DIR/devices/*.json, sorted by id. A broken file is
// an error: a shop wants to know, not to lose a device silently.
std::vector<Device> load_devices(const std::filesystem::path& profile_dir);

// The device whose id, DeviceGUID or name is KEY (ids case-sensitive,
// names not), or the file KEY when it is a path to a .json file. Throws
// Error(RL_ERROR_NOT_FOUND) listing the known ids.
Device find_device(const std::filesystem::path& profile_dir,
                   const std::string& key);

}  // namespace ripline::device
