// SPDX-License-Identifier: AGPL-3.0-or-later
// Documents and jobs get their pages from the core: count, sizes and a
// PNG thumbnail per page rendered through the C ABI.
#include "harness.hpp"

#include <catch2/catch.hpp>
#include <png.h>

#include <thread>

using namespace ripline::server::test;

namespace {

// A decoded 8-bit RGB image.
struct Image {
    unsigned width = 0, height = 0;
    std::vector<unsigned char> rgb;
};

Image decode_png(const std::string& bytes) {
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    Image image;
    if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
        return image;
    png.format = PNG_FORMAT_RGB;
    std::vector<unsigned char> rgb(PNG_IMAGE_SIZE(png));
    if (!png_image_finish_read(&png, nullptr, rgb.data(), 0, nullptr))
        return image;
    return {png.width, png.height, std::move(rgb)};
}

// Pixels that are clearly red (the fixtures' square) and clearly white.
std::pair<std::size_t, std::size_t> count_red_white(const Image& image) {
    std::size_t red = 0, white = 0;
    for (std::size_t i = 0; i + 2 < image.rgb.size(); i += 3) {
        const unsigned char* p = &image.rgb[i];
        red += p[0] > 200 && p[1] < 60 && p[2] < 60;
        white += p[0] > 240 && p[1] > 240 && p[2] > 240;
    }
    return {red, white};
}

// GET TARGET until it answers 200 (the previewer works in the background).
Reply wait_for(const ServerProcess& s, const std::string& target) {
    Reply reply;
    for (int i = 0; i < 300; ++i) {
        reply = s.get(target, s.a.auth());
        if (reply.status != 404)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return reply;
}

}  // namespace

TEST_CASE("documents and jobs get page sizes and thumbnails from the core",
          "[server][pages]") {
    ServerProcess s({"--thumbnail-px", "200"});
    std::string pdf = pdf_of_pages({{400, 200}, {100, 400}});
    std::string doc = guid();
    Form form;
    form.part("JsonString",
              nlohmann::json{{"DocumentGUID", doc}, {"Name", "two.pdf"}}
                  .dump(),
              "application/json")
        .part("two.pdf", pdf, "application/octet-stream", "two.pdf");
    REQUIRE(s.call("POST", "/api/v2/document", s.a.auth(), form.body(),
                   form.content_type())
                .status == 200);

#if RIPLINE_TEST_HAVE_CORE
    // Page 2's thumbnail: 100 x 400 pt fits 200 px high, 50 px wide.
    Reply second = wait_for(s, "/api/v2/document/" + doc + "/thumbnail/2");
    REQUIRE(second.status == 200);
    CHECK(second.content_type == "image/png");
    Image page2 = decode_png(second.body);
    CHECK(page2.width == 50);
    CHECK(page2.height == 200);

    // Page 1: 400 x 200 pt at 200 px is 200 x 100; the red square shows.
    Reply first = s.get("/api/v2/document/" + doc + "/thumbnail/1",
                        s.a.auth());
    REQUIRE(first.status == 200);
    Image page1 = decode_png(first.body);
    CHECK(page1.width == 200);
    CHECK(page1.height == 100);
    auto [red, white] = count_red_white(page1);
    // 50 pt at half scale is 25 x 25 px of red; the rest is paper white.
    CHECK(red > 500);
    CHECK(red < 800);
    CHECK(white > 15000);
    CHECK(s.get("/api/v2/document/" + doc + "/thumbnail/3", s.a.auth())
              .status == 404);

    // The sizes are the core's, in units (1/18") and millimetres.
    auto info = s.get("/api/v2/document/" + doc, s.a.auth()).json();
    INFO(info.dump(2));
    CHECK(info["PageCount"] == 2);
    auto pages = info["Meta"]["Pages"];
    REQUIRE(pages.size() == 2);
    CHECK(pages[0]["Width"].get<double>() == Approx(100));
    CHECK(pages[0]["Height"].get<double>() == Approx(50));
    CHECK(pages[1]["WidthMm"].get<double>() == Approx(35.278).epsilon(1e-3));
    CHECK(pages[1]["HeightMm"].get<double>() == Approx(141.11).epsilon(1e-3));
    CHECK(pages[0]["TrimmedWidthMm"].get<double>() ==
          Approx(17.64).epsilon(1e-2));

    // A job on that document: its pages and thumbnails are the document's.
    std::string job = guid();
    Form job_form;
    job_form
        .part("Job.xml", job_xml(job, "", "<FilePath>two.pdf</FilePath>"),
              "application/xml", "Job.xml")
        .part("two.pdf", pdf, "application/pdf", "two.pdf");
    REQUIRE(s.call("POST", "/api/v2/job", s.a.auth(), job_form.body(),
                   job_form.content_type())
                .status == 200);
    Reply job_thumb = wait_for(s, "/api/v2/job/" + job + "/thumbnail/2");
    REQUIRE(job_thumb.status == 200);
    CHECK(decode_png(job_thumb.body).height == 200);
    auto st = s.get("/api/v2/job/" + job + "/status", s.a.auth()).json();
    CHECK(st["Info"]["Pages"] == 2);
    CHECK(st["Info"]["Preview"] == "/api/v2/job/" + job + "/thumbnail/1");
    REQUIRE(st["PageSizes"].size() == 2);
    CHECK(st["PageSizes"][1]["Height"].get<double>() == Approx(100));
#else
    CHECK(s.get("/api/v2/document/" + doc + "/thumbnail/1", s.a.auth())
              .status == 404);
#endif
}

TEST_CASE("a document the core cannot read says why, with no thumbnail",
          "[server][pages]") {
    ServerProcess s;
    std::string doc = guid();
    Form form;
    form.part("JsonString",
              nlohmann::json{{"DocumentGUID", doc}, {"Name", "bad.pdf"}}
                  .dump(),
              "application/json")
        .part("bad.pdf", "%PDF-1.4 this is not a PDF", "application/pdf",
              "bad.pdf");
    REQUIRE(s.call("POST", "/api/v2/document", s.a.auth(), form.body(),
                   form.content_type())
                .status == 200);
    nlohmann::json info;
    for (int i = 0; i < 300 && !info.contains("PagesError"); ++i) {
        info = s.get("/api/v2/document/" + doc, s.a.auth()).json();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
#if RIPLINE_TEST_HAVE_CORE
    INFO(info.dump(2));
    // The core's message names the stage that refused it.
    CHECK(info.value("PagesError", "").find("document") !=
          std::string::npos);
#endif
    CHECK(s.get("/api/v2/document/" + doc + "/thumbnail/1", s.a.auth())
              .status == 404);
}
