// SPDX-License-Identifier: AGPL-3.0-or-later
// DriverJob: one job streamed through a driver module, safely.
#pragma once

#include "core/common/log.hpp"
#include "plugins/connection.hpp"
#include "plugins/driver_stream.hpp"
#include "plugins/host.hpp"

#include <functional>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ripline::plugins {

// Drives one job through a module, in the order driver.h promises, and
// turns every driver failure into ripline::Error(RL_ERROR_DRIVER,
// Stage::driver, "<driver id>: <driver's message>"). A job outside the
// driver's declared capabilities (bit depth, inks, dpi, media size) is
// RL_ERROR_UNSUPPORTED before the driver sees it. A calling-order or
// band-shape mistake of the caller is RL_ERROR_INTERNAL. One thread at a
// time; different DriverJobs may run in parallel.
class DriverJob : public DriverStream {
public:
    // Told of each hidden output file the driver opens (OPEN true) and
    // of its close, so a process above can clean up after a crash.
    using OutputObserver =
        std::function<void(const std::string& path, bool open)>;

    // Opens the connection and calls begin_job. OPTIONS: the device's
    // driver options (key -> value), checked against the driver's option
    // descriptions when it has them. INFO is copied.
    DriverJob(const DriverModule& module, const std::string& output_uri,
              const std::map<std::string, std::string>& options,
              const rl_driver_job_info& info, Log& log,
              OutputObserver observer = {});
    ~DriverJob() override; // calls abort_job unless finish() succeeded
    DriverJob(const DriverJob&) = delete;
    DriverJob& operator=(const DriverJob&) = delete;

    void begin_sheet(const rl_driver_sheet& sheet) override;
    void write_band(const rl_driver_band& band) override;
    void write_cuts(const rl_driver_cut_path* paths,
                    int path_count) override;
    void end_sheet() override;
    void finish() override;

    // What the driver's callbacks and the host calls share.
    struct State;

private:
    void check_options();
    void check_capabilities(const rl_driver_job_info& info) const;
    void check_media(const rl_driver_sheet& sheet) const;
    void call(const char* step, int status);
    void abort() noexcept;

    const DriverModule& module_;
    Log& log_;
    std::unique_ptr<State> state_;
    rl_driver_session* session_ = nullptr;
    bool in_sheet_ = false;
    bool finished_ = false;
    rl_driver_sheet sheet_{};
    int next_row_ = 0;
    bool cuts_written_ = false;
};

} // namespace ripline::plugins
