// SPDX-License-Identifier: AGPL-3.0-or-later
// Bad input through the C ABI: each a status and a message naming what
// was wrong, and never a finished-looking output.
#include "tests/pipeline/render_fixture.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ripline::test;
namespace fs = std::filesystem;

static const fs::path fixtures =
    fs::path(RIPLINE_SOURCE_DIR) / "tests/fixtures/documents";
static const fs::path tiger =
    fs::path(RIPLINE_DATASETS_DIR) / "pdf/tiger.pdf";

static rl_status open_job(RenderFixture& f, const fs::path& path)
{
    rl_job* job = nullptr;
    rl_status status = rl_job_open(f.ctx(), path.c_str(), &job);
    CHECK((status == RL_OK) == (job != nullptr));
    rl_job_drop(f.ctx(), job);
    return status;
}

TEST_CASE("a missing document is an I/O error naming it")
{
    RenderFixture f;
    CHECK(open_job(f, f.dir() / "nowhere.pdf") == RL_ERROR_IO);
    CHECK_THAT(f.last_error(), Catch::Contains("nowhere.pdf") &&
                                   Catch::Contains("no such file"));
}

TEST_CASE("documents MuPDF cannot read are bad input naming the file")
{
    RenderFixture f;
    for (const char* name : {"truncated.pdf", "not-a-pdf.pdf",
                             "truncated.jpg"}) {
        INFO(name);
        CHECK(open_job(f, fixtures / name) == RL_ERROR_BAD_INPUT);
        CHECK_THAT(f.last_error(), Catch::Contains(name));
    }
}

TEST_CASE("a ticket naming a missing document fails before rendering")
{
    RenderFixture f;
    const fs::path job = f.dir() / "job.xml";
    std::ofstream(job) << R"(<?xml version="1.0"?>
<Job Version="2"><JobGUID>3f2504e0-4f89-41d3-9a0c-0305e82c3301</JobGUID>
<PDFJob><InputJobs><FilePath>gone.pdf</FilePath></InputJobs></PDFJob></Job>)";
    CHECK(open_job(f, job) != RL_OK);
    CHECK_THAT(f.last_error(), Catch::Contains("gone.pdf"));
}

TEST_CASE("an unknown device lists the known ones")
{
    RenderFixture f;
    rl_device* device = nullptr;
    CHECK(rl_device_open(f.ctx(), "no-such-printer", &device) ==
          RL_ERROR_NOT_FOUND);
    CHECK(device == nullptr);
    CHECK_THAT(f.last_error(), Catch::Contains("no-such-printer") &&
                                   Catch::Contains("sample-roll-720"));
}

TEST_CASE("an unknown driver fails the render with its name")
{
    RenderFixture f;
    const fs::path out = f.dir() / "out";
    CHECK(f.render(tiger, f.device(200, 210, 72, "nosuchdriver"), out) ==
          RL_ERROR_NOT_FOUND);
    CHECK_THAT(f.last_error(), Catch::Contains("nosuchdriver"));
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("an output folder that cannot be written is an error naming it")
{
    RenderFixture f;
    const fs::path file = f.dir() / "a-file";
    std::ofstream(file) << "in the way";
    const fs::path out = file / "out";
    CHECK(f.render(tiger, f.device(200, 210, 72), out) != RL_OK);
    CHECK_THAT(f.last_error(), Catch::Contains(out.string()));
}

TEST_CASE("a broken output profile fails before any output, naming it")
{
    RenderFixture f;
    const fs::path device = f.dir() / "device.json";
    std::ofstream(device)
        << R"({"id": "bad-icc", "driver": "tiff", "media": {"type": "sheet",
        "width_mm": 100, "length_mm": 100}, "print_mode": {"format":
        "ripline.print-mode", "version": 1, "name": "x", "dpi": 72,
        "bits_per_dot": 1, "inks": ["C", "M", "Y", "K"], "output_profile": ")"
        << (fixtures / "not-a-profile.icc").string() << R"("}})";
    const fs::path out = f.dir() / "out";
    CHECK(f.render(tiger, device, out) != RL_OK);
    CHECK_THAT(f.last_error(), Catch::Contains("not-a-profile.icc"));
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("a device definition with a wrong field names the field")
{
    RenderFixture f;
    const fs::path device = f.dir() / "device.json";
    std::ofstream(device) << R"({"id": "x", "driver": "tiff", "media":
        {"type": "roll", "width_mm": -5}, "print_mode": {}})";
    rl_device* handle = nullptr;
    CHECK(rl_device_open(f.ctx(), device.c_str(), &handle) ==
          RL_ERROR_BAD_INPUT);
    CHECK_THAT(f.last_error(), Catch::Contains("media.width_mm"));
}

TEST_CASE("the ABI refuses another major version and bad arguments")
{
    rl_context* ctx = nullptr;
    CHECK(rl_context_new_version(RL_VERSION_NUMBER + 10000, &ctx) ==
          RL_ERROR_VERSION);
    CHECK(ctx == nullptr);

    RenderFixture f;
    CHECK(rl_context_set_option(f.ctx(), "colour", "blue") ==
          RL_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(f.last_error(), Catch::Contains("colour"));
    CHECK(rl_job_open(f.ctx(), nullptr, nullptr) ==
          RL_ERROR_INVALID_ARGUMENT);
    CHECK(rl_version() == RL_VERSION_NUMBER);
}
