// SPDX-License-Identifier: AGPL-3.0-or-later
// InkScreen: how one ink is screened; a Screener holds one per ink.
#pragma once

#include "core/screen/threshold.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ripline::screen {

class InkScreen {
public:
    virtual ~InkScreen() = default;
    // What this ink's screen is, for Screener::describe().
    std::string description;
    virtual bool needs_band_order() const { return false; }
    virtual void begin_sheet(int /*width_dots*/) {}
    // The rows [y, y + rows) of one ink; arguments as Screener's.
    virtual void screen(const uint8_t* contone, size_t contone_stride,
                        int width, int y, int rows, uint8_t* out,
                        size_t out_stride) const = 0;
    // The same for 16-bit contone; contone_stride counts uint16_t.
    virtual void screen16(const uint16_t* contone, size_t contone_stride,
                          int width, int y, int rows, uint8_t* out,
                          size_t out_stride) const = 0;
};

// A threshold screen over one tile (blue noise or AM); thread-safe.
std::unique_ptr<InkScreen> make_threshold_screen(ThresholdTile tile, bool simd);

// Error diffusion kinds.
enum class Diffusion { floyd_steinberg, jarvis };

// Error diffusion with serpentine rows and threshold modulation.
// levels: the drop tones on the 0..255 scale, ascending, starting at 0
// ({0, 255} for 1 bit). modulation: a blue-noise threshold tile whose
// plane 0 jitters the threshold. Keeps the error between bands, so the
// rows of a sheet must come in order.
std::unique_ptr<InkScreen> make_diffusion_screen(Diffusion kind,
                                                 std::vector<double> levels,
                                                 ThresholdTile modulation);

} // namespace ripline::screen
