// SPDX-License-Identifier: AGPL-3.0-or-later
// The driver conformance suite behind `ripline driver-check MODULE`.
#pragma once

#include <filesystem>
#include <ostream>

namespace ripline::plugins {

// Load MODULE (a ripline-driver-*.so file), check its table and drive it
// through the stream the ABI promises: a full job at each bit depth it
// declares, an aborted job, a failing output, and cut paths for cutters.
// Each job runs in a child process, so a crash is a failed check, not a
// dead host. Writes one line per check to REPORT ("ok" / "FAIL ...") and
// returns the number of failed checks (0: the module conforms).
int run_driver_check(const std::filesystem::path& module, std::ostream& report);

} // namespace ripline::plugins
