// SPDX-License-Identifier: AGPL-3.0-or-later
// Error diffusion (Floyd-Steinberg, Jarvis): serpentine, modulated, banded.
#include "core/common/error.hpp"
#include "core/screen/ink_screen.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ripline::screen {

namespace {

// Tones are kept in 1/16 of a contone step, so that the diffused error
// keeps its fractions and the sum of the parts is exactly the error.
constexpr int fraction_bits = 4;
constexpr int pad = 2; // error cells beyond each row end (Jarvis reach)

// Picks a drop level for a tone: between the two drop tones around it,
// at their midpoint moved by the blue-noise modulation. Modulation by up
// to 1/8 of the step breaks up the worms plain diffusion draws in
// highlights and shadows without adding visible noise.
struct Quantizer {
    int count = 2;         // 2 levels (1 bit) or 4 (2 bits)
    int32_t level[4] = {}; // drop tones in 1/16 steps
    int32_t middle[3] = {};
    int32_t modulation[3] = {}; // threshold jitter per unit, >> 12

    explicit Quantizer(const std::vector<double>& tones)
    {
        count = int(tones.size());
        for (int k = 0; k < count; ++k)
            level[k] = int32_t(std::lround(tones[k] * (1 << fraction_bits)));
        for (int k = 0; k + 1 < count; ++k) {
            int32_t step = level[k + 1] - level[k];
            middle[k] = level[k] + step / 2;
            modulation[k] = int32_t(std::lround(step * 4096.0 / 8 / 127));
        }
    }

    // The level for tone v given the modulation tile value m (0..254).
    int pick(int32_t v, int m) const
    {
        int k = count == 2 ? 0 : (v >= level[1]) + (v >= level[2]);
        int32_t threshold = middle[k] + (((m - 127) * modulation[k]) >> 12);
        return k + (v > threshold);
    }
};

// Running state of one ink through one sheet: the errors pushed to the
// next rows and the sheet row expected next.
struct DiffusionState {
    int width = -1;
    int64_t next_y = 0;
    std::vector<int32_t> rows[3]; // this row, the next, the one after

    void reset(int new_width)
    {
        width = new_width;
        next_y = 0;
        for (auto& row : rows)
            row.assign(size_t(new_width) + 2 * pad, 0);
    }

    // Moves on one row: the next row's errors become current.
    void advance()
    {
        std::swap(rows[0], rows[1]);
        std::swap(rows[1], rows[2]);
        std::fill(rows[2].begin(), rows[2].end(), 0);
        ++next_y;
    }
};

// Floyd-Steinberg: 7/16 ahead, 3/16 behind below, 5/16 below, 1/16
// ahead below; dir is +1 left to right, -1 right to left.
inline void spread_fs(int32_t e, int x, int dir, int32_t* now,
                      int32_t* below, int32_t*)
{
    int32_t e7 = (e * 7) >> 4, e3 = (e * 3) >> 4, e5 = (e * 5) >> 4;
    now[x + dir] += e7;
    below[x - dir] += e3;
    below[x] += e5;
    below[x + dir] += e - e7 - e3 - e5;
}

// Jarvis, Judice and Ninke: 12 neighbours over three rows, /48.
inline void spread_jarvis(int32_t e, int x, int dir, int32_t* now,
                          int32_t* below, int32_t* after)
{
    int32_t p1 = e / 48, p3 = e * 3 / 48, p5 = e * 5 / 48, p7 = e * 7 / 48;
    int32_t rest = e - 2 * p7 - 4 * p5 - 4 * p3 - 2 * p1;
    int d = dir, d2 = 2 * dir;
    now[x + d] += p7 + rest;
    now[x + d2] += p5;
    below[x - d2] += p3;
    below[x - d] += p5;
    below[x] += p7;
    below[x + d] += p5;
    below[x + d2] += p3;
    after[x - d2] += p1;
    after[x - d] += p3;
    after[x] += p5;
    after[x + d] += p3;
    after[x + d2] += p1;
}

// One row in serpentine order: even sheet rows run left to right, odd
// ones right to left, so the direction does not depend on the bands.
template <bool Jarvis, int Bits>
void diffuse_row(const uint8_t* contone, int width, int64_t y,
                 const Quantizer& q, const uint8_t* modulation,
                 int modulation_mask, DiffusionState& state, uint8_t* out)
{
    int32_t* now = state.rows[0].data() + pad;
    int32_t* below = state.rows[1].data() + pad;
    int32_t* after = state.rows[2].data() + pad;
    int dir = (y & 1) ? -1 : 1;
    int x = dir > 0 ? 0 : width - 1;
    for (int i = 0; i < width; ++i, x += dir) {
        int32_t v = (int32_t(contone[x]) << fraction_bits) + now[x];
        int level = q.pick(v, modulation[x & modulation_mask]);
        out[x * Bits / 8] |=
            uint8_t(level << (8 - Bits - (x * Bits) % 8));
        int32_t e = v - q.level[level];
        if (Jarvis)
            spread_jarvis(e, x, dir, now, below, after);
        else
            spread_fs(e, x, dir, now, below, after);
    }
}

class DiffusionScreen final : public InkScreen {
public:
    DiffusionScreen(Diffusion kind, std::vector<double> tones,
                    ThresholdTile modulation)
        : kind_(kind), quantizer_(tones), modulation_(std::move(modulation))
    {
    }

    bool needs_band_order() const override { return true; }

    void begin_sheet(int width_dots) override { state_.reset(width_dots); }

    void screen(const uint8_t* contone, size_t contone_stride, int width,
                int y, int rows, uint8_t* out,
                size_t out_stride) const override
    {
        start_band(width, y);
        const int bits = quantizer_.count == 2 ? 1 : 2;
        const size_t bytes = (size_t(width) * bits + 7) / 8;
        for (int r = 0; r < rows; ++r) {
            uint8_t* o = out + size_t(r) * out_stride;
            std::memset(o, 0, bytes);
            row(contone + size_t(r) * contone_stride, width, y + r, o);
            state_.advance();
        }
    }

private:
    // A new sheet starts at row 0; any other row must follow the last.
    void start_band(int width, int y) const
    {
        if (y == 0 || state_.width < 0)
            state_.reset(width);
        if (y != state_.next_y || width != state_.width)
            throw Error(RL_ERROR_INTERNAL, Stage::screen,
                        "error diffusion got row " + std::to_string(y) +
                            " of width " + std::to_string(width) +
                            ", expected row " +
                            std::to_string(state_.next_y) + " of width " +
                            std::to_string(state_.width) +
                            "; bands must come in order");
    }

    void row(const uint8_t* contone, int width, int64_t y, uint8_t* out) const
    {
        int ty;
        size_t column;
        modulation_.locate(y, ty, column);
        const uint8_t* m = modulation_.row(0, ty) + column;
        // The tile row is stored repeated, so m[x & mask] stays inside it
        // for power-of-two tile widths.
        int mask = modulation_.width - 1;
        bool jarvis = kind_ == Diffusion::jarvis;
        if (quantizer_.count == 2)
            (jarvis ? diffuse_row<true, 1> : diffuse_row<false, 1>)(
                contone, width, y, quantizer_, m, mask, state_, out);
        else
            (jarvis ? diffuse_row<true, 2> : diffuse_row<false, 2>)(
                contone, width, y, quantizer_, m, mask, state_, out);
    }

    Diffusion kind_;
    Quantizer quantizer_;
    ThresholdTile modulation_;
    // Screener's contract: diffusing inks are fed from one thread, in
    // order, so this state needs no lock.
    mutable DiffusionState state_;
};

} // namespace

std::unique_ptr<InkScreen> make_diffusion_screen(Diffusion kind,
                                                 std::vector<double> levels,
                                                 ThresholdTile modulation)
{
    if (modulation.width & (modulation.width - 1))
        throw Error(RL_ERROR_INTERNAL, Stage::screen,
                    "error diffusion modulation tile width " +
                        std::to_string(modulation.width) +
                        " is not a power of two");
    return std::make_unique<DiffusionScreen>(kind, std::move(levels),
                                             std::move(modulation));
}

} // namespace ripline::screen
