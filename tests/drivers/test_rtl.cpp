// SPDX-License-Identifier: AGPL-3.0-or-later
// The rtl driver: row codecs round trip, and RTL decodes to TIFF's dots.
#include "drivers/rtl/rtl_encode.hpp"
#include "plugins/sdk/driver_sdk.hpp"
#include "tests/drivers/driver_fixture.hpp"
#include "tests/drivers/rtl_reader.hpp"

#include <catch2/catch.hpp>
#include <tiffio.h>

#include <fstream>
#include <sstream>

using namespace ripline;
using namespace ripline::test;

namespace {

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const plugins::DriverModule& driver(const char* id)
{
    const plugins::DriverModule* module = shipped_drivers().find(id);
    REQUIRE(module != nullptr);
    return *module;
}

// Rows that exercise long runs, long gaps and long changed stretches.
std::vector<std::vector<uint8_t>> awkward_rows()
{
    std::mt19937 random(11);
    std::vector<std::vector<uint8_t>> rows;
    rows.push_back(std::vector<uint8_t>(700, 0));
    rows.push_back(std::vector<uint8_t>(700, 0xaa));
    std::vector<uint8_t> noise(700);
    for (uint8_t& b : noise)
        b = uint8_t(random());
    rows.push_back(noise);
    std::vector<uint8_t> sparse(700, 0);
    sparse[3] = 1, sparse[40] = 2, sparse[330] = 3, sparse[699] = 4;
    rows.push_back(sparse);
    std::vector<uint8_t> mixed = noise;
    std::fill(mixed.begin() + 100, mixed.begin() + 400, 0x0f);
    rows.push_back(mixed);
    return rows;
}

} // namespace

TEST_CASE("rtl codec: every mode decodes back to the row it encoded")
{
    auto rows = awkward_rows();
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        const auto& seed = rows[(i + 2) % rows.size()];
        for (int mode = 0; mode < 4; ++mode) {
            std::vector<uint8_t> data;
            switch (mode) {
            case 0:
                rtl::encode_raw(row, data);
                break;
            case 1:
                rtl::encode_run_length(row, data);
                break;
            case 2:
                rtl::encode_packbits(row, data);
                break;
            case 3:
                rtl::encode_delta_row(row, seed, data);
                break;
            }
            std::vector<uint8_t> decoded = seed;
            decode_row(mode, data.data(), data.size(), decoded);
            INFO("row " << i << " mode " << mode);
            CHECK(decoded == row);
        }
    }
}

TEST_CASE("rtl codec: the chooser takes the smallest, switch cost included")
{
    rtl::RowEncoder encoder;
    std::vector<uint8_t> row(500, 0x55), seed = row, data;
    seed[10] = 0;

    // One changed byte against the seed: delta row wins despite a switch.
    CHECK(encoder.encode(row, seed, data) == rtl::Mode::delta_row);
    CHECK(data.size() == 2);

    // Against a blank seed, a constant row is two bytes of PackBits or RLE.
    std::vector<uint8_t> blank(500, 0);
    rtl::Mode mode = encoder.encode(row, blank, data);
    CHECK((mode == rtl::Mode::packbits || mode == rtl::Mode::run_length));
    CHECK(data.size() <= 8);
}

TEST_CASE("rtl: 1 and 2 bit sheets decode to the same dots in every mode")
{
    int bits = GENERATE(1, 2);
    const char* compression =
        GENERATE("auto", "none", "rle", "packbits", "delta");
    TempDir out("rtl");
    CapturedLog log;
    JobSpec spec;
    spec.bits = bits;
    spec.options["compression"] = compression;
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(4, 517, 143, bits, 21u);
    run_job(driver("rtl"), out.path().string(), spec, sheets, log.log);

    RtlPage page = read_rtl(read_file(out.path() / "proof_s001.rtl"));
    CHECK(page.width_dots == 517);
    CHECK(page.height_dots == 143);
    CHECK(page.dpi == 360);
    CHECK(page.xdpi == 360);
    CHECK(page.ydpi == 720);
    CHECK(page.inks == 4);
    CHECK(page.levels == (1 << bits));
    CHECK(page.plot_width == std::lround(517 * 25.4 / 360 * 40));
    CHECK(page.plot_length == std::lround(143 * 25.4 / 720 * 40));
    if (std::string(compression) == "auto")
        CHECK(__builtin_popcount(unsigned(page.modes_used)) >= 2);

    long wrong = 0;
    for (int ink = 0; ink < 4; ++ink)
        for (int y = 0; y < 143; ++y)
            for (int x = 0; x < 517; ++x)
                wrong += page.dots[size_t(ink)][size_t(y * 517 + x)] !=
                         sheets[0].dot(ink, x, y);
    CHECK(wrong == 0);
}

TEST_CASE("rtl: auto is no larger than any single mode")
{
    std::vector<size_t> sizes;
    for (const char* mode : {"auto", "none", "rle", "packbits", "delta"}) {
        TempDir out("rtlsize");
        CapturedLog log;
        JobSpec spec;
        spec.options["compression"] = mode;
        std::vector<SyntheticSheet> sheets;
        sheets.emplace_back(4, 800, 200, 1, 5u);
        run_job(driver("rtl"), out.path().string(), spec, sheets, log.log);
        sizes.push_back(
            std::filesystem::file_size(out.path() / "proof_s001.rtl"));
    }
    for (size_t i = 1; i < sizes.size(); ++i)
        CHECK(sizes[0] <= sizes[i]);
}

TEST_CASE("rtl: RTL decoded equals the tiff driver's output dot for dot")
{
    int bits = GENERATE(1, 2);
    TempDir rtl_out("rtlvs"), tiff_out("tiffvs");
    CapturedLog log;
    JobSpec spec;
    spec.bits = bits;
    spec.inks = {"K", "C"};
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(2, 333, 77, bits, 99u);
    run_job(driver("rtl"), rtl_out.path().string(), spec, sheets, log.log);
    run_job(driver("tiff"), tiff_out.path().string(), spec, sheets, log.log);

    RtlPage page = read_rtl(read_file(rtl_out.path() / "proof_s001.rtl"));
    for (int ink = 0; ink < 2; ++ink) {
        std::string name = "proof_s001_" + spec.inks[size_t(ink)] + ".tif";
        TIFF* tiff = TIFFOpen((tiff_out.path() / name).c_str(), "r");
        REQUIRE(tiff);
        std::vector<uint8_t> row(size_t(TIFFScanlineSize(tiff)));
        long wrong = 0;
        for (int y = 0; y < 77; ++y) {
            TIFFReadScanline(tiff, row.data(), uint32_t(y), 0);
            for (int x = 0; x < 333; ++x)
                wrong += sdk::dot_value(row.data(), x, bits) !=
                         page.dots[size_t(ink)][size_t(y * 333 + x)];
        }
        TIFFClose(tiff);
        CHECK(wrong == 0);
    }
}

TEST_CASE("rtl: 8 bit contone is refused: not a declared depth")
{
    TempDir out("rtl8");
    CapturedLog log;
    JobSpec spec;
    spec.bits = 8;
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(4, 8, 8, 8, 1u);
    CHECK_THROWS_WITH(
        run_job(driver("rtl"), out.path().string(), spec, sheets, log.log),
        "driver: rtl: 8 bits per dot is not one of 1, 2");
}
