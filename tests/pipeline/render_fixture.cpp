// SPDX-License-Identifier: AGPL-3.0-or-later
// RenderFixture: temp folders, device files and one render through the ABI.
#include "tests/pipeline/render_fixture.hpp"

#include "tests/support/device_file.hpp"

#include <algorithm>
#include <fstream>
#include <random>
#include <stdexcept>

namespace ripline::test {

namespace fs = std::filesystem;

RenderFixture::RenderFixture()
{
    if (RL_CONTEXT_NEW(&ctx_) != RL_OK)
        throw std::runtime_error("cannot create a ripline context");
    rl_context_set_option(ctx_, "driver_path", RIPLINE_DRIVER_DIR);
#ifdef RIPLINE_TEST_MODULE_DIR
    // The test drivers that fail and crash on purpose.
    rl_context_set_option(ctx_, "driver_path", RIPLINE_TEST_MODULE_DIR);
#endif
    std::random_device random;
    dir_ = fs::temp_directory_path() /
           ("ripline-test-" + std::to_string(random()));
    fs::create_directories(dir_);
}

RenderFixture::~RenderFixture()
{
    rl_context_drop(ctx_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

fs::path RenderFixture::device(double width_mm, double height_mm, double dpi,
                               const std::string& driver,
                               const std::string& driver_options)
{
    static int count = 0;
    const std::string id = "test-" + std::to_string(++count);
    const fs::path path = dir_ / (id + ".json");
    DeviceFile device;
    device.id = id;
    device.driver = driver;
    device.driver_options = driver_options;
    device.width_mm = width_mm;
    device.length_mm = height_mm;
    device.dpi = dpi;
    write_device_file(path, device, RIPLINE_PROFILE_DIR);
    return path;
}

static int cancel_check(void* user)
{
    auto* left = static_cast<int*>(user);
    return *left >= 0 && (*left)-- == 0;
}

rl_status RenderFixture::render(const fs::path& job, const fs::path& device,
                                const fs::path& out,
                                const std::map<std::string, std::string>& options,
                                rl_render_stats* stats)
{
    rl_job* j = nullptr;
    rl_device* d = nullptr;
    rl_render* r = nullptr;
    rl_status status = rl_job_open(ctx_, job.c_str(), &j);
    if (!status)
        status = rl_device_open(ctx_, device.c_str(), &d);
    if (!status)
        status = rl_render_new(ctx_, j, d, &r);
    if (!status)
        status = rl_render_set_option(r, "output", out.c_str());
    for (const auto& [key, value] : options)
        if (!status)
            status = rl_render_set_option(r, key.c_str(), value.c_str());
    int left = cancel_after;
    if (!status) {
        rl_render_set_cancel(r, cancel_check, &left);
        status = rl_render_run(r, stats);
    }
    rl_render_drop(ctx_, r);
    rl_device_drop(ctx_, d);
    rl_job_drop(ctx_, j);
    return status;
}

TiffPlane RenderFixture::plane(const fs::path& out, int sheet,
                               const std::string& ink) const
{
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "_s%03d_%s.tif", sheet,
                  ink.c_str());
    for (const std::string& name : list_files(out))
        if (name.ends_with(suffix))
            return read_tiff(out / name);
    throw std::runtime_error("no file *" + std::string(suffix) + " in " +
                             out.string());
}

std::vector<std::string> list_files(const fs::path& dir)
{
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace ripline::test
