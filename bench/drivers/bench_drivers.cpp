// SPDX-License-Identifier: AGPL-3.0-or-later
// Encode throughput of the rtl and tiff drivers, in MB/s of screened dots,
// beside the screening stage that feeds them, in one run.
//
// Each run streams one sheet of 4 inks through the real module (loaded by
// the host from RIPLINE_DRIVER_DIR) into a temp folder, band by band, as
// the pipeline does: in the render's process ("isolated:0") or through a
// ripline-driver-host process ("isolated:1", the default of renders),
// which adds a copy of each band into shared memory and a round trip per
// call. Input: an ordered-dither halftone of a smooth gradient (what a
// screen makes of photos and tints) or white noise (the worst case for
// every row compression). memcpy of the same bytes runs beside them as
// the floor. "ratio" is input bytes over output bytes. Times are wall
// clock: a driver process's work is not on the render's CPU clock.
//
// BM_screen screens the same sheet's contone (one byte per dot and ink)
// with the shipped screens; its MB/s counts contone bytes. Every bench
// also reports items/s = dots of the sheet (all inks), the one unit in
// which the stages compare directly.
#include "core/common/log.hpp"
#include "core/screen/screen.hpp"
#include "plugins/driver_job.hpp"
#include "plugins/driver_stream.hpp"
#include "plugins/host.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace ripline;

namespace {

bool smoke()
{
    return std::getenv("RIPLINE_BENCH_SMOKE") != nullptr;
}

// The sheet: 7200 x 2048 dots (25 cm at 720 dpi), smoke: 256 x 64.
struct Sheet {
    int width = smoke() ? 256 : 7200;
    int height = smoke() ? 64 : 2048;
    int bits;
    size_t stride;
    std::vector<std::vector<uint8_t>> planes;

    Sheet(int bits_per_dot, bool noise) : bits(bits_per_dot)
    {
        stride = (size_t(width) * size_t(bits) + 7) / 8;
        std::mt19937 random(7);
        for (int ink = 0; ink < 4; ++ink) {
            std::vector<uint8_t> plane(stride * size_t(height), 0);
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x) {
                    unsigned level =
                        noise ? random() % (1u << bits) : dither(ink, x, y);
                    set_dot(plane.data() + size_t(y) * stride, x, level);
                }
            planes.push_back(std::move(plane));
        }
    }

    size_t bytes() const { return planes.size() * stride * size_t(height); }
    long long dots() const { return 4LL * width * height; }

    // The smooth tone the halftone was made of, 0-1.
    static double tone(int ink, int x, int y)
    {
        return 0.5 + 0.5 * std::sin((x + 2 * y) * 0.002 + ink);
    }

private:
    // Bayer 8x8 of a diagonal gradient that differs per ink.
    unsigned dither(int ink, int x, int y) const
    {
        static const int bayer[8][8] = {
            {0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26},
            {12, 44, 4, 36, 14, 46, 6, 38}, {60, 28, 52, 20, 62, 30, 54, 22},
            {3, 35, 11, 43, 1, 33, 9, 41},  {51, 19, 59, 27, 49, 17, 57, 25},
            {15, 47, 7, 39, 13, 45, 5, 37}, {63, 31, 55, 23, 61, 29, 53, 21}};
        double levels = double((1 << bits) - 1);
        double value = tone(ink, x, y) * levels;
        double fraction = value - std::floor(value);
        unsigned base = unsigned(std::floor(value));
        return base + (fraction * 64 > bayer[y & 7][x & 7] ? 1 : 0);
    }

    void set_dot(uint8_t* row, int x, unsigned level) const
    {
        level = std::min(level, (1u << bits) - 1);
        if (bits == 1)
            row[x >> 3] |= uint8_t(level << (7 - (x & 7)));
        else
            row[x >> 2] |= uint8_t(level << (6 - 2 * (x & 3)));
    }
};

plugins::Host& host()
{
    static Log log;
    static plugins::Host instance(log);
    static bool loaded = [] {
        instance.add_search_path(RIPLINE_DRIVER_DIR);
        instance.load();
        return true;
    }();
    (void)loaded;
    return instance;
}

// One sheet through DRIVER, bands of 64 rows.
void encode_sheet(const plugins::DriverModule& module, const Sheet& sheet,
                  const fs::path& dir,
                  const std::map<std::string, std::string>& options,
                  plugins::Isolation isolation)
{
    static Log log;
    const char* inks[] = {"C", "M", "Y", "K"};
    rl_driver_job_info info{sizeof info, "bench",    "bench", "bench", 4,
                            inks,        sheet.bits, 720,     720};
    auto stream = plugins::open_driver_stream(module, dir.string(), options,
                                              info, log, isolation,
                                              host().driver_host());
    plugins::DriverStream& job = *stream;
    rl_driver_sheet s{sizeof s,
                      0,
                      sheet.width,
                      sheet.height,
                      sheet.width * 25.4 / 720,
                      sheet.height * 25.4 / 720};
    job.begin_sheet(s);
    for (int y = 0; y < sheet.height; y += 64) {
        const uint8_t* rows[4];
        for (int i = 0; i < 4; ++i)
            rows[i] = sheet.planes[size_t(i)].data() + size_t(y) * sheet.stride;
        rl_driver_band band{
            sizeof band,  y,   std::min(64, sheet.height - y), sheet.width,
            sheet.stride, rows};
        job.write_band(band);
    }
    job.end_sheet();
    job.finish();
}

// Args: bits per dot, 1 for noise, 1 for a driver process.
void bench_driver(benchmark::State& state, const char* id,
                  const std::map<std::string, std::string>& options = {})
{
    const plugins::DriverModule* module = host().find(id);
    if (!module) {
        state.SkipWithError("driver module not found");
        return;
    }
    Sheet sheet(int(state.range(0)), state.range(1) != 0);
    const auto isolation = state.range(2) ? plugins::Isolation::process
                                          : plugins::Isolation::in_process;
    fs::path dir =
        fs::temp_directory_path() /
        ("ripline-bench-" + std::string(id) + "-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    uintmax_t written = 0;
    for (auto _ : state) {
        encode_sheet(*module, sheet, dir, options, isolation);
        state.PauseTiming();
        written = 0;
        for (const auto& entry : fs::directory_iterator(dir))
            written += entry.file_size();
        fs::remove_all(dir);
        fs::create_directories(dir);
        state.ResumeTiming();
    }
    fs::remove_all(dir);
    state.SetBytesProcessed(int64_t(state.iterations()) *
                            int64_t(sheet.bytes()));
    state.SetItemsProcessed(int64_t(state.iterations()) * sheet.dots());
    state.counters["ratio"] = double(sheet.bytes()) / double(written);
}

void BM_rtl(benchmark::State& state)
{
    bench_driver(state, "rtl");
}
void BM_tiff(benchmark::State& state)
{
    bench_driver(state, "tiff");
}
void BM_tiff_deflate(benchmark::State& state)
{
    bench_driver(state, "tiff", {{"compression", "deflate"}});
}

void BM_memcpy(benchmark::State& state)
{
    Sheet sheet(int(state.range(0)), state.range(1) != 0);
    std::vector<uint8_t> target(sheet.stride * size_t(sheet.height));
    for (auto _ : state) {
        for (const auto& plane : sheet.planes)
            std::memcpy(target.data(), plane.data(), target.size());
        benchmark::DoNotOptimize(target.data());
    }
    state.SetBytesProcessed(int64_t(state.iterations()) *
                            int64_t(sheet.bytes()));
}

// The screening stage on the same sheet: 4 inks of contone tone, bands
// of 64 rows, through the public Screener as the pipeline calls it.
// Args: bits per dot; the screen is the capture's type.
void BM_screen(benchmark::State& state, const char* type)
{
    const int bits = int(state.range(0));
    Sheet shape(bits, false);
    screen::ScreenSpec spec;
    spec.type = type;
    spec.bits = bits;
    if (bits == 2)
        spec.drop_volumes = {0.25, 0.5, 1.0};
    auto screener = screen::Screener::create(spec, 4, 720, 720,
                                             RIPLINE_PROFILE_DIR, true);
    const int width = shape.width, rows = 64;
    std::vector<std::vector<uint8_t>> contone(4);
    for (int ink = 0; ink < 4; ++ink)
        for (int y = 0; y < shape.height; ++y)
            for (int x = 0; x < width; ++x)
                contone[size_t(ink)].push_back(
                    uint8_t(255 * Sheet::tone(ink, x, y)));
    std::vector<uint8_t> dots(shape.stride * size_t(rows));
    for (auto _ : state) {
        screener->begin_sheet(width);
        for (int y = 0; y < shape.height; y += rows)
            for (int ink = 0; ink < 4; ++ink)
                screener->screen_plane(
                    ink, contone[size_t(ink)].data() + size_t(y) * width,
                    size_t(width), width, y, std::min(rows, shape.height - y),
                    dots.data(), shape.stride);
        benchmark::DoNotOptimize(dots.data());
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * shape.dots());
    state.SetItemsProcessed(int64_t(state.iterations()) * shape.dots());
}

} // namespace

BENCHMARK(BM_rtl)
    ->ArgNames({"bits", "noise", "isolated"})
    ->Args({1, 0, 0})
    ->Args({1, 0, 1})
    ->Args({2, 0, 0})
    ->Args({2, 0, 1})
    ->Args({1, 1, 0})
    ->Args({1, 1, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tiff)
    ->ArgNames({"bits", "noise", "isolated"})
    ->Args({1, 0, 0})
    ->Args({1, 0, 1})
    ->Args({2, 0, 0})
    ->Args({2, 0, 1})
    ->Args({1, 1, 0})
    ->Args({1, 1, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tiff_deflate)
    ->ArgNames({"bits", "noise", "isolated"})
    ->Args({1, 0, 0})
    ->Args({1, 0, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_screen, bluenoise, "bluenoise")
    ->ArgNames({"bits"})
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_screen, am, "am")
    ->ArgNames({"bits"})
    ->Arg(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_memcpy)
    ->ArgNames({"bits", "noise"})
    ->Args({1, 0})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
