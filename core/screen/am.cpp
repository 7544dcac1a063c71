// SPDX-License-Identifier: AGPL-3.0-or-later
// AM screens: supercell geometry on the dot grid and spot-function ranks.
#include "core/screen/am.hpp"

#include "core/common/error.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ripline::screen {

namespace {

// The largest brick tile we build, in dots (and so in bytes per plane).
constexpr int64_t max_tile_dots = int64_t(1) << 18;
constexpr int max_supercell = 32;

// An integer lattice of screen cells: v1 and v2 span `cells` cells each.
struct Lattice {
    int64_t v1x, v1y, v2x, v2y;
    int cells;

    int64_t det() const { return v1x * v2y - v1y * v2x; }
};

// Extended gcd: g = a * s + b * t.
int64_t extended_gcd(int64_t a, int64_t b, int64_t& s, int64_t& t)
{
    if (b == 0) {
        s = a >= 0 ? 1 : -1;
        t = 0;
        return std::abs(a);
    }
    int64_t s1, t1;
    int64_t g = extended_gcd(b, a % b, s1, t1);
    s = t1;
    t = s1 - (a / b) * t1;
    return g;
}

// The lattice of `cells` x `cells` screen cells at the ruling and angle,
// rounded to whole dots. The device y axis points down the feed, so a
// counter-clockwise angle turns the first axis towards -y.
Lattice lattice_for(int cells, double lpi, double angle_deg, double xdpi,
                    double ydpi)
{
    double a = angle_deg * M_PI / 180.0;
    double px = cells * xdpi / lpi, py = cells * ydpi / lpi;
    Lattice l;
    l.cells = cells;
    l.v1x = std::llround(std::cos(a) * px);
    l.v1y = std::llround(-std::sin(a) * py);
    if (xdpi == ydpi) { // square cells stay exactly square
        l.v2x = -l.v1y;
        l.v2y = l.v1x;
    } else {
        l.v2x = std::llround(std::sin(a) * px);
        l.v2y = std::llround(std::cos(a) * py);
    }
    return l;
}

// How far a lattice is from the asked ruling (relative) and angle (deg).
void lattice_error(const Lattice& l, double lpi, double angle_deg, double xdpi,
                   double ydpi, double& lpi_got, double& angle_got)
{
    double ux = l.v1x / xdpi / l.cells, uy = -l.v1y / ydpi / l.cells;
    lpi_got = 1.0 / std::hypot(ux, uy);
    angle_got = std::atan2(uy, ux) * 180.0 / M_PI;
    // Report the achieved angle on the same turn as the asked one.
    while (angle_got - angle_deg > 180)
        angle_got -= 360;
    while (angle_deg - angle_got > 180)
        angle_got += 360;
    (void)lpi;
}

// The smallest supercell that meets the ruling within 0.1% and the
// angle within 0.05 degree, or the closest one that fits a tile.
bool choose_lattice(double lpi, double angle_deg, double xdpi, double ydpi,
                    Lattice& best, double& best_lpi, double& best_angle)
{
    double best_cost = 1e300;
    for (int n = 1; n <= max_supercell; ++n) {
        Lattice l = lattice_for(n, lpi, angle_deg, xdpi, ydpi);
        if (l.det() == 0 || std::abs(l.det()) > max_tile_dots)
            break;
        double got_lpi, got_angle;
        lattice_error(l, lpi, angle_deg, xdpi, ydpi, got_lpi, got_angle);
        double lpi_error = std::abs(got_lpi / lpi - 1);
        double angle_error = std::abs(got_angle - angle_deg);
        double cost = 100 * lpi_error + angle_error;
        if (cost < best_cost) {
            best_cost = cost;
            best = l;
            best_lpi = got_lpi;
            best_angle = got_angle;
        }
        if (lpi_error < 0.001 && angle_error < 0.05)
            break;
    }
    return best_cost < 1e300;
}

// Spot functions on cell coordinates in [-1, 1): higher fires first.
double spot(DotShape shape, double u, double v)
{
    double a = std::abs(u), b = std::abs(v);
    if (shape == DotShape::round) {
        // Euclidean dot: round dots that meet as a checkerboard at 50%
        // and leave round holes above it.
        if (a + b <= 1)
            return 1 - (a * a + b * b);
        return (a - 1) * (a - 1) + (b - 1) * (b - 1) - 1;
    }
    // Elliptical (chain) dot: ellipses join along their long axis near
    // 40% and across it near 60%, avoiding the 50% tone jump.
    double w = 4 * a + 3 * b - 3;
    if (w < 0)
        return 1 - (b * b + (a / 0.75) * (a / 0.75)) / 4;
    if (w > 1)
        return ((1 - b) * (1 - b) + ((1 - a) / 0.75) * ((1 - a) / 0.75)) / 4 -
               1;
    return 0.5 - w;
}

// Mixes a cell number into an order that spreads cells across the
// supercell, so equal spot values grow in scattered cells first.
uint64_t scatter(uint64_t v)
{
    v = (v ^ (v >> 31)) * 0x7FB5D329728EA185ull;
    v = (v ^ (v >> 27)) * 0x81DADEF4BC2DD44Dull;
    return v ^ (v >> 33);
}

// Ranks every dot of the tile by its spot value within its cell.
std::vector<uint32_t> spot_ranks(const Lattice& l, int width, int height,
                                 DotShape shape)
{
    struct Key {
        int64_t spot;
        uint64_t order;
        uint32_t index;
    };
    std::vector<Key> keys;
    keys.reserve(size_t(width) * height);
    double det = double(l.det());
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            // Cell coordinates of the dot centre.
            double px = x + 0.5, py = y + 0.5;
            double s = (px * l.v2y - py * l.v2x) / det * l.cells;
            double t = (py * l.v1x - px * l.v1y) / det * l.cells;
            double fs = std::floor(s), ft = std::floor(t);
            double value = spot(shape, 2 * (s - fs) - 1, 2 * (t - ft) - 1);
            int64_t cs = int64_t(fs) % l.cells, ct = int64_t(ft) % l.cells;
            uint64_t cell = uint64_t((cs + l.cells) % l.cells) * l.cells +
                            uint64_t((ct + l.cells) % l.cells);
            keys.push_back({std::llround(value * 1e7), scatter(cell),
                            uint32_t(y * width + x)});
        }
    std::sort(keys.begin(), keys.end(), [](const Key& p, const Key& q) {
        if (p.spot != q.spot)
            return p.spot > q.spot;
        if (p.order != q.order)
            return p.order < q.order;
        return p.index < q.index;
    });
    std::vector<uint32_t> ranks(keys.size());
    for (size_t r = 0; r < keys.size(); ++r)
        ranks[keys[r].index] = uint32_t(r);
    return ranks;
}

[[noreturn]] void bad_lpi(double lpi, double xdpi, double ydpi,
                          const std::string& why)
{
    char text[256];
    std::snprintf(text, sizeof text,
                  "print mode screen: lpi = %g cannot be carried at %g x "
                  "%g dpi: %s",
                  lpi, xdpi, ydpi, why.c_str());
    throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::screen, text);
}

} // namespace

AmTile make_am_tile(double lpi, double angle_deg, DotShape shape, double xdpi,
                    double ydpi)
{
    double cell_dots = std::min(xdpi, ydpi) / lpi;
    char limit[160];
    if (!(lpi > 0) || !std::isfinite(lpi))
        bad_lpi(lpi, xdpi, ydpi, "it must be a positive number");
    if (cell_dots < am_min_cell_dots) {
        std::snprintf(limit, sizeof limit,
                      "a cell needs at least %g x %g dots, so at most "
                      "%g lpi",
                      am_min_cell_dots, am_min_cell_dots,
                      std::min(xdpi, ydpi) / am_min_cell_dots);
        bad_lpi(lpi, xdpi, ydpi, limit);
    }
    if (std::max(xdpi, ydpi) / lpi > am_max_cell_dots) {
        std::snprintf(limit, sizeof limit,
                      "a cell may span at most %g dots, so at least %g lpi",
                      am_max_cell_dots,
                      std::max(xdpi, ydpi) / am_max_cell_dots);
        bad_lpi(lpi, xdpi, ydpi, limit);
    }

    Lattice l{};
    AmTile tile;
    if (!choose_lattice(lpi, angle_deg, xdpi, ydpi, l, tile.lpi,
                        tile.angle_deg))
        bad_lpi(lpi, xdpi, ydpi, "no screen tile fits");

    // The brick: one horizontal period wide, and as tall as the
    // smallest step along the feed between cells; (shift_x, height) is
    // the lattice vector that makes that step.
    int64_t s, t;
    int64_t g = extended_gcd(l.v1y, l.v2y, s, t);
    int64_t period = std::abs(l.det()) / g;
    int64_t shift = (s * l.v1x + t * l.v2x) % period;
    tile.width = int(period);
    tile.height = int(g);
    tile.shift_x = int(shift < 0 ? shift + period : shift);
    tile.cells = l.cells;
    tile.ranks = spot_ranks(l, tile.width, tile.height, shape);
    return tile;
}

} // namespace ripline::screen
