// SPDX-License-Identifier: AGPL-3.0-or-later
// The tiff driver through the host: read back with libtiff, dot for dot.
#include "core/common/error.hpp"
#include "plugins/sdk/driver_sdk.hpp"
#include "tests/drivers/driver_fixture.hpp"

#include <catch2/catch.hpp>
#include <tiffio.h>

#include <memory>

using namespace ripline;
using namespace ripline::test;

namespace {

struct TiffCloser {
    void operator()(TIFF* t) const { TIFFClose(t); }
};
using TiffFile = std::unique_ptr<TIFF, TiffCloser>;

TiffFile open_tiff(const std::filesystem::path& path)
{
    TiffFile tiff(TIFFOpen(path.c_str(), "r"));
    REQUIRE(tiff);
    return tiff;
}

// Compare every dot of TIFF with INK of SHEET; count the mismatches.
long count_mismatches(TIFF* tiff, const SyntheticSheet& sheet, int ink)
{
    std::vector<uint8_t> row(size_t(TIFFScanlineSize(tiff)));
    long wrong = 0;
    for (int y = 0; y < sheet.height_dots; ++y) {
        REQUIRE(TIFFReadScanline(tiff, row.data(), uint32_t(y), 0) == 1);
        for (int x = 0; x < sheet.width_dots; ++x)
            wrong += sdk::dot_value(row.data(), x, sheet.bits) !=
                     sheet.dot(ink, x, y);
    }
    return wrong;
}

template <class T>
T field(TIFF* tiff, ttag_t tag)
{
    T value{};
    REQUIRE(TIFFGetField(tiff, tag, &value) == 1);
    return value;
}

const plugins::DriverModule& tiff_module()
{
    const plugins::DriverModule* module = shipped_drivers().find("tiff");
    REQUIRE(module != nullptr);
    return *module;
}

} // namespace

TEST_CASE("tiff: 1 bit sheets read back dot for dot, G4, with dpi tags")
{
    TempDir out("tiff1");
    CapturedLog log;
    JobSpec spec;
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(4, 301, 157, 1, 1u);
    sheets.emplace_back(4, 64, 33, 1, 2u);
    run_job(tiff_module(), "file://" + out.path().string(), spec, sheets,
            log.log);

    // One file per ink per sheet, nothing hidden left behind.
    CHECK(out.files() ==
          std::vector<std::string>{"proof_s001_C.tif", "proof_s001_K.tif",
                                   "proof_s001_M.tif", "proof_s001_Y.tif",
                                   "proof_s002_C.tif", "proof_s002_K.tif",
                                   "proof_s002_M.tif", "proof_s002_Y.tif"});

    const char* inks[] = {"C", "M", "Y", "K"};
    for (int s = 0; s < 2; ++s) {
        for (int ink = 0; ink < 4; ++ink) {
            std::string name =
                "proof_s00" + std::to_string(s + 1) + "_" + inks[ink] + ".tif";
            TiffFile tiff = open_tiff(out.path() / name);
            CHECK(field<uint32_t>(tiff.get(), TIFFTAG_IMAGEWIDTH) ==
                  uint32_t(sheets[s].width_dots));
            CHECK(field<uint32_t>(tiff.get(), TIFFTAG_IMAGELENGTH) ==
                  uint32_t(sheets[s].height_dots));
            CHECK(field<uint16_t>(tiff.get(), TIFFTAG_COMPRESSION) ==
                  COMPRESSION_CCITTFAX4);
            CHECK(field<uint16_t>(tiff.get(), TIFFTAG_PHOTOMETRIC) ==
                  PHOTOMETRIC_MINISWHITE);
            CHECK(field<float>(tiff.get(), TIFFTAG_XRESOLUTION) == 360.0f);
            CHECK(field<float>(tiff.get(), TIFFTAG_YRESOLUTION) == 720.0f);
            CHECK(field<uint16_t>(tiff.get(), TIFFTAG_RESOLUTIONUNIT) ==
                  RESUNIT_INCH);
            std::string description =
                field<const char*>(tiff.get(), TIFFTAG_IMAGEDESCRIPTION);
            CHECK(description.find("proof") != std::string::npos);
            CHECK(description.find(std::string("ink ") + inks[ink]) !=
                  std::string::npos);
            CHECK(count_mismatches(tiff.get(), sheets[s], ink) == 0);
        }
    }
}

TEST_CASE("tiff: 2 and 8 bit sheets read back exactly, LZW and Deflate")
{
    auto [bits, compression, tag] =
        GENERATE(std::make_tuple(2, "lzw", COMPRESSION_LZW),
                 std::make_tuple(2, "deflate", COMPRESSION_ADOBE_DEFLATE),
                 std::make_tuple(8, "lzw", COMPRESSION_LZW),
                 std::make_tuple(8, "auto", COMPRESSION_ADOBE_DEFLATE));
    TempDir out("tiff28");
    CapturedLog log;
    JobSpec spec;
    spec.bits = bits;
    spec.inks = {"Light Cyan", "K"};
    spec.options["compression"] = compression;
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(2, 203, 91, bits, 7u);
    run_job(tiff_module(), out.path().string(), spec, sheets, log.log);

    TiffFile tiff = open_tiff(out.path() / "proof_s001_Light_Cyan.tif");
    CHECK(field<uint16_t>(tiff.get(), TIFFTAG_BITSPERSAMPLE) == bits);
    CHECK(field<uint16_t>(tiff.get(), TIFFTAG_COMPRESSION) == tag);
    if (bits == 8)
        CHECK(field<uint16_t>(tiff.get(), TIFFTAG_PREDICTOR) ==
              PREDICTOR_HORIZONTAL);
    CHECK(count_mismatches(tiff.get(), sheets[0], 0) == 0);
    TiffFile black = open_tiff(out.path() / "proof_s001_K.tif");
    CHECK(count_mismatches(black.get(), sheets[0], 1) == 0);
}

TEST_CASE("tiff: 16 bit contone reads back exactly, in the host's order")
{
    auto [compression, tag] =
        GENERATE(std::make_tuple("auto", COMPRESSION_ADOBE_DEFLATE),
                 std::make_tuple("lzw", COMPRESSION_LZW),
                 std::make_tuple("none", COMPRESSION_NONE));
    TempDir out("tiff16");
    CapturedLog log;
    JobSpec spec;
    spec.bits = 16;
    spec.inks = {"c", "K"};
    spec.options["compression"] = compression;
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(2, 157, 83, 16, 11u);
    run_job(tiff_module(), out.path().string(), spec, sheets, log.log);

    for (int ink = 0; ink < 2; ++ink) {
        TiffFile tiff = open_tiff(out.path() / ("proof_s001_" +
                                                spec.inks[ink] + ".tif"));
        CHECK(field<uint16_t>(tiff.get(), TIFFTAG_BITSPERSAMPLE) == 16);
        CHECK(field<uint16_t>(tiff.get(), TIFFTAG_COMPRESSION) == tag);
        if (tag != COMPRESSION_NONE)
            CHECK(field<uint16_t>(tiff.get(), TIFFTAG_PREDICTOR) ==
                  PREDICTOR_HORIZONTAL);
        // The file is in this host's byte order: nothing to swap.
        CHECK(TIFFIsByteSwapped(tiff.get()) == 0);
        CHECK(count_mismatches(tiff.get(), sheets[0], ink) == 0);
    }
}

TEST_CASE("tiff: a long sheet is written in many strips, band by band")
{
    TempDir out("tiffstrips");
    CapturedLog log;
    JobSpec spec;
    spec.inks = {"K"};
    spec.job_name = ""; // falls back to the job id
    spec.options["strip_bytes"] = "1024";
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(1, 2000, 1200, 1, 3u);
    run_job(tiff_module(), out.path().string(), spec, sheets, log.log);

    TiffFile tiff = open_tiff(out.path() / "0f3c-job_s001_K.tif");
    CHECK(TIFFNumberOfStrips(tiff.get()) == 1200 / 4);
    CHECK(count_mismatches(tiff.get(), sheets[0], 0) == 0);
}

TEST_CASE("tiff: an aborted job leaves no file that looks finished")
{
    TempDir out("tiffabort");
    CapturedLog log;
    JobSpec spec;
    SyntheticSheet sheet(4, 100, 100, 1, 4u);
    {
        std::vector<const char*> names;
        rl_driver_job_info info = make_info(spec, names);
        plugins::DriverJob job(tiff_module(), out.path().string(), {}, info,
                               log.log);
        job.begin_sheet(make_sheet(sheet, 0, spec));
        write_bands(job, sheet, spec);
        CHECK_FALSE(out.files().empty()); // hidden parts while writing
    }
    CHECK(out.files().empty());
}

TEST_CASE("tiff: bad options and bit depths fail with the driver's message")
{
    TempDir out("tiffbad");
    CapturedLog log;
    JobSpec spec;
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(4, 16, 16, 1, 5u);

    spec.options["compression"] = "jpeg";
    CHECK_THROWS_WITH(
        run_job(tiff_module(), out.path().string(), spec, sheets, log.log),
        Catch::Contains("tiff: option compression") &&
            Catch::Contains("'jpeg' is not one of"));

    spec.options = {};
    spec.bits = 4;
    CHECK_THROWS_WITH(
        run_job(tiff_module(), out.path().string(), spec, sheets, log.log),
        Catch::Contains("tiff: 4 bits per dot is not one of 1, 2, 8, 16"));
    CHECK(out.files().empty());
}
