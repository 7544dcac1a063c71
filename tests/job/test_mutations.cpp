// SPDX-License-Identifier: AGPL-3.0-or-later
// The parser under random damage: every mutated ticket either parses or
// fails with a bad-input Error naming the ticket; nothing else escapes.
#include "core/common/error.hpp"
#include "core/job/job.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

using namespace ripline;

namespace {

std::string read(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Flip, drop, duplicate or insert a few bytes, some of them markup.
std::string mutate(std::string text, std::mt19937& rng)
{
    static const char pieces[] = "<>/=\"&;!?x0-9 \n";
    std::uniform_int_distribution<int> count(1, 6);
    for (int n = count(rng); n > 0 && !text.empty(); --n) {
        std::size_t at =
            std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
        char piece = pieces[rng() % (sizeof pieces - 1)];
        switch (rng() % 4) {
        case 0:
            text[at] = piece;
            break;
        case 1:
            text.erase(at, 1 + rng() % 8);
            break;
        case 2:
            text.insert(at, text.substr(at, 1 + rng() % 16));
            break;
        default:
            text.insert(at, 1, piece);
            break;
        }
    }
    return text;
}

} // namespace

TEST_CASE("mutated tickets parse or fail cleanly")
{
    const std::filesystem::path fixtures =
        std::filesystem::path(RIPLINE_SOURCE_DIR) / "tests/fixtures/jobs";
    std::mt19937 rng(20261203);
    int parsed = 0, refused = 0;
    for (const char* name :
         {"full-v2.xml", "legacy-v1.xml", "nest.xml", "step-repeat.xml"}) {
        std::string original = read(fixtures / name);
        for (int i = 0; i < 500; ++i) {
            std::string text = mutate(original, rng);
            try {
                job::parse_job_xml(text, "/tmp", "mutant.xml");
                ++parsed;
            } catch (const Error& e) {
                ++refused;
                CHECK(e.status() == RL_ERROR_BAD_INPUT);
                CHECK(e.file() == "mutant.xml");
            }
        }
    }
    CHECK(refused > 1000); // most damage is caught
    CHECK(parsed + refused == 2000);
}
