// SPDX-License-Identifier: AGPL-3.0-or-later
// `ripline impose`: lay out a job for a device, list it, draw a preview.
#pragma once

#include <CLI/CLI.hpp>

namespace ripline::cli {

// Register the `impose` subcommand on `app`.
void add_impose_command(CLI::App& app);

} // namespace ripline::cli

using ripline::cli::add_impose_command;
