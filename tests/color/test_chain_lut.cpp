// SPDX-License-Identifier: AGPL-3.0-or-later
// The chain LUT against LittleCMS's direct transform of the same chain
// (dE00 over a dense sample of the input gamut), its SIMD kernels against
// the scalar reference on every compiled target, and the cache.
#include "core/color/chain_lut.hpp"
#include "core/color/planes.hpp"

#include "color_test_util.hpp"

#include <catch2/catch.hpp>
#include <hwy/targets.h>
#include <lcms2.h>

#include <cstdio>
#include <random>

using namespace ripline::color;

namespace {

const char* const default_cmyk =
    "/usr/share/color/icc/ghostscript/default_cmyk.icc";

// LittleCMS's own floating-point transform, the reference.
class Direct {
public:
    Direct(const Profile& source, const PrintMode& mode, Intent intent)
        : output_(Profile::open(mode.output_profile))
    {
        in_fmt_ = cmsFormatterForColorspaceOfProfile(source.handle(), 4, 1);
        transform_ = cmsCreateTransform(
            source.handle(), in_fmt_, output_.handle(), TYPE_CMYK_FLT,
            cmsUInt32Number(intent),
            cmsFLAGS_NOCACHE | (mode.black_point_compensation
                                    ? cmsFLAGS_BLACKPOINTCOMPENSATION
                                    : 0));
    }
    ~Direct() { cmsDeleteTransform(transform_); }

    // One 8-bit source pixel to output CMYK, 0..1.
    void operator()(const uint8_t* px, int channels, float* cmyk) const
    {
        float scale = T_COLORSPACE(in_fmt_) == PT_CMYK ? 100.0f / 255
                                                        : 1.0f / 255;
        float in[4];
        for (int c = 0; c < channels; ++c)
            in[c] = px[c] * scale;
        cmsDoTransform(transform_, in, cmyk, 1);
        for (int c = 0; c < 4; ++c)
            cmyk[c] /= 100;
    }

private:
    Profile output_;
    cmsUInt32Number in_fmt_;
    cmsHTRANSFORM transform_;
};

// Planar pixels of every STEP-th code along each of CHANNELS axes.
std::vector<std::vector<uint8_t>> grid_sample(int channels, int step)
{
    std::vector<int> codes;
    for (int v = 0; v < 255; v += step)
        codes.push_back(v);
    codes.push_back(255);
    std::vector<std::vector<uint8_t>> planes(channels);
    std::vector<size_t> at(channels, 0);
    for (;;) {
        for (int c = 0; c < channels; ++c)
            planes[c].push_back(uint8_t(codes[at[c]]));
        int c = 0;
        while (c < channels && ++at[c] == codes.size())
            at[c++] = 0;
        if (c == channels)
            return planes;
    }
}

struct Stats {
    double mean = 0, max = 0;
};

// dE00 between the table (16-bit out) and the direct transform.
Stats compare_profile_output(const Profile& source, const PrintMode& mode,
                             Intent intent, int step)
{
    ChainLut lut(source, mode, intent, LutOutput::profile);
    Direct direct(source, mode, intent);
    test::CmykDelta delta(mode.output_profile);
    int channels = lut.in_channels();
    auto planes = grid_sample(channels, step);
    size_t count = planes[0].size();
    std::vector<std::vector<uint16_t>> out(4, std::vector<uint16_t>(count));
    const uint8_t* in[4];
    uint16_t* out_planes[4];
    for (int c = 0; c < channels; ++c)
        in[c] = planes[c].data();
    for (int c = 0; c < 4; ++c)
        out_planes[c] = out[c].data();
    lut.run(in, out_planes, count);

    Stats s;
    for (size_t i = 0; i < count; ++i) {
        uint8_t px[4];
        float want[4], got[4];
        for (int c = 0; c < channels; ++c)
            px[c] = planes[c][i];
        direct(px, channels, want);
        for (int c = 0; c < 4; ++c)
            got[c] = out[c][i] / 65535.0f;
        double e = delta(want, got);
        s.mean += e;
        s.max = std::max(s.max, e);
    }
    s.mean /= double(count);
    return s;
}

}  // namespace

TEST_CASE("sRGB to FOGRA39L through the table stays within dE00 0.5/2")
{
    PrintMode mode = load_print_mode(test::mode_path("cmyk-720.json"));
    for (Intent intent : {Intent::perceptual, Intent::relative}) {
        Stats s = compare_profile_output(Profile::srgb(), mode, intent, 5);
        INFO(intent_name(intent) << ": mean dE00 " << s.mean << " max "
                                 << s.max);
        CHECK(s.mean <= 0.5);
        CHECK(s.max <= 2.0);
    }
}

TEST_CASE("CMYK to FOGRA39L through the table stays within dE00 0.5/2")
{
    PrintMode mode = load_print_mode(test::mode_path("cmyk-720.json"));
    Profile source = Profile::open(default_cmyk);
    Stats s = compare_profile_output(source, mode, Intent::relative, 15);
    INFO("mean dE00 " << s.mean << " max " << s.max);
    CHECK(s.mean <= 0.5);
    CHECK(s.max <= 2.0);
}

TEST_CASE("the 6-ink table is the chain on the grid's CMYK")
{
    // The grid gives CMYK (checked by dE above); the split, curves and
    // limits after it must be the chain's own, within a step.
    PrintMode mode = load_print_mode(test::mode_path("cmykcm-6ink.json"));
    ChainLut inks(Profile::srgb(), mode, Intent::perceptual,
                  LutOutput::inks);
    ChainLut cmyk(Profile::srgb(), mode, Intent::perceptual,
                  LutOutput::profile);
    REQUIRE(inks.out_channels() == 6);
    InkChain chain(mode);
    Direct direct(Profile::srgb(), mode, Intent::perceptual);
    auto planes = grid_sample(3, 7);
    size_t count = planes[0].size();
    std::vector<std::vector<uint16_t>> out(6, std::vector<uint16_t>(count));
    std::vector<std::vector<uint16_t>> grid(4, std::vector<uint16_t>(count));
    const uint8_t* in[3] = {planes[0].data(), planes[1].data(),
                            planes[2].data()};
    uint16_t *out_planes[6], *grid_planes[4];
    for (int c = 0; c < 6; ++c)
        out_planes[c] = out[c].data();
    for (int c = 0; c < 4; ++c)
        grid_planes[c] = grid[c].data();
    inks.run(in, out_planes, count);
    cmyk.run(in, grid_planes, count);

    double worst = 0, worst_direct = 0, sum_direct = 0;
    for (size_t i = 0; i < count; ++i) {
        uint8_t px[3] = {planes[0][i], planes[1][i], planes[2][i]};
        float from_grid[4], from_lcms[4], want[6], ref[6];
        for (int c = 0; c < 4; ++c)
            from_grid[c] = grid[c][i] / 65535.0f;
        chain.map_inks(from_grid, want);
        direct(px, 3, from_lcms);
        chain.map_inks(from_lcms, ref);
        for (int c = 0; c < 6; ++c) {
            double got = out[c][i] / 65535.0;
            worst = std::max(worst, std::abs(got - want[c]));
            worst_direct = std::max(worst_direct, std::abs(got - ref[c]));
            sum_direct += std::abs(got - ref[c]);
        }
    }
    double mean_direct = sum_direct / (6.0 * count);
    INFO("vs chain on grid CMYK: max " << worst * 100 << " %; vs direct "
         "LittleCMS + chain: mean " << mean_direct * 100 << " % max "
         << worst_direct * 100 << " %");
    CHECK(worst <= 1.5 / 255);
    // Where the profile is steep (dark reds) the grid's CMYK error,
    // small in dE, is multiplied by the light ink's slope.
    CHECK(mean_direct <= 0.002);
    CHECK(worst_direct <= 0.10);
}

TEST_CASE("chain kernels equal their scalar reference on every target")
{
    PrintMode modes[] = {
        load_print_mode(test::mode_path("cmykcm-6ink.json")),
        load_print_mode(test::mode_path("cmyk-720.json")),
        load_print_mode(test::mode_path("cmyk-white-varnish.json"))};
    std::mt19937 rng(19);
    const size_t count = 777;
    std::vector<uint16_t> in(4 * count);
    for (auto& v : in)
        v = uint16_t(rng());
    in[0] = 65535;
    const uint16_t* in_planes[4] = {&in[0], &in[count], &in[2 * count],
                                    &in[3 * count]};
    for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
        hwy::SetSupportedTargetsForTest(target);
        for (const PrintMode& mode : modes) {
            InkChain chain(mode);
            int n = chain.ink_count();
            std::vector<uint8_t> a(n * count), b(n * count);
            std::vector<uint16_t> a16(n * count), b16(n * count);
            uint8_t *pa[max_inks], *pb[max_inks];
            uint16_t *pa16[max_inks], *pb16[max_inks];
            for (int c = 0; c < n; ++c) {
                pa[c] = &a[c * count];
                pb[c] = &b[c * count];
                pa16[c] = &a16[c * count];
                pb16[c] = &b16[c * count];
            }
            const ChainTables& t = chain.tables();
            chain_kernels::run_scalar(t, in_planes, pa, count);
            chain_kernels::run_simd(t, in_planes, pb, count);
            chain_kernels::run_scalar(t, in_planes, pa16, count);
            chain_kernels::run_simd(t, in_planes, pb16, count);
            INFO("target " << hwy::TargetName(target) << " mode "
                           << mode.name);
            CHECK(a == b);
            CHECK(a16 == b16);
        }
    }
    hwy::SetSupportedTargetsForTest(0);
}

TEST_CASE("SIMD kernels equal the scalar reference on every target")
{
    PrintMode six = load_print_mode(test::mode_path("cmykcm-6ink.json"));
    PrintMode cmyk = load_print_mode(test::mode_path("cmyk-720.json"));
    Profile source_cmyk = Profile::open(default_cmyk);
    const ChainLut luts[] = {
        ChainLut(Profile::srgb(), cmyk, Intent::perceptual,
                 LutOutput::inks),
        ChainLut(source_cmyk, six, Intent::relative, LutOutput::inks),
        ChainLut(Profile::srgb(), six, Intent::relative,
                 LutOutput::inks)};
    std::mt19937 rng(11);
    const size_t count = 1000 + 13; // a tail the vectors do not fill
    std::vector<uint8_t> in(4 * count);
    for (auto& v : in)
        v = uint8_t(rng());
    in[0] = in[count] = in[2 * count] = in[3 * count] = 255;
    const uint8_t* in_planes[4] = {&in[0], &in[count], &in[2 * count],
                                   &in[3 * count]};
    for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
        hwy::SetSupportedTargetsForTest(target);
        for (const ChainLut& lut : luts) {
            int n = lut.out_channels();
            std::vector<uint8_t> a(n * count), b(n * count);
            std::vector<uint16_t> a16(n * count), b16(n * count);
            uint8_t *pa[max_inks], *pb[max_inks];
            uint16_t *pa16[max_inks], *pb16[max_inks];
            for (int c = 0; c < n; ++c) {
                pa[c] = &a[c * count];
                pb[c] = &b[c * count];
                pa16[c] = &a16[c * count];
                pb16[c] = &b16[c * count];
            }
            kernels::run_scalar(lut.table(), in_planes, pa, count);
            kernels::run_simd(lut.table(), in_planes, pb, count);
            kernels::run_scalar(lut.table(), in_planes, pa16, count);
            kernels::run_simd(lut.table(), in_planes, pb16, count);
            INFO("target " << hwy::TargetName(target));
            CHECK(a == b);
            CHECK(a16 == b16);
        }
    }
    hwy::SetSupportedTargetsForTest(0);
}

TEST_CASE("the SIMD switch and interleaved input give the same numbers")
{
    PrintMode mode = load_print_mode(test::mode_path("cmyk-720.json"));
    ChainLut lut(Profile::srgb(), mode, Intent::perceptual,
                 LutOutput::inks);
    const size_t count = 3000;
    std::vector<uint8_t> rgb(3 * count), planar(3 * count);
    std::mt19937 rng(5);
    for (size_t i = 0; i < count; ++i)
        for (int c = 0; c < 3; ++c)
            planar[c * count + i] = rgb[3 * i + c] = uint8_t(rng());
    const uint8_t* in[3] = {&planar[0], &planar[count], &planar[2 * count]};
    std::vector<uint8_t> a(4 * count), b(4 * count), c(4 * count);
    uint8_t* pa[4] = {&a[0], &a[count], &a[2 * count], &a[3 * count]};
    uint8_t* pb[4] = {&b[0], &b[count], &b[2 * count], &b[3 * count]};
    uint8_t* pc[4] = {&c[0], &c[count], &c[2 * count], &c[3 * count]};
    lut.run(in, pa, count);
    set_simd_disabled(true);
    lut.run(in, pb, count);
    set_simd_disabled(false);
    lut.run_interleaved(rgb.data(), 3, pc, count);
    CHECK(a == b);
    CHECK(a == c);

    // Interleaved out, with a fifth byte (alpha, say) left alone.
    std::vector<uint8_t> chunky(5 * count, 7);
    lut.run_chunky(rgb.data(), 3, chunky.data(), 5, count);
    bool same = true;
    for (size_t i = 0; i < count; ++i) {
        for (int ch = 0; ch < 4; ++ch)
            same = same && chunky[5 * i + ch] == a[ch * count + i];
        same = same && chunky[5 * i + 4] == 7;
    }
    CHECK(same);
}

TEST_CASE("ink limits hold on table output")
{
    PrintMode mode = load_print_mode(test::mode_path("cmyk-720.json"));
    ChainLut lut(Profile::open(default_cmyk), mode, Intent::relative,
                 LutOutput::inks);
    auto planes = grid_sample(4, 17);
    size_t count = planes[0].size();
    std::vector<std::vector<uint8_t>> out(4, std::vector<uint8_t>(count));
    const uint8_t* in[4] = {planes[0].data(), planes[1].data(),
                            planes[2].data(), planes[3].data()};
    uint8_t* op[4] = {out[0].data(), out[1].data(), out[2].data(),
                      out[3].data()};
    lut.run(in, op, count);
    int worst = 0;
    for (size_t i = 0; i < count; ++i)
        worst = std::max(worst, out[0][i] + out[1][i] + out[2][i]
                                    + out[3][i]);
    // 300 % of 255, plus rounding and interpolation across the limit.
    CHECK(worst <= 765 + 6);
}

TEST_CASE("the cache keeps one table per source, mode and intent")
{
    PrintMode mode = load_print_mode(test::mode_path("cmyk-720.json"));
    LutCache cache;
    auto a = cache.get(Profile::srgb(), mode, Intent::perceptual,
                       LutOutput::inks);
    auto b = cache.get(Profile::srgb(), mode, Intent::perceptual,
                       LutOutput::inks);
    auto c = cache.get(Profile::srgb(), mode, Intent::relative,
                       LutOutput::inks);
    CHECK(a == b);
    CHECK(a != c);
    CHECK(cache.size() == 2);
}

TEST_CASE("contone values agree with transicc on the same profile")
{
    // transicc (liblcms2-utils) is the peer: sRGB -> FOGRA39L, relative.
    PrintMode mode = load_print_mode(test::mode_path("cmyk-720.json"));
    std::string command = "printf '255 0 0\\n0 128 255\\n40 40 40\\nq\\n' | "
                          "transicc -t1 -b -n -i '*sRGB' -o '"
                          + mode.output_profile.string() + "' 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::vector<float> values;
    char word[64];
    while (fscanf(pipe, "%63s", word) == 1) {
        char* end = nullptr;
        float v = std::strtof(word, &end);
        if (end && *end == 0)
            values.push_back(v);
    }
    int rc = pclose(pipe);
    if (rc != 0 || values.size() < 12)
        FAIL("transicc did not run (liblcms2-utils installed?)");
    ChainLut lut(Profile::srgb(), mode, Intent::relative,
                 LutOutput::profile);
    const uint8_t r[3] = {255, 0, 40}, g[3] = {0, 128, 40},
                  b[3] = {0, 255, 40};
    const uint8_t* in[3] = {r, g, b};
    uint16_t out[4][3];
    uint16_t* op[4] = {out[0], out[1], out[2], out[3]};
    lut.run(in, op, 3);
    for (int px = 0; px < 3; ++px)
        for (int c = 0; c < 4; ++c) {
            INFO("pixel " << px << " channel " << c);
            // transicc prints CMYK in 0..100 %; within 1 %.
            CHECK(out[c][px] / 655.35 == Approx(values[px * 4 + c])
                                             .margin(1.0));
        }
}

TEST_CASE("split and join planes round-trip on every target")
{
    std::mt19937 rng(23);
    const size_t count = 300;
    for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
        hwy::SetSupportedTargetsForTest(target);
        for (auto [step, channels] : {std::pair{3, 3}, {4, 4}, {4, 3},
                                      {5, 4}}) {
            std::vector<uint8_t> px(step * count), back(step * count, 9);
            for (auto& v : px)
                v = uint8_t(rng());
            std::vector<uint8_t> planar(channels * count);
            uint8_t* planes[4];
            for (int c = 0; c < channels; ++c)
                planes[c] = &planar[c * count];
            split_planes(px.data(), step, channels, planes, count);
            join_planes(planes, channels, back.data(), step, count);
            bool same = true;
            for (size_t i = 0; i < count; ++i)
                for (int c = 0; c < step; ++c)
                    same = same && back[i * step + c]
                                       == (c < channels ? px[i * step + c]
                                                        : 9);
            INFO("target " << hwy::TargetName(target) << " step " << step
                           << " channels " << channels);
            CHECK(same);
        }
    }
    hwy::SetSupportedTargetsForTest(0);
}
