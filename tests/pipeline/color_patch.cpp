// SPDX-License-Identifier: AGPL-3.0-or-later
// ColorPatch: rendering a patch page, and LittleCMS's reference answers.
#include "tests/pipeline/color_patch.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

namespace ripline::test {

namespace fs = std::filesystem;

namespace {

// A ticket for DOCUMENT with the colour elements COLOR.
std::string ticket_for(const fs::path& document, const std::string& color)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<Job Version=\"2\" "
           "xmlns=\"https://printfactory.cloud/schema/2.0\">\n"
           "<JobGUID>3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f</JobGUID>\n"
           "<PDFJob><InputJobs><FilePath>" +
           document.string() + "</FilePath></InputJobs></PDFJob>\n" + color +
           "\n</Job>\n";
}

}  // namespace

ColorPatch::ColorPatch(const PdfWriter& pdf, const std::string& ticket_color)
{
    fs::path job = f.dir() / "patch.pdf";
    pdf.write(job);
    if (!ticket_color.empty()) {
        const fs::path ticket = f.dir() / "patch.xml";
        std::ofstream(ticket) << ticket_for(job, ticket_color);
        job = ticket;
    }
    const fs::path out = f.dir() / "out";
    rl_status status =
        f.render(job, f.device(25.4, 25.4, 72), out, {{"contone", "1"}});
    INFO(f.last_error());
    REQUIRE(status == RL_OK);
    const char* inks[] = {"C", "M", "Y", "K"};
    for (int i = 0; i < 4; i++)
        planes[i] = f.plane(out, 1, inks[i]);
}

ColorPatch::Cmyk ColorPatch::at(int x, int y) const
{
    return {planes[0].at(x, y), planes[1].at(x, y), planes[2].at(x, y),
            planes[3].at(x, y)};
}

PdfWriter page(const std::string& content, const std::string& resources)
{
    PdfWriter pdf;
    pdf.add_page(72, 72, content, resources);
    return pdf;
}

ColorPatch::Cmyk lcms(cmsHPROFILE source, cmsUInt32Number format,
                      const std::vector<double>& in, int intent)
{
    cmsHPROFILE out = cmsOpenProfileFromFile(fogra.c_str(), "r");
    cmsHTRANSFORM t = cmsCreateTransform(source, format, out, TYPE_CMYK_DBL,
                                         intent,
                                         cmsFLAGS_BLACKPOINTCOMPENSATION);
    double result[4];
    cmsDoTransform(t, in.data(), result, 1);
    cmsDeleteTransform(t);
    cmsCloseProfile(out);
    cmsCloseProfile(source);
    ColorPatch::Cmyk cmyk;
    for (int i = 0; i < 4; i++)
        cmyk[i] = int(std::lround(result[i] * 2.55));
    return cmyk;
}

ColorPatch::Cmyk lcms_8bit(const std::array<uint8_t, 3>& rgb, int intent,
                           cmsHPROFILE source)
{
    cmsHPROFILE in = source ? source : cmsCreate_sRGBProfile();
    cmsHPROFILE out = cmsOpenProfileFromFile(fogra.c_str(), "r");
    cmsHTRANSFORM t = cmsCreateTransform(
        in, TYPE_RGB_8, out, TYPE_CMYK_8, intent,
        cmsFLAGS_BLACKPOINTCOMPENSATION | cmsFLAGS_HIGHRESPRECALC);
    uint8_t result[4];
    cmsDoTransform(t, rgb.data(), result, 1);
    cmsDeleteTransform(t);
    cmsCloseProfile(out);
    cmsCloseProfile(in);
    return {result[0], result[1], result[2], result[3]};
}

void check_near(const ColorPatch::Cmyk& got, const ColorPatch::Cmyk& want,
                int tolerance)
{
    INFO("got " << got[0] << " " << got[1] << " " << got[2] << " " << got[3]
                << ", want " << want[0] << " " << want[1] << " " << want[2]
                << " " << want[3]);
    for (int i = 0; i < 4; i++)
        CHECK(std::abs(got[i] - want[i]) <= tolerance);
}

}  // namespace ripline::test
