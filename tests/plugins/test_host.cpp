// SPDX-License-Identifier: AGPL-3.0-or-later
// The plugin host: finding modules, refusing bad ones with a clear reason.
#include "plugins/host.hpp"
#include "tests/drivers/driver_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace ripline;
using ripline::test::CapturedLog;

TEST_CASE("host: loads the shipped tiff driver from RIPLINE_DRIVER_DIR")
{
    CapturedLog log;
    plugins::Host host(log.log);
    host.add_search_path(RIPLINE_DRIVER_DIR);
    host.load();
    const plugins::DriverModule* tiff = host.find("tiff");
    REQUIRE(tiff != nullptr);
    CHECK(tiff->path.filename() == "ripline-driver-tiff.so");
    CHECK(tiff->table->kind == RL_DRIVER_PRINTER);
    CHECK(host.find("no-such-driver") == nullptr);
    CHECK(log.has("driver tiff", "loaded from"));
}

TEST_CASE("host: a bad module is a warning naming the file and the reason")
{
    CapturedLog log;
    plugins::Host host(log.log);
    host.add_search_path(RIPLINE_TEST_MODULE_DIR);
    host.load();

    // The good ones load...
    CHECK(host.find("example") != nullptr);
    CHECK(host.find("fail") != nullptr);

    // ...and each bad one is refused, saying why.
    CHECK(host.find("badmajor") == nullptr);
    CHECK(host.find("badmagic") == nullptr);
    CHECK(host.find("nosymbol") == nullptr);
    CHECK(log.has("ripline-driver-badmajor.so: ABI major 2, this host "
                  "speaks 1; module skipped"));
    CHECK(log.has("ripline-driver-badmagic.so: bad magic number"));
    CHECK(log.has("ripline-driver-nosymbol.so: no rl_driver_entry symbol"));
    CHECK(log.has("ripline-driver-junk.so: cannot load"));
}

TEST_CASE("host: an ABI 1.0 module loads; its 1.1 fields are never read")
{
    CapturedLog log;
    plugins::Host host(log.log);
    host.add_search_path(RIPLINE_TEST_MODULE_DIR);
    host.load();
    const plugins::DriverModule* legacy = host.find("legacy");
    REQUIRE(legacy != nullptr);
    CHECK(legacy->table->size == RL_DRIVER_SIZE_1_0);
    CHECK(plugins::cut_callback(*legacy->table) == nullptr);
    CHECK(plugins::option_descs(*legacy->table).empty());

    // And a job runs through it.
    test::TempDir out("legacy");
    test::JobSpec spec;
    std::vector<test::SyntheticSheet> sheets;
    sheets.emplace_back(4, 32, 50, 1, 9u);
    CHECK_NOTHROW(
        test::run_job(*legacy, out.path().string(), spec, sheets, log.log));
}

TEST_CASE("host: RIPLINE_DRIVER_PATH adds folders; the first id wins")
{
    std::string both =
        std::string(RIPLINE_TEST_MODULE_DIR) + ":" + RIPLINE_TEST_MODULE_DIR;
    ::setenv("RIPLINE_DRIVER_PATH", both.c_str(), 1);
    CapturedLog log;
    plugins::Host host(log.log);
    host.load();
    host.load(); // a second call does nothing
    ::unsetenv("RIPLINE_DRIVER_PATH");

    CHECK(host.find("example") != nullptr);
    CHECK(log.has("driver id 'example' is already loaded from"));
    long examples = 0;
    for (const plugins::DriverModule& module : host.modules())
        examples += std::string(module.table->id) == "example";
    CHECK(examples == 1);
}

TEST_CASE("host: check_table and option values say what is wrong")
{
    CHECK(plugins::check_table(nullptr) == "rl_driver_entry() returned NULL");
    rl_driver table{};
    table.magic = RL_DRIVER_MAGIC;
    table.abi_major = RL_DRIVER_ABI_MAJOR;
    table.size = 8;
    CHECK_THAT(plugins::check_table(&table),
               Catch::StartsWith("table size 8 is smaller"));

    rl_driver_option_desc level{"level", RL_DRIVER_OPTION_INT, "3", nullptr,
                                ""};
    CHECK(plugins::check_option_value(level, "12").empty());
    CHECK(plugins::check_option_value(level, "1.5") ==
          "'1.5' is not an integer");
    rl_driver_option_desc mode{"mode", RL_DRIVER_OPTION_ENUM, "a", "a|bb|c",
                               ""};
    CHECK(plugins::check_option_value(mode, "bb").empty());
    CHECK(plugins::check_option_value(mode, "b") == "'b' is not one of a|bb|c");
}
