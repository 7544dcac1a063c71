// SPDX-License-Identifier: AGPL-3.0-or-later
// Spot colours through the whole render: patch PDFs with Separation and
// DeviceN colours on a mode with spot, white and varnish inks, contone
// ink planes read back and checked against the spot table's rules.
#include "tests/pipeline/render_fixture.hpp"
#include "tests/support/pdf_writer.hpp"

#include <catch2/catch.hpp>
#include <lcms2.h>

#include <array>
#include <cmath>
#include <fstream>
#include <map>

using namespace ripline::test;
namespace fs = std::filesystem;

namespace {

const fs::path fogra = fs::path(RIPLINE_PROFILE_DIR) / "icc/FOGRA39L.icc";

// The mode's inks, in order: process, an orange spot ink, white, varnish.
const char* const inks[] = {"C", "M", "Y", "K", "Or", "W", "V"};
constexpr int ink_count = 7;

using Inks = std::array<int, ink_count>;

// A 72 x 72 pt sheet at 72 dpi whose print mode maps Orange to Or,
// White to W (the white rule), Varnish to V (the varnish rule), Teal to
// a Lab colour, and limits the total to TOTAL_PCT.
fs::path spot_device(const RenderFixture& f, int total_pct)
{
    const fs::path path = f.dir() / "spots-device.json";
    std::ofstream out(path);
    out << R"({"id": "spots", "driver": "tiff",
      "driver_options": {"compression": "deflate"},
      "media": {"type": "sheet", "width_mm": 25.4, "length_mm": 25.4},
      "print_mode": {"format": "ripline.print-mode", "version": 1,
        "name": "spots", "dpi": 72, "bits_per_dot": 1,
        "inks": ["C", "M", "Y", "K", "Or", "W", "V"],
        "output_profile": ")" << fogra.string() << R"(",
        "ink_limits": {"total_pct": )" << total_pct << R"(},
        "white": {"ink": "W", "source": "spot", "spot": "White"},
        "varnish": {"ink": "V", "source": "spot", "spot": "Varnish"},
        "spots": {"entries": [
          {"name": "Orange", "ink": "Or"},
          {"name": "Teal", "lab": [52, -38, -12]},
          {"name": "Dieline", "ignore": true}]}}})";
    return path;
}

// One page rendered contone on the spot device; its ink planes.
struct SpotPatch {
    RenderFixture f;
    std::array<TiffPlane, ink_count> planes;
    std::vector<double> coverage;

    SpotPatch(const std::string& content, const std::string& resources,
              int total_pct = 400)
    {
        PdfWriter pdf;
        pdf.add_page(72, 72, content, resources);
        render(pdf, total_pct);
    }

    SpotPatch(const PdfWriter& pdf, int total_pct = 400)
    {
        render(pdf, total_pct);
    }

    void render(const PdfWriter& pdf, int total_pct)
    {
        const fs::path file = f.dir() / "spots.pdf";
        pdf.write(file);
        const fs::path out = f.dir() / "out";
        rl_render_stats stats{};
        stats.size = sizeof stats;
        rl_status status = f.render(file, spot_device(f, total_pct), out,
                                    {{"contone", "1"}}, &stats);
        INFO(f.last_error());
        REQUIRE(status == RL_OK);
        for (int i = 0; i < ink_count; i++)
            planes[i] = f.plane(out, 1, inks[i]);
    }

    Inks at(int x, int y) const
    {
        Inks v;
        for (int i = 0; i < ink_count; i++)
            v[i] = planes[i].at(x, y);
        return v;
    }
};

std::string show(const Inks& v)
{
    std::string s;
    for (int i = 0; i < ink_count; i++)
        s += std::string(inks[i]) + "=" + std::to_string(v[i]) + " ";
    return s;
}

void check_near(const Inks& got, const Inks& want, int tolerance)
{
    INFO("got " << show(got) << "want " << show(want));
    for (int i = 0; i < ink_count; i++)
        CHECK(std::abs(got[i] - want[i]) <= tolerance);
}

// Separation spaces with a CMYK alternate that is C1 at full tint.
std::string separation(const std::string& name, const std::string& c1)
{
    return "[/Separation /" + name + " /DeviceCMYK << /FunctionType 2 "
           "/Domain [0 1] /C0 [0 0 0 0] /C1 [" + c1 + "] /N 1 >>]";
}

const std::string orange = separation("Orange", "0 0.6 1 0");
const std::string teal = separation("Teal", "0.9 0 0.3 0");
const std::string unknown = separation("Unlisted#20Blue", "1 0.7 0 0");

std::string spaces(const std::map<std::string, std::string>& named)
{
    std::string s = "/ColorSpace <<";
    for (const auto& [key, value] : named)
        s += " /" + key + " " + value;
    return s + " >>";
}

// LittleCMS: Lab D50 to FOGRA39L, relative colorimetric with BPC, as
// 0..255 ink values.
std::array<int, 4> lab_to_cmyk(double l, double a, double b)
{
    cmsHPROFILE lab = cmsCreateLab4Profile(cmsD50_xyY());
    cmsHPROFILE out = cmsOpenProfileFromFile(fogra.c_str(), "r");
    cmsHTRANSFORM t = cmsCreateTransform(
        lab, TYPE_Lab_DBL, out, TYPE_CMYK_DBL, INTENT_RELATIVE_COLORIMETRIC,
        cmsFLAGS_BLACKPOINTCOMPENSATION);
    const cmsCIELab in{l, a, b};
    double cmyk[4];
    cmsDoTransform(t, &in, cmyk, 1);
    cmsDeleteTransform(t);
    cmsCloseProfile(out);
    cmsCloseProfile(lab);
    std::array<int, 4> v;
    for (int i = 0; i < 4; i++)
        v[i] = int(std::lround(cmyk[i] * 2.55));
    return v;
}

// Lab of a spot at TINT: area coverage mixed with the D50 white in XYZ.
cmsCIELab lab_at(const cmsCIELab& full, double tint)
{
    cmsCIEXYZ ink, mix;
    cmsLab2XYZ(cmsD50_XYZ(), &ink, &full);
    const cmsCIEXYZ& white = *cmsD50_XYZ();
    mix.X = white.X + tint * (ink.X - white.X);
    mix.Y = white.Y + tint * (ink.Y - white.Y);
    mix.Z = white.Z + tint * (ink.Z - white.Z);
    cmsCIELab lab;
    cmsXYZ2Lab(cmsD50_XYZ(), &lab, &mix);
    return lab;
}

}  // namespace

TEST_CASE("a spot the table maps to an ink paints that ink's plane")
{
    // A fill at 60 % and a stroke at full tint, both Orange.
    SpotPatch p("/O cs 0.6 sc 0 0 36 72 re f "
                "/O CS 1 SCN 6 w 50 10 m 50 62 l S",
                "<< " + spaces({{"O", orange}}) + " >>");
    check_near(p.at(18, 36), {0, 0, 0, 0, 153, 0, 0}, 1);
    check_near(p.at(50, 36), {0, 0, 0, 0, 255, 0, 0}, 1);
    // Nothing in process: the alternate (orange from M + Y) is not used.
    check_near(p.at(60, 36), {0, 0, 0, 0, 0, 0, 0}, 0);
}

TEST_CASE("spot text paints the ink plane")
{
    PdfWriter pdf;
    const int font = pdf.add("<< /Type /Font /Subtype /Type1 "
                             "/BaseFont /Helvetica >>");
    pdf.add_page(72, 72, "/O cs 1 sc BT /F0 60 Tf 4 10 Td (I) Tj ET",
                 "<< /Font << /F0 " + std::to_string(font) + " 0 R >> " +
                     spaces({{"O", orange}}) + " >>");
    SpotPatch p(pdf);
    // Helvetica's I is a bar about 8 pt wide from x = 4 + 60 * 0.094.
    int painted = 0;
    for (int x = 0; x < 72; x++)
        painted += p.at(x, 40)[4] == 255;
    CHECK(painted >= 5);
    CHECK(p.at(12, 40)[4] == 255);
    check_near(p.at(12, 40), {0, 0, 0, 0, 255, 0, 0}, 0);
}

TEST_CASE("a DeviceN colour splits into its ink and its alternate")
{
    // Orange and an unlisted colorant; the tint transform makes process
    // from the second only: C = 0.9 t, Y = 0.3 t.
    PdfWriter pdf;
    const int fn = pdf.add_stream(
        "<< /FunctionType 4 /Domain [0 1 0 1] "
        "/Range [0 1 0 1 0 1 0 1] >>",
        "{ exch pop dup 0.9 mul exch 0 exch 0.3 mul 0 }");
    const std::string space =
        "[/DeviceN [/Orange /Lagoon] /DeviceCMYK " + std::to_string(fn) +
        " 0 R]";
    pdf.add_page(72, 72, "/N cs 0.5 1 sc 0 0 72 72 re f",
                 "<< " + spaces({{"N", space}}) + " >>");
    SpotPatch p(pdf);
    check_near(p.at(36, 36), {230, 0, 77, 0, 128, 0, 0}, 1);
}

TEST_CASE("a spot the table maps to Lab converts as that Lab colour")
{
    SpotPatch p("/T cs 1 sc 0 0 36 72 re f /T cs 0.5 sc 36 0 36 72 re f",
                "<< " + spaces({{"T", teal}}) + " >>");
    // The engine's float transform against LittleCMS's on the same
    // profile and intent: within 1 level, and not the PDF's alternate.
    const std::array<int, 4> full = lab_to_cmyk(52, -38, -12);
    check_near(p.at(18, 36), {full[0], full[1], full[2], full[3], 0, 0, 0},
               1);
    CHECK(std::abs(p.at(18, 36)[0] - 230) > 10);
    const cmsCIELab half = lab_at({52, -38, -12}, 0.5);
    const std::array<int, 4> mid = lab_to_cmyk(half.L, half.a, half.b);
    check_near(p.at(54, 36), {mid[0], mid[1], mid[2], mid[3], 0, 0, 0}, 1);
}

TEST_CASE("an unknown spot prints its alternate; ignored and cut never")
{
    const std::string dieline = separation("Dieline", "0 1 0 0");
    const std::string cut = separation("CutContour", "0 1 0 0");
    SpotPatch p("/U cs 1 sc 0 0 24 72 re f /D cs 1 sc 24 0 24 72 re f "
                "/C cs 1 sc 48 0 24 72 re f",
                "<< " +
                    spaces({{"U", unknown}, {"D", dieline}, {"C", cut}}) +
                    " >>");
    check_near(p.at(12, 36), {255, 179, 0, 0, 0, 0, 0}, 1);
    check_near(p.at(36, 36), {0, 0, 0, 0, 0, 0, 0}, 0);
    check_near(p.at(60, 36), {0, 0, 0, 0, 0, 0, 0}, 0);
}

TEST_CASE("a spot over process knocks it out, or overprints it")
{
    // Process everywhere, then Orange over the left half with overprint
    // on and over the right half with overprint off.
    SpotPatch p("0.2 0.4 0.6 0.1 k 0 0 72 72 re f "
                "q /OP gs /O cs 1 sc 0 0 36 72 re f Q "
                "/O cs 1 sc 36 0 36 72 re f",
                "<< " + spaces({{"O", orange}}) +
                    " /ExtGState << /OP << /OP true /op true /OPM 1 >> >> "
                    ">>");
    check_near(p.at(18, 36), {51, 102, 153, 26, 255, 0, 0}, 1);
    check_near(p.at(54, 36), {0, 0, 0, 0, 255, 0, 0}, 1);
}

TEST_CASE("process over a spot knocks it out, or overprints it")
{
    SpotPatch p("/O cs 1 sc 0 0 72 72 re f "
                "q /OP gs 0 0 0 1 k 0 0 36 72 re f Q "
                "0 0 0 1 k 36 0 36 72 re f",
                "<< " + spaces({{"O", orange}}) +
                    " /ExtGState << /OP << /OP true /op true >> >> >>");
    check_near(p.at(18, 36), {0, 0, 0, 255, 255, 0, 0}, 1);
    check_near(p.at(54, 36), {0, 0, 0, 255, 0, 0, 0}, 1);
}

TEST_CASE("white and varnish come from their spots")
{
    const std::string white = separation("White", "0 0 0 0");
    const std::string varnish = separation("Varnish", "0 0 0 0.1");
    SpotPatch p("/W cs 1 sc 0 0 36 72 re f "
                "0.5 0 0 0 k 36 0 36 72 re f "
                "q /OP gs /V cs 1 sc 20 0 40 72 re f Q",
                "<< " + spaces({{"W", white}, {"V", varnish}}) +
                    " /ExtGState << /OP << /OP true /op true >> >> >>");
    check_near(p.at(10, 36), {0, 0, 0, 0, 0, 255, 0}, 0);
    check_near(p.at(28, 36), {0, 0, 0, 0, 0, 255, 255}, 0);
    check_near(p.at(50, 36), {128, 0, 0, 0, 0, 0, 255}, 1);
    check_near(p.at(66, 36), {128, 0, 0, 0, 0, 0, 0}, 1);
}

TEST_CASE("spot inks count in the total ink limit")
{
    // 240 % of process with 100 % Orange overprinted is 340 %; the mode
    // allows 250 %. The chromatic inks shrink by one factor.
    SpotPatch p("0.8 0.8 0.8 0 k 0 0 72 72 re f "
                "q /OP gs /O cs 1 sc 0 0 36 72 re f Q",
                "<< " + spaces({{"O", orange}}) +
                    " /ExtGState << /OP << /OP true /op true >> >> >>",
                250);
    const Inks over = p.at(18, 36);
    INFO(show(over));
    const int total = over[0] + over[1] + over[2] + over[3] + over[4];
    CHECK(total <= int(2.5 * 255) + 2);
    CHECK(total >= int(2.5 * 255) - 4);
    // Hue kept: the orange ink and the process inks in their ratio.
    CHECK(std::abs(over[4] * 204 - over[0] * 255) <= 255 * 2);
    CHECK(over[0] == over[1]);
    // Without the spot, 240 % is within the limit and unchanged.
    check_near(p.at(54, 36), {204, 204, 204, 0, 0, 0, 0}, 1);
}

TEST_CASE("an image in a spot space paints the ink plane")
{
    // Two Orange pixels, full and a quarter, stretched over the page.
    PdfWriter pdf;
    const int space = pdf.add(orange);
    const int image = pdf.add_stream(
        "<< /Type /XObject /Subtype /Image /Width 2 /Height 1 "
        "/ColorSpace " + std::to_string(space) + " 0 R "
        "/BitsPerComponent 8 >>",
        std::string("\xff\x40", 2));
    pdf.add_page(72, 72, "q 72 0 0 72 0 0 cm /Im0 Do Q",
                 "<< /XObject << /Im0 " + std::to_string(image) +
                     " 0 R >> >>");
    SpotPatch p(pdf);
    // MuPDF smooths the enlargement; sample near the ends.
    check_near(p.at(4, 36), {0, 0, 0, 0, 255, 0, 0}, 2);
    check_near(p.at(67, 36), {0, 0, 0, 0, 64, 0, 0}, 2);
}

TEST_CASE("a shading in a spot space paints the ink plane")
{
    SpotPatch p("/Sh0 sh",
                "<< /Shading << /Sh0 << /ShadingType 2 /ColorSpace " +
                    orange +
                    " /Coords [0 0 72 0] /Extend [true true] /Function "
                    "<< /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 "
                    ">> >> >> >>");
    // The blend's t at a dot's centre is (x + 0.5) / 72; MuPDF samples
    // the function in 256 steps.
    for (int x : {1, 20, 36, 60}) {
        INFO("x = " << x);
        const int want = int(std::lround(255 * (x + 0.5) / 72));
        check_near(p.at(x, 36), {0, 0, 0, 0, want, 0, 0}, 2);
    }
}

TEST_CASE("a transparent spot composites with what is under it")
{
    // Half-transparent Orange over 60 % cyan: the orange ink at half
    // tint, the cyan at half (a spot knocks out what it covers).
    SpotPatch p("0.6 0 0 0 k 0 0 72 72 re f "
                "q /A gs /O cs 1 sc 0 0 36 72 re f Q",
                "<< " + spaces({{"O", orange}}) +
                    " /ExtGState << /A << /ca 0.5 >> >> >>");
    check_near(p.at(18, 36), {77, 0, 0, 0, 128, 0, 0}, 2);
    check_near(p.at(54, 36), {153, 0, 0, 0, 0, 0, 0}, 1);
}

TEST_CASE("with spot planes, process overprint follows OPM")
{
    // Black with overprint and OPM 1 over cyan: the zero C, M, Y of the
    // black leave the cyan (PDF's nonzero overprint mode).
    SpotPatch p("/O cs 1 sc 60 0 12 72 re f "
                "0.6 0 0 0 k 0 0 60 72 re f "
                "q /OP gs 0 0 0 1 k 0 0 30 72 re f Q",
                "<< " + spaces({{"O", orange}}) +
                    " /ExtGState << /OP << /OP true /op true /OPM 1 >> >> "
                    ">>");
    check_near(p.at(15, 36), {153, 0, 0, 255, 0, 0, 0}, 1);
    check_near(p.at(45, 36), {153, 0, 0, 0, 0, 0, 0}, 1);
}

TEST_CASE("an image in a spot space knocks out, or overprints")
{
    PdfWriter pdf;
    const int space = pdf.add(orange);
    const int image = pdf.add_stream(
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 "
        "/ColorSpace " + std::to_string(space) + " 0 R "
        "/BitsPerComponent 8 >>",
        std::string("\xc0", 1));
    pdf.add_page(72, 72,
                 "0.2 0.4 0.6 0.1 k 0 0 72 72 re f "
                 "q /OP gs 36 0 0 72 0 0 cm /Im0 Do Q "
                 "q 36 0 0 72 36 0 cm /Im0 Do Q",
                 "<< /XObject << /Im0 " + std::to_string(image) +
                     " 0 R >> /ExtGState << /OP << /OP true /op true >> "
                     ">> >>");
    SpotPatch p(pdf);
    check_near(p.at(18, 36), {51, 102, 153, 26, 192, 0, 0}, 1);
    check_near(p.at(54, 36), {0, 0, 0, 0, 192, 0, 0}, 1);
}

TEST_CASE("a DeviceN image splits into its ink and its alternate")
{
    PdfWriter pdf;
    const int fn = pdf.add_stream(
        "<< /FunctionType 4 /Domain [0 1 0 1] "
        "/Range [0 1 0 1 0 1 0 1] >>",
        "{ exch pop dup 0.9 mul exch 0 exch 0.3 mul 0 }");
    const int space = pdf.add("[/DeviceN [/Orange /Lagoon] /DeviceCMYK " +
                              std::to_string(fn) + " 0 R]");
    const int image = pdf.add_stream(
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 "
        "/ColorSpace " + std::to_string(space) + " 0 R "
        "/BitsPerComponent 8 >>",
        std::string("\x80\xff", 2));
    pdf.add_page(72, 72, "q 72 0 0 72 0 0 cm /Im0 Do Q",
                 "<< /XObject << /Im0 " + std::to_string(image) +
                     " 0 R >> >>");
    SpotPatch p(pdf);
    check_near(p.at(36, 36), {230, 0, 77, 0, 128, 0, 0}, 1);
}

TEST_CASE("a shading in a Lab spot converts as that Lab colour")
{
    SpotPatch p("/Sh0 sh",
                "<< /Shading << /Sh0 << /ShadingType 2 /ColorSpace " +
                    teal +
                    " /Coords [0 0 72 0] /Extend [true true] /Function "
                    "<< /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 "
                    ">> >> >> >>");
    // Tints as MuPDF samples the blend (256 steps), through the engine;
    // its sampling is a level or two of tint off, which the steep dark
    // end of the ramp makes up to 4 levels of cyan.
    for (int x : {1, 36, 70}) {
        INFO("x = " << x);
        const double t = std::lround(255 * (x + 0.5) / 72) / 255.0;
        const cmsCIELab lab = lab_at({52, -38, -12}, t);
        const std::array<int, 4> want = lab_to_cmyk(lab.L, lab.a, lab.b);
        check_near(p.at(x, 36), {want[0], want[1], want[2], want[3], 0, 0,
                                 0},
                   5);
    }
}
