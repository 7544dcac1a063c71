// SPDX-License-Identifier: AGPL-3.0-or-later
// Ink bounds: the box of what a page paints, white paint left out, for
// TrimWhite.
#pragma once

#include <mupdf/fitz.h>

namespace ripline::document {

// The bounding box of the marks LIST makes on CTX, in page space, leaving
// out solid paint that is white (paper) and paint with no opacity;
// images and shadings always count. Empty when nothing counts. MuPDF
// errors propagate as fz_throw.
fz_rect ink_bounds(fz_context* ctx, fz_display_list* list);

}  // namespace ripline::document
