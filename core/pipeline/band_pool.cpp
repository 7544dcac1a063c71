// SPDX-License-Identifier: AGPL-3.0-or-later
// BandPool: sizing and accounting of the reused band buffers.
#include "core/pipeline/band_pool.hpp"

namespace ripline::pipeline {

template <typename T> static void grow(std::vector<T>& buffer, size_t size)
{
    if (buffer.size() < size)
        buffer.resize(size);
}

template <typename T>
static size_t plane_bytes(const std::vector<std::vector<T>>& planes)
{
    size_t total = 0;
    for (const auto& plane : planes)
        total += plane.size() * sizeof(T);
    return total;
}

void BandPool::reserve(int slots, int width, int rows, int inks, int bits,
                       int spot_planes, int contone_bits)
{
    const bool wide = contone_bits == 16;
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
        slot.inks.resize(wide ? 0 : inks);
        slot.wide_inks.resize(wide ? inks : 0);
        slot.wide_process.resize(wide ? 4 : 0);
        slot.dots.resize(inks);
        for (auto& plane : slot.inks)
            grow(plane, slot.contone_stride * rows);
        for (auto& plane : slot.wide_inks)
            grow(plane, slot.contone_stride * rows);
        for (auto& plane : slot.wide_process)
            grow(plane, slot.contone_stride * rows);
        for (auto& plane : slot.dots)
            grow(plane, slot.dots_stride * rows);
        slot.sums.assign(inks, 0);
    }
}

size_t BandPool::bytes() const
{
    size_t total = 0;
    for (const BandSlot& slot : slots_)
        total += slot.cmyk.size() + plane_bytes(slot.process)
                 + plane_bytes(slot.spots) + plane_bytes(slot.inks)
                 + plane_bytes(slot.dots) + plane_bytes(slot.wide_process)
                 + plane_bytes(slot.wide_inks);
    return total;
}

}  // namespace ripline::pipeline
