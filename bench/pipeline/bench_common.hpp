// SPDX-License-Identifier: AGPL-3.0-or-later
// What the end-to-end benches share: one render through the C ABI, a
// timed peer command, device files, and the smoke switch.
#pragma once

#include <ripline/ripline.h>

#include <filesystem>
#include <string>

namespace ripline::bench {

// RIPLINE_BENCH_SMOKE=1: tiny sizes, so CI only proves the bench runs.
bool smoke();

// A fresh folder under /tmp, removed with everything in it at exit.
std::filesystem::path scratch(const std::string& name);

// A device file: a roll WIDTH_MM wide with no margin at DPI, 1 bit.
std::filesystem::path roll_device(const std::filesystem::path& dir,
                                  double width_mm, double dpi);

// Render JOB on DEVICE into OUT with a context of its own; aborts the
// bench with the library's message on failure.
rl_render_stats render(const std::filesystem::path& job,
                       const std::filesystem::path& device,
                       const std::filesystem::path& out);

// Run a shell command; false when it is missing or fails.
bool run(const std::string& command);

// Peak resident memory of this process so far, MiB.
double peak_rss_mib();

}  // namespace ripline::bench
