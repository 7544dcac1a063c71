// SPDX-License-Identifier: AGPL-3.0-or-later
// The colour stage against LittleCMS's cmsDoTransform on the same band in
// the same run: RGB -> CMYK, CMYK -> CMYK, and RGB -> a 6-ink mode. Each
// ripline case also reports its dE00 against LittleCMS's floating-point
// transform (counters dE00_mean, dE00_max) over the band it timed. The
// band_color cases time the whole band stage with and without a spot
// plane painted into its own ink (then counted in the total ink limit),
// at 8 bits and at 16 (contone_bits 16).
#include "core/color/band_color.hpp"
#include "core/color/chain_lut.hpp"

#include <benchmark/benchmark.h>
#include <lcms2.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace ripline::color;

namespace {

const char* const source_cmyk =
    "/usr/share/color/icc/ghostscript/default_cmyk.icc";

bool smoke()
{
    const char* env = std::getenv("RIPLINE_BENCH_SMOKE");
    return env && env[0] == '1';
}

// One band: 4096 x 32 random pixels (random defeats LittleCMS's
// one-pixel cache, as a photo's noise does), interleaved and planar.
struct Band {
    size_t pixels;
    int channels;
    std::vector<uint8_t> chunky, planar;
    const uint8_t* planes[4];

    explicit Band(int n) : pixels(smoke() ? 512 : 4096 * 32), channels(n)
    {
        std::mt19937 rng(1234);
        chunky.resize(pixels * n);
        planar.resize(pixels * n);
        for (size_t i = 0; i < pixels; ++i)
            for (int c = 0; c < n; ++c)
                planar[c * pixels + i] = chunky[i * n + c] = uint8_t(rng());
        for (int c = 0; c < n; ++c)
            planes[c] = &planar[c * pixels];
    }
};

struct Output {
    std::vector<uint8_t> bytes;
    std::vector<uint8_t*> planes;
    Output(size_t pixels, int n) : bytes(pixels * n), planes(n)
    {
        for (int c = 0; c < n; ++c)
            planes[c] = &bytes[c * pixels];
    }
};

const PrintMode& mode(const std::string& name)
{
    static std::map<std::string, PrintMode> modes;
    auto it = modes.find(name);
    if (it == modes.end())
        it = modes.emplace(name, load_print_mode(std::string(
                                     RIPLINE_PROFILE_DIR) + "/printmodes/"
                                     + name)).first;
    return it->second;
}

Profile source_profile(int channels)
{
    return channels == 3 ? Profile::srgb() : Profile::open(source_cmyk);
}

cmsHTRANSFORM lcms_transform(const Profile& source, const PrintMode& m,
                             bool floating)
{
    static std::map<std::string, Profile> outputs;
    auto it = outputs.find(m.output_profile.string());
    if (it == outputs.end())
        it = outputs.emplace(m.output_profile.string(),
                             Profile::open(m.output_profile)).first;
    int n = source.space() == Space::rgb ? 3 : 4;
    cmsUInt32Number in = floating ? (n == 3 ? TYPE_RGB_FLT : TYPE_CMYK_FLT)
                                  : (n == 3 ? TYPE_RGB_8 : TYPE_CMYK_8);
    return cmsCreateTransform(
        source.handle(), in, it->second.handle(),
        floating ? TYPE_CMYK_FLT : TYPE_CMYK_8,
        cmsUInt32Number(m.image_intent),
        m.black_point_compensation ? cmsFLAGS_BLACKPOINTCOMPENSATION : 0);
}

// dE00 of 8-bit CMYK planes against LittleCMS's float transform.
void report_delta(benchmark::State& state, const Band& band,
                  const Profile& source, const PrintMode& m,
                  const Output& out)
{
    cmsHTRANSFORM exact = lcms_transform(source, m, true);
    Profile output = Profile::open(m.output_profile);
    cmsHPROFILE lab = cmsCreateLab4Profile(nullptr);
    cmsHTRANSFORM to_lab = cmsCreateTransform(
        output.handle(), TYPE_CMYK_FLT, lab, TYPE_Lab_DBL,
        INTENT_RELATIVE_COLORIMETRIC, 0);
    double sum = 0, worst = 0;
    size_t n = std::min<size_t>(band.pixels, 20000);
    float scale = band.channels == 3 ? 1.0f / 255 : 100.0f / 255;
    for (size_t i = 0; i < n; ++i) {
        float in[4], cmyk[8];
        for (int c = 0; c < band.channels; ++c)
            in[c] = band.planes[c][i] * scale;
        cmsDoTransform(exact, in, cmyk, 1);
        for (int c = 0; c < 4; ++c)
            cmyk[4 + c] = out.planes[c][i] * (100.0f / 255);
        cmsCIELab e[2];
        cmsDoTransform(to_lab, cmyk, e, 2);
        double d = cmsCIE2000DeltaE(&e[0], &e[1], 1, 1, 1);
        sum += d;
        worst = std::max(worst, d);
    }
    state.counters["dE00_mean"] = sum / double(n);
    state.counters["dE00_max"] = worst;
    cmsDeleteTransform(to_lab);
    cmsCloseProfile(lab);
    cmsDeleteTransform(exact);
}

void finish(benchmark::State& state, size_t pixels)
{
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(pixels));
    state.counters["Mpx/s"] = benchmark::Counter(
        double(state.iterations()) * double(pixels) / 1e6,
        benchmark::Counter::kIsRate);
}

// LittleCMS's 8-bit transform, interleaved in and out, as tificc runs it.
void lcms_case(benchmark::State& state, int channels, const char* name)
{
    Band band(channels);
    Profile source = source_profile(channels);
    cmsHTRANSFORM t = lcms_transform(source, mode(name), false);
    std::vector<uint8_t> out(band.pixels * 4);
    for (auto _ : state) {
        cmsDoTransform(t, band.chunky.data(), out.data(),
                       cmsUInt32Number(band.pixels));
        benchmark::DoNotOptimize(out.data());
    }
    cmsDeleteTransform(t);
    finish(state, band.pixels);
}

// ripline's table, interleaved in and out, as an image pixmap converts.
void chunky_case(benchmark::State& state, int channels, const char* name)
{
    Band band(channels);
    Profile source = source_profile(channels);
    const PrintMode& m = mode(name);
    ChainLut lut(source, m, m.image_intent, LutOutput::profile);
    std::vector<uint8_t> out(band.pixels * 4);
    for (auto _ : state) {
        lut.run_chunky(band.chunky.data(), channels, out.data(), 4,
                       band.pixels);
        benchmark::DoNotOptimize(out.data());
    }
    finish(state, band.pixels);
}

// ripline's table, planar or interleaved input, SIMD or scalar.
void ripline_case(benchmark::State& state, int channels, const char* name,
                  LutOutput what, bool interleaved, bool simd)
{
    Band band(channels);
    Profile source = source_profile(channels);
    const PrintMode& m = mode(name);
    ChainLut lut(source, m, m.image_intent, what);
    Output out(band.pixels, lut.out_channels());
    set_simd_disabled(!simd);
    for (auto _ : state) {
        if (interleaved)
            lut.run_interleaved(band.chunky.data(), channels,
                                out.planes.data(), band.pixels);
        else
            lut.run(band.planes, out.planes.data(), band.pixels);
        benchmark::DoNotOptimize(out.bytes.data());
    }
    set_simd_disabled(false);
    finish(state, band.pixels);
    if (what == LutOutput::profile)
        report_delta(state, band, source, m, out);
}

// The band chain alone: output CMYK planes to the 6 inks.
void chain_case(benchmark::State& state, bool simd)
{
    Band band(4);
    InkChain chain(mode("cmykcm-6ink.json"));
    Output out(band.pixels, chain.ink_count());
    set_simd_disabled(!simd);
    for (auto _ : state) {
        chain.apply(band.planes, 0, out.planes.data(), 0,
                    int(band.pixels), 1);
        benchmark::DoNotOptimize(out.bytes.data());
    }
    set_simd_disabled(false);
    finish(state, band.pixels);
}

// The band stage of MODE_NAME at BITS (8, or 16 as contone_bits 16
// runs it): process planes (random, so a third of the dots are over the
// total) and, with SPOTS, one Orange plane at full tint over half the
// band, added to the Or ink and limited.
template <typename T>
void band_color_at(benchmark::State& state, const char* mode_name,
                   bool spots)
{
    Band band(4);
    const PrintMode& m = mode(mode_name);
    Profile output = Profile::open(m.output_profile);
    BandColor color(m, output);
    std::vector<uint8_t> tint(band.pixels, 0);
    std::fill(tint.begin(), tint.begin() + band.pixels / 2, 255);
    SpotPlane plane{tint.data(), 0};
    if (spots)
        color.add_spot("Orange", std::nullopt);
    const int inks = int(m.inks.size());
    std::vector<T> out(band.pixels * inks);
    std::vector<uint16_t> wide(band.pixels * 4);
    std::vector<T*> out_planes(inks);
    std::vector<uint16_t*> wide_planes(4);
    for (int i = 0; i < inks; ++i)
        out_planes[i] = &out[i * band.pixels];
    for (int c = 0; c < 4; ++c)
        wide_planes[c] = &wide[c * band.pixels];
    std::vector<uint8_t> process(band.planar);
    uint8_t* planes[4];
    for (auto _ : state) {
        // run() overprints process spots in place; start each pass fresh.
        std::copy(band.planar.begin(), band.planar.end(), process.begin());
        for (int c = 0; c < 4; ++c)
            planes[c] = &process[c * band.pixels];
        if constexpr (sizeof(T) == 1)
            color.run(planes, 0, &plane, out_planes.data(), 0,
                      int(band.pixels), 1);
        else
            color.run(planes, 0, &plane, wide_planes.data(),
                      out_planes.data(), 0, int(band.pixels), 1);
        benchmark::DoNotOptimize(out.data());
    }
    finish(state, band.pixels);
}

void band_color_case(benchmark::State& state, const char* mode_name,
                     bool spots, int bits)
{
    if (bits == 16)
        band_color_at<uint16_t>(state, mode_name, spots);
    else
        band_color_at<uint8_t>(state, mode_name, spots);
}

const char* const cmyk = "cmyk-720.json";
const char* const six = "cmykcm-6ink.json";

}  // namespace

BENCHMARK_CAPTURE(lcms_case, rgb8_cmyk8, 3, cmyk)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(ripline_case, rgb8_cmyk8_planar, 3, cmyk,
                  LutOutput::profile, false, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(ripline_case, rgb8_cmyk8_chunky, 3, cmyk,
                  LutOutput::profile, true, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(chunky_case, rgb8_cmyk8_chunky_to_chunky, 3, cmyk)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(ripline_case, rgb8_cmyk8_planar_scalar, 3, cmyk,
                  LutOutput::profile, false, false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(ripline_case, rgb8_inks_cmyk_mode, 3, cmyk,
                  LutOutput::inks, false, true)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(lcms_case, cmyk8_cmyk8, 4, cmyk)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(ripline_case, cmyk8_cmyk8_planar, 4, cmyk,
                  LutOutput::profile, false, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(ripline_case, cmyk8_cmyk8_chunky, 4, cmyk,
                  LutOutput::profile, true, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(chunky_case, cmyk8_cmyk8_chunky_to_chunky, 4, cmyk)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(ripline_case, cmyk8_cmyk8_planar_scalar, 4, cmyk,
                  LutOutput::profile, false, false)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(ripline_case, rgb8_6ink, 3, six, LutOutput::inks, false,
                  true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(ripline_case, rgb8_6ink_scalar, 3, six, LutOutput::inks,
                  false, false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(ripline_case, cmyk8_6ink, 4, six, LutOutput::inks, false,
                  true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(chain_case, cmyk_planes_6ink, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(chain_case, cmyk_planes_6ink_scalar, false)
    ->Unit(benchmark::kMillisecond);

const char* const spot_mode = "cmykorgr-spots.json";

BENCHMARK_CAPTURE(band_color_case, band_cmykorgr_no_spot,
                  spot_mode, false, 8)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(band_color_case, band_cmykorgr_orange_plane,
                  spot_mode, true, 8)
    ->Unit(benchmark::kMillisecond);
// 16-bit contone against the 8-bit path above, the same band.
BENCHMARK_CAPTURE(band_color_case, band_cmykorgr_orange_plane_16,
                  spot_mode, true, 16)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(band_color_case, band_6ink_8, six, false, 8)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(band_color_case, band_6ink_16, six, false, 16)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
