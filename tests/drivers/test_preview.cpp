// SPDX-License-Identifier: AGPL-3.0-or-later
// The preview driver: thumbnail size, ink colours and coverage, read back.
#include "tests/drivers/driver_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <jpeglib.h>
#include <png.h>

using namespace ripline;
using namespace ripline::test;

namespace {

struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
    const uint8_t* at(int x, int y) const
    {
        return rgb.data() + (size_t(y) * size_t(width) + size_t(x)) * 3;
    }
};

Image read_png(const std::filesystem::path& path)
{
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    REQUIRE(png_image_begin_read_from_file(&png, path.c_str()) != 0);
    png.format = PNG_FORMAT_RGB;
    Image image{int(png.width), int(png.height), {}};
    image.rgb.resize(PNG_IMAGE_SIZE(png));
    REQUIRE(png_image_finish_read(&png, nullptr, image.rgb.data(), 0,
                                  nullptr) != 0);
    return image;
}

Image read_jpeg(const std::filesystem::path& path)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    REQUIRE(file);
    jpeg_decompress_struct jpeg{};
    jpeg_error_mgr error{};
    jpeg.err = jpeg_std_error(&error);
    jpeg_create_decompress(&jpeg);
    jpeg_stdio_src(&jpeg, file);
    jpeg_read_header(&jpeg, TRUE);
    jpeg.out_color_space = JCS_RGB;
    jpeg_start_decompress(&jpeg);
    Image image{int(jpeg.output_width), int(jpeg.output_height), {}};
    image.rgb.resize(size_t(image.width) * size_t(image.height) * 3);
    while (jpeg.output_scanline < jpeg.output_height) {
        JSAMPROW row = image.rgb.data() +
                       size_t(jpeg.output_scanline) * size_t(image.width) * 3;
        jpeg_read_scanlines(&jpeg, &row, 1);
    }
    jpeg_finish_decompress(&jpeg);
    jpeg_destroy_decompress(&jpeg);
    std::fclose(file);
    return image;
}

// A sheet whose left half is solid in ink 0 and whose right half has a
// checkerboard of ink 1 (50 % coverage); other inks empty.
SyntheticSheet halves(int inks, int width, int height, int bits)
{
    SyntheticSheet sheet(inks, width, height, bits, 1u);
    for (auto& plane : sheet.planes)
        std::fill(plane.begin(), plane.end(), 0);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            auto set = [&](int ink, unsigned value) {
                uint8_t* row =
                    sheet.planes[size_t(ink)].data() + size_t(y) * sheet.stride;
                if (bits == 1)
                    row[x / 8] |= uint8_t(value << (7 - x % 8));
                else
                    row[x] = uint8_t(value);
            };
            if (x < width / 2)
                set(0, bits == 1 ? 1 : 255);
            else if (bits == 1 && (x + y) % 2 == 0)
                set(1, 1);
            else if (bits == 8)
                set(1, 128);
        }
    return sheet;
}

void check_halves(const Image& image, int tolerance)
{
    // Left: solid K = (0.14, 0.12, 0.13); right: half cyan over paper.
    const uint8_t* left = image.at(image.width / 4, image.height / 2);
    CHECK(std::abs(left[0] - 36) <= tolerance);
    CHECK(std::abs(left[1] - 31) <= tolerance);
    const uint8_t* right = image.at(3 * image.width / 4, image.height / 2);
    CHECK(std::abs(right[0] - 128) <= tolerance); // 255 * (1 - 0.5)
    CHECK(std::abs(right[1] - 214) <= tolerance); // 255 * (1 - 0.5 * 0.32)
    CHECK(std::abs(right[2] - 247) <= tolerance);
}

const plugins::DriverModule& preview()
{
    const plugins::DriverModule* module = shipped_drivers().find("preview");
    REQUIRE(module != nullptr);
    return *module;
}

} // namespace

TEST_CASE("preview: a PNG thumbnail of screened dots shows the ink colours")
{
    TempDir out("preview");
    CapturedLog log;
    JobSpec spec;
    spec.inks = {"K", "C"};
    spec.options["max_size_px"] = "100";
    std::vector<SyntheticSheet> sheets;
    sheets.push_back(halves(2, 400, 250, 1));
    run_job(preview(), out.path().string(), spec, sheets, log.log);

    Image image = read_png(out.path() / "proof_s001_preview.png");
    CHECK(image.width == 100); // scale 4
    CHECK(image.height == 63);
    check_halves(image, 2);
}

TEST_CASE("preview: contone bands and JPEG output")
{
    TempDir out("previewjpeg");
    CapturedLog log;
    JobSpec spec;
    spec.bits = 8;
    spec.inks = {"Black", "Cyan", "Spot 7"};
    spec.options = {
        {"format", "jpeg"}, {"max_size_px", "64"}, {"quality", "95"}};
    std::vector<SyntheticSheet> sheets;
    sheets.push_back(halves(3, 256, 128, 8));
    run_job(preview(), out.path().string(), spec, sheets, log.log);

    Image image = read_jpeg(out.path() / "proof_s001_preview.jpg");
    CHECK(image.width == 64);
    CHECK(image.height == 32);
    check_halves(image, 8);
    CHECK(log.has("ink 'Spot 7' has no known colour"));
}

TEST_CASE("preview: a bad ink colour option names the option")
{
    TempDir out("previewbad");
    CapturedLog log;
    JobSpec spec;
    spec.options = {{"ink_color.C", "blue"}};
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(4, 8, 8, 1, 1u);
    CHECK_THROWS_WITH(
        run_job(preview(), out.path().string(), spec, sheets, log.log),
        "driver: preview: option ink_color.C: 'blue' is not "
        "#rrggbb");
}
