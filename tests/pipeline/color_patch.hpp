// SPDX-License-Identifier: AGPL-3.0-or-later
// ColorPatch: one patch page rendered contone, and LittleCMS's answers to
// compare its ink values with.
#pragma once

#include "tests/pipeline/render_fixture.hpp"
#include "tests/support/pdf_writer.hpp"

#include <lcms2.h>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace ripline::test {

// The shipped output profile every patch renders to.
inline const std::filesystem::path fogra =
    std::filesystem::path(RIPLINE_PROFILE_DIR) / "icc/FOGRA39L.icc";

// One 72 x 72 pt page rendered at 72 dpi, contone, and its CMYK planes.
struct ColorPatch {
    using Cmyk = std::array<int, 4>;

    // TICKET_COLOR, when given, is Job XML colour elements (such as
    // <RGBVectorIntent>): the page is then rendered through a ticket
    // carrying them, not as a plain PDF.
    explicit ColorPatch(const PdfWriter& pdf,
                        const std::string& ticket_color = "");

    Cmyk at(int x, int y) const;

    RenderFixture f;
    std::array<TiffPlane, 4> planes;
};

// A one-page PDF of CONTENT with RESOURCES.
PdfWriter page(const std::string& content,
               const std::string& resources = "<<>>");

// LittleCMS's float answer for IN from SOURCE (taken over and closed) to
// FOGRA39L, with black point compensation, in 0..255.
ColorPatch::Cmyk lcms(cmsHPROFILE source, cmsUInt32Number format,
                      const std::vector<double>& in, int intent);

// LittleCMS's 8-bit transform, as ripline runs it on image pixels: the
// precalculated LUT at high resolution, with black point compensation.
// SOURCE (taken over and closed) defaults to sRGB.
ColorPatch::Cmyk lcms_8bit(const std::array<uint8_t, 3>& rgb, int intent,
                           cmsHPROFILE source = nullptr);

void check_near(const ColorPatch::Cmyk& got, const ColorPatch::Cmyk& want,
                int tolerance);

}  // namespace ripline::test
