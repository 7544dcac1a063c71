// SPDX-License-Identifier: AGPL-3.0-or-later
// Where colours convert from: ICC profiles embedded in PDFs, the ticket's
// intents and input profiles per object class, and the PDF/X output
// intent switched off, each checked against LittleCMS.
#include "tests/pipeline/color_patch.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

using namespace ripline::test;
namespace fs = std::filesystem;
using Cmyk = ColorPatch::Cmyk;

namespace {

// Adobe RGB (icc-profiles-free's compatible profile): its green is far
// from sRGB's, so a test can tell which of the two was used.
const fs::path adobe_rgb =
    "/usr/share/color/icc/compatibleWithAdobeRGB1998.icc";
const fs::path gs_cmyk = "/usr/share/color/icc/ghostscript/default_cmyk.icc";

cmsHPROFILE open(const fs::path& icc)
{
    return cmsOpenProfileFromFile(icc.c_str(), "r");
}

int apart(const Cmyk& a, const Cmyk& b)
{
    int most = 0;
    for (int i = 0; i < 4; i++)
        most = std::max(most, std::abs(a[i] - b[i]));
    return most;
}

// A page filling the square with COLOR in the space /CS0, an ICCBased
// space of N channels over the profile ICC (as bytes).
PdfWriter icc_fill(const std::string& icc, int n, const std::string& color)
{
    PdfWriter pdf;
    const int stream =
        pdf.add_stream("<< /N " + std::to_string(n) + " >>", icc);
    pdf.add_page(72, 72, "/CS0 cs " + color + " sc 0 0 72 72 re f",
                 "<< /ColorSpace << /CS0 [/ICCBased " +
                     std::to_string(stream) + " 0 R] >> >>");
    return pdf;
}

}  // namespace

TEST_CASE("an ICCBased RGB fill converts from its embedded profile")
{
    const std::string icc = read_bytes(adobe_rgb);
    REQUIRE(icc.size() > 128);
    const Cmyk want = lcms(open(adobe_rgb), TYPE_RGB_DBL, {0.15, 0.65, 0.35},
                           INTENT_RELATIVE_COLORIMETRIC);
    const Cmyk as_srgb = lcms(cmsCreate_sRGBProfile(), TYPE_RGB_DBL,
                              {0.15, 0.65, 0.35},
                              INTENT_RELATIVE_COLORIMETRIC);
    REQUIRE(apart(want, as_srgb) > 10); // the test can tell the two apart

    SECTION("honoured by default")
    {
        ColorPatch p(icc_fill(icc, 3, "0.15 0.65 0.35"));
        check_near(p.at(36, 36), want, 1);
    }
    SECTION("read as DeviceRGB when the ticket says not to use it")
    {
        ColorPatch p(icc_fill(icc, 3, "0.15 0.65 0.35"),
                     "<UseEmbeddedProfiles>false</UseEmbeddedProfiles>");
        check_near(p.at(36, 36), as_srgb, 1);
    }
}

TEST_CASE("an ICCBased CMYK fill converts from its profile to the device's")
{
    ColorPatch p(icc_fill(read_bytes(gs_cmyk), 4, "0.2 0.4 0.6 0.1"));
    const Cmyk want = lcms(open(gs_cmyk), TYPE_CMYK_DBL, {20, 40, 60, 10},
                           INTENT_RELATIVE_COLORIMETRIC);
    check_near(p.at(36, 36), want, 1);
    CHECK(apart(want, {51, 102, 153, 26}) > 3);
}

TEST_CASE("ICCBased images, direct and indexed, use the embedded profile")
{
    const std::string icc = read_bytes(adobe_rgb);
    PdfWriter pdf;
    const int profile = pdf.add_stream("<< /N 3 >>", icc);
    const std::string space =
        "[/ICCBased " + std::to_string(profile) + " 0 R]";
    // Two 1 x 1 images: one in the ICC space, one indexed over it.
    const int direct = pdf.add_stream(
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace " +
            space + " /BitsPerComponent 8 >>",
        std::string("\x28\xa0\x5a", 3));
    const int indexed = pdf.add_stream(
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace "
        "[/Indexed " + space + " 1 <000000c8641e>] /BitsPerComponent 8 >>",
        std::string("\x01", 1));
    pdf.add_page(72, 72,
                 "q 36 0 0 72 0 0 cm /Im0 Do Q q 36 0 0 72 36 0 cm /Im1 Do Q",
                 "<< /XObject << /Im0 " + std::to_string(direct) +
                     " 0 R /Im1 " + std::to_string(indexed) + " 0 R >> >>");
    ColorPatch p(pdf);
    check_near(p.at(18, 36),
               lcms_8bit({40, 160, 90}, INTENT_PERCEPTUAL, open(adobe_rgb)),
               1);
    check_near(p.at(54, 36),
               lcms_8bit({200, 100, 30}, INTENT_PERCEPTUAL, open(adobe_rgb)),
               1);
}

TEST_CASE("a spot whose alternate is ICCBased converts through its profile")
{
    const std::string icc = read_bytes(adobe_rgb);
    PdfWriter pdf;
    const int profile = pdf.add_stream("<< /N 3 >>", icc);
    pdf.add_page(
        72, 72, "/CS0 cs 1 sc 0 0 72 72 re f",
        "<< /ColorSpace << /CS0 [/Separation /Leaf [/ICCBased " +
            std::to_string(profile) +
            " 0 R] << /FunctionType 2 /Domain [0 1] /C0 [1 1 1] "
            "/C1 [0.15 0.65 0.35] /N 1 >>] >> >>");
    ColorPatch p(pdf);
    check_near(p.at(36, 36),
               lcms(open(adobe_rgb), TYPE_RGB_DBL, {0.15, 0.65, 0.35},
                    INTENT_RELATIVE_COLORIMETRIC),
               1);
}

TEST_CASE("indexed colours and shadings over ICCBased use its profile")
{
    const std::string icc = read_bytes(adobe_rgb);
    PdfWriter pdf;
    const int profile = pdf.add_stream("<< /N 3 >>", icc);
    const std::string space =
        "[/ICCBased " + std::to_string(profile) + " 0 R]";
    // Left: index 1 of a two-entry table; right: a flat "shading" from
    // one colour to the same colour, so every pixel has that value.
    pdf.add_page(
        72, 72, "/CS0 cs 1 sc 0 0 36 72 re f q 36 0 36 72 re W n /Sh0 sh Q",
        "<< /ColorSpace << /CS0 [/Indexed " + space +
            " 1 <000000c8641e>] >> /Shading << /Sh0 << /ShadingType 2 "
            "/ColorSpace " + space + " /Coords [0 0 72 0] /Function << "
            "/FunctionType 2 /Domain [0 1] /C0 [0.15 0.65 0.35] "
            "/C1 [0.15 0.65 0.35] /N 1 >> >> >> >>");
    ColorPatch p(pdf);
    check_near(p.at(18, 36),
               lcms(open(adobe_rgb), TYPE_RGB_DBL,
                    {200 / 255.0, 100 / 255.0, 30 / 255.0},
                    INTENT_RELATIVE_COLORIMETRIC),
               1);
    // Shadings paint in 8 bits before converting: LittleCMS's LUT.
    check_near(p.at(54, 36),
               lcms(open(adobe_rgb), TYPE_RGB_DBL, {0.15, 0.65, 0.35},
                    INTENT_RELATIVE_COLORIMETRIC),
               3);
}

TEST_CASE("a broken embedded profile falls back to the device space")
{
    ColorPatch p(icc_fill(std::string(300, 'x'), 3, "0.15 0.65 0.35"));
    check_near(p.at(36, 36),
               lcms(cmsCreate_sRGBProfile(), TYPE_RGB_DBL,
                    {0.15, 0.65, 0.35}, INTENT_RELATIVE_COLORIMETRIC),
               1);
}

TEST_CASE("the ticket's intents apply to images and vectors apart")
{
    // A vector fill on the left, a one-pixel image on the right, both
    // the same DeviceRGB colour.
    PdfWriter pdf;
    const int image = pdf.add_stream(
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 "
        "/ColorSpace /DeviceRGB /BitsPerComponent 8 >>",
        std::string("\x28\xa0\x5a", 3));
    pdf.add_page(72, 72,
                 "0.156863 0.627451 0.352941 rg 0 0 36 72 re f "
                 "q 36 0 0 72 36 0 cm /Im0 Do Q",
                 "<< /XObject << /Im0 " + std::to_string(image) +
                     " 0 R >> >>");
    const std::vector<double> rgb = {40 / 255.0, 160 / 255.0, 90 / 255.0};
    const Cmyk relative = lcms(cmsCreate_sRGBProfile(), TYPE_RGB_DBL, rgb,
                               INTENT_RELATIVE_COLORIMETRIC);
    const Cmyk perceptual = lcms(cmsCreate_sRGBProfile(), TYPE_RGB_DBL, rgb,
                                 INTENT_PERCEPTUAL);
    REQUIRE(apart(relative, perceptual) > 3);

    SECTION("the print mode's: relative for vectors, perceptual for images")
    {
        ColorPatch p(pdf);
        check_near(p.at(18, 36), relative, 1);
        check_near(p.at(54, 36), perceptual, 4);
    }
    SECTION("the ticket's swap them")
    {
        ColorPatch p(pdf, "<RGBVectorIntent>Perceptual</RGBVectorIntent>"
                          "<RGBImageIntent>RelativeColorimetric"
                          "</RGBImageIntent>");
        check_near(p.at(18, 36), perceptual, 1);
        check_near(p.at(54, 36), relative, 4);
    }
}

TEST_CASE("the ticket's input profile defines untagged RGB of its class")
{
    ColorPatch p(page("0.15 0.65 0.35 rg 0 0 72 72 re f"),
                 "<RGBVectorSpec>" + adobe_rgb.string() + "</RGBVectorSpec>");
    check_near(p.at(36, 36),
               lcms(open(adobe_rgb), TYPE_RGB_DBL, {0.15, 0.65, 0.35},
                    INTENT_RELATIVE_COLORIMETRIC),
               1);
}

TEST_CASE("an input profile that cannot be found fails before rendering")
{
    RenderFixture f;
    page("0 0 1 rg 0 0 72 72 re f").write(f.dir() / "patch.pdf");
    std::ofstream(f.dir() / "patch.xml")
        << "<Job Version=\"2\" "
           "xmlns=\"https://printfactory.cloud/schema/2.0\">"
           "<JobGUID>3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f</JobGUID>"
           "<PDFJob><InputJobs><FilePath>patch.pdf</FilePath></InputJobs>"
           "</PDFJob><RGBImageSpec>missing.icc</RGBImageSpec></Job>";
    const fs::path out = f.dir() / "out";
    CHECK(f.render(f.dir() / "patch.xml", f.device(25.4, 25.4, 72), out,
                   {{"contone", "1"}}) == RL_ERROR_NOT_FOUND);
    const std::string error = f.last_error();
    CHECK_THAT(error, Catch::Contains("RGBImageSpec") &&
                          Catch::Contains("missing.icc"));
    CHECK(list_files(out).empty());
}

TEST_CASE("UsePDFX3Profile false ignores the output intent")
{
    PdfWriter pdf = page("0.2 0.4 0.6 0.1 k 0 0 72 72 re f");
    const int profile = pdf.add_stream("<< /N 4 >>", read_bytes(gs_cmyk));
    const int intent = pdf.add(
        "<< /Type /OutputIntent /S /GTS_PDFX /DestOutputProfile " +
        std::to_string(profile) + " 0 R >>");
    pdf.set_catalog_extra("/OutputIntents [" + std::to_string(intent) +
                          " 0 R]");
    ColorPatch p(pdf, "<UsePDFX3Profile>false</UsePDFX3Profile>");
    check_near(p.at(36, 36), {51, 102, 153, 26}, 1);
}

namespace {

// What LittleCMS's own command-line calculator, transicc, gives for IN
// (its input ranges: RGB 0..255, CMYK 0..100, Lab) from SOURCE ("*sRGB",
// "*Lab" or a file) to FOGRA39L, relative colorimetric with black point
// compensation, in 0..255.
Cmyk transicc(const std::string& source, const std::string& in)
{
    const std::string command = "echo '" + in + "' | transicc -i '" +
                                source + "' -o '" + fogra.string() +
                                "' -t1 -b -n 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    char line[256] = "";
    std::string last;
    while (std::fgets(line, sizeof line, pipe))
        last = line;
    REQUIRE(pclose(pipe) == 0);
    double c = -1, m = -1, y = -1, k = -1;
    REQUIRE(std::sscanf(last.c_str(), "%lf %lf %lf %lf", &c, &m, &y, &k) ==
            4);
    return {int(std::lround(c * 2.55)), int(std::lround(m * 2.55)),
            int(std::lround(y * 2.55)), int(std::lround(k * 2.55))};
}

}  // namespace

TEST_CASE("patch ink values agree with LittleCMS's transicc")
{
    SECTION("DeviceRGB, as sRGB")
    {
        ColorPatch p(page("0.9 0.3 0.1 rg 0 0 72 72 re f"));
        check_near(p.at(36, 36), transicc("*sRGB", "229.5 76.5 25.5"), 1);
    }
    SECTION("ICCBased CMYK")
    {
        ColorPatch p(icc_fill(read_bytes(gs_cmyk), 4, "0.2 0.4 0.6 0.1"));
        check_near(p.at(36, 36), transicc(gs_cmyk.string(), "20 40 60 10"),
                   1);
    }
    SECTION("Lab")
    {
        ColorPatch p(page("/CS0 cs 50 20 -30 sc 0 0 72 72 re f",
                          "<< /ColorSpace << /CS0 [/Lab << /WhitePoint "
                          "[0.9642 1 0.8249] /Range [-128 127 -128 127] >>] "
                          ">> >>"));
        check_near(p.at(36, 36), transicc("*Lab", "50 20 -30"), 1);
    }
}

TEST_CASE("ICC-tagged gray goes to K alone unless the ticket manages gray")
{
    const fs::path gray = "/usr/share/color/icc/ghostscript/default_gray.icc";
    const PdfWriter pdf = icc_fill(read_bytes(gray), 1, "0.25");
    SECTION("by default: K only, as DeviceGray")
    {
        ColorPatch p(pdf);
        check_near(p.at(36, 36), {0, 0, 0, 191}, 1);
    }
    SECTION("with a Gray spec the embedded profile converts it")
    {
        ColorPatch p(pdf, "<GrayVectorSpec>" + gray.string() +
                              "</GrayVectorSpec>");
        const Cmyk want =
            lcms(open(gray), TYPE_GRAY_DBL, {0.25},
                 INTENT_RELATIVE_COLORIMETRIC);
        check_near(p.at(36, 36), want, 1);
        CHECK(apart(want, {0, 0, 0, 191}) > 3);
    }
}
