// SPDX-License-Identifier: AGPL-3.0-or-later
// Affine transforms and rectangles of the impose stage.
#include "core/impose/detail.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ripline::impose {

Affine concat(const Affine& m, const Affine& n)
{
    // Row vector convention: p' = p * m * n, as MuPDF's fz_concat.
    return {m.a * n.a + m.b * n.c,       m.a * n.b + m.b * n.d,
            m.c * n.a + m.d * n.c,       m.c * n.b + m.d * n.d,
            m.e * n.a + m.f * n.c + n.e, m.e * n.b + m.f * n.d + n.f};
}

namespace detail {

Affine translate(double x, double y)
{
    return {1, 0, 0, 1, x, y};
}

Affine scale(double sx, double sy)
{
    return {sx, 0, 0, sy, 0, 0};
}

// Counter-clockwise as seen on the print, in y-down coordinates.
Affine rotate(double degrees)
{
    // Quarter turns exactly, so that 90-degree layouts stay on the grid.
    double turns = degrees / 90.0;
    if (std::abs(turns - std::round(turns)) < 1e-12) {
        int q = ((static_cast<int>(std::lround(turns)) % 4) + 4) % 4;
        static const double cs[4][2] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
        double c = cs[q][0], s = cs[q][1];
        return {c, -s, s, c, 0, 0};
    }
    double rad = degrees * std::numbers::pi / 180.0;
    double c = std::cos(rad), s = std::sin(rad);
    return {c, -s, s, c, 0, 0};
}

PointD apply(const Affine& m, double x, double y)
{
    return {m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f};
}

RectD transform_rect(const Affine& m, const RectD& r)
{
    PointD p[4] = {apply(m, r.x0, r.y0), apply(m, r.x1, r.y0),
                   apply(m, r.x0, r.y1), apply(m, r.x1, r.y1)};
    RectD out{p[0].x, p[0].y, p[0].x, p[0].y};
    for (const PointD& q : p) {
        out.x0 = std::min(out.x0, q.x);
        out.y0 = std::min(out.y0, q.y);
        out.x1 = std::max(out.x1, q.x);
        out.y1 = std::max(out.y1, q.y);
    }
    return out;
}

RectD expand(const RectD& r, double by)
{
    return {r.x0 - by, r.y0 - by, r.x1 + by, r.y1 + by};
}

RectD intersect(const RectD& r, const RectD& s)
{
    RectD out{std::max(r.x0, s.x0), std::max(r.y0, s.y0), std::min(r.x1, s.x1),
              std::min(r.y1, s.y1)};
    if (out.x1 < out.x0)
        out.x1 = out.x0;
    if (out.y1 < out.y0)
        out.y1 = out.y0;
    return out;
}

bool overlaps(const RectD& r, const RectD& s)
{
    return r.x0 < s.x1 && s.x0 < r.x1 && r.y0 < s.y1 && s.y0 < r.y1;
}

} // namespace detail
} // namespace ripline::impose
