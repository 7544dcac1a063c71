// SPDX-License-Identifier: AGPL-3.0-or-later
// What the impose stage's files share inside: items, media in dots.
#pragma once

#include "core/impose/impose.hpp"

#include <optional>

namespace ripline::impose::detail {

struct PointD {
    double x = 0, y = 0;
};

Affine translate(double x, double y);
Affine scale(double sx, double sy);
Affine rotate(double degrees);
PointD apply(const Affine& m, double x, double y);
RectD transform_rect(const Affine& m, const RectD& r);
RectD expand(const RectD& r, double by);
RectD intersect(const RectD& r, const RectD& s);
bool overlaps(const RectD& r, const RectD& s);

// The media in sheet dots: where content may go.
struct Area {
    double width_dots = 0;  // the roll's or sheet's width
    double height_dots = 0; // sheet height; roll: max length, 0 = none
    double margin_x_dots = 0, margin_y_dots = 0;
    double bottom_extra_dots = 0; // room kept for label and colour bar
    bool roll = true;
    double xdpi = 0, ydpi = 0;
    Registration registration; // the device's mark set
    double usable_width() const { return width_dots - 2 * margin_x_dots; }
    // The usable height, or 0 when the roll has no length limit.
    double usable_height() const
    {
        if (height_dots <= 0)
            return 0;
        return height_dots - 2 * margin_y_dots - bottom_extra_dots;
    }
};

// One page copy to place, already turned and sized: to_trim maps page
// points to dots with the trim's top-left at (0, 0).
struct Item {
    const PageRef* page = nullptr;
    int copy = 0;
    std::string part_id;
    Affine to_trim;
    double width_dots = 0, height_dots = 0; // the trim, after transform
    double bleed_x_dots = 0, bleed_y_dots = 0;
    std::optional<PointD> position_dots; // explicit Part Position
    int sheet = -1;                      // explicit DestinationPage - 1
    double rotation_deg = 0;             // for messages and auto-rotate
    double outer_width() const { return width_dots + 2 * bleed_x_dots; }
    double outer_height() const { return height_dots + 2 * bleed_y_dots; }
};

// How an item is cropped and turned before it is laid out.
struct Shape {
    RectD crop_pt; // in page space
    job::Transform transform;
    double bleed_pt = 0;
};

Item make_item(const PageRef& page, const Shape& shape, const Area& area);

// The placement of `item` with its trim's top-left at (x, y) dots.
Placement place(const Item& item, double x, double y);

// A sheet of the media's width and the given height, rounded to dots.
Sheet new_sheet(const Area& area, double height_dots);

// Where errors point: the ticket, or the document of a plain job.
std::string where(const job::Job& job);

[[noreturn]] void fail(const job::Job& job, const std::string& message);

// Layouts. Each returns sheets without marks.
std::vector<Sheet> layout_single(const job::Job& job, std::vector<Item>& items,
                                 const Area& area);
std::vector<Sheet> layout_grid(const job::Job& job, std::vector<Item>& items,
                               const Area& area, bool repeat);
std::vector<Sheet> layout_tiles(const job::Job& job, std::vector<Item>& items,
                                const Area& area);
std::vector<Sheet> layout_parts(const job::Job& job, std::vector<Item>& items,
                                const Area& area);

// Marks for every sheet, as the job asks.
void add_marks(const job::Job& job, const Area& area,
               std::vector<Sheet>& sheets);

// The room marks need around the layout, in mm.
double marks_margin_mm(const job::Job& job, const Registration& reg);
double marks_bottom_mm(const job::Job& job);

// The registration marks of SHEET's layout (registration.cpp): the
// family REG names, or discs when only the job's MarkType asks. Sets the
// sheet's mark_frame_dots. Throws Error when a barcode does not fit or
// holds a character Code 39 lacks.
void registration_marks(const job::Job& job, const Registration& reg,
                        double x_dots_per_mm, double y_dots_per_mm,
                        Sheet& sheet);

// The family the job and device ask for, resolved; none: no marks.
Registration::Family registration_family(const job::Job& job,
                                         const Registration& reg);

// Marks to layout, mm: the device's offset, else the job's BorderOffset.
double registration_offset_mm(const job::Job& job, const Registration& reg);

// The bars of TEXT in Code 39 with its start and stop characters: for
// each bar, its left edge and width in narrow modules (wide = 3). Throws
// Error naming the first character Code 39 cannot encode.
struct Bar {
    int x_modules, width_modules;
};
std::vector<Bar> code39_bars(const std::string& text);

} // namespace ripline::impose::detail
