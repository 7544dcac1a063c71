// SPDX-License-Identifier: AGPL-3.0-or-later
// Spot colours: the table that maps spot names to inks or Lab, the cut
// names that never print, and the per-render plan for each spot plane.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/color/curve.hpp"

#include <nlohmann/json_fwd.hpp>

namespace ripline::color {

class Profile;
struct PrintMode;

// What happens to one spot colour's plane.
enum class SpotAction : uint8_t {
    ink,       // printed with one of the mode's inks (its own channel)
    process,   // built from the process inks, from its Lab value
    alternate, // unknown: built from the PDF's alternate colour
    cut,       // a cut or crease line: goes to the cutter, never printed
    ignore     // listed as not printed (dielines, technical marks)
};

struct SpotEntry {
    std::string name;
    SpotAction action = SpotAction::ignore;
    std::string ink;                 // for SpotAction::ink
    std::array<double, 3> lab{};     // for SpotAction::process, D50
    double amount = 1.0;             // ink at full tint, 0..1
};

// Names compare without case, spaces, '-' and '_': "Cut Contour",
// "cutcontour" and "CUT_CONTOUR" are one name.
std::string spot_key(const std::string& name);

class SpotTable {
public:
    // No entries and the usual cut names (CutContour, ThruCut, KissCut,
    // Crease, Perf, ...).
    SpotTable();

    const std::vector<SpotEntry>& entries() const { return entries_; }
    const std::vector<std::string>& cut_names() const { return cut_names_; }
    const SpotEntry* find(const std::string& name) const;
    bool is_cut(const std::string& name) const;

    void add(SpotEntry entry);
    void set_cut_names(std::vector<std::string> names);

private:
    std::vector<SpotEntry> entries_;
    std::vector<std::string> cut_names_;
    std::vector<std::string> cut_keys_;
};

// Read a table from the "spots" object of a print mode or a spot-table
// file (docs/print-mode.md). Errors name FILE and the field under FIELD.
SpotTable parse_spot_table(const nlohmann::json& value,
                           const std::filesystem::path& file,
                           const std::string& field);
SpotTable load_spot_table(const std::filesystem::path& path);

// How one spot plane is rendered: which ink, or which process values at
// each tint. Computed once per spot name per render.
struct SpotPlan {
    SpotAction action = SpotAction::ignore;
    int ink = -1;                    // SpotAction::ink: the mode's ink
    std::array<uint8_t, 256> ink_tint{}; // tint -> ink, linearised
    std::array<uint16_t, 256> ink_tint16{}; // the same at 16 bits
    // process / alternate: tint -> each output-profile channel (0..255),
    // tint-major: process_tint[tint * channels + channel].
    int channels = 0;
    std::vector<uint8_t> process_tint;
    bool printed() const
    {
        return action == SpotAction::ink
               || ((action == SpotAction::process
                    || action == SpotAction::alternate)
                   && channels > 0);
    }
};

// Turns spot names into plans for one print mode. Thread-safe after
// construction (plan() only reads, building its own LittleCMS transform).
class SpotMapper {
public:
    // OUTPUT is the mode's output profile; Lab values go through it with
    // relative colorimetric intent (spot colours are absolute targets on
    // the media white).
    SpotMapper(SpotTable table, const PrintMode& mode, const Profile& output);
    ~SpotMapper();
    SpotMapper(const SpotMapper&) = delete;
    SpotMapper& operator=(const SpotMapper&) = delete;

    // The plan for spot NAME. Order: the mode's white or varnish rule
    // naming this spot, then the table, then the cut names, then the
    // alternate (ALTERNATE_LAB: the alternate colour at full tint in Lab
    // D50, which the caller converts); with no alternate the spot is
    // ignored.
    SpotPlan plan(const std::string& name,
                  std::optional<std::array<double, 3>> alternate_lab) const;

    // Overprint a process plan's spot plane onto the process planes
    // (before the ink chain): each channel becomes 1 - (1 - c)(1 - s).
    static void compose_process(const SpotPlan& plan, const uint8_t* spot,
                                uint8_t* const* process, size_t count);
    // Add an ink plan's spot plane to its ink plane (after the chain),
    // saturating. T is uint8_t or uint16_t, the ink plane's depth.
    template <typename T>
    static void add_to_ink(const SpotPlan& plan, const uint8_t* spot,
                           T* ink, size_t count);

private:
    struct LayerSpot {
        std::string key;
        int ink = -1;
        double amount = 1;
    };

    std::vector<uint8_t> process_ramp(const std::array<double, 3>& lab) const;
    SpotPlan ink_plan(int ink, double amount) const;

    SpotTable table_;
    std::vector<std::string> inks_;
    std::vector<Curve> linearization_;
    LayerSpot layers_[2];
    void* lab_profile_;
    void* transform_; // Lab D50 (double) -> output channels (float)
    int channels_;
};

}  // namespace ripline::color
