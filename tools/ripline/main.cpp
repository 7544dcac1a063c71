// SPDX-License-Identifier: AGPL-3.0-or-later
// ripline: the command line of the RIP core.
#include "tools/ripline/cli.hpp"

#ifdef RIPLINE_HAVE_CMD_NEST
#include "tools/ripline/cmd_nest.hpp"
#endif
#ifdef RIPLINE_HAVE_CMD_JOB
#include "tools/ripline/cmd_job.hpp"
#endif
#ifdef RIPLINE_HAVE_CMD_IMPOSE
#include "tools/ripline/cmd_impose.hpp"
#endif

#include <ripline/ripline.h>

int main(int argc, char** argv)
{
    CLI::App app{"ripline: an open production RIP"};
    app.require_subcommand(1);
    app.set_version_flag("--version", rl_version_string());

    ripline::cli::add_render_commands(app);
#ifdef RIPLINE_HAVE_CMD_JOB
    add_job_commands(app);
#endif
#ifdef RIPLINE_HAVE_CMD_IMPOSE
    add_impose_command(app);
#endif
#ifdef RIPLINE_HAVE_CMD_NEST
    add_nest_command(app);
#endif

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return 0;
}
