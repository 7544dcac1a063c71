// SPDX-License-Identifier: AGPL-3.0-or-later
// BandPool: the buffers of the bands in flight, reused band after band.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ripline::pipeline {

// Everything one band needs from raster to driver. Fresh memory costs a
// page fault a page (about 1.8 GB/s here against 25 GB/s reused), so
// slots are allocated once and reused for every band of every sheet.
struct BandSlot {
    std::vector<uint8_t> cmyk;                 // interleaved, from MuPDF
    std::vector<std::vector<uint8_t>> process; // C M Y K planes
    std::vector<std::vector<uint8_t>> spots;   // the band's spot planes
    std::vector<std::vector<uint8_t>> inks;    // contone, one per ink
    std::vector<std::vector<uint8_t>> dots;    // screened, one per ink
    // 16-bit contone only: the process planes widened, and the inks.
    std::vector<std::vector<uint16_t>> wide_process;
    std::vector<std::vector<uint16_t>> wide_inks;
    size_t contone_stride = 0;                 // samples a row
    size_t dots_stride = 0;
    std::vector<uint64_t> sums;                // per ink, of contone
};

class BandPool {
public:
    // SLOTS buffers for bands up to WIDTH x ROWS with INKS inks at BITS
    // per dot, and SPOT_PLANES spot planes from the rasteriser (each dot
    // of the interleaved band is then 4 + SPOT_PLANES bytes); existing
    // buffers are kept when big enough. CONTONE_BITS 16 keeps the ink
    // planes in wide_inks (and wide_process for the chain) instead of
    // inks; 8-bit renders get no 16-bit planes.
    void reserve(int slots, int width, int rows, int inks, int bits,
                 int spot_planes = 0, int contone_bits = 8);

    BandSlot& slot(long band) { return slots_[band % slots_.size()]; }
    size_t bytes() const;

private:
    std::vector<BandSlot> slots_;
};

}  // namespace ripline::pipeline
