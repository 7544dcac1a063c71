// SPDX-License-Identifier: AGPL-3.0-or-later
// docs/drivers.md shows the example driver the tests build, unchanged.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read_text(const std::string& path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("docs: the C example in drivers.md is example_driver.c")
{
    std::string doc =
        read_text(std::string(RIPLINE_SOURCE_DIR) + "/docs/drivers.md");
    std::string code = read_text(std::string(RIPLINE_SOURCE_DIR) +
                                 "/tests/plugins/example_driver.c");
    REQUIRE(!code.empty());
    size_t start = doc.find("## A complete driver in C");
    REQUIRE(start != std::string::npos);
    start = doc.find("```c\n", start);
    REQUIRE(start != std::string::npos);
    start += 5;
    size_t end = doc.find("```", start);
    CHECK(doc.substr(start, end - start) == code);
}
