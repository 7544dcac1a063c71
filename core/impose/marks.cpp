// SPDX-License-Identifier: AGPL-3.0-or-later
// Marks around the layout: crop and bleed marks, label, colour bar and
// the cutter's registration marks, as vectors in sheet dots.
#include "core/common/units.hpp"
#include "core/impose/detail.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>

namespace ripline::impose::detail {

namespace {

// Sizes of the marks, in mm.
constexpr double crop_offset_mm = 2; // from the bleed edge
constexpr double crop_length_mm = 5;
constexpr double line_pt = 0.25;      // hairline stroke
constexpr double label_mm = 2.5;      // cap height of the label text
constexpr double label_band_mm = 5;
constexpr double patch_mm = 5; // colour bar patch
constexpr double bar_band_mm = 7;

const Cmyk registration_color{1, 1, 1, 1};
const Cmyk black{0, 0, 0, 1};


struct Scale {
    double x, y; // dots per mm
};

Mark line(double x0, double y0, double x1, double y1, double stroke, Cmyk color)
{
    Mark m;
    m.kind = Mark::Kind::line;
    m.x0 = x0, m.y0 = y0, m.x1 = x1, m.y1 = y1;
    m.stroke_dots = stroke;
    m.color = color;
    return m;
}

Mark rect(double x0, double y0, double x1, double y1, Cmyk color)
{
    Mark m = line(x0, y0, x1, y1, 0, color);
    m.kind = Mark::Kind::rect;
    return m;
}

// Placements bucketed on a coarse grid, so that asking which ones a mark
// touches costs a few buckets, not the whole sheet.
class Neighbours {
public:
    explicit Neighbours(const Sheet& sheet) : sheet_(sheet)
    {
        for (const Placement& p : sheet.placements)
            cell_ =
                std::max({cell_, p.clip_dots.width(), p.clip_dots.height()});
        for (std::size_t i = 0; i < sheet.placements.size(); ++i) {
            const RectD& r = sheet.placements[i].clip_dots;
            for (long y = key(r.y0); y <= key(r.y1); ++y)
                for (long x = key(r.x0); x <= key(r.x1); ++x)
                    buckets_[{x, y}].push_back(i);
        }
    }

    // Whether `box` overlaps a placement other than `self`.
    bool hit(std::size_t self, const RectD& box) const
    {
        for (long y = key(box.y0); y <= key(box.y1); ++y)
            for (long x = key(box.x0); x <= key(box.x1); ++x) {
                auto it = buckets_.find({x, y});
                if (it == buckets_.end())
                    continue;
                for (std::size_t i : it->second)
                    if (i != self &&
                        overlaps(box, sheet_.placements[i].clip_dots))
                        return true;
            }
        return false;
    }

private:
    long key(double v) const { return long(std::floor(v / cell_)); }

    const Sheet& sheet_;
    double cell_ = 1;
    std::map<std::pair<long, long>, std::vector<std::size_t>> buckets_;
};

bool hits_other(const Neighbours& near, std::size_t self, const Mark& m)
{
    RectD box{std::min(m.x0, m.x1) - 1, std::min(m.y0, m.y1) - 1,
              std::max(m.x0, m.x1) + 1, std::max(m.y0, m.y1) + 1};
    return near.hit(self, box);
}

// Two short lines per corner of `box`, `offset` away from it, pointing
// outwards; lines that would cross a neighbour are left out.
void corner_marks(Sheet& sheet, const Neighbours& near, std::size_t self,
                  const RectD& box, Scale s, double offset_mm, double length_mm,
                  Cmyk color)
{
    double stroke = std::max(1.0, units::dots_from_points(line_pt, s.x * 25.4));
    double ox = offset_mm * s.x, oy = offset_mm * s.y;
    double lx = length_mm * s.x, ly = length_mm * s.y;
    for (int corner = 0; corner < 4; ++corner) {
        bool right = corner & 1, bottom = corner & 2;
        double x = right ? box.x1 : box.x0, y = bottom ? box.y1 : box.y0;
        double dx = right ? 1 : -1, dy = bottom ? 1 : -1;
        Mark across =
            line(x + dx * ox, y, x + dx * (ox + lx), y, stroke, color);
        Mark along = line(x, y + dy * oy, x, y + dy * (oy + ly), stroke, color);
        for (const Mark& m : {across, along})
            if (!hits_other(near, self, m))
                sheet.marks.push_back(m);
    }
}

void crop_marks(const job::Job& job, Sheet& sheet, Scale s)
{
    if (!job.marks.crop_marks && !job.marks.bleed_marks)
        return;
    Neighbours near(sheet);
    for (std::size_t i = 0; i < sheet.placements.size(); ++i) {
        const Placement& p = sheet.placements[i];
        double bleed_mm = (p.trim_dots.x0 - p.clip_dots.x0) / s.x;
        if (job.marks.crop_marks)
            corner_marks(sheet, near, i, p.trim_dots, s,
                         bleed_mm + crop_offset_mm, crop_length_mm,
                         registration_color);
        if (job.marks.bleed_marks && bleed_mm > 0)
            corner_marks(sheet, near, i, p.clip_dots, s, 1, crop_length_mm / 2,
                         black);
    }
}

std::string today_utc()
{
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
    return text;
}

// One line at the bottom: job, date, sheet number and the parts on it.
void job_label(const job::Job& job, const Area& area, Sheet& sheet, int index,
               int count, Scale s)
{
    std::string text = job.name + "  " + today_utc() + "  sheet " +
                       std::to_string(index + 1) + "/" + std::to_string(count);
    std::size_t listed = 0;
    for (const Placement& p : sheet.placements) {
        if (p.part_id.empty())
            continue;
        if (listed++ == 4) {
            text += " ...";
            break;
        }
        text += "  " + p.part_id;
    }
    Mark m;
    m.kind = Mark::Kind::text;
    m.x0 = area.margin_x_dots;
    m.y0 = sheet.height_dots - area.margin_y_dots -
           (label_band_mm - label_mm) / 2 * s.y;
    m.text_dots = label_mm * s.y;
    m.text = text;
    m.color = black;
    sheet.marks.push_back(m);
}

// Solid patches of each process ink, their overprints and grey tints.
void color_bar(const job::Job& job, const Area& area, Sheet& sheet, Scale s)
{
    static const Cmyk patches[] = {
        {1, 0, 0, 0},    {0, 1, 0, 0},    {0, 0, 1, 0}, {0, 0, 0, 1},
        {1, 1, 0, 0},    {1, 0, 1, 0},    {0, 1, 1, 0}, {0, 0, 0, 0.25f},
        {0, 0, 0, 0.5f}, {0, 0, 0, 0.75f}};
    double bottom = sheet.height_dots - area.margin_y_dots;
    if (job.marks.job_label)
        bottom -= label_band_mm * s.y;
    double top = bottom - patch_mm * s.y;
    double x = area.margin_x_dots;
    for (const Cmyk& c : patches) {
        if (x + patch_mm * s.x > sheet.width_dots - area.margin_x_dots)
            break;
        sheet.marks.push_back(rect(x, top, x + patch_mm * s.x, bottom, c));
        x += patch_mm * s.x;
    }
}

} // namespace

double marks_margin_mm(const job::Job& job, const Registration& reg)
{
    double mm = 0;
    if (job.marks.crop_marks)
        mm = crop_offset_mm + crop_length_mm + 1;
    if (registration_family(job, reg) != Registration::Family::none)
        mm = std::max(mm, registration_offset_mm(job, reg) + reg.size_mm + 1);
    return mm;
}

double marks_bottom_mm(const job::Job& job)
{
    return (job.marks.job_label ? label_band_mm : 0) +
           (job.marks.color_bar ? bar_band_mm : 0);
}

void add_marks(const job::Job& job, const Area& area,
               std::vector<Sheet>& sheets)
{
    Scale s{area.xdpi / units::mm_per_inch, area.ydpi / units::mm_per_inch};
    int count = static_cast<int>(sheets.size());
    for (int i = 0; i < count; ++i) {
        Sheet& sheet = sheets[i];
        if (sheet.placements.empty())
            continue;
        crop_marks(job, sheet, s);
        if (registration_family(job, area.registration) !=
            Registration::Family::none)
            registration_marks(job, area.registration, s.x, s.y, sheet);
        if (job.marks.color_bar)
            color_bar(job, area, sheet, s);
        if (job.marks.job_label)
            job_label(job, area, sheet, i, count, s);
    }
}

} // namespace ripline::impose::detail
