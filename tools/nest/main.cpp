// SPDX-License-Identifier: AGPL-3.0-or-later
// ripline-nest: the `nest` subcommand alone, until the ripline CLI has it.
#include "tools/ripline/cmd_nest.hpp"

int main(int argc, char** argv)
{
    CLI::App app{"ripline-nest: nest parts on a roll or sheets"};
    add_nest_command(app);
    app.require_subcommand(1);
    CLI11_PARSE(app, argc, argv);
    return 0;
}
