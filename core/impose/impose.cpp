// SPDX-License-Identifier: AGPL-3.0-or-later
// The impose stage's entry: items from the job, a layout, then marks.
#include "core/common/error.hpp"
#include "core/common/units.hpp"
#include "core/impose/detail.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace ripline::impose {

using namespace detail;

namespace detail {

std::string where(const job::Job& job)
{
    if (!job.ticket_path.empty())
        return job.ticket_path.string();
    return job.inputs.empty() ? job.name : job.inputs[0].path;
}

void fail(const job::Job& job, const std::string& message)
{
    throw Error(RL_ERROR_BAD_INPUT, Stage::impose, message, where(job));
}

// Crop to the trim, size, mirror and turn in points; then to dots.
Item make_item(const PageRef& page, const Shape& shape, const Area& area)
{
    const job::Transform& t = shape.transform;
    double w = shape.crop_pt.width() * t.scale;
    Affine m = concat(translate(-shape.crop_pt.x0, -shape.crop_pt.y0),
                      scale(t.scale, t.scale));
    if (t.mirror)
        m = concat(m, Affine{-1, 0, 0, 1, w, 0});
    m = concat(m, rotate(t.rotation_deg));
    RectD turned = transform_rect(m, shape.crop_pt);
    m = concat(m, translate(-turned.x0, -turned.y0));

    Item item;
    item.page = &page;
    double sx = area.xdpi / units::points_per_inch;
    double sy = area.ydpi / units::points_per_inch;
    item.to_trim = concat(m, scale(sx, sy));
    item.width_dots = turned.width() * sx;
    item.height_dots = turned.height() * sy;
    item.bleed_x_dots = shape.bleed_pt * t.scale * sx;
    item.bleed_y_dots = shape.bleed_pt * t.scale * sy;
    item.rotation_deg = t.rotation_deg;
    return item;
}

Placement place(const Item& item, double x, double y)
{
    // Whole dots, so that placements computed anywhere meet exactly.
    double left = units::round_dots(x), top = units::round_dots(y);
    Placement p;
    p.input = item.page->input;
    p.page = item.page->page;
    p.copy = item.copy;
    p.part_id = item.part_id;
    p.page_to_sheet = concat(item.to_trim, translate(left, top));
    p.trim_dots = {left, top, left + item.width_dots, top + item.height_dots};
    p.clip_dots = {left - item.bleed_x_dots, top - item.bleed_y_dots,
                   p.trim_dots.x1 + item.bleed_x_dots,
                   p.trim_dots.y1 + item.bleed_y_dots};
    return p;
}

Sheet new_sheet(const Area& area, double height_dots)
{
    Sheet sheet;
    sheet.width_dots = units::round_dots(area.width_dots);
    sheet.height_dots = units::round_dots(height_dots);
    return sheet;
}

} // namespace detail

namespace {

Area area_for(const job::Job& job, const Media& media, double xdpi, double ydpi)
{
    Area area;
    area.roll = media.roll;
    area.xdpi = xdpi;
    area.ydpi = ydpi;
    area.width_dots = units::dots_from_mm(media.width_mm, xdpi);
    area.height_dots = units::dots_from_mm(media.length_mm, ydpi);
    double margin_mm = job.layout.margin_units >= 0
                           ? job::mm_from_units(job.layout.margin_units)
                           : media.margin_mm;
    margin_mm = std::max(margin_mm, marks_margin_mm(job, media.registration));
    area.registration = media.registration;
    area.margin_x_dots = units::dots_from_mm(margin_mm, xdpi);
    area.margin_y_dots = units::dots_from_mm(margin_mm, ydpi);
    area.bottom_extra_dots = units::dots_from_mm(marks_bottom_mm(job), ydpi);
    return area;
}

std::string page_name(const job::Job& job, const PageRef& page)
{
    return "page " + std::to_string(page.page + 1) + " of " +
           job.inputs[page.input].path;
}

std::string mm_text(double dots, double dpi)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f mm", dots * 25.4 / dpi);
    return text;
}

bool fits(const Item& item, const Area& area)
{
    double tolerance = 0.5; // half a dot of rounding
    if (item.outer_width() > area.usable_width() + tolerance)
        return false;
    double height = area.usable_height();
    return height <= 0 || item.outer_height() <= height + tolerance;
}

// Fit to media, and turn a quarter when that fits where the page does not
// or, on a roll, uses less of it.
Item shaped_item(const job::Job& job, const PageRef& page, Shape shape,
                 const Area& area)
{
    Item item = make_item(page, shape, area);
    if (job.layout.auto_rotate) {
        Shape turned = shape;
        turned.transform.rotation_deg += 90;
        Item other = make_item(page, turned, area);
        bool shorter = area.roll && other.outer_height() < item.outer_height();
        if (fits(other, area) && (!fits(item, area) || shorter))
            item = other, shape = turned;
    }
    if (job.layout.fit_to_media) {
        double f = area.usable_width() / item.outer_width();
        if (area.usable_height() > 0)
            f = std::min(f, area.usable_height() / item.outer_height());
        shape.transform.scale *= f;
        item = make_item(page, shape, area);
    }
    return item;
}

void check_fits(const job::Job& job, const Item& item, const Area& area)
{
    if (fits(item, area))
        return;
    fail(job, page_name(job, *item.page) + " is " +
                  mm_text(item.outer_width(), area.xdpi) + " x " +
                  mm_text(item.outer_height(), area.ydpi) +
                  "; it does not fit the media's printable " +
                  mm_text(area.usable_width(), area.xdpi) +
                  (area.usable_height() > 0
                       ? " x " + mm_text(area.usable_height(), area.ydpi)
                       : std::string(" width")) +
                  " (media " + mm_text(area.width_dots, area.xdpi) + " wide)");
}

using PageIndex = std::map<std::pair<int, int>, const PageRef*>;

PageIndex index_pages(const std::vector<PageRef>& pages)
{
    PageIndex index;
    for (const PageRef& page : pages)
        index[{page.input, page.page}] = &page;
    return index;
}

// The page box, or with TrimWhite what the page paints inside it.
RectD visible_box(const job::Job& job, const PageRef& page)
{
    const RectD& c = page.content_pt;
    if (!job.layout.trim_white || c.width() <= 0 || c.height() <= 0)
        return page.box_pt;
    return intersect(page.box_pt, c);
}

// Generated layouts name a placement DOCUMENT:PAGE#COPY, all 1-based.
std::string generated_id(const PageRef& page, int copy)
{
    return std::to_string(page.input + 1) + ":" +
           std::to_string(page.page + 1) + "#" + std::to_string(copy + 1);
}

// Without parts: every page of every input, collated: the job's copies
// repeat the whole set, each input's copies repeat that document.
std::vector<Item> layout_items(const job::Job& job,
                               const std::vector<PageRef>& pages,
                               const Area& area)
{
    std::vector<Item> items;
    bool tiles = job.layout.kind == job::LayoutKind::tile;
    for (int j = 0; j < job.copies; ++j)
        for (std::size_t i = 0; i < job.inputs.size(); ++i)
            for (int c = 0; c < job.inputs[i].copies; ++c)
                for (const PageRef& page : pages) {
                    if (page.input != static_cast<int>(i))
                        continue;
                    Shape shape{
                        visible_box(job, page), job.layout.transform,
                        units::points_from_units(job.layout.bleed_units)};
                    Item item = shaped_item(job, page, shape, area);
                    item.copy = j * job.inputs[i].copies + c;
                    item.part_id = generated_id(page, item.copy);
                    if (!tiles)
                        check_fits(job, item, area);
                    items.push_back(item);
                }
    return items;
}

// The page box a part shows: SourceArea (units from the page's top-left)
// or the whole (visible) page.
RectD part_crop(const job::Job& job, const job::Part& part, const PageRef& page)
{
    if (!part.source_area)
        return visible_box(job, page);
    const job::RectUnits& s = *part.source_area;
    return {page.box_pt.x0 + units::points_from_units(s.left),
            page.box_pt.y0 + units::points_from_units(s.top),
            page.box_pt.x0 + units::points_from_units(s.right),
            page.box_pt.y0 + units::points_from_units(s.bottom)};
}

job::Transform part_transform(const job::Job& job, const job::Part& part)
{
    job::Transform t = part.transform;
    t.rotation_deg += job.layout.transform.rotation_deg;
    t.scale *= job.layout.transform.scale;
    t.mirror = t.mirror != job.layout.transform.mirror;
    return t;
}

const PageRef& find_page(const job::Job& job, const PageIndex& index,
                         const job::Part& part)
{
    auto it = index.find({part.input, part.source_page});
    if (it == index.end())
        fail(job, "part " + part.id + ": SourcePage " +
                      std::to_string(part.source_page) +
                      " (0-based) is not a page of " +
                      job.inputs[part.input].path);
    return *it->second;
}

std::vector<Item> part_items(const job::Job& job,
                             const std::vector<PageRef>& pages,
                             const Area& area)
{
    PageIndex index = index_pages(pages);
    std::vector<Item> items;
    double sx = area.xdpi / units::units_per_inch;
    double sy = area.ydpi / units::units_per_inch;
    for (const job::Part& part : job.parts) {
        const PageRef& page = find_page(job, index, part);
        Shape shape{part_crop(job, part, page), part_transform(job, part),
                    units::points_from_units(job.layout.bleed_units)};
        for (int c = 0; c < part.copies; ++c) {
            Item item = part.position ? make_item(page, shape, area)
                                      : shaped_item(job, page, shape, area);
            item.copy = c;
            item.part_id = part.id;
            item.sheet = part.destination_page - 1;
            if (part.position && c == 0)
                item.position_dots =
                    PointD{part.position->x * sx, part.position->y * sy};
            items.push_back(item);
        }
    }
    return items;
}

void check_arguments(const job::Job& job, const Media& media, double xdpi,
                     double ydpi)
{
    if (!(xdpi > 0 && ydpi > 0 && xdpi <= 10000 && ydpi <= 10000))
        throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::impose,
                    "resolution must be 1..10000 dpi", where(job));
    if (!(media.width_mm > 0) || media.length_mm < 0 ||
        (!media.roll && !(media.length_mm > 0)))
        throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::impose,
                    "media needs a width, and a length for sheets", where(job));
}

} // namespace

Media media_for(const job::Job& job, const Media& fallback)
{
    if (!job.media)
        return fallback;
    Media media = fallback;
    media.roll = job.media->roll;
    media.width_mm = job::mm_from_units(job.media->width_units);
    media.length_mm = job::mm_from_units(job.media->height_units);
    return media;
}

std::vector<Sheet> impose(const job::Job& job,
                          const std::vector<PageRef>& pages, const Media& media,
                          double xdpi, double ydpi)
{
    check_arguments(job, media, xdpi, ydpi);
    Area area = area_for(job, media, xdpi, ydpi);
    if (area.usable_width() <= 0)
        fail(job, "the media (" + mm_text(area.width_dots, xdpi) +
                      ") is narrower than its margins and marks");

    std::vector<Sheet> sheets;
    if (!job.parts.empty()) {
        std::vector<Item> items = part_items(job, pages, area);
        sheets = layout_parts(job, items, area);
    } else {
        std::vector<Item> items = layout_items(job, pages, area);
        switch (job.layout.kind) {
        case job::LayoutKind::single:
            sheets = layout_single(job, items, area);
            break;
        case job::LayoutKind::nup:
            sheets = layout_grid(job, items, area, false);
            break;
        case job::LayoutKind::step_repeat:
            sheets = layout_grid(job, items, area, true);
            break;
        case job::LayoutKind::tile:
            sheets = layout_tiles(job, items, area);
            break;
        }
    }
    add_marks(job, area, sheets);
    return sheets;
}

double efficiency(const std::vector<Sheet>& sheets)
{
    double used = 0, covered = 0;
    for (const Sheet& sheet : sheets) {
        used += double(sheet.width_dots) * sheet.height_dots;
        for (const Placement& p : sheet.placements)
            covered += p.trim_dots.width() * p.trim_dots.height();
    }
    return used > 0 ? std::min(1.0, covered / used) : 0;
}

} // namespace ripline::impose
