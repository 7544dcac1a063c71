// SPDX-License-Identifier: AGPL-3.0-or-later
// ChainLut: a source colour space through the output profile and the ink
// chain, precomputed into one 16-bit lookup table with tetrahedral
// interpolation; and the cache that keeps one per source, mode, intent.
#pragma once

#include "core/color/engine.hpp"
#include "core/color/ink_chain.hpp"
#include "core/color/print_mode.hpp"
#include "core/color/simd.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace ripline::color {

// What a table gives: the output profile's channels (what
// cmsDoTransform gives), or every ink of the mode after the split,
// linearisation, limits and the flood and under-colour layers. The grid
// holds the profile's channels; the chain runs on its 16-bit output
// through exact 1-D tables, since its curves have corners (a light ink's
// peak) that a 3-D grid would round off by up to 12 %.
enum class LutOutput : uint8_t { profile, inks };

// The table as the kernels read it. Each node holds the output channels
// as 16-bit values, two to a 32-bit word (pairs), the first channel in
// the low half. Grid axes: for 4 inputs the last input (K) is outermost.
struct LutTable {
    const uint32_t* words = nullptr;
    int inputs = 0;     // 1, 3 or 4
    int grid = 0;       // points per axis
    int channels = 0;   // output channels
    int pairs = 0;      // words per node
    uint32_t stride[4] = {}; // words per step along input 0..3
};

class ChainLut {
public:
    ~ChainLut();
    // Sample SOURCE -> MODE's output profile (LittleCMS, floating point,
    // INTENT, the mode's black point compensation) -> the chain at every
    // node. GRID_POINTS 0 picks 33 for 3 inputs, 17 for 4. Throws
    // Error(RL_ERROR_COLOR) when LittleCMS cannot build the transform.
    ChainLut(const Profile& source, const PrintMode& mode, Intent intent,
             LutOutput output, int grid_points = 0);

    int in_channels() const { return table_.inputs; }
    int out_channels() const { return int(out_inks_.size()); }
    // The mode's ink index of each output channel: all inks in order for
    // LutOutput::inks; the profile channels' inks for LutOutput::profile.
    const std::vector<int>& out_inks() const { return out_inks_; }
    const LutTable& table() const { return table_; }

    // COUNT pixels of planar 8-bit input (in_channels() planes) to planar
    // output (out_channels() planes). Thread-safe.
    void run(const uint8_t* const* in, uint8_t* const* out,
             size_t count) const;
    void run(const uint8_t* const* in, uint16_t* const* out,
             size_t count) const;
    // Interleaved input, IN_STEP bytes from one pixel to the next (for
    // pixmaps: 3 or 4, or more with spots or alpha after the colour).
    void run_interleaved(const uint8_t* in, int in_step, uint8_t* const* out,
                         size_t count) const;
    // Interleaved in and out (a MuPDF pixmap's layout): out_channels()
    // values per pixel, OUT_STEP bytes apart; bytes between are kept.
    void run_chunky(const uint8_t* in, int in_step, uint8_t* out,
                    int out_step, size_t count) const;

private:
    template <typename Out>
    void run_chain(const uint8_t* const* in, Out* const* out,
                   size_t count) const;

    std::vector<uint32_t> words_;
    LutTable table_;
    std::vector<int> out_inks_;
    std::unique_ptr<InkChain> chain_; // null for LutOutput::profile
};

// Built tables per (source profile, print mode version, intent, output).
// Thread-safe; a missing table is built once, under the lock.
class LutCache {
public:
    std::shared_ptr<const ChainLut> get(const Profile& source,
                                        const PrintMode& mode,
                                        Intent intent, LutOutput output);
    size_t size() const;

private:
    struct Key {
        std::array<uint8_t, 16> source;
        uint64_t mode;
        std::string mode_file;
        Intent intent;
        LutOutput output;
        auto operator<=>(const Key&) const = default;
    };
    mutable std::mutex mutex_;
    std::map<Key, std::shared_ptr<const ChainLut>> tables_;
};

// The kernels, for tests and benches: the scalar reference and the
// Highway one (best target the CPU has) give identical results.
namespace kernels {
void run_scalar(const LutTable& t, const uint8_t* const* in,
                uint8_t* const* out, size_t count);
void run_scalar(const LutTable& t, const uint8_t* const* in,
                uint16_t* const* out, size_t count);
void run_simd(const LutTable& t, const uint8_t* const* in,
              uint8_t* const* out, size_t count);
void run_simd(const LutTable& t, const uint8_t* const* in,
              uint16_t* const* out, size_t count);
}  // namespace kernels

}  // namespace ripline::color
