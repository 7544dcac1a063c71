// SPDX-License-Identifier: AGPL-3.0-or-later
// Cut paths in plotter units: tidy, overcut, nearest-neighbour order.
#include "drivers/hpgl/hpgl_paths.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ripline::hpgl {

static double distance(Point a, Point b)
{
    return std::hypot(double(a.x - b.x), double(a.y - b.y));
}

void tidy(Path& path)
{
    std::vector<Point> kept;
    for (const Point& p : path.points)
        if (kept.empty() || !(kept.back() == p))
            kept.push_back(p);
    if (path.closed && kept.size() > 1 && kept.back() == kept.front())
        kept.pop_back();
    if (path.closed && kept.size() >= 2)
        kept.push_back(kept.front());
    if (kept.size() < 2)
        kept.clear();
    path.points = std::move(kept);
}

void add_overcut(Path& path, double overcut_units)
{
    if (!path.closed || overcut_units <= 0 || path.points.size() < 3)
        return;

    // Walk the outline from the start again, for OVERCUT_UNITS.
    std::vector<Point> extra;
    double left = overcut_units;
    for (size_t i = 1; i < path.points.size() && left > 0; ++i) {
        Point a = path.points[i - 1], b = path.points[i];
        double length = distance(a, b);
        if (length >= left) {
            double t = left / length;
            extra.push_back({std::lround(a.x + t * double(b.x - a.x)),
                             std::lround(a.y + t * double(b.y - a.y))});
            break;
        }
        extra.push_back(b);
        left -= length;
    }
    path.points.insert(path.points.end(), extra.begin(), extra.end());
}

// Rotate closed PATH to start at its point nearest HEAD, or reverse open
// PATH if its end is nearer; returns the distance from HEAD to the start.
static double best_entry(Path& path, Point head, bool apply)
{
    const std::vector<Point>& pts = path.points;
    if (!path.closed) {
        double forward = distance(head, pts.front());
        double backward = distance(head, pts.back());
        if (apply && backward < forward)
            std::reverse(path.points.begin(), path.points.end());
        return std::min(forward, backward);
    }
    size_t best = 0;
    double best_distance = std::numeric_limits<double>::max();
    for (size_t i = 0; i + 1 < pts.size(); ++i) {
        double d = distance(head, pts[i]);
        if (d < best_distance) {
            best_distance = d;
            best = i;
        }
    }
    if (apply && best > 0) {
        std::vector<Point> ring(pts.begin(), pts.end() - 1);
        std::rotate(ring.begin(), ring.begin() + long(best), ring.end());
        ring.push_back(ring.front());
        path.points = std::move(ring);
    }
    return best_distance;
}

std::vector<Path> order_for_travel(std::vector<Path> paths)
{
    std::stable_sort(
        paths.begin(), paths.end(),
        [](const Path& a, const Path& b) { return a.pen < b.pen; });
    std::vector<Path> ordered;
    std::vector<bool> used(paths.size(), false);
    Point head{0, 0};
    for (size_t begin = 0; begin < paths.size();) {
        // The paths of one pen: [begin, end).
        size_t end = begin;
        while (end < paths.size() && paths[end].pen == paths[begin].pen)
            ++end;
        for (size_t n = begin; n < end; ++n) {
            size_t next = end;
            double nearest = std::numeric_limits<double>::max();
            for (size_t i = begin; i < end; ++i) {
                if (used[i])
                    continue;
                double d = best_entry(paths[i], head, false);
                if (d < nearest) {
                    nearest = d;
                    next = i;
                }
            }
            used[next] = true;
            best_entry(paths[next], head, true);
            head = paths[next].points.back();
            ordered.push_back(std::move(paths[next]));
        }
        begin = end;
    }
    return ordered;
}

double travel_units(const std::vector<Path>& paths)
{
    double total = 0;
    Point head{0, 0};
    for (const Path& path : paths) {
        total += distance(head, path.points.front());
        head = path.points.back();
    }
    return total;
}

} // namespace ripline::hpgl
