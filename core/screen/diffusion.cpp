// SPDX-License-Identifier: AGPL-3.0-or-later
// Error diffusion (Floyd-Steinberg, Jarvis): serpentine, modulated, banded.
#include "core/common/error.hpp"
#include "core/screen/ink_screen.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ripline::screen {

namespace {

// Tones are kept on the 16-bit scale (8-bit contone times 257), so that
// the diffused error keeps its fractions, 8- and 16-bit input diffuse
// alike, and the sum of the parts is exactly the error.
constexpr int scale_8bit = 257;

inline int32_t tone_of(uint8_t c)
{
    return int32_t(c) * scale_8bit;
}
inline int32_t tone_of(uint16_t c)
{
    return int32_t(c);
}
constexpr int pad = 2; // error cells beyond each row end (Jarvis reach)

// Picks a drop level for a tone: between the two drop tones around it,
// at their midpoint moved by the blue-noise modulation. Modulation by up
// to 1/8 of the step breaks up the worms plain diffusion draws in
// highlights and shadows without adding visible noise.
struct Quantizer {
    int count = 2;                   // 2 levels (1 bit) or 4 (2 bits)
    int32_t level[4] = {};           // drop tones in 1/16 steps
    int32_t thresholds[3][256] = {}; // per step, per modulation value

    explicit Quantizer(const std::vector<double>& tones)
    {
        count = int(tones.size());
        for (int k = 0; k < count; ++k)
            level[k] = int32_t(std::lround(tones[k] * scale_8bit));
        for (int k = 0; k + 1 < count; ++k) {
            double step = level[k + 1] - level[k];
            for (int m = 0; m < 256; ++m)
                thresholds[k][m] = int32_t(std::lround(
                    level[k] + step / 2 + (m - 127) * step / 8 / 127));
        }
    }

    // The threshold between drop k and k + 1 at modulation m (0..254).
    int32_t threshold(int k, int m) const { return thresholds[k][m]; }

    // The level for tone v, and its drop tone. The thresholds lie inside
    // their steps, so counting those below v finds the step and the
    // side of it at once, with no branch on the error's path.
    template <int Bits>
    int pick(int32_t v, int m, int32_t& tone) const
    {
        if (Bits == 1) {
            int32_t fire = v > threshold(0, m);
            tone = level[1] & -fire; // a mask, not a branch to mispredict
            return fire;
        }
        int32_t f0 = v > threshold(0, m), f1 = v > threshold(1, m),
                f2 = v > threshold(2, m);
        tone = (level[1] & -f0) + ((level[2] - level[1]) & -f1) +
               ((level[3] - level[2]) & -f2);
        return f0 + f1 + f2;
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

// Writes one dot's level into a packed row.
template <int Bits>
inline void put_level(uint8_t* out, unsigned x, unsigned level)
{
    out[x * Bits / 8] |= uint8_t(level << (8 - Bits - (x * Bits) % 8));
}

// One row in serpentine order: even sheet rows run left to right, odd
// ones right to left, so the direction does not depend on the bands.
//
// Floyd-Steinberg pushes 7/16 of a dot's error ahead, 3/16 behind below,
// 5/16 below and 1/16 ahead below. The error for the next dots and the
// row below is summed in registers and each cell below is written once,
// when no later dot of this row can reach it any more; the parts are
// rounded down and the last part takes the rest, so no error is lost.
template <int Bits, typename T>
void diffuse_row_fs(const T* contone, int width, int64_t y, const Quantizer& q,
                    const uint8_t* modulation, int modulation_mask,
                    DiffusionState& state, uint8_t* out)
{
    const int32_t* now = state.rows[0].data() + pad;
    int32_t* below = state.rows[1].data() + pad; // zero on entry
    const int dir = (y & 1) ? -1 : 1;
    int x = dir > 0 ? 0 : width - 1;
    int32_t ahead = 0, behind = 0, under = 0; // cells x+d; x-d, x below
    for (int i = 0; i < width; ++i, x += dir) {
        int32_t v = tone_of(contone[x]) + now[x] + ahead;
        int32_t tone;
        int level = q.pick<Bits>(v, modulation[x & modulation_mask], tone);
        put_level<Bits>(out, x, level);
        int32_t e = v - tone;
        int32_t e7 = (e * 7) >> 4, e3 = (e * 3) >> 4, e5 = (e * 5) >> 4;
        below[x - dir] = behind + e3;
        behind = under + e5;
        under = e - e7 - e3 - e5;
        ahead = e7;
    }
    below[x - dir] = behind;
    below[x] = under;
}

// Jarvis, Judice and Ninke: 7 and 5 (/48) to the next two dots, 3 5 7 5 3
// to the row below, 1 3 5 3 1 to the row after, summed in registers the
// same way (below[i] holds the cell i - 2 dots behind the current one).
template <int Bits, typename T>
void diffuse_row_jarvis(const T* contone, int width, int64_t y,
                        const Quantizer& q, const uint8_t* modulation,
                        int modulation_mask, DiffusionState& state,
                        uint8_t* out)
{
    const int32_t* now = state.rows[0].data() + pad;
    int32_t* below = state.rows[1].data() + pad;
    int32_t* after = state.rows[2].data() + pad; // zero on entry
    const int dir = (y & 1) ? -1 : 1;
    int x = dir > 0 ? 0 : width - 1;
    int32_t next = 0, next2 = 0;
    int32_t b[4] = {}, a[4] = {}; // cells x-2d .. x+d, below and after
    for (int i = 0; i < width; ++i, x += dir) {
        int32_t v = tone_of(contone[x]) + now[x] + next;
        int32_t tone;
        int level = q.pick<Bits>(v, modulation[x & modulation_mask], tone);
        put_level<Bits>(out, x, level);
        int32_t e = v - tone;
        // e * w / 48 rounded down, as a multiply and a shift.
        int32_t p1 = (e * 1365) >> 16, p3 = (e * 3 * 1365) >> 16;
        int32_t p5 = (e * 5 * 1365) >> 16, p7 = (e * 7 * 1365) >> 16;
        // The rounding rest goes below, off the next dot's critical path.
        int32_t rest = e - 2 * p7 - 4 * p5 - 4 * p3 - 2 * p1;
        next = next2 + p7;
        next2 = p5;
        below[x - 2 * dir] += b[0] + p3;
        b[0] = b[1] + p5, b[1] = b[2] + p7 + rest, b[2] = b[3] + p5;
        b[3] = p3;
        after[x - 2 * dir] = a[0] + p1;
        a[0] = a[1] + p3, a[1] = a[2] + p5, a[2] = a[3] + p3, a[3] = p1;
    }
    for (int k = 0; k < 4; ++k, x += dir) {
        below[x - 2 * dir] += b[k];
        after[x - 2 * dir] = a[k];
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

    void screen(const uint8_t* contone, size_t contone_stride, int width, int y,
                int rows, uint8_t* out, size_t out_stride) const override
    {
        screen_rows(contone, contone_stride, width, y, rows, out, out_stride);
    }

    void screen16(const uint16_t* contone, size_t contone_stride, int width,
                  int y, int rows, uint8_t* out,
                  size_t out_stride) const override
    {
        screen_rows(contone, contone_stride, width, y, rows, out, out_stride);
    }

private:
    template <typename T>
    void screen_rows(const T* contone, size_t contone_stride, int width, int y,
                     int rows, uint8_t* out, size_t out_stride) const
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

    // A new sheet starts at row 0; any other row must follow the last.
    void start_band(int width, int y) const
    {
        if (y == 0 || state_.width < 0)
            state_.reset(width);
        if (y != state_.next_y || width != state_.width)
            throw Error(RL_ERROR_INTERNAL, Stage::screen,
                        "error diffusion got row " + std::to_string(y) +
                            " of width " + std::to_string(width) +
                            ", expected row " + std::to_string(state_.next_y) +
                            " of width " + std::to_string(state_.width) +
                            "; bands must come in order");
    }

    template <typename T>
    void row(const T* contone, int width, int64_t y, uint8_t* out) const
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
            (jarvis ? diffuse_row_jarvis<1, T>
                    : diffuse_row_fs<1, T>)(contone, width, y, quantizer_, m,
                                            mask, state_, out);
        else
            (jarvis ? diffuse_row_jarvis<2, T>
                    : diffuse_row_fs<2, T>)(contone, width, y, quantizer_, m,
                                            mask, state_, out);
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
