// SPDX-License-Identifier: AGPL-3.0-or-later
// ICC-based colour spaces of a PDF, tagged so the colour stage can find
// their profiles.
//
// Debian's MuPDF is built without ICC support: it reads an ICCBased space
// as its alternate (or as the device space with as many channels) and
// keeps no trace of the profile. Before any page is interpreted, every
// ICCBased space in the file is therefore rewritten into a DeviceN space
// whose colorants name the profile ("ripline.icc.<index>.<channel>"),
// with the device space of the same channel count as its alternate and
// an identity tint transform. MuPDF then carries the original values to
// the colour device, which converts them through the embedded profile;
// anything that does not look for the tag (a soft mask, say) still gets
// the device-space reading MuPDF would have made without the rewrite.
#pragma once

#include "core/color/engine.hpp"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include <functional>
#include <string>
#include <vector>

namespace ripline::document {

// Rewrite the ICCBased spaces of DOC (on CTX, under the document lock)
// and return their profiles; a space's tag is its profile's index. A
// profile LittleCMS cannot read, or one whose channels do not match the
// space's N, is left as MuPDF reads it, with a warning from WARN naming
// FILE and the object. Lab-based profiles are left alone.
std::vector<color::Profile> tag_icc_spaces(
    fz_context* ctx, pdf_document* doc, const std::string& file,
    const std::function<void(const std::string&)>& warn);

// The profile index tag_icc_spaces() gave CS, or -1 when CS is not one
// of its tagged spaces.
int icc_tag(fz_colorspace* cs);

}  // namespace ripline::document
