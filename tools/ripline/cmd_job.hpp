// SPDX-License-Identifier: AGPL-3.0-or-later
// `ripline job validate|new|show`: check, generate and normalise tickets.
#pragma once

#include <CLI/CLI.hpp>

namespace ripline::cli {

// Register the `job` subcommand and its own subcommands on `app`.
void add_job_commands(CLI::App& app);

} // namespace ripline::cli

using ripline::cli::add_job_commands;
