// SPDX-License-Identifier: AGPL-3.0-or-later
// Spot paint: how the colour device hands spot colours to the draw
// device, as colours in a DeviceN space of the band's own channels.
//
// Why MuPDF paints the spot planes: a band pixmap with separations makes
// MuPDF's draw device composite every channel in one pass, with the
// knockout and overprint rules of PDF (an object leaves the channels its
// colour space does not name when overprint is on), and it keeps them
// through clips, soft masks, transparency and knockout groups. Painting
// planes of our own would mean rasterising each object once more per
// plane and redoing that compositing. What MuPDF would get wrong is the
// colour: it turns spots it has no plane for into process through its
// own tint transform and CMS. So the colour device resolves every spot
// colour itself (planes, Lab through the engine, alternates through the
// engine) and passes MuPDF a DeviceN colour whose colorants are exactly
// the band channels it paints; MuPDF only places the values.
#pragma once

#include "core/raster/color_device.hpp"

#include <mupdf/fitz.h>

#include <cstdint>

namespace ripline::raster {

// DeviceN spaces naming band channels (process CMYK and spot planes),
// made on demand and kept per colour device. Plain storage: it lives in
// MuPDF's zeroed device struct; drop() releases the spaces.
struct PaintSpaces {
    static constexpr int capacity = 16;
    struct Entry {
        uint64_t channels; // bit 0: CMYK; bit 1 + p: spot plane p
        fz_colorspace* cs;
    } entries[capacity];
    int count;

    // The space for CHANNELS (borrowed, valid until drop()).
    fz_colorspace* get(fz_context* ctx, const SpotChannels& spots,
                       uint64_t channels);
    void drop(fz_context* ctx);
};

// A solid colour in a spot space, resolved.
struct SpotSolid {
    fz_colorspace* cs = nullptr; // null: nothing to paint
    float values[FZ_MAX_COLORS] = {};
    fz_color_params params{};
};

// Convert CS's colour VALUES (the whole colour, every colorant) to device
// CMYK through its alternate; false when the alternate is unmanaged.
// Supplied by the colour device.
using AlternateToCmyk = bool (*)(fz_context* ctx, void* arg,
                                 fz_colorspace* cs, const float* values,
                                 fz_color_params params, float cmyk[4]);

// True when CS (Separation or DeviceN, or Indexed over one) has a
// colorant that SPOTS paints otherwise than by its alternate.
bool is_spot_space(const SpotChannels* spots, fz_colorspace* cs);

// Resolve a colour of a spot space: plane colorants keep their tint,
// Lab colorants convert through the engine, the alternate colorants
// convert together through ALTERNATE (the others set to 0 in its input),
// and process parts combine as overprinted inks, 1 - (1 - a)(1 - b).
// Throws through fz_throw.
void resolve_spot_solid(fz_context* ctx, const ColorSetup& setup,
                        PaintSpaces& spaces, fz_colorspace* cs,
                        const float* in, fz_color_params params,
                        AlternateToCmyk alternate, void* arg,
                        SpotSolid& out);

// Convert SOURCE, a pixmap in a spot space, to a new pixmap of the band
// channels it paints, with SOURCE's alpha: in a paint space of SPACES
// (so the draw device leaves the other channels under overprint), or in
// device CMYK when the band has no planes. Process channels from the
// alternate colorants come from ALTERNATE_CMYK, the pixmap the caller
// converted with the other colorants at 0 (null when all colorants are
// planes, Lab or skipped).
fz_pixmap* spot_pixmap(fz_context* ctx, const ColorSetup& setup,
                       PaintSpaces& spaces, fz_pixmap* source,
                       fz_pixmap* alternate_cmyk);

// SOURCE with every colorant but the alternate ones set to 0 (a new
// pixmap), for the caller's alternate conversion.
fz_pixmap* alternate_part(fz_context* ctx, const ColorSetup& setup,
                          fz_pixmap* source);

// True when some colorant of CS goes through its alternate.
bool has_alternate_part(const ColorSetup& setup, fz_colorspace* cs);

}  // namespace ripline::raster
