// SPDX-License-Identifier: AGPL-3.0-or-later
// The render path: impose a job for a device, then rasterize, colour,
// screen and hand each band of each sheet to the device's driver.
#pragma once

#include "core/common/log.hpp"
#include "core/device/device.hpp"
#include "core/document/document.hpp"
#include "core/job/job.hpp"
#include "plugins/driver_stream.hpp"
#include "plugins/host.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ripline::pipeline {

// A job with its documents open: what rl_job holds.
struct OpenJob {
    job::Job job;
    std::vector<std::unique_ptr<document::Document>> documents; // = inputs
};

// Open every input of JOB; a broken one fails here, naming it.
OpenJob open_job(document::Mupdf& mupdf, job::Job job);

struct RenderOptions {
    std::string output_uri;  // "" = the device's connection
    bool contone = false;    // 8-bit ink planes instead of screened dots
    int band_height = 0;     // rows; 0 = about 16 MiB of contone a band
    int threads = 0;         // band workers; 0 = one per core
    bool simd = true;
    std::filesystem::path profile_dir;
    std::function<void(int sheet, long done, long total)> progress;
    std::function<bool()> cancelled; // polled once per band
    // Where the driver runs; a process of its own unless asked otherwise
    // (bench/drivers measures both: see docs/drivers.md).
    plugins::Isolation isolation = plugins::Isolation::process;
    std::filesystem::path driver_host; // ripline-driver-host, for process

    // Print, cut, or both; unset: a ticket's Print and Cut, else the
    // device's cut.mode, else cut for a cutter, print & cut when the
    // device's driver also cuts or the device names a cutter, else print.
    std::optional<device::CutMode> mode;
    // The cutter the device's cut.cutter names, and its driver; the
    // caller finds them (capi: by id among the devices).
    const device::Device* cutter = nullptr;
    const plugins::DriverModule* cutter_driver = nullptr;
    std::string cutter_output_uri; // "" = the cutter's connection
};

struct RenderStats {
    int sheets = 0;
    long long dots = 0;              // device pixels over all sheets
    double seconds = 0;
    std::vector<std::string> inks;
    std::vector<double> coverage;    // mean contone ink per ink, 0-1
    size_t peak_band_bytes = 0;      // band buffers at their largest
};

// Render JOB on DEVICE through the driver module DRIVER. Print only:
// bands to DRIVER. Cut only: nothing is rasterised; each sheet's cut
// paths go to the cutter (the device's own driver, or options.cutter).
// Print & cut: registration marks from the device's cut settings are
// printed, and the cut paths go in the marks' frame to the printer-cutter
// or to the separate cutter, sheet by sheet. Throws Error:
// RL_ERROR_UNSUPPORTED when the device cannot do the mode asked,
// RL_ERROR_CANCELLED when cancelled() said so, the stage's status
// otherwise; in every case the drivers have discarded their outputs.
RenderStats render(document::Mupdf& mupdf, OpenJob& job,
                   const device::Device& device,
                   const plugins::DriverModule& driver, Log& log,
                   const RenderOptions& options);

}  // namespace ripline::pipeline
