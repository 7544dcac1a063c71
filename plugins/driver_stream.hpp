// SPDX-License-Identifier: AGPL-3.0-or-later
// DriverStream: one job's stream to a driver, in this process or in a
// driver process of its own.
#pragma once

#include "core/common/log.hpp"
#include "plugins/host.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace ripline::plugins {

// The calls of driver.h's stream, as the render makes them. Every
// failure is a ripline::Error naming the driver (see DriverJob).
class DriverStream {
public:
    virtual ~DriverStream(); // aborts the job unless finish() succeeded

    virtual void begin_sheet(const rl_driver_sheet& sheet) = 0;
    virtual void write_band(const rl_driver_band& band) = 0;
    // The sheet's cut paths; ignored by a driver that takes none.
    virtual void write_cuts(const rl_driver_cut_path* paths,
                            int path_count) = 0;
    virtual void end_sheet() = 0;
    virtual void finish() = 0; // end_job; outputs published
};

// Where a driver's code runs.
enum class Isolation {
    process,    // a ripline-driver-host process per job: a crash, abort
                // or exit of the driver fails the job, not the host
    in_process  // the module's code on the render's thread: no copy, no
                // round trip, and a crash takes the host down
};

// "process" / "none" (also "in-process"); throws Error naming VALUE.
Isolation parse_isolation(const std::string& value);

// Start a job on MODULE (see DriverJob for OPTIONS and INFO). With
// Isolation::process, DRIVER_HOST is the ripline-driver-host executable
// (Host::driver_host() finds it); the module is loaded again there.
std::unique_ptr<DriverStream>
open_driver_stream(const DriverModule& module, const std::string& output_uri,
                   const std::map<std::string, std::string>& options,
                   const rl_driver_job_info& info, Log& log,
                   Isolation isolation,
                   const std::filesystem::path& driver_host);

}  // namespace ripline::plugins
