// SPDX-License-Identifier: AGPL-3.0-or-later
// The colour device: a MuPDF device that converts every colour to the
// device's CMYK through LittleCMS before the draw device paints it.
#pragma once

#include "core/color/engine.hpp"
#include "core/raster/image_cache.hpp"
#include "core/raster/spot_channels.hpp"

#include <mupdf/fitz.h>

#include <string>
#include <vector>

namespace ripline::raster {

// What the colour device needs besides the band: shared by all bands.
struct ColorSetup {
    const color::Engine* engine = nullptr;
    ImageCache* images = nullptr;
    // The profile images of this document carry (image files), if any.
    const color::Profile* image_profile = nullptr;
    // The document's ICCBased profiles, by the tag in their spaces
    // (document::icc_tag); null when it has none.
    const std::vector<color::Profile>* icc_profiles = nullptr;
    // Separation names that are cut paths, never printed (matched
    // without regard to case).
    std::vector<std::string> cut_names = {"CutContour", "Thru-cut",
                                          "KissCut"};
    // The render's spot colorants and band planes (spot_channels.hpp);
    // null: every spot goes through its alternate.
    const SpotChannels* spots = nullptr;
};

// A device forwarding to TARGET (a draw device on a CMYK pixmap whose
// area is BAND) with fills, strokes, text, images and shadings converted
// to device CMYK, each with the intent and source profile the engine's
// options give its space and class (images; everything else is vector).
// Solid colours convert per object; images decode once at the size they
// are drawn and convert as pixmaps (cached in setup.images); shadings
// paint in their own space over the band, then convert. ICC-based spaces
// (tagged by document::tag_icc_spaces) convert from their embedded
// profile. Luminosity soft masks stay in their own space, since their
// luminance is defined there. Spots the set-up's spot channels know
// paint their band planes, Lab or alternate (spot_paint.hpp); others go
// through their alternate space; cut-contour spots are dropped. The
// band pixmap then carries the spot planes as separations. TARGET is
// not owned.
fz_device* new_color_device(fz_context* ctx, fz_device* target,
                            const ColorSetup& setup, fz_irect band);

// True when NAME is one of SETUP's cut-contour names.
bool is_cut_name(const ColorSetup& setup, const char* name);

}  // namespace ripline::raster
