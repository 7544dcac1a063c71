// SPDX-License-Identifier: AGPL-3.0-or-later
// Screener: turns 8-bit ink planes into the packed dots a head fires.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace ripline::screen {

// How one print mode screens its inks. docs/screening.md describes every
// field as the print-mode file spells it.
struct ScreenSpec {
    // "bluenoise" (dispersed / FM), "am" (clustered dot), "fs"
    // (Floyd-Steinberg) or "jarvis" (Jarvis-Judice-Ninke).
    std::string type = "bluenoise";
    // 1 (dot or no dot) or 2 (no drop, small, medium, large drop).
    int bits = 1;
    // AM only: screen ruling in lines per inch; 0 picks dpi / 12.
    double lpi = 0;
    // AM only: screen angle per ink, in ink order, counter-clockwise from
    // the x axis; cycled when shorter than the ink set, the classic
    // 15/75/0/45 (C, M, Y, K) set when empty.
    std::vector<double> angles_deg;
    // AM only: "round" (Euclidean dot) or "elliptical" (chain dot).
    std::string dot_shape = "round";
    // bits = 2 only: the relative ink volumes of the small, medium and
    // large drop, strictly increasing and positive; the largest is full
    // ink. Empty means {1, 2, 3} (thirds).
    std::vector<double> drop_volumes;
    // Per-ink screen type, in ink order, overriding `type` (for example
    // white and varnish diffused while colours are AM); an empty string
    // or a missing entry keeps `type`.
    std::vector<std::string> ink_types;
};

class Screener {
public:
    virtual ~Screener();

    // Throws ripline::Error(..., Stage::screen, ...) naming the bad field.
    // profile_dir is the profiles/ folder; shipped blue-noise matrices are
    // read from its screens/ folder and generated when missing. simd =
    // false runs the scalar reference kernels.
    static std::unique_ptr<Screener>
    create(const ScreenSpec& spec, int ink_count, double xdpi, double ydpi,
           const std::filesystem::path& profile_dir, bool simd);

    virtual int bits_per_dot() const = 0;

    // True for error diffusion: the pipeline then calls begin_sheet and
    // screen_plane for one sheet's bands strictly in order, from one
    // thread. False: bands of a sheet may be screened concurrently and
    // out of order (threshold screens).
    virtual bool needs_band_order() const = 0;

    virtual void begin_sheet([[maybe_unused]] int width_dots) {}

    // One line naming each ink's screen as built (for AM the ruling and
    // angle achieved on the dot grid), for the host's info log.
    virtual std::string describe() const { return {}; }

    // Screen rows [y, y + rows) of the sheet for ink `ink` (0-based, in
    // the print mode's ink order). contone: 8-bit, 0 = no ink, 255 = full,
    // row r at contone + r * contone_stride. out: packed MSB first,
    // bits_per_dot() bits per dot, set bits fire; out_stride >=
    // (width * bits + 7) / 8; pad bits at the row end are 0. `y` fixes the
    // matrix phase so bands meet without seams.
    virtual void screen_plane(int ink, const uint8_t* contone,
                              size_t contone_stride, int width, int y, int rows,
                              uint8_t* out, size_t out_stride) const = 0;

    // The same for 16-bit contone (0 = no ink, 65535 = full);
    // contone_stride counts uint16_t values, not bytes. A tone c * 257
    // gives exactly the dots the 8-bit tone c gives.
    virtual void screen_plane16(int ink, const uint16_t* contone,
                                size_t contone_stride, int width, int y,
                                int rows, uint8_t* out,
                                size_t out_stride) const = 0;
};

} // namespace ripline::screen
