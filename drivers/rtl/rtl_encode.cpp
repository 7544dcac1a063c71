// SPDX-License-Identifier: AGPL-3.0-or-later
// HP-RTL row compression (PCL raster modes 0, 1, 2 and 3).
#include "drivers/rtl/rtl_encode.hpp"

#include <algorithm>

namespace ripline::rtl {

// The row without its trailing zero bytes.
static std::span<const uint8_t> trimmed(std::span<const uint8_t> row)
{
    size_t n = row.size();
    while (n > 0 && row[n - 1] == 0)
        --n;
    return row.first(n);
}

// Length of the run of equal bytes starting at I, at most LIMIT.
static size_t run_at(std::span<const uint8_t> row, size_t i, size_t limit)
{
    size_t n = 1;
    while (i + n < row.size() && n < limit && row[i + n] == row[i])
        ++n;
    return n;
}

void encode_raw(std::span<const uint8_t> row, std::vector<uint8_t>& out)
{
    row = trimmed(row);
    out.insert(out.end(), row.begin(), row.end());
}

// Mode 1: pairs of (repeat count - 1, byte).
void encode_run_length(std::span<const uint8_t> row, std::vector<uint8_t>& out)
{
    row = trimmed(row);
    for (size_t i = 0; i < row.size();) {
        size_t n = run_at(row, i, 256);
        out.push_back(uint8_t(n - 1));
        out.push_back(row[i]);
        i += n;
    }
}

// Mode 2: TIFF PackBits. A control byte c: 0..127 copies c + 1 literal
// bytes, -1..-127 repeats the next byte 1 - c times.
void encode_packbits(std::span<const uint8_t> row, std::vector<uint8_t>& out)
{
    row = trimmed(row);
    size_t i = 0;
    while (i < row.size()) {
        size_t run = run_at(row, i, 128);
        if (run >= 3 || (run == 2 && i + 2 == row.size())) {
            out.push_back(uint8_t(1 - int(run)));
            out.push_back(row[i]);
            i += run;
            continue;
        }

        // Literals up to the next run of three or more.
        size_t start = i;
        while (i < row.size() && i - start < 128 && run_at(row, i, 3) < 3)
            ++i;
        out.push_back(uint8_t(i - start - 1));
        out.insert(out.end(), row.begin() + long(start), row.begin() + long(i));
    }
}

// Mode 3: for each stretch of up to 8 changed bytes, a command byte
// (count - 1) << 5 | offset, where offset counts the unchanged bytes since
// the last replaced one; an offset of 31 or more continues in extra bytes
// (255 means "and more follow").
void encode_delta_row(std::span<const uint8_t> row,
                      std::span<const uint8_t> seed, std::vector<uint8_t>& out)
{
    size_t position = 0;
    size_t i = 0;
    while (i < row.size()) {
        if (row[i] == seed[i]) {
            ++i;
            continue;
        }
        size_t count = 1;
        while (count < 8 && i + count < row.size() &&
               row[i + count] != seed[i + count])
            ++count;

        size_t offset = i - position;
        out.push_back(
            uint8_t(((count - 1) << 5) | std::min<size_t>(offset, 31)));
        if (offset >= 31) {
            for (offset -= 31; offset >= 255; offset -= 255)
                out.push_back(255);
            out.push_back(uint8_t(offset));
        }
        out.insert(out.end(), row.begin() + long(i),
                   row.begin() + long(i + count));
        i += count;
        position = i;
    }
}

Mode RowEncoder::encode(std::span<const uint8_t> row,
                        std::span<const uint8_t> seed,
                        std::vector<uint8_t>& data)
{
    Mode best = current_;
    size_t best_cost = SIZE_MAX;
    for (int m = 0; m < 4; ++m) {
        if (!(allowed_ & (1u << m)))
            continue;
        std::vector<uint8_t>& out = candidate_[m];
        out.clear();
        switch (Mode(m)) {
        case Mode::raw:
            encode_raw(row, out);
            break;
        case Mode::run_length:
            encode_run_length(row, out);
            break;
        case Mode::packbits:
            encode_packbits(row, out);
            break;
        case Mode::delta_row:
            encode_delta_row(row, seed, out);
            break;
        }
        size_t cost = out.size() + (Mode(m) == current_ ? 0 : switch_bytes());
        if (cost < best_cost) {
            best_cost = cost;
            best = Mode(m);
        }
    }
    data.swap(candidate_[int(best)]);
    return best;
}

} // namespace ripline::rtl
