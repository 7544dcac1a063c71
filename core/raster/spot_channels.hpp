// SPDX-License-Identifier: AGPL-3.0-or-later
// Spot channels: the band's planes for spot colours printed with their
// own ink, and how the colour device paints each spot colorant.
#pragma once

#include <mupdf/fitz.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ripline::color {
class BandColor;
struct PrintMode;
}  // namespace ripline::color

namespace ripline::raster {

// How one Separation or DeviceN colorant is painted.
enum class ColorantUse : uint8_t {
    plane,     // its tint goes to a spot plane of the band
    lab,       // the spot table's Lab colour, through the colour engine
    skip,      // never printed (cut, ignored, or "None")
    alternate  // through the PDF's alternate space and tint transform
};

struct SpotColorant {
    std::string name;            // as the PDF spells it
    ColorantUse use = ColorantUse::alternate;
    int plane = -1;              // plane: band channel 4 + plane
    std::array<float, 3> lab{};  // lab: the colour at full tint, D50
};

// The spot colorants of a render, shared read-only by every band. The
// band is CMYK followed by planes() spot channels, in plane order; the
// pixmap carries them as MuPDF separations of the same names, so the
// draw device composites spot channels with the process ones (knockout,
// overprint, transparency groups) in one pass.
class SpotChannels {
public:
    // CTX is the root context; it must outlive this object.
    explicit SpotChannels(fz_context* ctx);
    ~SpotChannels();
    SpotChannels(const SpotChannels&) = delete;
    SpotChannels& operator=(const SpotChannels&) = delete;

    // Add COLORANT; a plane colorant gets the next plane.
    void add(SpotColorant colorant);

    // The colorant named NAME exactly, or null (then: its alternate).
    const SpotColorant* find(const char* name) const;
    int planes() const { return int(plane_names_.size()); }
    const std::vector<std::string>& plane_names() const
    {
        return plane_names_;
    }
    // The separations of the band pixmap; null when there is no plane.
    fz_separations* separations() const { return seps_; }

private:
    fz_context* ctx_;
    std::vector<SpotColorant> colorants_;
    std::vector<std::string> plane_names_;
    fz_separations* seps_ = nullptr;
};

// Every Separation and DeviceN colorant that LIST paints with (fills,
// strokes, text, images, shadings, groups), each name once, in the order
// first met. Plain MuPDF calls: run it inside guarded().
void collect_colorants(fz_context* ctx, fz_display_list* list,
                       std::vector<std::string>& names);

// Decide each of NAMES' use for MODE: spots that BAND_COLOR prints with
// their own ink become planes (declared to BAND_COLOR in plane order),
// spots the table gives a Lab value paint through the engine, cut and
// ignored spots are skipped, the rest use their alternate.
void plan_spot_channels(const std::vector<std::string>& names,
                        const color::PrintMode& mode,
                        color::BandColor& band_color,
                        SpotChannels& channels);

}  // namespace ripline::raster
