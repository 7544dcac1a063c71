// SPDX-License-Identifier: AGPL-3.0-or-later
// Screening throughput per ink band, measured beside memcpy of that band.
#include "core/screen/screen.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

using ripline::screen::Screener;
using ripline::screen::ScreenSpec;

namespace {

// One band of one ink: a 22-inch roll at 720 dpi, 64 rows; tiny under
// RIPLINE_BENCH_SMOKE so CI only proves the benches run.
struct Band {
    int width = 16384;
    int rows = 64;
    std::vector<uint8_t> contone;
    std::vector<uint16_t> contone16; // the same tones, 16-bit
    std::vector<uint8_t> copy;
    std::vector<uint8_t> dots;

    Band()
    {
        if (std::getenv("RIPLINE_BENCH_SMOKE")) {
            width = 300;
            rows = 4;
        }
        // Photo-like content: smooth tones with some texture.
        contone.resize(size_t(width) * rows);
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < width; ++x)
                contone[size_t(y) * width + x] =
                    uint8_t(127 + 100 * std::sin(x * 0.003 + y * 0.01) +
                            20 * std::sin(x * 0.7));
        for (uint8_t c : contone)
            contone16.push_back(uint16_t(c * 257));
        copy.resize(contone.size());
        dots.resize(contone.size());
    }

    int64_t bytes() const { return int64_t(width) * rows; }
};

Band& band()
{
    static Band b;
    return b;
}

void bm_memcpy(benchmark::State& state)
{
    Band& b = band();
    for (auto _ : state) {
        std::memcpy(b.copy.data(), b.contone.data(), b.contone.size());
        benchmark::DoNotOptimize(b.copy.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * b.bytes());
}

// Screens the band for ink 0 through the public Screener, as the
// pipeline does; error diffusion carries its state across iterations as
// it would across the bands of a long sheet.
void bm_screen(benchmark::State& state, ScreenSpec spec, bool simd)
{
    Band& b = band();
    auto screener =
        Screener::create(spec, 4, 720, 720, RIPLINE_PROFILE_DIR, simd);
    size_t stride = (size_t(b.width) * spec.bits + 7) / 8;
    screener->begin_sheet(b.width);
    int y = 0;
    for (auto _ : state) {
        screener->screen_plane(0, b.contone.data(), b.width, b.width, y, b.rows,
                               b.dots.data(), stride);
        y += b.rows;
        benchmark::DoNotOptimize(b.dots.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * b.bytes());
    state.SetItemsProcessed(state.iterations() * b.bytes());
}

// The same from 16-bit contone; bytes counted are the 16-bit input's.
void bm_screen16(benchmark::State& state, ScreenSpec spec)
{
    Band& b = band();
    auto screener =
        Screener::create(spec, 4, 720, 720, RIPLINE_PROFILE_DIR, true);
    size_t stride = (size_t(b.width) * spec.bits + 7) / 8;
    screener->begin_sheet(b.width);
    int y = 0;
    for (auto _ : state) {
        screener->screen_plane16(0, b.contone16.data(), b.width, b.width, y,
                                 b.rows, b.dots.data(), stride);
        y += b.rows;
        benchmark::DoNotOptimize(b.dots.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * 2 * b.bytes());
    state.SetItemsProcessed(state.iterations() * b.bytes());
}

ScreenSpec spec(const char* type, int bits)
{
    ScreenSpec s;
    s.type = type;
    s.bits = bits;
    if (bits == 2)
        s.drop_volumes = {0.25, 0.5, 1.0};
    return s;
}

} // namespace

BENCHMARK(bm_memcpy);
BENCHMARK_CAPTURE(bm_screen, bluenoise_1bit, spec("bluenoise", 1), true);
BENCHMARK_CAPTURE(bm_screen, bluenoise_1bit_scalar, spec("bluenoise", 1),
                  false);
BENCHMARK_CAPTURE(bm_screen, bluenoise_2bit, spec("bluenoise", 2), true);
BENCHMARK_CAPTURE(bm_screen, bluenoise_2bit_scalar, spec("bluenoise", 2),
                  false);
BENCHMARK_CAPTURE(bm_screen16, bluenoise_1bit_16, spec("bluenoise", 1));
BENCHMARK_CAPTURE(bm_screen16, bluenoise_2bit_16, spec("bluenoise", 2));
BENCHMARK_CAPTURE(bm_screen, am_1bit, spec("am", 1), true);
BENCHMARK_CAPTURE(bm_screen, am_2bit, spec("am", 2), true);
BENCHMARK_CAPTURE(bm_screen, fs_1bit, spec("fs", 1), true);
BENCHMARK_CAPTURE(bm_screen, fs_2bit, spec("fs", 2), true);
BENCHMARK_CAPTURE(bm_screen, jarvis_1bit, spec("jarvis", 1), true);
BENCHMARK_CAPTURE(bm_screen, jarvis_2bit, spec("jarvis", 2), true);

namespace {

// The console table, then each screen's speed in bytes of contone per
// second as a share of memcpy's from the same run (pixels per second are
// in the table: items_per_second).
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            auto it = run.counters.find("bytes_per_second");
            if (it != run.counters.end() && !run.error_occurred)
                speeds_.emplace_back(run.benchmark_name(), it->second);
        }
    }

    void Finalize() override
    {
        ConsoleReporter::Finalize();
        double copy = 0;
        for (const auto& [name, speed] : speeds_)
            if (name.rfind("bm_memcpy", 0) == 0)
                copy = speed;
        if (copy <= 0)
            return;
        std::printf("\nscreen speed vs memcpy of the same band "
                    "(%.2f GB/s):\n",
                    copy / 1e9);
        for (const auto& [name, speed] : speeds_)
            if (name.rfind("bm_memcpy", 0) != 0)
                std::printf("  %-40s %6.1f%%  %8.1f MB/s\n", name.c_str(),
                            100 * speed / copy, speed / 1e6);
    }

private:
    std::vector<std::pair<std::string, double>> speeds_;
};

} // namespace

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
