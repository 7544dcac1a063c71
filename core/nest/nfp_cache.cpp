// SPDX-License-Identifier: AGPL-3.0-or-later
// Convex pieces of every orientation and the cache of their no-fit sets.
#include "core/nest/nfp_cache.hpp"

#include <algorithm>
#include <cmath>

namespace ripline::nest {

double penetration(const Nfp& nfp, Point t)
{
    const Box& b = nfp.box;
    if (t.x <= b.x_min || t.x >= b.x_max || t.y <= b.y_min || t.y >= b.y_max)
        return 0;

    // Inside a CCW ring every edge sees t on its left; the depth is the
    // smallest of those distances.
    double depth = INFINITY;
    const Ring& r = nfp.ring;
    for (size_t i = 0, n = r.size(); i < n; ++i) {
        Point a = r[i], e = r[i + 1 == n ? 0 : i + 1] - a;
        double d = cross(e, t - a) * nfp.inv_edge[i];
        if (d <= 0)
            return 0;
        depth = std::min(depth, d);
    }
    return depth;
}

int PieceLibrary::add(const ShapeOrientation& shape)
{
    Orient o;
    o.box = bounds(shape.rings);
    static const std::vector<Ring> no_holes;
    for (size_t k = 0; k < shape.rings.size(); ++k) {
        const std::vector<Ring>& holes =
            k < shape.holes.size() ? shape.holes[k] : no_holes;
        for (Ring& convex : convex_pieces(shape.rings[k], holes)) {
            if (convex.size() < 3)
                continue;
            o.pieces.push_back(static_cast<int>(pieces_.size()));
            Box box = bounds(convex);
            pieces_.push_back({std::move(convex), box});
        }
    }
    orients_.push_back(std::move(o));
    return static_cast<int>(orients_.size()) - 1;
}

void PieceLibrary::seal()
{
    size_t n = pieces_.size();
    if (n <= 3000)
        dense_.assign(n * n, -1);
}

const Nfp& PieceLibrary::make(int placed, int moving)
{
    Nfp n;
    n.ring = convex_nfp(piece(placed).ring, piece(moving).ring);
    n.box = bounds(n.ring);
    for (size_t i = 0; i < n.ring.size(); ++i) {
        Point e = n.ring[(i + 1) % n.ring.size()] - n.ring[i];
        double length = std::hypot(e.x, e.y);
        n.inv_edge.push_back(length > 0 ? 1 / length : 0);
    }
    nfps_.push_back(std::move(n));
    return nfps_.back();
}

const Nfp& PieceLibrary::nfp(int placed, int moving)
{
    if (!dense_.empty()) {
        std::int32_t& at = dense_[size_t(placed) * pieces_.size() +
                                  size_t(moving)];
        if (at < 0) {
            make(placed, moving);
            at = static_cast<std::int32_t>(nfps_.size() - 1);
        }
        return nfps_[size_t(at)];
    }
    std::uint64_t key = (std::uint64_t(std::uint32_t(placed)) << 32) |
                        std::uint32_t(moving);
    auto found = nfp_at_.find(key);
    if (found != nfp_at_.end())
        return nfps_[found->second];
    const Nfp& n = make(placed, moving);
    nfp_at_.emplace(key, nfps_.size() - 1);
    return n;
}

}  // namespace ripline::nest
