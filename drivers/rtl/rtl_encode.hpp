// SPDX-License-Identifier: AGPL-3.0-or-later
// HP-RTL row compression: modes 0-3, and the choice of the smallest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ripline::rtl {

// The row compression methods of ESC*b#M that the driver writes.
enum class Mode : int { raw = 0, run_length = 1, packbits = 2, delta_row = 3 };

// Each appends the encoded ROW to OUT. ROW is one bit plane of a raster
// row; raw, run_length and packbits drop trailing zero bytes, which the
// printer fills in. delta_row encodes the bytes that differ from SEED.
void encode_raw(std::span<const uint8_t> row, std::vector<uint8_t>& out);
void encode_run_length(std::span<const uint8_t> row, std::vector<uint8_t>& out);
void encode_packbits(std::span<const uint8_t> row, std::vector<uint8_t>& out);
void encode_delta_row(std::span<const uint8_t> row,
                      std::span<const uint8_t> seed, std::vector<uint8_t>& out);

// Picks, per row, the mode that costs the fewest bytes including the
// ESC*b#M needed to switch to it; remembers the current mode.
class RowEncoder {
public:
    // ALLOWED: a bit per Mode the encoder may use (bit 0: raw, ...).
    explicit RowEncoder(unsigned allowed = 0xf) : allowed_(allowed) {}

    // Encode ROW against SEED into DATA; returns the mode to use. A mode
    // switch is the caller's to write (see switch_bytes()).
    Mode encode(std::span<const uint8_t> row, std::span<const uint8_t> seed,
                std::vector<uint8_t>& data);

    Mode current() const { return current_; }
    void set_current(Mode mode) { current_ = mode; }

    // Bytes of the ESC*b#M command that selects MODE.
    static size_t switch_bytes() { return 5; }

private:
    unsigned allowed_;
    Mode current_ = Mode::raw;
    std::vector<uint8_t> candidate_[4];
};

} // namespace ripline::rtl
