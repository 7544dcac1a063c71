// SPDX-License-Identifier: AGPL-3.0-or-later
// bench_e2e: ripline, gs -sDEVICE=tiffsep1 and mutool draw on the same
// PDFs at the same dpi, in one run, with the ratios printed at the end.
#include "bench/pipeline/bench_common.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace ripline::bench;

struct File {
    const char* name;
    double width_mm; // the page width, so every tool renders the same dots
};

const std::vector<File> files = {
    {"tiger.pdf", 550 / 72.0 * 25.4},
    {"text_graph_image_cmyk_rgb.pdf", 612 / 72.0 * 25.4},
    {"annots.pdf", 612 / 72.0 * 25.4},
};

struct Result {
    double seconds = 0;
    double rss_mib = 0;
};

std::map<std::string, std::map<std::string, Result>> results;
std::map<std::string, long long> dots; // per file, from ripline's render

double dpi() { return smoke() ? 72 : 720; }

fs::path pdf(const File& file)
{
    return fs::path(RIPLINE_DATASETS_DIR) / "pdf" / file.name;
}

// Time COMMAND under /usr/bin/time to read the peer's peak memory too.
void time_peer(benchmark::State& state, const File& file,
               const std::string& tool, const std::string& command)
{
    const fs::path dir = scratch(tool);
    const fs::path rss = dir / "rss.txt";
    for (auto _ : state) {
        if (!run("/usr/bin/time -f %M -o " + rss.string() + " " + command +
                 " " + pdf(file).string())) {
            state.SkipWithError((tool + " failed or is not installed")
                                    .c_str());
            return;
        }
    }
    long kib = 0;
    std::ifstream(rss) >> kib;
    results[file.name][tool].rss_mib = kib / 1024.0;
}

void bm_ripline(benchmark::State& state, File file)
{
    const fs::path dir = scratch("ripline");
    const fs::path device = roll_device(dir, file.width_mm, dpi());
    rl_render_stats stats{};
    for (auto _ : state)
        stats = render(pdf(file), device, dir / "out");
    dots[file.name] = stats.dots;
    results[file.name]["ripline"].rss_mib = peak_rss_mib();
    state.counters["Mpx/s"] = benchmark::Counter(
        stats.dots / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}

void bm_gs(benchmark::State& state, File file)
{
    const fs::path dir = scratch("gs");
    char r[16];
    std::snprintf(r, sizeof r, "-r%g", dpi());
    time_peer(state, file, "gs",
              std::string("gs -q -dSAFER -dBATCH -dNOPAUSE ") + r +
                  " -sDEVICE=tiffsep1 -o " + (dir / "out_%03d.tif").string());
    state.counters["Mpx/s"] = benchmark::Counter(
        dots[file.name] / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}

void bm_mutool(benchmark::State& state, File file)
{
    const fs::path dir = scratch("mutool");
    char r[16];
    std::snprintf(r, sizeof r, "%g", dpi());
    time_peer(state, file, "mutool",
              std::string("mutool draw -q -r ") + r + " -o " +
                  (dir / "out_%d.pkm").string());
    state.counters["Mpx/s"] = benchmark::Counter(
        dots[file.name] / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}

// Keeps each run's real time per iteration, for the ratio table.
class Collector : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        for (const Run& run : runs) {
            const std::string name = run.benchmark_name();
            const size_t slash = name.find('/');
            const std::string tool = name.substr(3, slash - 3);
            const std::string file =
                name.substr(slash + 1, name.find('/', slash + 1) - slash - 1);
            results[file][tool].seconds =
                run.GetAdjustedRealTime() / 1e3; // ms
        }
        ConsoleReporter::ReportRuns(runs);
    }
};

void print_ratios()
{
    std::printf("\n%-32s %10s %10s %10s %9s %9s %8s %8s %8s\n", "file",
                "ripline", "gs", "mutool", "r/gs", "r/mutool", "rss r",
                "rss gs", "rss mu");
    for (const File& file : files) {
        auto& r = results[file.name];
        const double mpx = dots[file.name] / 1e6;
        auto rate = [&](const char* tool) {
            return r[tool].seconds > 0 ? mpx / r[tool].seconds : 0;
        };
        std::printf("%-32s %7.1f/s %7.1f/s %7.1f/s %8.2fx %8.2fx %6.0fM "
                    "%6.0fM %6.0fM\n",
                    file.name, rate("ripline"), rate("gs"), rate("mutool"),
                    rate("gs") > 0 ? rate("ripline") / rate("gs") : 0,
                    rate("mutool") > 0 ? rate("ripline") / rate("mutool") : 0,
                    r["ripline"].rss_mib, r["gs"].rss_mib,
                    r["mutool"].rss_mib);
    }
    std::printf("(Mpx/s of device pixels at %g dpi, wall time; rss = peak "
                "resident MiB, ripline's is this whole process)\n",
                dpi());
}

}  // namespace

int main(int argc, char** argv)
{
    const int iterations = smoke() ? 1 : 3;
    using Bench = void (*)(benchmark::State&, File);
    const std::pair<const char*, Bench> tools[] = {
        {"ripline", bm_ripline}, {"gs", bm_gs}, {"mutool", bm_mutool}};
    for (const File& file : files) {
        for (auto [tool, fn] : tools)
            benchmark::RegisterBenchmark(
                (std::string("bm_") + tool + "/" + file.name).c_str(), fn,
                file)
                ->Iterations(iterations)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
    }
    benchmark::Initialize(&argc, argv);
    Collector reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    print_ratios();
    benchmark::Shutdown();
    return 0;
}
