// SPDX-License-Identifier: AGPL-3.0-or-later
// Drivers in a process of their own: a crash, an abort or an exit of the
// driver fails the job with an Error naming it; this process goes on.
#include "core/common/error.hpp"
#include "plugins/driver_stream.hpp"
#include "tests/drivers/driver_fixture.hpp"
#include "tests/plugins/test_modules.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace ripline;
using namespace ripline::test;
namespace fs = std::filesystem;

namespace {

// One two-sheet job through driver ID with OPTIONS, isolated as asked.
void run(const char* id, const fs::path& out,
         std::map<std::string, std::string> options, Log& log,
         plugins::Isolation isolation = plugins::Isolation::process)
{
    JobSpec spec;
    spec.options = std::move(options);
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(4, 77, 90, 1, 5u);
    sheets.emplace_back(4, 77, 50, 1, 6u);
    std::vector<const char*> names;
    rl_driver_job_info info = make_info(spec, names);
    auto job = plugins::open_driver_stream(module(id), out.string(),
                                           spec.options, info, log,
                                           isolation,
                                           test_modules().driver_host());
    run_sheets(*job, spec, sheets);
}

std::string read_file(const fs::path& file)
{
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("isolation: the driver host is found beside the drivers")
{
    CHECK(test_modules().driver_host().filename() == "ripline-driver-host");
    CHECK(fs::is_regular_file(test_modules().driver_host()));
}

TEST_CASE("isolation: a driver process writes what the driver writes "
          "in-process")
{
    TempDir isolated("iso"), direct("direct");
    CapturedLog log;
    run("example", isolated.path(), {}, log.log);
    run("example", direct.path(), {}, log.log, plugins::Isolation::in_process);
    REQUIRE(isolated.files() ==
            std::vector<std::string>{"coverage_s001.txt", "coverage_s002.txt"});
    REQUIRE(isolated.files() == direct.files());
    for (const std::string& name : direct.files())
        CHECK(read_file(isolated.path() / name) ==
              read_file(direct.path() / name));
}

TEST_CASE("isolation: a failing step fails the job with the driver's text")
{
    const char* step = GENERATE("begin_job", "begin_sheet", "write_band",
                                "end_sheet", "end_job");
    TempDir out("iso-fail");
    CapturedLog log;
    try {
        run("fail", out.path(), {{"fail_at", step}}, log.log);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.status() == RL_ERROR_DRIVER);
        CHECK(e.stage() == Stage::driver);
        CHECK(std::string(e.what()) ==
              std::string("driver: fail: failed at ") + step + " on purpose");
    }
    std::vector<std::string> files = out.files();
    if (std::string(step) == "end_job")
        CHECK(files == std::vector<std::string>{"sheet0.txt", "sheet1.txt"});
    else
        CHECK(files.empty());
}

TEST_CASE("isolation: a crash is an error naming the driver and the signal")
{
    const char* step = GENERATE("begin_job", "begin_sheet", "write_band",
                                "end_sheet", "end_job");
    TempDir out("iso-crash");
    CapturedLog log;
    try {
        run("fail", out.path(), {{"fail_at", step}, {"crash", "true"}},
            log.log);
        FAIL("no error");
    } catch (const Error& e) {
        INFO(e.what());
        CHECK(e.status() == RL_ERROR_DRIVER);
        CHECK_THAT(e.what(),
                   Catch::StartsWith("driver: fail: the driver process "
                                     "crashed with signal 11 "
                                     "(Segmentation fault) in " +
                                     std::string(step)));
    }
    // The half-written hidden file of the sheet is gone.
    std::vector<std::string> files = out.files();
    for (const std::string& name : files)
        CHECK(name[0] != '.');
}

TEST_CASE("isolation: the crash driver fails in write_band of sheet 1")
{
    TempDir out("iso-crash2");
    CapturedLog log;
    CHECK_THROWS_WITH(run("crash", out.path(), {}, log.log),
                      "driver: crash: the driver process crashed with "
                      "signal 11 (Segmentation fault) in write_band of "
                      "sheet 1; the job's outputs were discarded");
    CHECK(out.files().empty());
}

TEST_CASE("isolation: abort() and exit() in a driver fail the job")
{
    TempDir out("iso-abort");
    CapturedLog log;
    CHECK_THROWS_WITH(
        run("fail", out.path(), {{"fail_at", "end_sheet"}, {"abort", "1"}},
            log.log),
        Catch::StartsWith("driver: fail: the driver process crashed with "
                          "signal 6 (Aborted) in end_sheet of sheet 1"));
    CHECK_THROWS_WITH(
        run("fail", out.path(), {{"fail_at", "write_band"}, {"exit", "1"}},
            log.log),
        Catch::StartsWith("driver: fail: the driver process exited with "
                          "status 3 in write_band of sheet 1"));
    CHECK(out.files().empty());
}

TEST_CASE("isolation: the driver's log lines reach the host's log")
{
    TempDir out("iso-log");
    CapturedLog log;
    run("fail", out.path(), {{"colour", "red"}}, log.log);
    CHECK(log.has("device option 'colour' is not one the driver reads"));
}

TEST_CASE("isolation: a missing driver host is a clear error")
{
    TempDir out("iso-nohost");
    CapturedLog log;
    JobSpec spec;
    std::vector<const char*> names;
    rl_driver_job_info info = make_info(spec, names);
    CHECK_THROWS_WITH(
        plugins::open_driver_stream(module("example"), out.path().string(),
                                    {}, info, log.log,
                                    plugins::Isolation::process, {}),
        Catch::Contains("ripline-driver-host was not found"));
    CHECK_THROWS_WITH(plugins::parse_isolation("threads"),
                      Catch::Contains("\"process\" or \"none\""));
}
