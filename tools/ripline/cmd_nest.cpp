// SPDX-License-Identifier: AGPL-3.0-or-later
// `ripline nest`: nest an instance file, print length and density.
#include "tools/ripline/cmd_nest.hpp"

#include "core/common/error.hpp"
#include "core/nest/io.hpp"
#include "core/nest/nester.hpp"
#include "core/nest/validate.hpp"

#include <iostream>
#include <memory>

namespace ripline::cli {

namespace {

struct NestArgs {
    std::string instance;
    double time_s = -1;  // not given
    std::uint64_t seed = 1;
    long evaluations = 0;
    int threads = 0;
    std::string svg, json, mode;
    double spacing = -1, margin = -1, bleed = -1;
    bool report = false;
    bool part_in_part = false;
    bool no_overlap_search = false;
};

void apply_overrides(const NestArgs& a, nest::NestOptions& o)
{
    // 10 s unless given, but no time limit beside --evaluations unless
    // asked for: a clock would make the counted nest depend on speed.
    o.time_limit_s = a.time_s >= 0 ? a.time_s : a.evaluations > 0 ? 0 : 10;
    o.seed = a.seed;
    o.max_evaluations = a.evaluations;
    o.threads = a.threads;
    if (a.part_in_part)
        o.part_in_part = true;
    if (a.no_overlap_search)
        o.overlap_search = false;
    if (a.spacing >= 0)
        o.spacing = a.spacing;
    if (a.margin >= 0)
        o.margin = a.margin;
    if (a.bleed >= 0)
        o.bleed = a.bleed;
    if (a.mode == "rectangular")
        o.mode = nest::Mode::rectangular;
    else if (a.mode == "true_shape")
        o.mode = nest::Mode::true_shape;
    else if (a.mode == "auto")
        o.mode = nest::Mode::automatic;
}

int run_nest(const NestArgs& a)
{
    nest::Instance in = nest::read_instance(a.instance);
    apply_overrides(a, in.options);
    nest::NestResult r = nest::nest(in.problem, in.options);
    std::vector<std::string> faults =
        nest::check_nest(in.problem, in.options, r);

    std::cout << in.problem.name << ": length " << r.used_length
              << " density " << r.efficiency * 100 << " %";
    if (in.problem.media.kind == nest::Media::Kind::sheet)
        std::cout << " sheets " << r.sheet_count;
    std::cout << " (" << r.placements.size() << " placed, "
              << r.unplaced.size() << " unplaced, " << r.evaluations
              << " layouts, " << r.seconds << " s)\n";
    if (a.report)
        std::cout << nest::nest_report(in, r);
    else
        std::cout << nest::unplaced_lines(in, r);
    if (!a.json.empty())
        nest::write_text_file(a.json, nest::solution_json(in, r));
    if (!a.svg.empty())
        nest::write_text_file(a.svg, nest::nest_svg(in, r));
    for (const std::string& f : faults)
        std::cerr << "nest: check failed: " << f << "\n";
    return faults.empty() ? 0 : 2;
}

}  // namespace

void add_nest_command(CLI::App& app)
{
    auto args = std::make_shared<NestArgs>();
    CLI::App* cmd = app.add_subcommand(
        "nest", "Nest the parts of an instance on a roll or sheets");
    cmd->add_option("instance", args->instance,
                    "Strip-packing JSON, rectangle JSON or parts list")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--time", args->time_s,
                    "Time limit in seconds (the whole nest keeps to "
                    "it; default 10, none with --evaluations)")
        ->check(CLI::Range(0.0, 1e7));
    cmd->add_option("--seed", args->seed, "Random seed");
    cmd->add_option("--evaluations", args->evaluations,
                    "Stop after this many layouts (with no --time, the "
                    "same nest on any machine)");
    cmd->add_option("--threads", args->threads,
                    "Threads of the overlap search (0 = the cores, at "
                    "most 4)")
        ->check(CLI::Range(0, 64));
    cmd->add_option("--svg", args->svg, "Write a picture of the nest");
    cmd->add_option("--json", args->json, "Write the solution");
    cmd->add_option("--spacing", args->spacing, "Gap between parts");
    cmd->add_option("--margin", args->margin, "Gap to the media edge");
    cmd->add_option("--bleed", args->bleed, "Bleed around cut contours");
    cmd->add_option("--mode", args->mode, "auto, rectangular or true_shape")
        ->check(CLI::IsMember({"auto", "rectangular", "true_shape"}));
    cmd->add_flag("--report", args->report, "Print the nest report");
    cmd->add_flag("--part-in-part", args->part_in_part,
                  "Nest parts inside the holes of others");
    cmd->add_flag("--no-overlap-search", args->no_overlap_search,
                  "True shapes: the sequence search alone, no overlap "
                  "minimisation");
    cmd->callback([args] {
        int rc = 0;
        try {
            rc = run_nest(*args);
        } catch (const ripline::Error& e) {
            std::cerr << e.what() << "\n";
            rc = 1;
        }
        if (rc != 0)
            throw CLI::RuntimeError(rc);
    });
}

}  // namespace ripline::cli
