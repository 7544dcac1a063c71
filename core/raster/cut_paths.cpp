// SPDX-License-Identifier: AGPL-3.0-or-later
// collect_cut_paths: a MuPDF device that keeps the geometry of paths
// painted in cut-contour spots and paints nothing.
//
// MuPDF unwinds with longjmp, so the device's callbacks keep their C++
// state in a Collector owned by collect_cut_paths, outside every fz_try;
// a C++ exception inside a callback is caught there and passed on to
// MuPDF as fz_throw.
#include "core/raster/cut_paths.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ripline::raster {

using document::guarded;

namespace {

using Point = std::pair<double, double>;

// Most segments one Bézier becomes, whatever its size.
constexpr int max_curve_segments = 4096;

// What the callbacks build: the subpath being walked and the results.
struct Collector {
    const ColorSetup* names = nullptr;
    double tolerance_dots = 0.1;
    fz_matrix ctm = fz_identity;
    std::vector<CutPath> paths;
    CutPath current;
    Point start{}, at{};   // subpath start and current point, dots
    size_t last_begin = 0; // the paths the last painting call added
    bool failed = false;
    char message[256] = "";

    Point map(float x, float y) const
    {
        const fz_point p = fz_transform_point_xy(x, y, ctm);
        return {p.x, p.y};
    }

    // Keep the current subpath when it has a length; start afresh.
    void flush()
    {
        std::vector<Point>& pts = current.points_dots;
        if (current.closed && pts.size() > 2 && same(pts.front(), pts.back()))
            pts.pop_back();
        if (pts.size() >= 2)
            paths.push_back(current);
        pts.clear();
        current.closed = false;
    }

    void move_to(Point p)
    {
        flush();
        start = at = p;
        current.points_dots.push_back(p);
    }

    void line_to(Point p)
    {
        if (current.points_dots.empty())
            current.points_dots.push_back(at);
        current.points_dots.push_back(p);
        at = p;
    }

    void curve_to(Point p1, Point p2, Point p3);

    void close()
    {
        current.closed = true;
        flush();
        at = start;
    }

    static bool same(Point a, Point b)
    {
        return std::abs(a.first - b.first) < 1e-6 &&
               std::abs(a.second - b.second) < 1e-6;
    }
};

// Uniform steps along the curve: with N of them the chord stays within
// M / (8 N^2) of the curve, M the largest second difference times 6.
void Collector::curve_to(Point p1, Point p2, Point p3)
{
    const Point p0 = at;
    auto second = [](Point a, Point b, Point c) {
        return std::hypot(a.first - 2 * b.first + c.first,
                          a.second - 2 * b.second + c.second);
    };
    const double bend = std::max(second(p0, p1, p2), second(p1, p2, p3));
    const double wanted = std::ceil(std::sqrt(0.75 * bend / tolerance_dots));
    const int n = int(std::clamp(wanted, 1.0, double(max_curve_segments)));

    for (int i = 1; i <= n; i++) {
        const double t = double(i) / n, u = 1 - t;
        const double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t,
                     d = t * t * t;
        line_to({a * p0.first + b * p1.first + c * p2.first + d * p3.first,
                 a * p0.second + b * p1.second + c * p2.second +
                     d * p3.second});
    }
}

// Run BODY on the collector unless an earlier step failed; a C++
// exception is recorded for fz_throw.
template <class Body>
void safely(Collector* c, Body&& body)
{
    if (c->failed)
        return;
    try {
        body();
    } catch (const std::exception& e) {
        c->failed = true;
        std::snprintf(c->message, sizeof c->message, "%s", e.what());
    }
}

Collector* of(void* arg)
{
    return static_cast<Collector*>(arg);
}

void walk_move(fz_context*, void* arg, float x, float y)
{
    Collector* c = of(arg);
    safely(c, [&] { c->move_to(c->map(x, y)); });
}

void walk_line(fz_context*, void* arg, float x, float y)
{
    Collector* c = of(arg);
    safely(c, [&] { c->line_to(c->map(x, y)); });
}

void walk_curve(fz_context*, void* arg, float x1, float y1, float x2,
                float y2, float x3, float y3)
{
    Collector* c = of(arg);
    safely(c, [&] {
        c->curve_to(c->map(x1, y1), c->map(x2, y2), c->map(x3, y3));
    });
}

void walk_close(fz_context*, void* arg)
{
    Collector* c = of(arg);
    safely(c, [&] { c->close(); });
}

const fz_path_walker walker = {walk_move, walk_line, walk_curve, walk_close,
                               nullptr, nullptr, nullptr, nullptr};

// The colorant of CS that names a cut, or NULL.
const char* cut_colorant(const ColorSetup& names, fz_colorspace* cs)
{
    while (cs && cs->type == FZ_COLORSPACE_INDEXED)
        cs = cs->u.indexed.base;
    if (!cs || cs->type != FZ_COLORSPACE_SEPARATION)
        return nullptr;
    for (int i = 0; i < cs->n && i < FZ_MAX_COLORS; i++)
        if (is_cut_name(names, cs->u.separation.colorant[i]))
            return cs->u.separation.colorant[i];
    return nullptr;
}

// Drop the paths the last call added when they repeat the ones before
// (a path filled and then stroked, PDF's B operator).
void drop_repeat(Collector* c, size_t begin)
{
    const size_t before = begin - c->last_begin;
    const size_t added = c->paths.size() - begin;
    bool repeat = added > 0 && added == before;
    for (size_t i = 0; repeat && i < added; i++) {
        const CutPath& a = c->paths[c->last_begin + i];
        const CutPath& b = c->paths[begin + i];
        repeat = a.name == b.name && a.closed == b.closed &&
                 std::equal(a.points_dots.begin(), a.points_dots.end(),
                            b.points_dots.begin(), b.points_dots.end(),
                            Collector::same);
    }
    if (repeat)
        c->paths.resize(begin);
    else
        c->last_begin = begin;
}

struct CutDevice {
    fz_device super;
    Collector* collector;
};

// Walk PATH into the collector when CS is a cut spot.
void collect(fz_context* ctx, fz_device* dev, const fz_path* path,
             fz_matrix ctm, fz_colorspace* cs)
{
    Collector* c = reinterpret_cast<CutDevice*>(dev)->collector;
    const char* name = cut_colorant(*c->names, cs);
    if (!name)
        return;
    const size_t begin = c->paths.size();
    safely(c, [&] { c->current.name = name; });
    c->ctm = ctm;
    fz_walk_path(ctx, path, &walker, c);
    safely(c, [&] {
        c->flush();
        drop_repeat(c, begin);
    });
    if (c->failed)
        fz_throw(ctx, FZ_ERROR_GENERIC, "cut paths: %s", c->message);
}

void fill_path(fz_context* ctx, fz_device* dev, const fz_path* path, int,
               fz_matrix ctm, fz_colorspace* cs, const float*, float,
               fz_color_params)
{
    collect(ctx, dev, path, ctm, cs);
}

void stroke_path(fz_context* ctx, fz_device* dev, const fz_path* path,
                 const fz_stroke_state*, fz_matrix ctm, fz_colorspace* cs,
                 const float*, float, fz_color_params)
{
    collect(ctx, dev, path, ctm, cs);
}

// One placement's display list through a cut device into COLLECTOR.
// Plain MuPDF calls only (see guarded()).
void run_placement(fz_context* ctx, const SheetPlacement& placement,
                   fz_display_list* list, Collector* collector)
{
    CutDevice* d = fz_new_derived_device(ctx, CutDevice);
    d->collector = collector;
    d->super.fill_path = fill_path;
    d->super.stroke_path = stroke_path;
    fz_try(ctx)
    {
        fz_run_display_list(ctx, list, &d->super, placement.page_to_sheet,
                            fz_infinite_rect, nullptr);
        fz_close_device(ctx, &d->super);
    }
    fz_always(ctx) { fz_drop_device(ctx, &d->super); }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

}  // namespace

std::vector<CutPath> collect_cut_paths(
    fz_context* ctx, const std::vector<SheetPlacement>& placements,
    const std::vector<std::string>& cut_names, double tolerance_dots)
{
    ColorSetup names;
    names.cut_names = cut_names;
    Collector collector;
    collector.names = &names;
    collector.tolerance_dots = tolerance_dots > 0 ? tolerance_dots : 0.1;

    for (const SheetPlacement& placement : placements) {
        // Each placement starts its own run of repeats.
        collector.last_begin = collector.paths.size();
        fz_display_list* list =
            placement.document->display_list(placement.page);
        const std::string where = "page " +
                                  std::to_string(placement.page + 1) +
                                  " of " +
                                  placement.document->path().string();
        guarded(ctx, RL_ERROR_BAD_INPUT, Stage::raster,
                "cannot read the cut paths of " + where, "",
                [&] {
                    run_placement(ctx, placement, list, &collector);
                });
    }
    return std::move(collector.paths);
}

}  // namespace ripline::raster
