// SPDX-License-Identifier: AGPL-3.0-or-later
// Registration marks for optical cutters: discs, OPOS-style squares with
// a bar, L-shaped corners, and a Code 39 barcode of the job id, as
// vectors in sheet dots, with the frame the cut file is written in.
#include "core/common/error.hpp"
#include "core/impose/detail.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace ripline::impose::detail {

namespace {

constexpr double default_disc_mm = 5;  // MarkType without a device set
constexpr double mark_pitch_mm = 500;  // extra marks along a long roll
constexpr double narrow_mm = 0.3;      // Code 39 narrow module
constexpr double min_narrow_mm = 0.19; // what cutter cameras still read

const Cmyk black{0, 0, 0, 1};

// Code 39: the 43 characters and '*' (start/stop), each as 9 elements,
// bar first, 'w' wide: five bars, four spaces, three of them wide.
struct Code39 {
    char c;
    const char* pattern;
};
const Code39 code39[] = {
    {'0', "nnnwwnwnn"}, {'1', "wnnwnnnnw"}, {'2', "nnwwnnnnw"},
    {'3', "wnwwnnnnn"}, {'4', "nnnwwnnnw"}, {'5', "wnnwwnnnn"},
    {'6', "nnwwwnnnn"}, {'7', "nnnwnnwnw"}, {'8', "wnnwnnwnn"},
    {'9', "nnwwnnwnn"}, {'A', "wnnnnwnnw"}, {'B', "nnwnnwnnw"},
    {'C', "wnwnnwnnn"}, {'D', "nnnnwwnnw"}, {'E', "wnnnwwnnn"},
    {'F', "nnwnwwnnn"}, {'G', "nnnnnwwnw"}, {'H', "wnnnnwwnn"},
    {'I', "nnwnnwwnn"}, {'J', "nnnnwwwnn"}, {'K', "wnnnnnnww"},
    {'L', "nnwnnnnww"}, {'M', "wnwnnnnwn"}, {'N', "nnnnwnnww"},
    {'O', "wnnnwnnwn"}, {'P', "nnwnwnnwn"}, {'Q', "nnnnnnwww"},
    {'R', "wnnnnnwwn"}, {'S', "nnwnnnwwn"}, {'T', "nnnnwnwwn"},
    {'U', "wwnnnnnnw"}, {'V', "nwwnnnnnw"}, {'W', "wwwnnnnnn"},
    {'X', "nwnnwnnnw"}, {'Y', "wwnnwnnnn"}, {'Z', "nwwnwnnnn"},
    {'-', "nwnnnnwnw"}, {'.', "wwnnnnwnn"}, {' ', "nwwnnnwnn"},
    {'$', "nwnwnwnnn"}, {'/', "nwnwnnnwn"}, {'+', "nwnnnwnwn"},
    {'%', "nnnwnwnwn"}, {'*', "nwnnwnwnn"}};

const char* pattern_of(char c)
{
    for (const Code39& entry : code39)
        if (entry.c == c)
            return entry.pattern;
    return nullptr;
}

Mark filled_rect(double x0, double y0, double x1, double y1)
{
    Mark m;
    m.kind = Mark::Kind::rect;
    m.x0 = x0, m.y0 = y0, m.x1 = x1, m.y1 = y1;
    m.stroke_dots = 0;
    m.color = black;
    m.registration = true;
    return m;
}

RectD content_box(const Sheet& sheet)
{
    RectD box = sheet.placements.front().clip_dots;
    for (const Placement& p : sheet.placements) {
        box.x0 = std::min(box.x0, p.clip_dots.x0);
        box.y0 = std::min(box.y0, p.clip_dots.y0);
        box.x1 = std::max(box.x1, p.clip_dots.x1);
        box.y1 = std::max(box.y1, p.clip_dots.y1);
    }
    return box;
}

struct Scale {
    double x, y; // dots per mm
};

// The reference points of the corner marks: OFFSET outside the layout,
// pulled in where parts sit near the edge so the marks print whole.
RectD frame_of(const Sheet& sheet, double offset_mm, double size_mm,
               Scale s)
{
    const double r = size_mm / 2;
    const RectD box = content_box(sheet);
    RectD f;
    f.x0 = std::max(box.x0 - (offset_mm + r) * s.x, r * s.x);
    f.y0 = std::max(box.y0 - (offset_mm + r) * s.y, r * s.y);
    f.x1 = std::min(box.x1 + (offset_mm + r) * s.x,
                    sheet.width_dots - r * s.x);
    f.y1 = std::min(box.y1 + (offset_mm + r) * s.y,
                    sheet.height_dots - r * s.y);
    return f;
}

// Discs or squares down both sides: the corners, and more every
// mark_pitch_mm, so the camera can correct skew and stretch on a roll.
void side_marks(Sheet& sheet, const RectD& f, double size_mm, Scale s,
                bool squares)
{
    const double rx = size_mm / 2 * s.x, ry = size_mm / 2 * s.y;
    const int steps = std::max(
        1, int(std::ceil((f.y1 - f.y0) / (mark_pitch_mm * s.y))));
    for (int k = 0; k <= steps; ++k) {
        const double y = f.y0 + (f.y1 - f.y0) * k / steps;
        for (double x : {f.x0, f.x1}) {
            if (squares) {
                sheet.marks.push_back(
                    filled_rect(x - rx, y - ry, x + rx, y + ry));
                continue;
            }
            Mark m;
            m.kind = Mark::Kind::disc;
            m.x0 = x, m.y0 = y, m.x1 = rx;
            m.color = black;
            m.registration = true;
            sheet.marks.push_back(m);
        }
    }
}

// OPOS-style: the bar along the top edge, between the top squares, that
// the sensor follows to find the media's X axis.
void top_bar(Sheet& sheet, const RectD& f, double size_mm, Scale s)
{
    const double half = size_mm / 10 * s.y; // 1 mm thick at 5 mm marks
    const double gap = size_mm * s.x;       // clear of the squares
    if (f.x1 - f.x0 > 4 * gap)
        sheet.marks.push_back(filled_rect(f.x0 + gap, f.y0 - half,
                                          f.x1 - gap, f.y0 + half));
}

// An L at each corner: its outer corner on the frame point, its arms
// (twice the mark size long) along the frame's edges, inwards.
void corner_ls(Sheet& sheet, const RectD& f, double size_mm, Scale s)
{
    const double arm_x = 2 * size_mm * s.x, arm_y = 2 * size_mm * s.y;
    const double t_x = size_mm / 5 * s.x, t_y = size_mm / 5 * s.y;
    for (int corner = 0; corner < 4; ++corner) {
        const bool right = corner & 1, bottom = corner & 2;
        const double x = right ? f.x1 : f.x0, y = bottom ? f.y1 : f.y0;
        const double dx = right ? -1 : 1, dy = bottom ? -1 : 1;
        const double ax = x + dx * arm_x, ay = y + dy * arm_y;
        const double tx = x + dx * t_x, ty = y + dy * t_y;
        sheet.marks.push_back(filled_rect(std::min(x, ax), std::min(y, ty),
                                          std::max(x, ax), std::max(y, ty)));
        sheet.marks.push_back(filled_rect(std::min(x, tx), std::min(y, ay),
                                          std::max(x, tx), std::max(y, ay)));
    }
}

// Room for the barcode's quiet zones beside the corner marks of the row.
double quiet_mm(const Registration& reg)
{
    return std::max(reg.size_mm, 10 * narrow_mm);
}

double lead_mm(const Registration& reg)
{
    return reg.family == Registration::Family::corners ? 2 * reg.size_mm
                                                       : reg.size_mm / 2;
}

// A small layout's frame is too narrow for a job id: widen it on both
// sides, as far as the sheet allows, so the barcode keeps 0.3 mm modules.
void widen_for_barcode(RectD& f, const Sheet& sheet, const Registration& reg,
                       Scale s)
{
    const std::vector<Bar> bars = code39_bars(reg.barcode);
    const int modules = bars.back().x_modules + bars.back().width_modules;
    const double need =
        (modules * narrow_mm + 2 * lead_mm(reg) + 2 * quiet_mm(reg)) * s.x;
    const double extra = need - (f.x1 - f.x0);
    if (extra <= 0)
        return;
    const double lo = reg.size_mm / 2 * s.x, hi = sheet.width_dots - lo;
    double x0 = f.x0 - extra / 2, x1 = f.x1 + extra / 2;
    if (x0 < lo)
        x1 += lo - x0, x0 = lo;
    if (x1 > hi)
        x0 -= x1 - hi, x1 = hi;
    f.x0 = std::max(x0, lo);
    f.x1 = x1;
}

// The barcode in the bottom row, right of the origin (bottom-left) mark,
// as tall as the marks; the narrow module shrinks (to what cameras still
// read) before a long id is refused.
void barcode(const job::Job& job, Sheet& sheet, const RectD& f,
             const Registration& reg, Scale s)
{
    const std::vector<Bar> bars = code39_bars(reg.barcode);
    const int modules = bars.back().x_modules + bars.back().width_modules;
    // What the corner marks take of the row: half a mark, or an L's arm.
    const double quiet_mm = detail::quiet_mm(reg);
    const double lead_mm = detail::lead_mm(reg);
    const double room_mm =
        (f.x1 - f.x0) / s.x - 2 * lead_mm - 2 * quiet_mm;
    const double module_mm = std::min(narrow_mm, room_mm / modules);
    if (module_mm < min_narrow_mm)
        fail(job, "the barcode \"" + reg.barcode + "\" needs " +
                      std::to_string(int(std::ceil(modules * min_narrow_mm +
                                                   2 * lead_mm +
                                                   2 * quiet_mm))) +
                      " mm between the registration marks; the sheet has " +
                      std::to_string(int((f.x1 - f.x0) / s.x)) + " mm");
    const double x0 = f.x0 + (lead_mm + quiet_mm) * s.x;
    const double half = reg.size_mm / 2 * s.y;
    for (const Bar& bar : bars)
        sheet.marks.push_back(filled_rect(
            x0 + bar.x_modules * module_mm * s.x, f.y1 - half,
            x0 + (bar.x_modules + bar.width_modules) * module_mm * s.x,
            f.y1 + half));
}

} // namespace

Registration::Family registration_family(const job::Job& job,
                                         const Registration& reg)
{
    if (reg.family != Registration::Family::none)
        return reg.family;
    return job.marks.mark_type >= 0 ? Registration::Family::discs
                                    : Registration::Family::none;
}

double registration_offset_mm(const job::Job& job, const Registration& reg)
{
    return reg.offset_mm >= 0 ? reg.offset_mm
                              : job::mm_from_units(job.marks.mark_offset_units);
}

std::vector<Bar> code39_bars(const std::string& text)
{
    std::vector<Bar> bars;
    int x = 0;
    const std::string framed = "*" + text + "*";
    for (size_t i = 0; i < framed.size(); ++i) {
        const char c =
            char(std::toupper(static_cast<unsigned char>(framed[i])));
        const char* pattern = (c == '*' && i > 0 && i + 1 < framed.size())
                                  ? nullptr
                                  : pattern_of(c);
        if (!pattern)
            throw Error(RL_ERROR_BAD_INPUT, Stage::impose,
                        "barcode text \"" + text + "\": '" +
                            std::string(1, framed[i]) +
                            "' is not a Code 39 character");
        for (int e = 0; e < 9; ++e) {
            const int width = pattern[e] == 'w' ? 3 : 1;
            if (e % 2 == 0)
                bars.push_back({x, width});
            x += width;
        }
        x += 1; // the narrow gap between characters
    }
    return bars;
}

void registration_marks(const job::Job& job, const Registration& reg,
                        double x_dots_per_mm, double y_dots_per_mm,
                        Sheet& sheet)
{
    const Scale s{x_dots_per_mm, y_dots_per_mm};
    const Registration::Family family = registration_family(job, reg);
    const double size_mm =
        reg.family == Registration::Family::none ? default_disc_mm
                                                 : reg.size_mm;
    RectD f = frame_of(sheet, registration_offset_mm(job, reg), size_mm, s);
    if (!reg.barcode.empty())
        widen_for_barcode(f, sheet, reg, s);
    switch (family) {
    case Registration::Family::none: return;
    case Registration::Family::discs:
        side_marks(sheet, f, size_mm, s, false);
        break;
    case Registration::Family::squares:
        side_marks(sheet, f, size_mm, s, true);
        top_bar(sheet, f, size_mm, s);
        break;
    case Registration::Family::corners:
        corner_ls(sheet, f, size_mm, s);
        break;
    }
    if (!reg.barcode.empty())
        barcode(job, sheet, f, reg, s);
    sheet.mark_frame_dots = f;
}

} // namespace ripline::impose::detail
