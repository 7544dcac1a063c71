// SPDX-License-Identifier: AGPL-3.0-or-later
// `ripline nest`: nest an instance file, print length and density.
#pragma once

#include <CLI/CLI.hpp>

namespace ripline::cli {

// Register the `nest` subcommand on `app`.
void add_nest_command(CLI::App& app);

}  // namespace ripline::cli

using ripline::cli::add_nest_command;
