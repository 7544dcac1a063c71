// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared pieces of the end-to-end benches.
#include "bench/pipeline/bench_common.hpp"

#include "tests/support/device_file.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace ripline::bench {

namespace fs = std::filesystem;

bool smoke()
{
    const char* flag = std::getenv("RIPLINE_BENCH_SMOKE");
    return flag && *flag && std::string(flag) != "0";
}

fs::path scratch(const std::string& name)
{
    static std::vector<fs::path> made;
    static const bool cleanup = [] {
        std::atexit([] {
            std::error_code ec;
            for (const fs::path& dir : made)
                fs::remove_all(dir, ec);
        });
        return true;
    }();
    (void)cleanup;
    fs::path dir = fs::temp_directory_path() /
                   ("ripline-bench-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    made.push_back(dir);
    return dir;
}

fs::path roll_device(const fs::path& dir, double width_mm, double dpi)
{
    const fs::path path = dir / "device.json";
    test::DeviceFile device;
    device.id = "bench";
    device.roll = true;
    device.width_mm = width_mm;
    device.dpi = dpi;
    test::write_device_file(path, device, RIPLINE_PROFILE_DIR);
    return path;
}

[[noreturn]] static void die(rl_context* ctx, const char* what)
{
    std::fprintf(stderr, "bench: %s: %s\n", what,
                 ctx ? rl_context_last_error(ctx) : "no context");
    std::exit(1);
}

rl_render_stats render(const fs::path& job, const fs::path& device,
                       const fs::path& out)
{
    rl_context* ctx = nullptr;
    if (RL_CONTEXT_NEW(&ctx))
        die(nullptr, "context");
    rl_context_set_option(ctx, "driver_path", RIPLINE_DRIVER_DIR);
    rl_job* j = nullptr;
    rl_device* d = nullptr;
    rl_render* r = nullptr;
    if (rl_job_open(ctx, job.c_str(), &j))
        die(ctx, "job");
    if (rl_device_open(ctx, device.c_str(), &d))
        die(ctx, "device");
    if (rl_render_new(ctx, j, d, &r) ||
        rl_render_set_option(r, "output", out.c_str()))
        die(ctx, "render");
    rl_render_stats stats{};
    stats.size = sizeof stats;
    if (rl_render_run(r, &stats))
        die(ctx, "run");
    rl_render_drop(ctx, r);
    rl_device_drop(ctx, d);
    rl_job_drop(ctx, j);
    rl_context_drop(ctx);
    return stats;
}

bool run(const std::string& command)
{
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

double peak_rss_mib()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

}  // namespace ripline::bench
