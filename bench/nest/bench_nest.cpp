// SPDX-License-Identifier: AGPL-3.0-or-later
// The nester on public instances: density against the best known figure.
//
// One benchmark per instance, run once with a fixed time: ESICUP strip
// instances (best known densities from the datasets README, sparrow's
// records) and rectangle strips with a known optimum (total area over the
// width). Every nest is checked for overlaps and media bounds. After the
// run a table goes to stdout. Times: RIPLINE_NEST_SHAPE_S (default 60)
// and RIPLINE_NEST_RECT_S (default 10), the seed RIPLINE_NEST_SEED
// (default 1); RIPLINE_BENCH_SMOKE=1 makes both times tiny and skips the
// large gardeyn instances.
//
// separate/<instance> times the overlap search alone, the stage where a
// true-shape nest spends nearly all its time: a fixed number of part
// moves on one thread from the first bottom-left strip, with the seed
// above, as moves per second (RIPLINE_NEST_MOVES, default 5000; a
// twentieth of that for gardeyn9, whose parts of up to 190 vertices move
// about 100 times a second, the time going in making no-fit polygons).
//
// labels/200000 times a nest and its check of 200000 rectangles of
// three sizes under a 2 s limit.
//
// sheets/<instance> nests an instance's parts on sheets, with and
// without the sheet search, and counts the sheets of each.
//
// decode/<instance> times one bottom-left strip of the largest-first
// order by pieces, the start a true-shape nest decodes before it can
// search (gardeyn7's takes seconds: under a shorter time limit a nest
// decodes by hulls instead). RIPLINE_NEST_SHAPE_S=1 shows what a short
// limit gives.
#include "core/nest/io.hpp"
#include "core/nest/nester.hpp"
#include "core/nest/separate.hpp"
#include "core/nest/validate.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace ripline::nest;

struct Row {
    std::string name;
    double seconds_budget = 0;
    double density = 0;     // %
    double reference = 0;   // best known density %, or optimum length
    double length = 0;
    bool rectangles = false;
    bool sound = false;
    long evaluations = 0;
    double cpu_s = 0;  // process CPU time of the nest (shared machines)
};

std::vector<Row>& rows()
{
    static std::vector<Row> all;
    return all;
}

bool smoke()
{
    const char* env = std::getenv("RIPLINE_BENCH_SMOKE");
    return env != nullptr && std::string(env) == "1";
}

double number_from(const char* name, double fallback)
{
    const char* env = std::getenv(name);
    return env != nullptr ? std::atof(env) : fallback;
}

// The seed of the instance, separate/ and sheets/ benchmarks:
// RIPLINE_NEST_SEED, default 1 (labels/200000 times one fixed nest).
std::uint64_t seed()
{
    return std::uint64_t(number_from("RIPLINE_NEST_SEED", 1));
}

double seconds_from(const char* name, double fallback)
{
    return smoke() ? 0.05 : number_from(name, fallback);
}

std::string dataset(const std::string& rest)
{
    return std::string(RIPLINE_DATASETS_DIR) + "/nesting/" + rest;
}

void run_one(benchmark::State& state, const std::string& path,
             double reference, bool rectangles)
{
    Instance in = read_instance(path);
    NestOptions o = in.options;
    o.time_limit_s = rectangles ? seconds_from("RIPLINE_NEST_RECT_S", 10)
                                : seconds_from("RIPLINE_NEST_SHAPE_S", 60);
    o.seed = seed();
    if (rectangles)
        o.target_length = reference;
    NestResult r;
    std::clock_t cpu_start = std::clock();
    for (auto _ : state)
        r = nest(in.problem, o);
    double cpu_s = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    bool sound = check_nest(in.problem, o, r).empty() && r.unplaced.empty();
    state.counters["density_pct"] = r.efficiency * 100;
    state.counters["sound"] = sound;
    state.counters["cpu_s"] = cpu_s;
    rows().push_back({in.problem.name, o.time_limit_s, r.efficiency * 100,
                      reference, r.used_length, rectangles, sound,
                      r.evaluations, cpu_s});
    if (!sound)
        state.SkipWithError("nest failed its overlap or bounds check");
}

void add(const std::string& label, const std::string& path, double reference,
         bool rectangles)
{
    benchmark::RegisterBenchmark(label.c_str(),
                                 [=](benchmark::State& s) {
                                     run_one(s, path, reference, rectangles);
                                 })
        ->Iterations(1)
        ->UseRealTime()
        ->Unit(benchmark::kSecond);
}

// ESICUP and gardeyn: sparrow's record densities (%).
void add_shapes()
{
    struct Known {
        const char* name;
        double record;
    };
    const Known classic[] = {
        {"albano", 89.82}, {"blaz1", 86.22},   {"dagli", 90.17},
        {"fu", 92.40},     {"jakobs1", 89.25}, {"jakobs2", 87.72},
        {"mao", 86.87},    {"marques", 92.02}, {"shapes0", 69.98},
        {"shapes1", 76.72}, {"shirts", 90.92}, {"swim", 79.83},
        {"trousers", 92.62}};
    const Known gardeyn[] = {{"gardeyn7", 87.01}, {"gardeyn9", 86.73}};
    for (const Known& k : classic)
        add(std::string("shape/") + k.name,
            dataset(std::string("esicup/") + k.name + ".json"), k.record,
            false);
    if (smoke())
        return;
    for (const Known& k : gardeyn)
        add(std::string("shape/") + k.name,
            dataset(std::string("esicup/") + k.name + ".json"), k.record,
            false);
}

// The instance as the true-shape engine sees it: every copy of every part
// with its allowed rotations, by the contours the nester would use (the
// ESICUP files have no spacing).
ShapeProblem shape_problem(const Instance& in)
{
    ShapeProblem sp;
    sp.width = in.problem.media.width;
    sp.threads = 1;
    for (const Part& part : in.problem.parts) {
        ShapeItem item;
        item.area = std::abs(signed_area(part.outline.outer));
        std::vector<double> turns = allowed_rotations(part, in.options);
        for (size_t k = 0; k < turns.size(); ++k) {
            Ring ring = placed_outline(part, {turns[k], {0, 0}});
            if (signed_area(ring) < 0)
                std::reverse(ring.begin(), ring.end());
            ring = nest_contour(ring, 0, in.options);
            item.options.push_back({{ring}, int(k), {}});
        }
        for (int copy = 0; copy < part.quantity; ++copy)
            sp.items.push_back(item);
    }
    return sp;
}

void run_separation(benchmark::State& state, const std::string& path,
                    long moves_divisor)
{
    ShapeProblem sp = shape_problem(read_instance(path));
    PieceLibrary lib;
    lib.scale = sp.width;
    std::vector<std::vector<int>> orients(sp.items.size());
    for (size_t i = 0; i < sp.items.size(); ++i)
        for (const ShapeOrientation& o : sp.items[i].options)
            orients[i].push_back(lib.add(o));
    lib.seal();

    // The first bottom-left strip of the largest-first order.
    ShapeProblem first = sp;
    first.overlap_search = false;
    Budget one(1e9, 1);
    ShapeSolution start = pack_shapes(first, one, 1);
    StripLayout strip;
    strip.option.assign(sp.items.size(), 0);
    strip.t.assign(sp.items.size(), {});
    for (const ShapePlaced& p : start.placed) {
        strip.option[size_t(p.item)] = p.option;
        strip.t[size_t(p.item)] = p.translation;
    }
    strip.length = start.length;

    long moves = long(smoke() ? 200 : number_from("RIPLINE_NEST_MOVES", 5000));
    moves = std::max(1L, moves / moves_divisor);
    double length = 0;
    for (auto _ : state) {
        Budget budget(1e9, moves);
        length = shorten_strip(sp, lib, orients, strip, budget, seed()).length;
    }
    state.SetItemsProcessed(state.iterations() * moves);
    state.counters["start_length"] = strip.length;
    state.counters["length"] = length;
    // Convex pieces per orientation: what a move's cost grows with.
    double pieces = 0, orientations = 0;
    for (const std::vector<int>& item : orients)
        for (int id : item) {
            pieces += double(lib.orient(id).pieces.size());
            orientations += 1;
        }
    state.counters["pieces"] = pieces / orientations;
}

void add_separations()
{
    // Each instance with what its number of moves is divided by.
    std::vector<std::pair<const char*, long>> names = {
        {"swim", 1}, {"shirts", 1}, {"shapes0", 1}, {"albano", 1}};
    if (!smoke())
        names.push_back({"gardeyn9", 20});
    for (auto [name, divisor] : names)
        benchmark::RegisterBenchmark(
            (std::string("separate/") + name).c_str(),
            [path = dataset(std::string("esicup/") + name + ".json"),
             divisor](benchmark::State& s) {
                run_separation(s, path, divisor);
            })
            ->Iterations(1)
            ->UseRealTime()
            ->Unit(benchmark::kSecond);
}

void run_decode(benchmark::State& state, const std::string& path)
{
    ShapeProblem sp = shape_problem(read_instance(path));
    double length = 0;
    for (auto _ : state) {
        Budget one(1e9, 1);  // one layout: the search never starts
        length = pack_shapes(sp, one, 1).length;
    }
    state.SetItemsProcessed(state.iterations() * long(sp.items.size()));
    state.counters["length"] = length;
}

void add_decodes()
{
    std::vector<const char*> names = {"swim", "shirts", "trousers"};
    if (!smoke())
        names.push_back("gardeyn7");
    for (const char* name : names)
        benchmark::RegisterBenchmark(
            (std::string("decode/") + name).c_str(),
            [path = dataset(std::string("esicup/") + name + ".json")](
                benchmark::State& s) { run_decode(s, path); })
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
}

// Rectangle strips: every instance is a perfect packing, so the optimum
// length is the item area over the width (C7_3's bound is 239.7).
double optimum_length(const std::string& path)
{
    Instance in = read_instance(path);
    double area_sum = 0;
    for (const Part& p : in.problem.parts)
        area_sum += std::abs(signed_area(p.outline.outer)) * p.quantity;
    return area_sum / in.problem.media.width;
}

void add_rectangles()
{
    for (int k = 1; k <= 21; ++k) {
        std::string path =
            dataset("rect/HT2001a/" + std::to_string(k) + ".json");
        add("rect/HT2001a/" + std::to_string(k), path, optimum_length(path),
            true);
    }
    for (int k = 1; k <= 13; ++k) {
        std::string path = dataset("rect/BKW/" + std::to_string(k) + ".json");
        add("rect/BKW/" + std::to_string(k), path, optimum_length(path),
            true);
    }
}

// A print run of labels: 200000 copies of three sizes on a 1600 mm roll
// with 2 mm spacing, nested to a 2 s limit and then checked, as
// `ripline nest` does. Times the whole (the limit must hold however many
// copies there are) and counts the density; smoke runs take 2000 copies.
void run_labels(benchmark::State& state)
{
    int scale = smoke() ? 100 : 1;
    Problem p;
    p.name = "labels";
    p.media.width = 1600;
    auto label = [&](const char* id, double w, double h, int copies) {
        Part part;
        part.id = id;
        part.outline.outer = {{0, 0}, {w, 0}, {w, h}, {0, h}};
        part.quantity = copies / scale;
        part.rotations_deg = {0, 90};
        p.parts.push_back(part);
    };
    label("round-50", 50, 50, 120000);
    label("wine-90x120", 90, 120, 60000);
    label("crate-148x210", 148, 210, 20000);
    NestOptions o;
    o.spacing = 2;
    o.time_limit_s = smoke() ? 0.05 : 2;
    NestResult r;
    bool sound = false;
    for (auto _ : state) {
        r = nest(p, o);
        sound = check_nest(p, o, r).empty() && r.unplaced.empty();
    }
    state.counters["density_pct"] = r.efficiency * 100;
    state.counters["copies"] = double(r.placements.size());
    state.counters["sound"] = sound;
    if (!sound)
        state.SkipWithError("nest failed its overlap or bounds check");
}

void add_labels()
{
    benchmark::RegisterBenchmark("labels/200000", run_labels)
        ->Iterations(1)
        ->UseRealTime()
        ->Unit(benchmark::kSecond);
}

// True shapes on sheets: an ESICUP instance's parts on sheets as wide as
// its strip and as long as makes `sheets` of them at `fill`, nested with
// and without the sheet search in the same run (RIPLINE_NEST_SHEET_S
// each, default 10). Counters: the sheets of each and the fewest the
// area allows.
void run_sheets(benchmark::State& state, const std::string& path,
                int sheets, double fill)
{
    Instance in = read_instance(path);
    double area = 0;
    for (const Part& part : in.problem.parts)
        area += std::abs(signed_area(part.outline.outer)) * part.quantity;
    Problem p = in.problem;
    p.media.kind = Media::Kind::sheet;
    p.media.length = area / (p.media.width * sheets * fill);
    NestOptions o = in.options;
    o.time_limit_s = seconds_from("RIPLINE_NEST_SHEET_S", 10);
    o.seed = seed();
    NestResult with, without;
    for (auto _ : state)
        with = nest(p, o);
    o.overlap_search = false;
    without = nest(p, o);
    bool sound = check_nest(p, o, with).empty() && with.unplaced.empty();
    state.counters["sheets"] = with.sheet_count;
    state.counters["sheets_without_search"] = without.sheet_count;
    state.counters["fewest"] = sheets;
    state.counters["sound"] = sound;
    if (!sound)
        state.SkipWithError("nest failed its overlap or bounds check");
}

void add_sheets()
{
    struct Cut {
        const char* name;
        int sheets;
        double fill;
    };
    const Cut cuts[] = {{"trousers", 2, 0.86},
                        {"shirts", 2, 0.86},
                        {"swim", 2, 0.7},
                        {"shapes0", 3, 0.7}};
    for (const Cut& c : cuts)
        benchmark::RegisterBenchmark(
            (std::string("sheets/") + c.name).c_str(),
            [path = dataset(std::string("esicup/") + c.name + ".json"),
             c](benchmark::State& s) {
                run_sheets(s, path, c.sheets, c.fill);
            })
            ->Iterations(1)
            ->UseRealTime()
            ->Unit(benchmark::kSecond);
}

void print_table()
{
    std::printf("\n| instance | time s | CPU s | density %% | best known | "
                "gap | layouts | sound |\n"
                "|---|---|---|---|---|---|---|---|\n");
    for (const Row& r : rows()) {
        // Shapes: density points below the record; rectangles: length
        // above the optimum in percent.
        double gap = r.rectangles ? (r.length / r.reference - 1) * 100
                                  : r.reference - r.density;
        std::printf("| %s | %.3g | %.1f | %.2f | %s%.2f | %+.2f%s | %ld | "
                    "%s |\n",
                    r.name.c_str(), r.seconds_budget, r.cpu_s, r.density,
                    r.rectangles ? "L = " : "", r.reference,
                    r.rectangles ? gap : -gap, r.rectangles ? " %" : "",
                    r.evaluations, r.sound ? "yes" : "NO");
    }
}

}  // namespace

int main(int argc, char** argv)
{
    add_shapes();
    add_rectangles();
    add_separations();
    add_decodes();
    add_labels();
    add_sheets();
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    print_table();
    return 0;
}
