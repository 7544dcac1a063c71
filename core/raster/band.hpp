// SPDX-License-Identifier: AGPL-3.0-or-later
// Band rendering: the rows of one band of a sheet as device CMYK contone.
#pragma once

#include "core/document/document.hpp"
#include "core/impose/impose.hpp"
#include "core/raster/color_device.hpp"

#include <mupdf/fitz.h>

#include <cstdint>
#include <vector>

namespace ripline::raster {

// One page placed on the sheet.
struct SheetPlacement {
    document::Document* document = nullptr;
    int page = 0;
    const ColorSetup* setup = nullptr;     // the document's colour set-up
    fz_matrix page_to_sheet = fz_identity; // points -> sheet dots
    fz_irect clip{};                       // sheet dots
};

// Render rows [y, y + rows) of a WIDTH-dot sheet into BUFFER as
// interleaved CMYK, 4 bytes a dot, WIDTH * 4 bytes a row, on white (0):
// the placements, then the sheet's MARKS over them. With SPOTS (may be
// NULL) that has planes, each dot is CMYK then the spot planes in plane
// order, 4 + spots->planes() bytes.
// CTX is the calling thread's clone. COOKIE (may be NULL) can abort.
// Throws Error(RL_ERROR_BAD_INPUT, Stage::raster) with MuPDF's message,
// naming the document and page.
void render_band(fz_context* ctx, const std::vector<SheetPlacement>& sheet,
                 const std::vector<impose::Mark>& marks, int width, int y,
                 int rows,
                 uint8_t* buffer, fz_cookie* cookie,
                 const SpotChannels* spots = nullptr);

}  // namespace ripline::raster
