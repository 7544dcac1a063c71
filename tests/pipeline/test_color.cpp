// SPDX-License-Identifier: AGPL-3.0-or-later
// Colour through the whole render: patch PDFs made here, contone ink
// values read back and compared with LittleCMS on the same profiles.
#include "tests/pipeline/color_patch.hpp"

#include <catch2/catch.hpp>
#include <lcms2.h>
#include <tiffio.h>

#include <array>
#include <cmath>
#include <cstring>

using namespace ripline::test;
namespace fs = std::filesystem;
using Cmyk = ColorPatch::Cmyk;

namespace {

const fs::path gs_cmyk = "/usr/share/color/icc/ghostscript/default_cmyk.icc";

// A CMYK patch in a PDF/X whose output intent is the profile ICC.
PdfWriter with_output_intent(const fs::path& icc)
{
    PdfWriter pdf = page("0.2 0.4 0.6 0.1 k 0 0 72 72 re f");
    const int profile = pdf.add_stream("<< /N 4 >>", read_bytes(icc));
    const int intent = pdf.add(
        "<< /Type /OutputIntent /S /GTS_PDFX /DestOutputProfile " +
        std::to_string(profile) + " 0 R >>");
    pdf.set_catalog_extra("/OutputIntents [" + std::to_string(intent) +
                          " 0 R]");
    return pdf;
}

}  // namespace

TEST_CASE("DeviceCMYK passes unchanged without an output intent")
{
    ColorPatch p(page("0.2 0.4 0.6 0.1 k 0 0 72 72 re f"));
    check_near(p.at(36, 36), {51, 102, 153, 26}, 1);
}

TEST_CASE("DeviceGray goes to K alone")
{
    ColorPatch p(page("0.25 g 0 0 72 72 re f"));
    check_near(p.at(36, 36), {0, 0, 0, 191}, 1);
}

TEST_CASE("DeviceRGB converts as LittleCMS converts sRGB to FOGRA39L")
{
    ColorPatch p(page("0.9 0.3 0.1 rg 0 0 72 72 re f"));
    check_near(p.at(36, 36),
               lcms(cmsCreate_sRGBProfile(), TYPE_RGB_DBL, {0.9, 0.3, 0.1},
                    INTENT_RELATIVE_COLORIMETRIC),
               1);
}

TEST_CASE("Lab converts from D50 Lab")
{
    ColorPatch p(page("/CS0 cs 50 20 -30 sc 0 0 72 72 re f",
                 "<< /ColorSpace << /CS0 [/Lab << /WhitePoint [0.9642 1 "
                 "0.8249] /Range [-128 127 -128 127] >>] >> >>"));
    check_near(p.at(36, 36),
               lcms(cmsCreateLab4Profile(cmsD50_xyY()), TYPE_Lab_DBL,
                    {50, 20, -30}, INTENT_RELATIVE_COLORIMETRIC),
               1);
}

TEST_CASE("a PDF/X output intent defines DeviceCMYK")
{
    SECTION("another press profile: CMYK is converted")
    {
        ColorPatch p(with_output_intent(gs_cmyk));
        const Cmyk want =
            lcms(cmsOpenProfileFromFile(gs_cmyk.c_str(), "r"), TYPE_CMYK_DBL,
                 {20, 40, 60, 10}, INTENT_RELATIVE_COLORIMETRIC);
        check_near(p.at(36, 36), want, 1);
        CHECK(want != Cmyk{51, 102, 153, 26}); // the test can tell
    }
    SECTION("the device's own profile: CMYK passes unchanged")
    {
        ColorPatch p(with_output_intent(fogra));
        check_near(p.at(36, 36), {51, 102, 153, 26}, 1);
    }
}

TEST_CASE("RGB images convert with the image intent")
{
    PdfWriter pdf;
    const int image = pdf.add_stream(
        "<< /Type /XObject /Subtype /Image /Width 2 /Height 1 "
        "/ColorSpace /DeviceRGB /BitsPerComponent 8 >>",
        std::string("\xff\x00\x00\x00\x00\xff", 6));
    pdf.add_page(72, 72, "q 72 0 0 72 0 0 cm /Im0 Do Q",
                 "<< /XObject << /Im0 " + std::to_string(image) +
                     " 0 R >> >>");
    ColorPatch p(pdf);
    // Pixels go through LittleCMS's 8-bit transform exactly; its LUT is
    // within 4 levels of the float transform even at the gamut's edge.
    // MuPDF smooths the 36-fold enlargement, so sample near the ends.
    check_near(p.at(4, 36), lcms_8bit({255, 0, 0}, INTENT_PERCEPTUAL), 1);
    check_near(p.at(67, 36), lcms_8bit({0, 0, 255}, INTENT_PERCEPTUAL), 1);
    check_near(p.at(4, 36),
               lcms(cmsCreate_sRGBProfile(), TYPE_RGB_DBL, {1, 0, 0},
                    INTENT_PERCEPTUAL),
               4);
}

TEST_CASE("shadings are painted in their space and then converted")
{
    ColorPatch p(page("/Sh0 sh",
                 "<< /Shading << /Sh0 << /ShadingType 2 /ColorSpace "
                 "/DeviceRGB /Coords [0 0 72 0] /Extend [true true] "
                 "/Function << /FunctionType 2 /Domain [0 1] /C0 [1 0 0] "
                 "/C1 [0 0 1] /N 1 >> >> >> >>"));
    // The shading is painted at 8 bits, then converted; a dot's centre
    // x + 0.5 sets its blend t = (x + 0.5) / 72 from red to blue. MuPDF
    // samples the blend function in 256 steps, a level or two off in RGB
    // that steep parts of the profile make up to 6 in CMYK. MuPDF's own
    // conversion would be far off (yellow 128 at the middle, not 0).
    for (int x : {1, 20, 36, 60}) {
        const double t = (x + 0.5) / 72;
        const std::array<uint8_t, 3> rgb = {
            uint8_t(std::lround(255 * (1 - t))), 0,
            uint8_t(std::lround(255 * t))};
        INFO("x = " << x);
        check_near(p.at(x, 36),
                   lcms_8bit(rgb, INTENT_RELATIVE_COLORIMETRIC), 6);
    }
}

TEST_CASE("spots print through their alternate, cut contours never")
{
    const std::string resources =
        "<< /ColorSpace << /Cut [/Separation /CutContour /DeviceCMYK "
        "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 1 0 0] /N 1 "
        ">>] /Spot [/Separation /Teal /DeviceCMYK << /FunctionType 2 "
        "/Domain [0 1] /C0 [0 0 0 0] /C1 [0.9 0 0.3 0] /N 1 >>] >> >>";
    ColorPatch p(page("/Spot cs 1 sc 0 0 36 72 re f "
                 "/Cut CS 1 SCN 4 w 40 10 28 52 re S",
                 resources));
    check_near(p.at(18, 36), {230, 0, 77, 0}, 1);
    // The contour's stroke would paint magenta at x = 40 and x = 68.
    for (int y = 12; y < 60; y++) {
        CHECK(p.at(40, y) == Cmyk{0, 0, 0, 0});
        CHECK(p.at(68, y) == Cmyk{0, 0, 0, 0});
    }
}

TEST_CASE("an image file is a one-page document in its embedded profile")
{
    // An 8 x 8 RGB TIFF at 72 dpi in Adobe RGB (icc-profiles-free's
    // compatible profile), whose green is far from sRGB's.
    RenderFixture f;
    const fs::path image = f.dir() / "patch.tif";
    const std::string icc = read_bytes(
        "/usr/share/color/icc/compatibleWithAdobeRGB1998.icc");
    REQUIRE(icc.size() > 128);
    TIFF* tiff = TIFFOpen(image.c_str(), "w");
    REQUIRE(tiff);
    TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, 8);
    TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, 8);
    TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 3);
    TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tiff, TIFFTAG_XRESOLUTION, 72.0f);
    TIFFSetField(tiff, TIFFTAG_YRESOLUTION, 72.0f);
    TIFFSetField(tiff, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(tiff, TIFFTAG_ICCPROFILE, uint32_t(icc.size()), icc.data());
    const uint8_t pixel[3] = {40, 160, 90};
    uint8_t row[24];
    for (int x = 0; x < 8; x++)
        std::memcpy(row + 3 * x, pixel, 3);
    for (int y = 0; y < 8; y++)
        TIFFWriteScanline(tiff, row, y, 0);
    TIFFClose(tiff);

    const fs::path out = f.dir() / "out";
    rl_status status = f.render(image, f.device(25.4, 25.4, 72), out,
                                {{"contone", "1"}});
    INFO(f.last_error());
    REQUIRE(status == RL_OK);

    // The page is the image, 8 pt square, centred on the 72 pt sheet.
    const Cmyk want =
        lcms_8bit({40, 160, 90}, INTENT_PERCEPTUAL,
                  cmsOpenProfileFromMem(icc.data(), icc.size()));
    Cmyk got;
    const char* inks[] = {"C", "M", "Y", "K"};
    for (int i = 0; i < 4; i++)
        got[i] = f.plane(out, 1, inks[i]).at(36, 36);
    check_near(got, want, 1);
    // Read as sRGB it would come out otherwise: the test can tell.
    const Cmyk as_srgb = lcms_8bit({40, 160, 90}, INTENT_PERCEPTUAL);
    int apart = 0;
    for (int i = 0; i < 4; i++)
        apart = std::max(apart, std::abs(as_srgb[i] - want[i]));
    CHECK(apart > 10);
}
