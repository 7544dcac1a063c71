// SPDX-License-Identifier: AGPL-3.0-or-later
// The ripline CLI's subcommands, one registration function each.
#pragma once

#include <CLI/CLI.hpp>

namespace ripline::cli {

// render, devices, drivers and driver-check: the C ABI's commands.
void add_render_commands(CLI::App& app);

}  // namespace ripline::cli
