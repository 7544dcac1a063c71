// SPDX-License-Identifier: AGPL-3.0-or-later
// The overlap search's inner loop in Highway: how deep a point lies in a
// convex no-fit polygon whose edges are packed four to a block. Products
// and sums are taken one by one, in the scalar order (this file builds
// without contraction into fused multiply-adds), so every target gives
// the scalar depth to the bit and a counted nest repeats on any machine.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "core/nest/depth_hwy.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "core/nest/nfp_cache.hpp"

HWY_BEFORE_NAMESPACE();
namespace ripline::nest::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// At most a block's four lanes, so one layout serves every target.
using D = hn::CappedTag<double, edge_block>;

HWY_INLINE double block_depth(const double* packed, double x, double y)
{
    const D d;
    const size_t lanes = hn::Lanes(d);
    const size_t count = size_t(packed[0]);
    const double* blocks = packed + 1;
    const auto vx = hn::Set(d, x), vy = hn::Set(d, y);
    const auto zero = hn::Zero(d);
    auto nearest = hn::Set(d, HUGE_VAL);
    for (size_t k = 0; k < count; ++k, blocks += 3 * edge_block) {
        for (size_t i = 0; i < edge_block; i += lanes) {
            const auto a = hn::LoadU(d, blocks + i);
            const auto b = hn::LoadU(d, blocks + edge_block + i);
            const auto c = hn::LoadU(d, blocks + 2 * edge_block + i);
            const auto dist =
                hn::Add(hn::Add(hn::Mul(a, vx), hn::Mul(b, vy)), c);
            if (!hn::AllFalse(d, hn::Le(dist, zero)))
                return 0;
            nearest = hn::Min(nearest, dist);
        }
    }
    return count > 0 ? hn::GetLane(hn::MinOfLanes(d, nearest)) : 0;
}

void block_depths(const double* table, const std::int32_t* at, size_t count,
                  double x, double y, double* out)
{
    for (size_t k = 0; k < count; ++k)
        out[k] = block_depth(table + at[k], x, y);
}

}  // namespace ripline::nest::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ripline::nest {

HWY_EXPORT(block_depths);

void packed_depths(const double* table, const std::int32_t* at,
                   size_t count, Point t, double* out)
{
    HWY_DYNAMIC_DISPATCH(block_depths)(table, at, count, t.x, t.y, out);
}

}  // namespace ripline::nest
#endif  // HWY_ONCE
