// SPDX-License-Identifier: AGPL-3.0-or-later
// Marks: crop marks, labels, colour bars and registration marks from the
// impose stage, painted straight in device CMYK over a band.
#pragma once

#include "core/impose/impose.hpp"

#include <mupdf/fitz.h>

#include <vector>

namespace ripline::raster {

// Paint the MARKS (sheet dots, CMYK 0-1) that reach PIX, a band of the
// sheet. Marks are device colours: no colour management applies. Plain
// MuPDF calls; run under guarded().
void paint_marks(fz_context* ctx, fz_pixmap* pix,
                 const std::vector<impose::Mark>& marks);

}  // namespace ripline::raster
