// SPDX-License-Identifier: AGPL-3.0-or-later
// BandPool: sizing and accounting of the reused band buffers.
#include "core/pipeline/band_pool.hpp"

namespace ripline::pipeline {

static void grow(std::vector<uint8_t>& buffer, size_t size)
{
    if (buffer.size() < size)
        buffer.resize(size);
}

void BandPool::reserve(int slots, int width, int rows, int inks, int bits,
                       int spot_planes)
{
    if (int(slots_.size()) != slots)
        slots_.resize(slots);
    for (BandSlot& slot : slots_) {
        slot.contone_stride = width;
        slot.dots_stride = (size_t(width) * bits + 7) / 8;
        grow(slot.cmyk, size_t(width) * (4 + spot_planes) * rows);
        slot.process.resize(4);
        for (auto& plane : slot.process)
            grow(plane, slot.contone_stride * rows);
        slot.spots.resize(spot_planes);
        for (auto& plane : slot.spots)
            grow(plane, slot.contone_stride * rows);
        slot.inks.resize(inks);
        slot.dots.resize(inks);
        for (int i = 0; i < inks; i++) {
            grow(slot.inks[i], slot.contone_stride * rows);
            grow(slot.dots[i], slot.dots_stride * rows);
        }
        slot.sums.assign(inks, 0);
    }
}

size_t BandPool::bytes() const
{
    size_t total = 0;
    for (const BandSlot& slot : slots_) {
        total += slot.cmyk.size();
        for (const auto& plane : slot.process)
            total += plane.size();
        for (const auto& plane : slot.spots)
            total += plane.size();
        for (const auto& plane : slot.inks)
            total += plane.size();
        for (const auto& plane : slot.dots)
            total += plane.size();
    }
    return total;
}

}  // namespace ripline::pipeline
