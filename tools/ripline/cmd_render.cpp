// SPDX-License-Identifier: AGPL-3.0-or-later
// ripline render, devices, drivers, driver-check: the C ABI's commands.
#include "tools/ripline/cli.hpp"

#include "plugins/driver_check.hpp"

#include <ripline/ripline.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace ripline::cli {

namespace {

// Options every command that opens a context shares.
struct ContextOptions {
    std::vector<std::string> driver_paths;
    std::string profile_path;
    int threads = 0;
    bool no_simd = false;
    int verbose = 0;
    std::string driver_isolation;
};

void add_context_options(CLI::App* cmd, ContextOptions& o)
{
    cmd->add_option("--driver-path", o.driver_paths,
                    "Extra folder to search for driver modules");
    cmd->add_option("--profile-path", o.profile_path,
                    "Folder with devices/, icc/ and screens/");
    cmd->add_option("--threads", o.threads,
                    "Band workers (0: one per core)");
    cmd->add_flag("--no-simd", o.no_simd, "Use the scalar kernels");
    cmd->add_option("--driver-isolation", o.driver_isolation,
                    "process (default: a driver crash fails the job) or "
                    "none (drivers in this process)")
        ->check(CLI::IsMember({"process", "none"}));
    cmd->add_flag("-v,--verbose", o.verbose, "Log info (-v) or debug (-vv)");
}

void print_log(void*, rl_log_level level, const char* message)
{
    static const char* names[] = {"error", "warning", "info", "debug"};
    std::fprintf(stderr, "ripline: %s: %s\n", names[level], message);
}

[[noreturn]] void fail(rl_context* ctx, rl_status status)
{
    std::fprintf(stderr, "ripline: %s\n",
                 ctx ? rl_context_last_error(ctx) : rl_status_string(status));
    throw CLI::RuntimeError(status == RL_ERROR_CANCELLED ? 130 : 1);
}

using Context = std::unique_ptr<rl_context, decltype(&rl_context_drop)>;

Context open_context(const ContextOptions& o)
{
    rl_context* raw = nullptr;
    if (rl_status status = RL_CONTEXT_NEW(&raw))
        fail(nullptr, status);
    Context ctx(raw, rl_context_drop);
    rl_log_level level = o.verbose >= 2   ? RL_LOG_DEBUG
                         : o.verbose == 1 ? RL_LOG_INFO
                                          : RL_LOG_WARNING;
    rl_context_set_log(raw, print_log, nullptr, level);
    auto set = [&](const char* key, const std::string& value) {
        if (rl_status status = rl_context_set_option(raw, key, value.c_str()))
            fail(raw, status);
    };
    for (const std::string& dir : o.driver_paths)
        set("driver_path", dir);
    if (!o.profile_path.empty())
        set("profile_path", o.profile_path);
    set("threads", std::to_string(o.threads));
    set("simd", o.no_simd ? "off" : "on");
    if (!o.driver_isolation.empty())
        set("driver_isolation", o.driver_isolation);
    return ctx;
}

// ---- render ------------------------------------------------------------

struct RenderArgs {
    ContextOptions context;
    std::string job;
    std::string device;
    std::string out;
    bool contone = false;
    int band_height = 0;
    std::string mode;       // print, cut, print-and-cut; "": the device's
    std::string cutter_out; // the separate cutter's output
};

void show_progress(void* user, int sheet, long done, long total)
{
    bool* tty = static_cast<bool*>(user);
    if (!*tty)
        return;
    std::fprintf(stderr, "\rripline: sheet %d, band %ld/%ld (%3.0f%%)",
                 sheet + 1, done, total, 100.0 * done / total);
    if (done == total)
        std::fputc('\n', stderr);
}

void print_stats(const rl_job* job, const rl_render_stats& s,
                 const std::string& out)
{
    static const char* inks[] = {"C", "M", "Y", "K"};
    const double mpx = s.dots / 1e6;
    std::printf("ripline: rendered job \"%s\" (%s): %d sheet%s, %.1f Mpx "
                "in %.2f s, %.1f Mpx/s\n",
                rl_job_name(job), rl_job_id(job), s.sheets,
                s.sheets == 1 ? "" : "s", mpx, s.seconds,
                s.seconds > 0 ? mpx / s.seconds : 0);
    std::printf("ripline: mean ink coverage");
    for (int i = 0; i < s.ink_count && i < 4; i++)
        std::printf(" %s %.1f%%", inks[i], 100 * s.coverage[i]);
    std::printf("; band buffers %.1f MiB\n", s.peak_band_bytes / 1048576.0);
    std::printf("ripline: output in %s\n",
                out.empty() ? "the device's connection" : out.c_str());
}

void run_render(const RenderArgs& a)
{
    Context ctx = open_context(a.context);
    rl_context* c = ctx.get();

    rl_job* job = nullptr;
    rl_device* device = nullptr;
    rl_render* render = nullptr;
    rl_status status = rl_job_open(c, a.job.c_str(), &job);
    if (!status)
        status = rl_device_open(c, a.device.c_str(), &device);
    if (!status)
        status = rl_render_new(c, job, device, &render);
    if (!status && !a.out.empty())
        status = rl_render_set_option(render, "output", a.out.c_str());
    if (!status && a.contone)
        status = rl_render_set_option(render, "contone", "1");
    if (!status && a.band_height)
        status = rl_render_set_option(
            render, "band_height", std::to_string(a.band_height).c_str());
    if (!status && !a.mode.empty())
        status = rl_render_set_option(render, "mode", a.mode.c_str());
    if (!status && !a.cutter_out.empty())
        status = rl_render_set_option(render, "cutter_output",
                                      a.cutter_out.c_str());

    bool tty = isatty(STDERR_FILENO);
    rl_render_stats stats{};
    stats.size = sizeof stats;
    if (!status) {
        rl_render_set_progress(render, show_progress, &tty);
        status = rl_render_run(render, &stats);
    }
    if (status) {
        if (tty)
            std::fputc('\n', stderr);
        std::fprintf(stderr, "ripline: %s\n", rl_context_last_error(c));
    } else {
        print_stats(job, stats, a.out);
    }
    rl_render_drop(c, render);
    rl_device_drop(c, device);
    rl_job_drop(c, job);
    if (status)
        throw CLI::RuntimeError(status == RL_ERROR_CANCELLED ? 130 : 1);
}

// ---- devices, drivers, driver-check ------------------------------------

void list_devices(const ContextOptions& o)
{
    Context ctx = open_context(o);
    int count = 0;
    if (rl_status status = rl_context_device_count(ctx.get(), &count))
        fail(ctx.get(), status);
    for (int i = 0; i < count; i++) {
        const char* id = nullptr;
        const char* name = nullptr;
        rl_context_device_info(ctx.get(), i, &id, &name);
        std::printf("%-24s %s\n", id, name);
    }
}

void list_drivers(const ContextOptions& o)
{
    Context ctx = open_context(o);
    int count = 0;
    if (rl_status status = rl_context_driver_count(ctx.get(), &count))
        fail(ctx.get(), status);
    for (int i = 0; i < count; i++) {
        const char* id = nullptr;
        const char* description = nullptr;
        const char* path = nullptr;
        rl_context_driver_info(ctx.get(), i, &id, &description, &path);
        std::printf("%-10s %s\n%-10s %s\n", id, description, "", path);
    }
    if (count == 0)
        std::fprintf(stderr, "ripline: no driver modules found\n");
}

}  // namespace

void add_render_commands(CLI::App& app)
{
    auto render = std::make_shared<RenderArgs>();
    CLI::App* cmd = app.add_subcommand(
        "render", "Render a job (Job XML, PDF or image) for a device");
    cmd->add_option("JOB", render->job, "Job XML ticket, PDF or image")
        ->required();
    cmd->add_option("--device", render->device,
                    "Device id, DeviceGUID, name or definition file")
        ->required();
    cmd->add_option("--out", render->out,
                    "Output folder or URI (default: the device's)");
    cmd->add_flag("--contone", render->contone,
                  "Write 8-bit ink planes instead of screened dots");
    cmd->add_option("--band-height", render->band_height, "Rows per band");
    cmd->add_option("--mode", render->mode,
                    "print, cut (no raster) or print-and-cut (default: the "
                    "device's)")
        ->check(CLI::IsMember({"print", "cut", "print-and-cut"}));
    cmd->add_option("--cutter-out", render->cutter_out,
                    "Output folder or URI of the device's separate cutter");
    add_context_options(cmd, render->context);
    cmd->callback([render] { run_render(*render); });

    auto devices = std::make_shared<ContextOptions>();
    cmd = app.add_subcommand("devices", "List the device definitions");
    add_context_options(cmd, *devices);
    cmd->callback([devices] { list_devices(*devices); });

    auto drivers = std::make_shared<ContextOptions>();
    cmd = app.add_subcommand("drivers", "List the driver modules loaded");
    add_context_options(cmd, *drivers);
    cmd->callback([drivers] { list_drivers(*drivers); });

    auto module = std::make_shared<std::string>();
    cmd = app.add_subcommand("driver-check",
                             "Run the conformance suite on a driver module");
    cmd->add_option("MODULE", *module, "Path of the driver module")
        ->required();
    cmd->callback([module] {
        if (int failures = plugins::run_driver_check(*module, std::cout))
            throw CLI::RuntimeError(failures > 0 ? 1 : 2);
    });
}

}  // namespace ripline::cli
