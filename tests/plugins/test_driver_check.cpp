// SPDX-License-Identifier: AGPL-3.0-or-later
// driver-check: the shipped drivers conform; broken ones are caught.
#include "plugins/driver_check.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using ripline::plugins::run_driver_check;

namespace {

std::filesystem::path shipped(const std::string& id)
{
    return std::filesystem::path(RIPLINE_DRIVER_DIR) /
           ("ripline-driver-" + id + ".so");
}

std::filesystem::path test_module(const std::string& id)
{
    return std::filesystem::path(RIPLINE_TEST_MODULE_DIR) /
           ("ripline-driver-" + id + ".so");
}

} // namespace

TEST_CASE("driver-check: every shipped driver passes")
{
    std::string id = GENERATE("tiff", "rtl", "hpgl", "preview");
    std::ostringstream report;
    int failures = run_driver_check(shipped(id), report);
    INFO(report.str());
    CHECK(failures == 0);
    CHECK_THAT(report.str(), Catch::Contains("ok    job at 1 bit"));
    CHECK_THAT(report.str(), Catch::Contains(" checks, 0 failed"));
}

TEST_CASE("driver-check: the docs' example passes; a lax module does not")
{
    std::ostringstream example;
    CHECK(run_driver_check(test_module("example"), example) == 0);

    // The ABI 1.0 test module loads, but writes nothing and takes any depth.
    std::ostringstream legacy;
    CHECK(run_driver_check(test_module("legacy"), legacy) == 5);
    CHECK_THAT(legacy.str(), Catch::Contains("FAIL  job at 1 bit: the job "
                                             "published no output"));
    CHECK_THAT(legacy.str(), Catch::Contains("accepted 4 bits per dot"));
}

TEST_CASE("driver-check: a wrong ABI major fails at the table")
{
    std::ostringstream report;
    CHECK(run_driver_check(test_module("badmajor"), report) == 1);
    CHECK_THAT(report.str(),
               Catch::Contains("FAIL  table: ABI major 2, this host speaks 1"));
}

TEST_CASE("driver-check: a crash is a failed check, not a dead host")
{
    std::ostringstream report;
    CHECK(run_driver_check(test_module("crash"), report) > 0);
    // By signal 11, or by exit status where a sanitizer catches it.
    CHECK_THAT(report.str(), Catch::Contains("FAIL  job at 1 bit: crashed ("));
}

TEST_CASE("driver-check: a file that is not a module fails to load")
{
    std::ostringstream report;
    CHECK(run_driver_check(test_module("junk"), report) == 1);
    CHECK_THAT(report.str(), Catch::Contains("FAIL  load: cannot load"));
}
