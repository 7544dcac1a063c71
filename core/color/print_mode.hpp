// SPDX-License-Identifier: AGPL-3.0-or-later
// PrintMode: a printer + media + mode file (PrintFactory's PMM), loaded
// and checked before any rendering. The format is docs/print-mode.md.
#pragma once

#include "core/color/curve.hpp"
#include "core/color/intent.hpp"
#include "core/color/spot_table.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ripline::color {

// The most inks a print mode may list (process, light, spot, W, V).
inline constexpr int max_inks = 16;

// What an ink channel is fed from.
enum class InkRole : uint8_t {
    process, // a channel of the output profile
    light,   // the light partner of a process ink (light-ink split)
    spot,    // filled only by spot colours mapped to it
    white,
    varnish
};

// How C divides into C + c: for each input fraction of the profile's
// channel, the fraction of the dark ink and of the light ink.
struct LightSplit {
    int dark_ink = -1;  // index into PrintMode::inks
    int light_ink = -1;
    Curve dark, light;
};

// Where a white or varnish layer comes from.
enum class LayerSource : uint8_t { none, flood, under_colour, spot };

struct LayerRule {
    int ink = -1; // index into PrintMode::inks; -1: no such layer
    LayerSource source = LayerSource::none;
    double amount = 1.0;     // 0..1, ink fraction where the layer prints
    double threshold = 0.02; // under_colour: least ink that gets a layer
    std::string spot;        // spot: the spot colour's name
    int choke_dots = 0;      // shrink the layer (white under art)
    int spread_dots = 0;     // grow the layer
};

// The screen's settings, named and defaulted as core/screen's
// ScreenSpec (docs/screening.md) names them; the pipeline copies them.
struct ScreenFields {
    std::string type = "bluenoise"; // bluenoise, am, fs or jarvis
    int bits = 1;
    double lpi = 0;
    std::vector<double> angles_deg;
    std::string dot_shape = "round";
    std::vector<double> drop_volumes; // bits 2: small, medium, large
    std::vector<std::string> ink_types;
};

struct PrintMode {
    std::filesystem::path file; // where it was loaded from
    std::string name;
    std::array<int, 2> dpi{720, 720}; // across, along feed
    int bits_per_dot = 1;
    std::vector<double> drop_sizes_pl; // one per non-zero level
    int contone_bits = 8;

    std::vector<std::string> inks;       // ordered channel names
    std::vector<InkRole> roles;          // one per ink
    std::filesystem::path output_profile; // absolute once loaded
    // For each output-profile channel, in profile order, its ink index.
    std::vector<int> profile_inks;

    Intent image_intent = Intent::perceptual;
    Intent vector_intent = Intent::relative;
    bool black_point_compensation = true;

    double total_limit = 4.0;    // fraction: 3.0 means 300%
    std::vector<double> limits;  // per ink, fraction, default 1.0
    std::vector<Curve> linearization; // per ink, identity if unmeasured
    std::vector<LightSplit> light_splits;
    LayerRule white, varnish;
    ScreenFields screen;
    SpotTable spots; // inline, or read from the file "spots" names

    // Hash of the file's bytes, so caches tell versions of a mode apart.
    uint64_t fingerprint = 0;

    int ink_index(const std::string& name) const; // -1 when absent
};

// Load and check a print mode. Throws ripline::Error (Stage::color,
// RL_ERROR_BAD_INPUT or RL_ERROR_IO, RL_ERROR_COLOR for the ICC
// profile) whose message names the file and the field that is wrong.
PrintMode load_print_mode(const std::filesystem::path& path);

// Parse a print mode from JSON text; FILE names it in errors and
// anchors the relative profile path.
PrintMode parse_print_mode(const std::string& json_text,
                           const std::filesystem::path& file);

// Refuse a mode with more inks than a driver takes, naming the field. A
// DRIVER_MAX_INKS of 0 means any number, as rl_driver declares it.
void check_ink_count(const PrintMode& mode, int driver_max_inks);

const char* intent_name(Intent intent);

}  // namespace ripline::color
