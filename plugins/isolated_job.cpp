// SPDX-License-Identifier: AGPL-3.0-or-later
// The render's side of a driver process: spawn ripline-driver-host, send
// it the stream, turn its answers, its crash or its exit into Errors.
#include "plugins/driver_job.hpp"
#include "plugins/driver_stream.hpp"
#include "plugins/driver_wire.hpp"

#include "core/common/error.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <utility>
#include <unistd.h>

extern char** environ;

namespace fs = std::filesystem;

namespace ripline::plugins {

DriverStream::~DriverStream() = default;

Isolation parse_isolation(const std::string& value)
{
    if (value == "process")
        return Isolation::process;
    if (value == "none" || value == "in-process")
        return Isolation::in_process;
    throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::driver,
                "driver_isolation must be \"process\" or \"none\", not \"" +
                    value + "\"");
}

namespace {

// The child's end of the socket and the buffer sit at these numbers.
constexpr int child_socket_fd = 3, child_buffer_fd = 4;

// How long a driver process may take to go after its socket closes.
constexpr auto exit_grace = std::chrono::seconds(5);

class IsolatedJob : public DriverStream {
public:
    IsolatedJob(const DriverModule& module, const std::string& uri,
                const std::map<std::string, std::string>& options,
                const rl_driver_job_info& info, Log& log,
                const fs::path& driver_host);
    ~IsolatedJob() override;

    void begin_sheet(const rl_driver_sheet& sheet) override;
    void write_band(const rl_driver_band& band) override;
    void write_cuts(const rl_driver_cut_path* paths,
                    int path_count) override;
    void end_sheet() override;
    void finish() override;

private:
    void spawn(const fs::path& driver_host);
    void call(wire::Kind kind, const wire::Writer& body,
              const std::string& step);
    [[noreturn]] void died(const std::string& step);
    void end_process() noexcept;
    Error error(const std::string& message) const
    {
        return Error(RL_ERROR_DRIVER, Stage::driver, id_ + ": " + message);
    }

    std::string id_;
    Log& log_;
    int ink_count_;
    int socket_ = -1;
    pid_t child_ = -1;
    wire::SharedBuffer buffer_;
    std::set<std::string> open_outputs_; // hidden files the driver holds
    bool finished_ = false;
    int sheet_ = 0;
};

IsolatedJob::IsolatedJob(const DriverModule& module, const std::string& uri,
                         const std::map<std::string, std::string>& options,
                         const rl_driver_job_info& info, Log& log,
                         const fs::path& driver_host)
    : id_(module.table->id), log_(log), ink_count_(info.ink_count),
      buffer_(wire::SharedBuffer::create())
{
    spawn(driver_host);

    wire::Writer w;
    w.text(module.path.string());
    w.text(uri);
    w.u32(uint32_t(options.size()));
    for (const auto& [key, value] : options) {
        w.text(key);
        w.text(value);
    }
    w.text(info.job_id ? info.job_id : "");
    w.text(info.job_name ? info.job_name : "");
    w.text(info.device_id ? info.device_id : "");
    w.i32(info.ink_count);
    for (int i = 0; i < info.ink_count; ++i)
        w.text(info.ink_names[i] ? info.ink_names[i] : "");
    w.i32(info.bits_per_dot);
    w.f64(info.xdpi);
    w.f64(info.ydpi);
    call(wire::Kind::job, w, "begin_job");
}

IsolatedJob::~IsolatedJob()
{
    // Closing the socket aborts the job in the driver process.
    end_process();
}

// posix_spawn, not fork: the render has threads, and only an exec'd
// process starts clean.
void IsolatedJob::spawn(const fs::path& driver_host)
{
    if (driver_host.empty())
        throw error("ripline-driver-host was not found beside the drivers "
                    "(set the context option driver_isolation to \"none\" "
                    "to run drivers in the render's process)");
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        throw error(std::string("cannot create a socket pair: ") +
                    std::strerror(errno));
    socket_ = fds[0];

    // The dup2s must not overwrite each other's source: take copies above
    // the child's numbers first.
    const int socket_copy = ::fcntl(fds[1], F_DUPFD_CLOEXEC, 16);
    ::close(fds[1]);
    const int buffer_copy = ::fcntl(buffer_.fd(), F_DUPFD_CLOEXEC, 16);
    if (socket_copy < 0 || buffer_copy < 0) {
        ::close(socket_copy);
        ::close(buffer_copy);
        throw error(std::string("cannot pass descriptors: ") +
                    std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, socket_copy, child_socket_fd);
    posix_spawn_file_actions_adddup2(&actions, buffer_copy, child_buffer_fd);
    const std::string path = driver_host.string();
    const std::string socket_arg = std::to_string(child_socket_fd);
    const std::string buffer_arg = std::to_string(child_buffer_fd);
    char* argv[] = {const_cast<char*>(path.c_str()),
                    const_cast<char*>("--socket"),
                    const_cast<char*>(socket_arg.c_str()),
                    const_cast<char*>("--buffer"),
                    const_cast<char*>(buffer_arg.c_str()), nullptr};
    int status = ::posix_spawn(&child_, path.c_str(), &actions, nullptr, argv,
                               environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(socket_copy);
    ::close(buffer_copy);
    if (status != 0) {
        child_ = -1;
        throw error("cannot start " + path + ": " + std::strerror(status));
    }
}

// Send one stream call and wait for its answer, passing on the driver's
// log lines and noting its outputs on the way.
void IsolatedJob::call(wire::Kind kind, const wire::Writer& body,
                       const std::string& step)
{
    if (finished_ || child_ < 0)
        throw Error(RL_ERROR_INTERNAL, Stage::driver,
                    id_ + ": " + step + " after the driver process ended");
    if (!wire::send(socket_, kind, body))
        died(step);
    wire::Kind got;
    std::vector<uint8_t> answer;
    for (;;) {
        if (!wire::receive(socket_, got, answer))
            died(step);
        wire::Reader r(answer);
        if (got == wire::Kind::log) {
            auto level = rl_log_level(std::min<uint32_t>(r.u32(), 3));
            std::string text = r.text();
            if (level == RL_LOG_WARNING)
                log_.warning(text);
            else
                log_.write(level, text);
        } else if (got == wire::Kind::output) {
            bool open = r.u32() != 0;
            std::string path = r.text();
            if (open)
                open_outputs_.insert(path);
            else
                open_outputs_.erase(path);
        } else if (got == wire::Kind::reply) {
            break;
        }
    }

    // A failed step: the driver process has aborted the job and exits.
    wire::Reader r(answer);
    const int status = r.i32();
    if (status == 0)
        return;
    const auto stage = Stage(r.u32());
    std::string message = r.text();
    std::string file = r.text();
    const int line = r.i32();
    finished_ = true;
    end_process();
    throw Error(rl_status(status), stage, message, file, line);
}

// The process went away without answering: say how, and clean up what
// it left half written.
void IsolatedJob::died(const std::string& step)
{
    ::close(socket_);
    socket_ = -1;
    int status = 0;
    pid_t pid = std::exchange(child_, -1);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    finished_ = true;
    end_process();

    std::string how;
    if (WIFSIGNALED(status))
        how = "crashed with signal " + std::to_string(WTERMSIG(status)) +
              " (" + ::strsignal(WTERMSIG(status)) + ")";
    else
        how = "exited with status " + std::to_string(WEXITSTATUS(status));
    throw error("the driver process " + how + " in " + step +
                (sheet_ > 0 ? " of sheet " + std::to_string(sheet_) : "") +
                "; the job's outputs were discarded");
}

// Close the socket, wait for the process (killing it when it lingers)
// and remove any hidden output it left.
void IsolatedJob::end_process() noexcept
{
    if (socket_ >= 0)
        ::close(socket_);
    socket_ = -1;
    if (child_ > 0) {
        auto deadline = std::chrono::steady_clock::now() + exit_grace;
        int status = 0;
        while (::waitpid(child_, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(child_, SIGKILL);
                ::waitpid(child_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        child_ = -1;
    }
    for (const std::string& path : open_outputs_) {
        std::error_code ec;
        fs::remove(path, ec);
    }
    open_outputs_.clear();
}

void IsolatedJob::begin_sheet(const rl_driver_sheet& sheet)
{
    sheet_ = sheet.index + 1;
    wire::Writer w;
    w.i32(sheet.index);
    w.i32(sheet.width_dots);
    w.i32(sheet.height_dots);
    w.f64(sheet.width_mm);
    w.f64(sheet.height_mm);
    call(wire::Kind::sheet, w, "begin_sheet");
}

// The band's planes go into the shared buffer one after the other; the
// message carries the shape.
void IsolatedJob::write_band(const rl_driver_band& band)
{
    const size_t plane_bytes = band.stride * size_t(std::max(band.rows, 0));
    const size_t bytes = std::max<size_t>(plane_bytes * size_t(ink_count_), 1);
    uint8_t* data = buffer_.map(bytes, true);
    for (int i = 0; i < ink_count_; ++i)
        std::memcpy(data + plane_bytes * size_t(i), band.planes[i],
                    plane_bytes);

    wire::Writer w;
    w.i32(band.y);
    w.i32(band.rows);
    w.i32(band.width_dots);
    w.u64(band.stride);
    w.u64(buffer_.size());
    call(wire::Kind::band, w, "write_band");
}

void IsolatedJob::write_cuts(const rl_driver_cut_path* paths, int path_count)
{
    wire::Writer w;
    w.u32(uint32_t(std::max(path_count, 0)));
    for (int i = 0; i < path_count; ++i) {
        const rl_driver_cut_path& p = paths[i];
        w.text(p.cut_name ? p.cut_name : "");
        w.i32(p.closed);
        w.u32(uint32_t(std::max(p.point_count, 0)));
        for (int k = 0; k < p.point_count; ++k) {
            w.f64(p.points[k].x_mm);
            w.f64(p.points[k].y_mm);
        }
    }
    call(wire::Kind::cuts, w, "write_cut");
}

void IsolatedJob::end_sheet()
{
    call(wire::Kind::end_sheet, wire::Writer{}, "end_sheet");
}

void IsolatedJob::finish()
{
    call(wire::Kind::finish, wire::Writer{}, "end_job");
    finished_ = true;
    end_process();
}

}  // namespace

std::unique_ptr<DriverStream>
open_driver_stream(const DriverModule& module, const std::string& output_uri,
                   const std::map<std::string, std::string>& options,
                   const rl_driver_job_info& info, Log& log,
                   Isolation isolation, const fs::path& driver_host)
{
    if (isolation == Isolation::in_process)
        return std::make_unique<DriverJob>(module, output_uri, options, info,
                                           log);
    return std::make_unique<IsolatedJob>(module, output_uri, options, info,
                                         log, driver_host);
}

}  // namespace ripline::plugins
