// SPDX-License-Identifier: AGPL-3.0-or-later
// Blue-noise matrices: valid ranks, the shipped file, the spectrum.
#include "core/common/error.hpp"
#include "core/screen/matrix.hpp"
#include "spectrum.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace ripline::screen;
using namespace ripline::screen::test;
namespace fs = std::filesystem;

TEST_CASE("void-and-cluster gives every rank once, the same each run")
{
    RankMatrix a = make_blue_noise(32, 11);
    RankMatrix b = make_blue_noise(32, 11);
    RankMatrix c = make_blue_noise(32, 12);
    REQUIRE(a.ranks == b.ranks);
    REQUIRE(a.ranks != c.ranks);
    std::vector<int> seen(32 * 32, 0);
    for (uint16_t r : a.ranks)
        ++seen.at(r);
    REQUIRE(
        std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
    REQUIRE_THROWS_AS(make_blue_noise(8, 1), ripline::Error);
}

TEST_CASE("the shipped matrices are the ones create() would generate")
{
    auto shipped =
        read_rank_matrices(RIPLINE_PROFILE_DIR "/screens/bluenoise-128.rlsm");
    REQUIRE(shipped.size() == 4);
    for (int k = 0; k < 4; ++k)
        REQUIRE(shipped[k].ranks ==
                make_blue_noise(128, blue_noise_seed(k)).ranks);
}

TEST_CASE("blue-noise patterns have little power at low frequencies")
{
    const RankMatrix& m =
        blue_noise_set(RIPLINE_PROFILE_DIR "/screens", 128, 1)[0];
    const int size = m.size, cells = size * size;
    for (double density : {0.05, 0.1, 0.25, 0.5, 0.75}) {
        std::vector<uint8_t> pattern(cells);
        for (int i = 0; i < cells; ++i)
            pattern[i] = m.ranks[i] < density * cells;
        auto power = radial_power(pattern, size);

        // Blue noise concentrates its power around and above the
        // principal frequency sqrt(g) (g = min(density, 1 - density))
        // cycles per dot; white noise would be flat, at cells * g * (1 -
        // g). Below a third of the principal frequency there is ~none.
        double g = std::min(density, 1 - density);
        size_t principal = size_t(std::sqrt(g) * size);
        double low = mean_of(power, 1, principal / 3);
        double high = mean_of(power, principal * 3 / 4, power.size());
        double white = cells * density * (1 - density);
        INFO("density " << density << " low " << low << " high " << high
                        << " white " << white);
        CHECK(low < 0.1 * white);
        CHECK(low < 0.1 * high);
        CHECK(high > 0.7 * white);
    }
}

TEST_CASE("a damaged matrix file is refused with its name")
{
    fs::path dir = fs::temp_directory_path() / "ripline-screen-test";
    fs::create_directories(dir);
    auto good = make_blue_noise(16, 1);
    write_rank_matrices(dir / "good.rlsm", {good});
    REQUIRE(read_rank_matrices(dir / "good.rlsm")[0].ranks == good.ranks);

    std::ifstream in(dir / "good.rlsm", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    auto write = [&](const char* name, const std::string& content) {
        std::ofstream(dir / name, std::ios::binary) << content;
        return dir / name;
    };
    std::string dup = bytes;
    dup[20] = dup[22], dup[21] = dup[23]; // rank of cell 0 = cell 1's

    const fs::path broken[] = {
        write("short.rlsm", bytes.substr(0, bytes.size() - 2)),
        write("magic.rlsm", "XX" + bytes.substr(2)),
        write("dup.rlsm", dup),
    };
    for (const fs::path& path : broken) {
        INFO(path);
        try {
            read_rank_matrices(path);
            FAIL("accepted");
        } catch (const ripline::Error& e) {
            REQUIRE(std::string(e.what()).find(path.string()) !=
                    std::string::npos);
        }
    }
    REQUIRE_THROWS_AS(read_rank_matrices(dir / "missing.rlsm"), ripline::Error);
    fs::remove_all(dir);
}
