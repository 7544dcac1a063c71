// SPDX-License-Identifier: AGPL-3.0-or-later
// ripline-driver-host: runs one render's job through one driver module in
// a process of its own, so that a crash of the driver ends this process
// and fails the job, instead of taking the render's process down.
//
//   ripline-driver-host --socket FD --buffer FD
//
// The render starts it (plugins/isolated_job.cpp) and speaks the messages
// of plugins/driver_wire.hpp on the socket; band rows arrive in the
// shared buffer. Nothing here is meant to be run by hand.
#include "core/common/error.hpp"
#include "core/common/log.hpp"
#include "plugins/driver_job.hpp"
#include "plugins/driver_wire.hpp"
#include "plugins/host.hpp"

#include <boost/dll/shared_library.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <sys/prctl.h>
#include <unistd.h>
#include <vector>

using namespace ripline;
using namespace ripline::plugins;

namespace {

int socket_fd = -1;

// Log lines and output events go up the socket as they happen.
void send_log(rl_log_level level, const std::string& text)
{
    wire::Writer w;
    w.u32(uint32_t(level));
    w.text(text);
    wire::send(socket_fd, wire::Kind::log, w);
}

void send_output(const std::string& path, bool open)
{
    wire::Writer w;
    w.u32(open ? 1 : 0);
    w.text(path);
    wire::send(socket_fd, wire::Kind::output, w);
}

void reply_ok()
{
    wire::Writer w;
    w.i32(0);
    wire::send(socket_fd, wire::Kind::reply, w);
}

// The Error's message without the "stage: file:line: " that what() adds;
// the render side builds the same Error again.
void reply_error(const Error& e)
{
    const std::string prefix =
        Error(e.status(), e.stage(), "", e.file(), e.line()).what();
    std::string message = e.what();
    if (message.starts_with(prefix))
        message.erase(0, prefix.size());
    wire::Writer w;
    w.i32(e.status());
    w.u32(uint32_t(e.stage()));
    w.text(message);
    w.text(e.file());
    w.i32(e.line());
    wire::send(socket_fd, wire::Kind::reply, w);
}

// The module and the job it was asked to run.
struct Job {
    boost::dll::shared_library library;
    std::optional<DriverModule> module;
    std::unique_ptr<DriverJob> stream;
    std::vector<std::string> inks;
    std::vector<const char*> ink_pointers;
};

[[noreturn]] void refuse(const std::string& file, const std::string& why)
{
    throw Error(RL_ERROR_DRIVER, Stage::driver,
                file + ": " + why + " (in the driver process)");
}

void load_module(Job& job, const std::string& path)
{
    try {
        job.library.load(path, boost::dll::load_mode::rtld_now |
                                   boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        refuse(path, std::string("cannot load: ") + e.what());
    }
    if (!job.library.has(RL_DRIVER_ENTRY_SYMBOL))
        refuse(path, "no rl_driver_entry symbol");
    const rl_driver* table =
        job.library.get<const rl_driver*()>(RL_DRIVER_ENTRY_SYMBOL)();
    if (std::string why = check_table(table); !why.empty())
        refuse(path, why);
    job.module = DriverModule{path, table};
}

// The job message: module, URI, options, then rl_driver_job_info.
void start_job(Job& job, wire::Reader& r, Log& log)
{
    const std::string module = r.text();
    const std::string uri = r.text();
    std::map<std::string, std::string> options;
    for (uint32_t n = r.u32(); n > 0; --n) {
        std::string key = r.text();
        options[key] = r.text();
    }
    const std::string id = r.text(), name = r.text(), device = r.text();
    rl_driver_job_info info{};
    info.size = sizeof info;
    info.ink_count = r.i32();
    for (int i = 0; i < info.ink_count; ++i)
        job.inks.push_back(r.text());
    for (const std::string& ink : job.inks)
        job.ink_pointers.push_back(ink.c_str());
    info.bits_per_dot = r.i32();
    info.xdpi = r.f64();
    info.ydpi = r.f64();
    info.job_id = id.c_str();
    info.job_name = name.c_str();
    info.device_id = device.c_str();
    info.ink_names = job.ink_pointers.data();

    load_module(job, module);
    job.stream = std::make_unique<DriverJob>(*job.module, uri, options, info,
                                             log, send_output);
}

void write_band(DriverJob& stream, wire::Reader& r, wire::SharedBuffer& buf,
                int inks)
{
    rl_driver_band band{};
    band.size = sizeof band;
    band.y = r.i32();
    band.rows = r.i32();
    band.width_dots = r.i32();
    band.stride = size_t(r.u64());
    const size_t mapped = size_t(r.u64());
    const uint8_t* data = buf.map(mapped, false);

    // Plane i follows plane i - 1, each rows * stride bytes.
    const size_t plane_bytes = band.stride * size_t(band.rows);
    if (plane_bytes * size_t(inks) > mapped)
        throw Error(RL_ERROR_INTERNAL, Stage::driver,
                    "a band larger than the shared buffer");
    std::vector<const uint8_t*> planes(static_cast<size_t>(inks));
    for (int i = 0; i < inks; ++i)
        planes[size_t(i)] = data + plane_bytes * size_t(i);
    band.planes = planes.data();
    stream.write_band(band);
}

void write_cuts(DriverJob& stream, wire::Reader& r)
{
    const uint32_t count = r.u32();
    std::vector<std::string> names(count);
    std::vector<std::vector<rl_driver_point>> points(count);
    std::vector<rl_driver_cut_path> paths(count);
    for (uint32_t i = 0; i < count; ++i) {
        names[i] = r.text();
        paths[i].size = sizeof(rl_driver_cut_path);
        paths[i].closed = r.i32();
        points[i].resize(r.u32());
        for (rl_driver_point& p : points[i]) {
            p.x_mm = r.f64();
            p.y_mm = r.f64();
        }
        paths[i].cut_name = names[i].c_str();
        paths[i].point_count = int(points[i].size());
        paths[i].points = points[i].data();
    }
    stream.write_cuts(paths.data(), int(count));
}

void begin_sheet(DriverJob& stream, wire::Reader& r)
{
    rl_driver_sheet sheet{};
    sheet.size = sizeof sheet;
    sheet.index = r.i32();
    sheet.width_dots = r.i32();
    sheet.height_dots = r.i32();
    sheet.width_mm = r.f64();
    sheet.height_mm = r.f64();
    stream.begin_sheet(sheet);
}

// One message of the stream; false when the job is over.
bool handle(Job& job, wire::Kind kind, wire::Reader& r,
            wire::SharedBuffer& buffer, Log& log)
{
    if (kind == wire::Kind::job) {
        start_job(job, r, log);
        return true;
    }
    if (!job.stream)
        throw Error(RL_ERROR_INTERNAL, Stage::driver,
                    "a stream message before the job");
    switch (kind) {
    case wire::Kind::sheet: begin_sheet(*job.stream, r); return true;
    case wire::Kind::band:
        write_band(*job.stream, r, buffer, int(job.inks.size()));
        return true;
    case wire::Kind::cuts: write_cuts(*job.stream, r); return true;
    case wire::Kind::end_sheet: job.stream->end_sheet(); return true;
    case wire::Kind::finish: job.stream->finish(); return false;
    default:
        throw Error(RL_ERROR_INTERNAL, Stage::driver,
                    "unknown message " + std::to_string(uint32_t(kind)));
    }
}

int parse_fd(const char* text)
{
    char* end = nullptr;
    long fd = std::strtol(text, &end, 10);
    return *end || fd < 0 ? -1 : int(fd);
}

}  // namespace

int main(int argc, char** argv)
{
    int buffer_fd = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--socket") == 0)
            socket_fd = parse_fd(argv[i + 1]);
        else if (std::strcmp(argv[i], "--buffer") == 0)
            buffer_fd = parse_fd(argv[i + 1]);
    }
    if (socket_fd < 0 || buffer_fd < 0) {
        std::fprintf(stderr, "ripline-driver-host: started by a render, "
                             "with --socket FD --buffer FD\n");
        return 2;
    }

    // Die with the render; a render that is gone needs no driver.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    wire::SharedBuffer buffer(buffer_fd);
    Log log;
    log.set_sink(send_log, RL_LOG_INFO);

    // Each message is answered; a failed step ends the job (DriverJob has
    // aborted it) and this process. End of file aborts the job too.
    Job job;
    wire::Kind kind;
    std::vector<uint8_t> body;
    while (wire::receive(socket_fd, kind, body)) {
        wire::Reader r(body);
        try {
            bool more = handle(job, kind, r, buffer, log);
            log.flush();
            reply_ok();
            if (!more)
                return 0;
        } catch (const Error& e) {
            log.flush();
            reply_error(e);
            return 0;
        } catch (const std::exception& e) {
            reply_error(Error(RL_ERROR_INTERNAL, Stage::driver, e.what()));
            return 0;
        }
    }
    return 0;
}
