// SPDX-License-Identifier: AGPL-3.0-or-later
// The layouts: single pages, grids (n-up, step & repeat), tiles, parts.
#include "core/common/error.hpp"
#include "core/common/units.hpp"
#include "core/impose/detail.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace ripline::impose::detail {

namespace {

// The sheet height a roll needs for content ending at `bottom_dots`.
double roll_height(const Area& area, double bottom_dots)
{
    return bottom_dots + area.margin_y_dots + area.bottom_extra_dots;
}

double left_for(const job::Job& job, const Area& area, double outer_width)
{
    if (job.layout.center || !area.roll)
        return (area.width_dots - outer_width) / 2;
    return area.margin_x_dots;
}

std::string count_text(int n, const char* what)
{
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

} // namespace

std::vector<Sheet> layout_single(const job::Job& job, std::vector<Item>& items,
                                 const Area& area)
{
    std::vector<Sheet> sheets;
    for (const Item& item : items) {
        double x = left_for(job, area, item.outer_width());
        double y = area.margin_y_dots;
        double height = area.height_dots;
        if (area.roll)
            height = roll_height(area, y + item.outer_height());
        else // centred in the room above the label band
            y = (area.height_dots - area.bottom_extra_dots -
                 item.outer_height()) /
                2;
        Sheet sheet = new_sheet(area, height);
        sheet.placements.push_back(
            place(item, x + item.bleed_x_dots, y + item.bleed_y_dots));
        sheets.push_back(std::move(sheet));
    }
    return sheets;
}

namespace {

// A grid of equal cells: how many fit, how they are spaced, where the
// block starts.
struct Grid {
    double cell_w = 0, cell_h = 0, gap_x = 0, gap_y = 0;
    int columns = 1, rows = 0; // rows 0: as many as the items need
    double x0 = 0, y0 = 0;
    int cells() const { return rows > 0 ? columns * rows : 0; }
};

int fit_count(double room, double cell, double gap)
{
    return static_cast<int>(std::floor((room + gap + 0.5) / (cell + gap)));
}

Grid make_grid(const job::Job& job, const Area& area, double cell_w,
               double cell_h, bool repeat)
{
    const job::Layout& layout = job.layout;
    Grid g;
    g.cell_w = cell_w;
    g.cell_h = cell_h;
    g.gap_x = units::dots_from_units(layout.gap_x_units, area.xdpi);
    g.gap_y = units::dots_from_units(layout.gap_y_units, area.ydpi);
    int fit_x = fit_count(area.usable_width(), cell_w, g.gap_x);
    g.columns = layout.columns > 0 ? layout.columns : fit_x;
    if (g.columns > fit_x)
        fail(job, count_text(g.columns, "column") + " of " +
                      std::to_string(std::lround(cell_w)) +
                      " dots do not fit the media; " +
                      count_text(fit_x, "column") + " do");
    double room_y = area.usable_height();
    int fit_y = room_y > 0 ? fit_count(room_y, cell_h, g.gap_y) : 0;
    g.rows = layout.rows > 0 ? layout.rows : fit_y;
    if (repeat && g.rows == 0)
        g.rows = 1; // an endless roll: one row of repeats per page
    if (room_y > 0 && g.rows > fit_y)
        fail(job, count_text(g.rows, "row") + " do not fit the media; " +
                      count_text(fit_y, "row") + " do");

    // The block sits at the margins, or centred with Center.
    double block_w = g.columns * (cell_w + g.gap_x) - g.gap_x;
    g.x0 = area.margin_x_dots;
    g.y0 = area.margin_y_dots;
    if (layout.center)
        g.x0 += (area.usable_width() - block_w) / 2;
    if (layout.center && !area.roll && g.rows > 0)
        g.y0 += (room_y - (g.rows * (cell_h + g.gap_y) - g.gap_y)) / 2;
    return g;
}

Placement place_in_cell(const Grid& g, const Item& item, int cell)
{
    int row = cell / g.columns, column = cell % g.columns;
    double x = g.x0 + column * (g.cell_w + g.gap_x) +
               (g.cell_w - item.outer_width()) / 2 + item.bleed_x_dots;
    double y = g.y0 + row * (g.cell_h + g.gap_y) +
               (g.cell_h - item.outer_height()) / 2 + item.bleed_y_dots;
    return place(item, x, y);
}

Sheet finish_grid_sheet(const Area& area, const Grid& g, Sheet sheet,
                        int cells_used)
{
    if (!area.roll)
        return sheet;
    int rows = (cells_used + g.columns - 1) / g.columns;
    double bottom = g.y0 + rows * (g.cell_h + g.gap_y) - g.gap_y;
    sheet.height_dots = units::round_dots(roll_height(area, bottom));
    return sheet;
}

} // namespace

std::vector<Sheet> layout_grid(const job::Job& job, std::vector<Item>& items,
                               const Area& area, bool repeat)
{
    std::vector<Sheet> sheets;
    if (items.empty())
        return sheets;
    double cell_w = 0, cell_h = 0;
    for (const Item& item : items) {
        cell_w = std::max(cell_w, item.outer_width());
        cell_h = std::max(cell_h, item.outer_height());
    }
    Grid g = make_grid(job, area, cell_w, cell_h, repeat);

    // Step & repeat: each page copy fills a sheet with itself.
    if (repeat) {
        for (const Item& item : items) {
            Sheet sheet = new_sheet(area, area.height_dots);
            for (int k = 0; k < g.cells(); ++k) {
                Placement p = place_in_cell(g, item, k);
                p.copy = item.copy * g.cells() + k;
                sheet.placements.push_back(p);
            }
            sheets.push_back(finish_grid_sheet(area, g, sheet, g.cells()));
        }
        return sheets;
    }

    // N-up: page copies flow into the cells, a new sheet when full.
    int per_sheet = g.cells() > 0 ? g.cells() : int(items.size());
    for (std::size_t first = 0; first < items.size(); first += per_sheet) {
        Sheet sheet = new_sheet(area, area.height_dots);
        std::size_t end = std::min(items.size(), first + per_sheet);
        for (std::size_t i = first; i < end; ++i)
            sheet.placements.push_back(
                place_in_cell(g, items[i], int(i - first)));
        sheets.push_back(finish_grid_sheet(area, g, sheet, int(end - first)));
    }
    return sheets;
}

namespace {

// Where tiles start along one side: tiles of `tile` dots overlapping by
// `overlap`, covering `length`; the last one may be shorter, or with
// `equal` all are as long, sharing the length out.
std::vector<std::pair<double, double>> tile_spans(double length, double tile,
                                                  double overlap, bool equal)
{
    std::vector<std::pair<double, double>> spans;
    if (equal && length > tile) {
        double n = std::ceil((length - overlap - 0.5) / (tile - overlap));
        tile = (length + (n - 1) * overlap) / n;
    }
    double step = tile - overlap;
    for (int k = 0;; ++k) {
        double start = units::round_dots(k * step);
        double end = std::min(length, start + tile);
        spans.emplace_back(start, end);
        if (end >= length - 0.5)
            break;
    }
    return spans;
}

std::string tile_name(std::size_t row, std::size_t column)
{
    return "tile R" + std::to_string(row + 1) + "C" +
           std::to_string(column + 1);
}

} // namespace

std::vector<Sheet> layout_tiles(const job::Job& job, std::vector<Item>& items,
                                const Area& area)
{
    const job::Layout& layout = job.layout;
    double tw = units::dots_from_units(layout.tile_width_units, area.xdpi);
    double th = units::dots_from_units(layout.tile_height_units, area.ydpi);
    double ox = units::dots_from_units(layout.tile_overlap_units, area.xdpi);
    double oy = units::dots_from_units(layout.tile_overlap_units, area.ydpi);
    if (tw <= 0)
        tw = area.usable_width();
    if (th <= 0)
        th = area.usable_height() > 0 ? area.usable_height() : 1e12;
    if (tw > area.usable_width() + 0.5 ||
        (area.usable_height() > 0 && th > area.usable_height() + 0.5))
        fail(job, "tiles are larger than the media's printable area");
    if (ox >= tw || oy >= th)
        fail(job, "tile overlap must be smaller than the tile");

    std::vector<Sheet> sheets;
    for (const Item& item : items) {
        auto xs = tile_spans(item.width_dots, tw, ox, layout.equal_tiles);
        auto ys = tile_spans(item.height_dots, th, oy, layout.equal_tiles);
        for (std::size_t r = 0; r < ys.size(); ++r)
            for (std::size_t c = 0; c < xs.size(); ++c) {
                double w = xs[c].second - xs[c].first;
                double h = ys[r].second - ys[r].first;
                double mx = area.margin_x_dots, my = area.margin_y_dots;
                if (!area.roll || layout.center)
                    mx = units::round_dots((area.width_dots - w) / 2);
                Affine m = concat(item.to_trim, translate(mx - xs[c].first,
                                                          my - ys[r].first));
                if (layout.rotate_alternate_tiles && (r + c) % 2 == 1)
                    m = concat(m, Affine{-1, 0, 0, -1, 2 * mx + w, 2 * my + h});
                Placement p;
                p.input = item.page->input;
                p.page = item.page->page;
                p.copy = item.copy;
                p.part_id = tile_name(r, c);
                p.page_to_sheet = m;
                p.trim_dots = p.clip_dots = {mx, my, mx + w, my + h};
                double height =
                    area.roll ? roll_height(area, my + h) : area.height_dots;
                Sheet sheet = new_sheet(area, height);
                sheet.placements.push_back(p);
                sheets.push_back(std::move(sheet));
            }
    }
    return sheets;
}

namespace {

// Shelf packing for parts without a Position: rows left to right, a new
// row below when the width is used, a new sheet when the length is.
struct Shelf {
    double x = 0, y = 0, row_height = 0;
};

void check_part_fits(const job::Job& job, const Item& item, const Area& area,
                     double x, double y)
{
    RectD clip{x - item.bleed_x_dots, y - item.bleed_y_dots,
               x + item.width_dots + item.bleed_x_dots,
               y + item.height_dots + item.bleed_y_dots};
    bool too_wide = clip.x0 < -0.5 || clip.x1 > area.width_dots + 0.5;
    // Sheets end at their height; a roll at its maximum length, if any.
    bool too_long = area.height_dots > 0 &&
                    (clip.y0 < -0.5 || clip.y1 > area.height_dots + 0.5);
    if (!too_wide && !too_long && clip.y0 >= -0.5)
        return;
    char text[256];
    std::snprintf(text, sizeof text,
                  "part %s at (%.1f, %.1f) mm, %.1f x %.1f mm, lies outside "
                  "the media: %.1f mm wide, %.1f mm long (0: endless)",
                  item.part_id.c_str(), x * 25.4 / area.xdpi,
                  y * 25.4 / area.ydpi, item.width_dots * 25.4 / area.xdpi,
                  item.height_dots * 25.4 / area.ydpi,
                  area.width_dots * 25.4 / area.xdpi,
                  area.height_dots * 25.4 / area.ydpi);
    fail(job, text);
}

struct PartSheets {
    std::vector<Sheet> sheets;
    std::vector<double> bottoms; // lowest content per sheet, dots
    Sheet& at(const Area& area, std::size_t index)
    {
        while (sheets.size() <= index) {
            sheets.push_back(new_sheet(area, area.height_dots));
            bottoms.push_back(0);
        }
        return sheets[index];
    }
    void add(const Area& area, std::size_t index, const Placement& p)
    {
        at(area, index).placements.push_back(p);
        bottoms[index] = std::max(bottoms[index], p.clip_dots.y1);
    }
};

// Flow one unpositioned part onto its sheet, or the next ones.
void flow_part(const job::Job& job, const Item& item, const Area& area,
               PartSheets& out, std::map<std::size_t, Shelf>& shelves)
{
    std::size_t index = static_cast<std::size_t>(std::max(0, item.sheet));
    double gap_x = units::dots_from_units(job.layout.gap_x_units, area.xdpi);
    double gap_y = units::dots_from_units(job.layout.gap_y_units, area.ydpi);
    for (;; ++index) {
        out.at(area, index);
        auto [it, fresh] = shelves.try_emplace(index);
        Shelf& s = it->second;
        if (fresh) {
            s.x = area.margin_x_dots;
            s.y = std::max(area.margin_y_dots, out.bottoms[index] > 0
                                                   ? out.bottoms[index] + gap_y
                                                   : 0.0);
        }
        if (s.x + item.outer_width() > area.width_dots - area.margin_x_dots &&
            s.x > area.margin_x_dots) {
            s.x = area.margin_x_dots;
            s.y += s.row_height + gap_y;
            s.row_height = 0;
        }
        double limit = area.usable_height();
        bool full =
            limit > 0 && s.y + item.outer_height() > area.margin_y_dots + limit;
        if (full && s.y > area.margin_y_dots + 0.5)
            continue; // the next sheet
        if (full)
            fail(job, "part " + item.part_id +
                          " is longer than the media's printable length");
        out.add(area, index,
                place(item, s.x + item.bleed_x_dots, s.y + item.bleed_y_dots));
        s.x += item.outer_width() + gap_x;
        s.row_height = std::max(s.row_height, item.outer_height());
        return;
    }
}

} // namespace

std::vector<Sheet> layout_parts(const job::Job& job, std::vector<Item>& items,
                                const Area& area)
{
    PartSheets out;
    for (const Item& item : items)
        if (item.position_dots) {
            check_part_fits(job, item, area, item.position_dots->x,
                            item.position_dots->y);
            out.add(area, item.sheet,
                    place(item, item.position_dots->x, item.position_dots->y));
        }
    std::map<std::size_t, Shelf> shelves;
    for (const Item& item : items)
        if (!item.position_dots) {
            if (item.outer_width() > area.usable_width() + 0.5)
                check_part_fits(job, item, area, area.width_dots, 0);
            flow_part(job, item, area, out, shelves);
        }

    // Roll sheets end below their content; empty sheets are dropped; the
    // job's copies repeat the whole set.
    std::vector<Sheet> sheets;
    for (std::size_t i = 0; i < out.sheets.size(); ++i) {
        if (out.sheets[i].placements.empty())
            continue;
        if (area.roll)
            out.sheets[i].height_dots =
                units::round_dots(roll_height(area, out.bottoms[i]));
        sheets.push_back(out.sheets[i]);
    }
    std::vector<Sheet> all;
    std::map<std::string, int> seen;
    for (int j = 0; j < job.copies; ++j)
        for (Sheet sheet : sheets) {
            for (Placement& p : sheet.placements)
                p.copy = seen[p.part_id]++;
            all.push_back(std::move(sheet));
        }
    return all;
}

} // namespace ripline::impose::detail
