// SPDX-License-Identifier: AGPL-3.0-or-later
// ChainLut: sampling the chain into a table, the scalar reference kernel,
// and the cache of built tables.
#include "core/color/chain_lut.hpp"

#include "core/color/planes.hpp"
#include "core/common/error.hpp"

#include <lcms2.h>

#include <algorithm>
#include <cmath>

namespace ripline::color {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& name)
{
    throw Error(RL_ERROR_COLOR, Stage::color, what, name);
}

int input_channels(const Profile& source)
{
    switch (source.space().value_or(Space::lab)) {
    case Space::gray: return 1;
    case Space::rgb: return 3;
    case Space::cmyk: return 4;
    default: break;
    }
    fail("a lookup table takes a gray, RGB or CMYK source profile",
         source.name());
}

// LittleCMS keeps floating-point ink spaces in 0..100, the rest in 0..1.
float float_scale(cmsUInt32Number format)
{
    int space = int(T_COLORSPACE(format));
    bool ink = space == PT_CMY || space == PT_CMYK
               || (space >= PT_MCH5 && space <= PT_MCH15);
    return ink ? 100.0f : 1.0f;
}

// Sample the source -> output-profile transform at every grid node;
// node n has coordinate (n / grid^a) % grid along axis a.
std::vector<float> sample_profile(const Profile& source,
                                  const Profile& output, int inputs,
                                  int grid, Intent intent, bool bpc,
                                  int& out_channels)
{
    cmsUInt32Number in_fmt =
        cmsFormatterForColorspaceOfProfile(source.handle(), 4, TRUE);
    cmsUInt32Number out_fmt =
        cmsFormatterForColorspaceOfProfile(output.handle(), 4, TRUE);
    cmsHTRANSFORM transform = cmsCreateTransform(
        source.handle(), in_fmt, output.handle(), out_fmt,
        cmsUInt32Number(intent),
        cmsFLAGS_NOCACHE | (bpc ? cmsFLAGS_BLACKPOINTCOMPENSATION : 0));
    if (!transform)
        fail("LittleCMS cannot build a " + std::string(intent_name(intent))
                 + " transform from " + source.name(),
             output.name());

    size_t nodes = 1;
    for (int a = 0; a < inputs; ++a)
        nodes *= size_t(grid);
    std::vector<float> in(nodes * inputs);
    float in_scale = float_scale(in_fmt);
    for (size_t n = 0; n < nodes; ++n)
        for (int a = 0, rest = int(n); a < inputs; ++a, rest /= grid)
            in[n * inputs + a] = float(rest % grid) / float(grid - 1)
                                 * in_scale;

    out_channels = int(T_CHANNELS(out_fmt));
    std::vector<float> out(nodes * out_channels);
    cmsDoTransform(transform, in.data(), out.data(),
                   cmsUInt32Number(nodes));
    cmsDeleteTransform(transform);
    float out_scale = 1.0f / float_scale(out_fmt);
    for (float& v : out)
        v = std::clamp(v * out_scale, 0.0f, 1.0f);
    return out;
}

uint16_t to_u16(float v)
{
    return uint16_t(std::lround(std::clamp(v, 0.0f, 1.0f) * 65535.0f));
}

// ---- the scalar reference kernel ---------------------------------------

inline uint32_t channel(const LutTable& t, uint32_t node, int ch)
{
    uint32_t word = t.words[node + uint32_t(ch >> 1)];
    return ch & 1 ? word >> 16 : word & 0xFFFF;
}

inline void store(uint8_t* out, uint32_t v)
{
    *out = uint8_t((v * 255 + 32895) >> 16);
}
inline void store(uint16_t* out, uint32_t v) { *out = uint16_t(v); }

// Where one pixel falls in the first three axes: the four corners of
// its tetrahedron and their weights (summing to 65536).
struct Tetra {
    uint32_t corner[4];
    uint32_t weight[4];
};

inline Tetra locate(const LutTable& t, const uint32_t* cell,
                    const uint32_t* f)
{
    const uint32_t* s = t.stride;
    bool ab = f[0] >= f[1], ac = f[0] >= f[2], bc = f[1] >= f[2];
    uint32_t s_max = ab && ac ? s[0] : !ab && bc ? s[1] : s[2];
    uint32_t s_min = ac && bc ? s[2] : ab && !bc ? s[1] : s[0];
    uint32_t f_max = std::max({f[0], f[1], f[2]});
    uint32_t f_min = std::min({f[0], f[1], f[2]});
    uint32_t f_mid = f[0] + f[1] + f[2] - f_max - f_min;

    Tetra q;
    q.corner[0] = cell[0] * s[0] + cell[1] * s[1] + cell[2] * s[2];
    q.corner[1] = q.corner[0] + s_max;
    q.corner[2] = q.corner[0] + s[0] + s[1] + s[2] - s_min;
    q.corner[3] = q.corner[0] + s[0] + s[1] + s[2];
    q.weight[0] = 65536 - f_max;
    q.weight[1] = f_max - f_mid;
    q.weight[2] = f_mid - f_min;
    q.weight[3] = f_min;
    return q;
}

inline uint32_t blend(const LutTable& t, const Tetra& q, uint32_t offset,
                      int ch)
{
    uint32_t acc = 32768;
    for (int k = 0; k < 4; ++k)
        acc += q.weight[k] * channel(t, q.corner[k] + offset, ch);
    return acc >> 16;
}

template <typename Out>
void run_scalar_t(const LutTable& t, const uint8_t* const* in,
                  Out* const* out, size_t count)
{
    if (t.inputs == 1) {
        // A 256-point table: every 8-bit input is a node.
        for (size_t i = 0; i < count; ++i)
            for (int ch = 0; ch < t.channels; ++ch)
                store(&out[ch][i], channel(t, in[0][i] * t.stride[0], ch));
        return;
    }
    const uint32_t mul = uint32_t(t.grid - 1) * 257;
    for (size_t i = 0; i < count; ++i) {
        uint32_t cell[4], f[4];
        for (int a = 0; a < t.inputs; ++a) {
            uint32_t p = in[a][i] * mul;
            cell[a] = p >> 16;
            f[a] = p & 0xFFFF;
        }
        Tetra q = locate(t, cell, f);
        if (t.inputs == 3) {
            for (int ch = 0; ch < t.channels; ++ch)
                store(&out[ch][i], blend(t, q, 0, ch));
            continue;
        }

        // Four inputs: two tetrahedra, one K plane apart, then along K.
        uint32_t k0 = cell[3] * t.stride[3], k1 = k0 + t.stride[3];
        for (int ch = 0; ch < t.channels; ++ch) {
            uint32_t r0 = blend(t, q, k0, ch), r1 = blend(t, q, k1, ch);
            store(&out[ch][i],
                  (r0 * (65536 - f[3]) + r1 * f[3] + 32768) >> 16);
        }
    }
}

}  // namespace

void kernels::run_scalar(const LutTable& t, const uint8_t* const* in,
                         uint8_t* const* out, size_t count)
{
    run_scalar_t(t, in, out, count);
}

void kernels::run_scalar(const LutTable& t, const uint8_t* const* in,
                         uint16_t* const* out, size_t count)
{
    run_scalar_t(t, in, out, count);
}

// ---- building ----------------------------------------------------------

ChainLut::ChainLut(const Profile& source, const PrintMode& mode,
                   Intent intent, LutOutput output, int grid_points)
{
    int inputs = input_channels(source);
    int grid = inputs == 1 ? 256
               : grid_points > 1 ? grid_points
               : inputs == 3   ? 33
                               : 17;
    Profile out_profile = Profile::open(mode.output_profile);
    int profile_channels = 0;
    std::vector<float> samples =
        sample_profile(source, out_profile, inputs, grid, intent,
                       mode.black_point_compensation, profile_channels);
    if (profile_channels != int(mode.profile_inks.size()))
        fail("the output profile has " + std::to_string(profile_channels)
                 + " channels, the print mode names "
                 + std::to_string(mode.profile_inks.size()),
             mode.file.string());

    // The grid holds the profile's channels as 16-bit values.
    table_.inputs = inputs;
    table_.grid = grid;
    table_.channels = profile_channels;
    table_.pairs = (profile_channels + 1) / 2;
    uint32_t step = uint32_t(table_.pairs);
    for (int a = 0; a < inputs; ++a, step *= uint32_t(grid))
        table_.stride[a] = step;
    size_t nodes = samples.size() / size_t(profile_channels);
    words_.assign(nodes * table_.pairs + 8, 0);
    for (size_t n = 0; n < nodes; ++n)
        for (int ch = 0; ch < profile_channels; ++ch)
            words_[n * table_.pairs + ch / 2] |=
                uint32_t(to_u16(samples[n * profile_channels + ch]))
                << (ch & 1 ? 16 : 0);
    table_.words = words_.data();

    if (output == LutOutput::profile) {
        out_inks_ = mode.profile_inks;
        return;
    }
    chain_ = std::make_unique<InkChain>(mode);
    for (int i = 0; i < int(mode.inks.size()); ++i)
        out_inks_.push_back(i);
}

ChainLut::~ChainLut() = default;

// Grid to 16-bit profile channels a chunk at a time, then the chain.
template <typename Out>
void ChainLut::run_chain(const uint8_t* const* in, Out* const* out,
                         size_t count) const
{
    constexpr size_t chunk = 256;
    uint16_t scratch[max_inks][chunk];
    uint16_t* profile[max_inks];
    const uint16_t* profile_in[max_inks];
    for (int c = 0; c < table_.channels; ++c)
        profile_in[c] = profile[c] = scratch[c];
    const uint8_t* in_at[4];
    Out* out_at[max_inks];
    for (size_t done = 0; done < count; done += chunk) {
        size_t n = std::min(chunk, count - done);
        for (int a = 0; a < table_.inputs; ++a)
            in_at[a] = in[a] + done;
        for (int i = 0; i < int(out_inks_.size()); ++i)
            out_at[i] = out[i] + done;
        if (simd_disabled())
            kernels::run_scalar(table_, in_at, profile, n);
        else
            kernels::run_simd(table_, in_at, profile, n);
        chain_->apply_pixels(profile_in, out_at, n);
    }
}

void ChainLut::run(const uint8_t* const* in, uint8_t* const* out,
                   size_t count) const
{
    if (chain_)
        run_chain(in, out, count);
    else if (simd_disabled())
        kernels::run_scalar(table_, in, out, count);
    else
        kernels::run_simd(table_, in, out, count);
}

void ChainLut::run(const uint8_t* const* in, uint16_t* const* out,
                   size_t count) const
{
    if (chain_)
        run_chain(in, out, count);
    else if (simd_disabled())
        kernels::run_scalar(table_, in, out, count);
    else
        kernels::run_simd(table_, in, out, count);
}

void ChainLut::run_interleaved(const uint8_t* in, int in_step,
                               uint8_t* const* out, size_t count) const
{
    // Split into planes a chunk at a time, on the stack.
    constexpr size_t chunk = 1024;
    uint8_t planes[4][chunk];
    const uint8_t* in_planes[4] = {planes[0], planes[1], planes[2],
                                   planes[3]};
    uint8_t* out_planes[max_inks];
    for (size_t done = 0; done < count; done += chunk) {
        size_t n = std::min(chunk, count - done);
        uint8_t* split[4] = {planes[0], planes[1], planes[2], planes[3]};
        split_planes(in + done * size_t(in_step), in_step, table_.inputs,
                     split, n);
        for (int ch = 0; ch < out_channels(); ++ch)
            out_planes[ch] = out[ch] + done;
        run(in_planes, out_planes, n);
    }
}

void ChainLut::run_chunky(const uint8_t* in, int in_step, uint8_t* out,
                          int out_step, size_t count) const
{
    // Through planes on the stack, a chunk at a time.
    constexpr size_t chunk = 1024;
    uint8_t planes[max_inks][chunk];
    uint8_t* out_planes[max_inks];
    for (int ch = 0; ch < out_channels(); ++ch)
        out_planes[ch] = planes[ch];
    for (size_t done = 0; done < count; done += chunk) {
        size_t n = std::min(chunk, count - done);
        run_interleaved(in + done * size_t(in_step), in_step, out_planes, n);
        join_planes(out_planes, out_channels(), out + done * size_t(out_step),
                    out_step, n);
    }
}

// ---- the cache ---------------------------------------------------------

std::shared_ptr<const ChainLut> LutCache::get(const Profile& source,
                                              const PrintMode& mode,
                                              Intent intent,
                                              LutOutput output)
{
    Key key{source.id(), mode.fingerprint, mode.file.string(), intent,
            output};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tables_.find(key);
    if (it != tables_.end())
        return it->second;
    // Built under the lock: LittleCMS profiles are not safe to share
    // between threads building transforms, and a build takes ~50 ms.
    auto table = std::make_shared<const ChainLut>(source, mode, intent,
                                                  output);
    tables_.emplace(std::move(key), table);
    return table;
}

size_t LutCache::size() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return tables_.size();
}

}  // namespace ripline::color
