// SPDX-License-Identifier: AGPL-3.0-or-later
// End-to-end renders through the C ABI: files, sizes, tags, coverage,
// and invariance to band height and thread count.
#include "tests/pipeline/render_fixture.hpp"
#include "tests/support/pdf_writer.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>

using namespace ripline::test;
namespace fs = std::filesystem;

static const fs::path pdfs = fs::path(RIPLINE_DATASETS_DIR) / "pdf";
static const char* inks[] = {"C", "M", "Y", "K"};

// How many dots of two same-sized planes differ by more than TOLERANCE.
static long differences(const TiffPlane& a, const TiffPlane& b,
                        int tolerance)
{
    REQUIRE(a.values.size() == b.values.size());
    long count = 0;
    for (size_t i = 0; i < a.values.size(); i++)
        count += std::abs(a.values[i] - b.values[i]) > tolerance;
    return count;
}

// A two-document job: vector art (tiger) and text, images and CMYK.
static fs::path two_page_job(const RenderFixture& f)
{
    const fs::path job = f.dir() / "job.xml";
    std::ofstream(job) << R"(<?xml version="1.0"?>
<Job Version="2"><JobGUID>3f2504e0-4f89-41d3-9a0c-0305e82c3301</JobGUID>
<Name>two pages</Name><PDFJob><InputJobs>
<FilePath>)" << (pdfs / "tiger.pdf").string()
                       << R"(</FilePath><FilePath>)"
                       << (pdfs / "text_graph_image_cmyk_rgb.pdf").string()
                       << R"(</FilePath></InputJobs></PDFJob></Job>)";
    return job;
}

TEST_CASE("a two-page job at 720 dpi gives 1-bit TIFFs per ink and sheet")
{
    RenderFixture f;
    const fs::path device = f.device(216, 280, 720);
    const fs::path out = f.dir() / "dots";
    rl_render_stats stats{};
    stats.size = sizeof stats;
    REQUIRE(f.render(two_page_job(f), device, out, {}, &stats) == RL_OK);

    CHECK(stats.sheets == 2);
    CHECK(list_files(out).size() == 8);
    const long width = std::lround(216 / 25.4 * 720);
    const long height = std::lround(280 / 25.4 * 720);
    for (int sheet = 1; sheet <= 2; sheet++)
        for (const char* ink : inks) {
            TiffPlane p = f.plane(out, sheet, ink);
            CHECK(p.width == width);
            CHECK(p.height == height);
            CHECK(p.bits == 1);
            CHECK(p.compression == 8); // Deflate, as the device asks
            CHECK(p.xdpi == Approx(720));
            CHECK(p.ydpi == Approx(720));
        }
}

TEST_CASE("halftoned coverage matches the contone render within 1%")
{
    RenderFixture f;
    const fs::path device = f.device(216, 280, 720);
    const fs::path job = two_page_job(f);
    REQUIRE(f.render(job, device, f.dir() / "dots") == RL_OK);
    REQUIRE(f.render(job, device, f.dir() / "contone", {{"contone", "1"}}) ==
            RL_OK);

    for (int sheet = 1; sheet <= 2; sheet++)
        for (const char* ink : inks) {
            const double dots = f.plane(f.dir() / "dots", sheet, ink)
                                    .coverage();
            TiffPlane contone = f.plane(f.dir() / "contone", sheet, ink);
            CHECK(contone.bits == 8);
            INFO("sheet " << sheet << " ink " << ink);
            CHECK(std::abs(dots - contone.coverage()) < 0.01);
        }
    // The pages are not blank: the check above compares real ink.
    CHECK(f.plane(f.dir() / "contone", 1, "K").coverage() > 0.05);
    CHECK(f.plane(f.dir() / "contone", 2, "C").coverage() > 0.01);
}

TEST_CASE("threads do not change the output")
{
    RenderFixture f;
    const fs::path device = f.device(200, 210, 150);
    const fs::path job = pdfs / "tiger.pdf";
    const std::map<std::string, std::string> options = {
        {"contone", "1"}, {"band_height", "33"}};
    REQUIRE(f.render(job, device, f.dir() / "a", options) == RL_OK);
    rl_context_set_option(f.ctx(), "threads", "1");
    REQUIRE(f.render(job, device, f.dir() / "b", options) == RL_OK);
    rl_context_set_option(f.ctx(), "threads", "3");
    REQUIRE(f.render(job, device, f.dir() / "c", options) == RL_OK);

    for (const char* ink : inks) {
        TiffPlane a = f.plane(f.dir() / "a", 1, ink);
        INFO("ink " << ink);
        CHECK(differences(a, f.plane(f.dir() / "b", 1, ink), 0) == 0);
        CHECK(differences(a, f.plane(f.dir() / "c", 1, ink), 0) == 0);
    }
}

// MuPDF's rasteriser clips each edge at the band's top and steps it from
// there, so a dot on an anti-aliased edge may come out a few levels apart
// for another band height. Tolerance: no dot more than 16 levels off
// (6%), at most 0.5% of dots different by more than one level.
TEST_CASE("band height changes edge dots only within the tolerance")
{
    RenderFixture f;
    const fs::path device = f.device(200, 210, 150);
    const fs::path job = pdfs / "tiger.pdf";
    REQUIRE(f.render(job, device, f.dir() / "a",
                     {{"contone", "1"}, {"band_height", "256"}}) == RL_OK);
    REQUIRE(f.render(job, device, f.dir() / "b",
                     {{"contone", "1"}, {"band_height", "7"}}) == RL_OK);

    for (const char* ink : inks) {
        TiffPlane a = f.plane(f.dir() / "a", 1, ink);
        TiffPlane b = f.plane(f.dir() / "b", 1, ink);
        INFO("ink " << ink);
        CHECK(differences(a, b, 16) == 0);
        CHECK(differences(a, b, 1) < 0.005 * a.values.size());
        CHECK(std::abs(a.coverage() - b.coverage()) < 0.0005);
    }
}

TEST_CASE("a cancelled render leaves no output behind")
{
    RenderFixture f;
    f.cancel_after = 2;
    const fs::path out = f.dir() / "out";
    CHECK(f.render(pdfs / "tiger.pdf", f.device(200, 210, 300), out,
                   {{"band_height", "16"}}) == RL_ERROR_CANCELLED);
    CHECK_THAT(f.last_error(), Catch::Contains("cancelled"));
    for (const std::string& name : list_files(out))
        CHECK_FALSE(name.ends_with(".tif"));
}

TEST_CASE("a print mode with white and varnish gives every ink a plane")
{
    RenderFixture f;
    const fs::path device = f.dir() / "white.json";
    std::ofstream(device)
        << R"({"id": "white", "driver": "tiff", "media": {"type": "sheet",
        "width_mm": 50, "length_mm": 50}, "print_mode": ")"
        << RIPLINE_PROFILE_DIR << R"(/printmodes/cmyk-white-varnish.json"})";
    ripline::test::PdfWriter pdf;
    pdf.add_page(72, 72, "0.6 0.2 0 0 k 18 18 36 36 re f");
    pdf.write(f.dir() / "square.pdf");
    const fs::path out = f.dir() / "out";
    rl_status status = f.render(f.dir() / "square.pdf", device, out,
                                {{"contone", "1"}});
    INFO(f.last_error());
    REQUIRE(status == RL_OK);

    CHECK(list_files(out).size() == 6);
    // Inside the square white prints under the colour; outside nothing.
    const TiffPlane white = f.plane(out, 1, "W");
    const uint32_t mid = white.width / 2;
    CHECK(white.at(mid, white.height / 2) > 0);
    CHECK(white.at(2, 2) == 0);
    CHECK(f.plane(out, 1, "C").at(mid, white.height / 2) > 100);
}

TEST_CASE("TrimWhite places a page by what it paints")
{
    // A 2 x 2 inch page, filled white, painting a 1 x 0.5 inch black bar
    // in its far corner: untrimmed, the bar is off the 1 inch sheet;
    // trimmed, it is all there is (white paint is not content).
    RenderFixture f;
    PdfWriter pdf;
    pdf.add_page(144, 144,
                 "1 g 0 0 144 144 re f 0 0 0 1 k 70 2 72 36 re f", "<<>>");
    pdf.write(f.dir() / "p.pdf");
    std::ofstream(f.dir() / "trim.xml")
        << "<Job Version=\"2\" "
           "xmlns=\"https://printfactory.cloud/schema/2.0\">"
           "<JobGUID>5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6</JobGUID><PDFJob>"
           "<InputJobs><FilePath>p.pdf</FilePath></InputJobs></PDFJob>"
           "<TrimWhite>true</TrimWhite></Job>";
    const fs::path out = f.dir() / "out";
    REQUIRE(f.render(f.dir() / "trim.xml", f.device(25.4, 25.4, 72), out,
                     {{"contone", "1"}}) == RL_OK);
    const TiffPlane k = f.plane(out, 1, "K");
    long inked = 0;
    for (uint32_t y = 0; y < k.height; y++)
        for (uint32_t x = 0; x < k.width; x++)
            inked += k.at(x, y) > 128;
    CHECK(std::abs(inked - 72 * 36) <= 72 + 36);
}
