// SPDX-License-Identifier: AGPL-3.0-or-later
// DriverJob: driver failures become errors with the driver's message.
#include "core/common/error.hpp"
#include "plugins/driver_job.hpp"
#include "tests/drivers/driver_fixture.hpp"
#include "tests/plugins/test_modules.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace ripline;
using namespace ripline::test;

namespace {

// Run a one-sheet job through the fail driver with OPTIONS.
void run_fail(const std::filesystem::path& out,
              std::map<std::string, std::string> options)
{
    CapturedLog log;
    JobSpec spec;
    spec.options = std::move(options);
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(4, 40, 90, 1, 1u);
    run_job(module("fail"), out.string(), spec, sheets, log.log);
}

} // namespace

TEST_CASE("driver job: the example driver writes one coverage file a sheet")
{
    TempDir out("example");
    CapturedLog log;
    JobSpec spec;
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(4, 77, 61, 1, 3u);
    run_job(module("example"), out.path().string(), spec, sheets, log.log);
    REQUIRE(out.files() == std::vector<std::string>{"coverage_s001.txt"});

    // The counts are the set dots of the synthetic sheet.
    std::ifstream in(out.path() / "coverage_s001.txt");
    for (int ink = 0; ink < 4; ++ink) {
        std::string name;
        long dots = -1;
        in >> name >> dots;
        long expected = 0;
        for (int y = 0; y < 61; ++y)
            for (int x = 0; x < 77; ++x)
                expected += sheets[0].dot(ink, x, y);
        CHECK(name == spec.inks[size_t(ink)]);
        CHECK(dots == expected);
    }
}

TEST_CASE("driver job: a failing step fails the job with the driver's text")
{
    const char* step = GENERATE("begin_job", "begin_sheet", "write_band",
                                "end_sheet", "end_job");
    TempDir out("fail");
    try {
        run_fail(out.path(), {{"fail_at", step}});
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.status() == RL_ERROR_DRIVER);
        CHECK(e.stage() == Stage::driver);
        CHECK(std::string(e.what()) ==
              std::string("driver: fail: failed at ") + step + " on purpose");
    }

    // Whatever failed, nothing is left that looks finished... except the
    // sheet committed before end_job failed, which a driver may publish.
    std::vector<std::string> files = out.files();
    if (std::string(step) == "end_job")
        CHECK(files == std::vector<std::string>{"sheet0.txt"});
    else
        CHECK(files.empty());
}

TEST_CASE("driver job: a failure without a message still says where")
{
    TempDir out("silent");
    CHECK_THROWS_WITH(
        run_fail(out.path(), {{"fail_at", "write_band"}, {"silent", "1"}}),
        "driver: fail: write_band failed (status 1) without "
        "saying why");
}

TEST_CASE("driver job: option values are checked against the descriptions")
{
    TempDir out("options");
    CHECK_THROWS_WITH(run_fail(out.path(), {{"silent", "maybe"}}),
                      Catch::Contains("fail: option silent: 'maybe' is not "
                                      "true or false"));

    CapturedLog log;
    JobSpec spec;
    spec.options = {{"colour", "red"}};
    std::vector<SyntheticSheet> sheets;
    sheets.emplace_back(4, 8, 8, 1, 1u);
    run_job(module("fail"), out.path().string(), spec, sheets, log.log);
    CHECK(log.has("device option 'colour' is not one the driver reads"));
}

TEST_CASE("driver job: calls out of order are the caller's bug")
{
    TempDir out("order");
    CapturedLog log;
    JobSpec spec;
    std::vector<const char*> names;
    rl_driver_job_info info = make_info(spec, names);
    plugins::DriverJob job(module("fail"), out.path().string(), {}, info,
                           log.log);
    rl_driver_band band{};
    band.rows = 1;
    try {
        job.write_band(band);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.status() == RL_ERROR_INTERNAL);
    }

    // A band that skips rows is refused before the driver sees it.
    SyntheticSheet sheet(4, 16, 100, 1, 2u);
    job.begin_sheet(make_sheet(sheet, 0, spec));
    std::vector<const uint8_t*> planes(4, sheet.planes[0].data());
    band = {sizeof band, 10, 5, 16, sheet.stride, planes.data()};
    CHECK_THROWS_WITH(job.write_band(band),
                      Catch::Contains("band at row 10 (5 rows) does not "
                                      "follow row 0"));
}

TEST_CASE("driver job: cut paths reach a cutter between bands and end_sheet")
{
    TempDir out("cuts");
    CapturedLog log;
    JobSpec spec;
    std::vector<const char*> names;
    rl_driver_job_info info = make_info(spec, names);
    plugins::DriverJob job(module("fail"), out.path().string(), {}, info,
                           log.log);
    SyntheticSheet sheet(4, 16, 10, 1, 2u);
    job.begin_sheet(make_sheet(sheet, 0, spec));
    write_bands(job, sheet, spec);
    rl_driver_point square[] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    rl_driver_cut_path path{sizeof path, "CutContour", 1, 4, square};
    job.write_cuts(&path, 1);
    job.end_sheet();
    job.finish();

    std::ifstream in(out.path() / "sheet0.txt");
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "band 0\ncuts 1\n");
}

TEST_CASE("driver job: an unwritable folder fails before the driver starts")
{
    TempDir dir("unwritable");
    std::ofstream(dir.path() / "file") << "x";
    CapturedLog log;
    JobSpec spec;
    std::vector<const char*> names;
    rl_driver_job_info info = make_info(spec, names);
    std::string uri = "file://" + (dir.path() / "file" / "out").string();
    try {
        plugins::DriverJob job(module("example"), uri, {}, info, log.log);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.status() == RL_ERROR_IO);
        CHECK_THAT(e.what(), Catch::Contains((dir.path() / "file").string()));
    }
}

TEST_CASE("driver job: a job outside the declared capabilities is refused")
{
    TempDir out("caps");
    CapturedLog log;
    JobSpec spec;
    spec.bits = 4;
    std::vector<const char*> names;
    rl_driver_job_info info = make_info(spec, names);
    try {
        plugins::DriverJob job(module("example"), out.path().string(), {}, info,
                               log.log);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.status() == RL_ERROR_UNSUPPORTED);
        CHECK(std::string(e.what()) ==
              "driver: example: 4 bits per dot is not one of 1");
    }
    CHECK(out.files().empty());
}
