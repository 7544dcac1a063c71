// SPDX-License-Identifier: AGPL-3.0-or-later
// Imposition: where each page copy lands on which sheet, and the marks.
#pragma once

#include "core/job/job.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ripline::impose {

// x' = a x + c y + e, y' = b x + d y + f (MuPDF's fz_matrix convention).
struct Affine {
    double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;
};

// Apply `second` after `first`.
Affine concat(const Affine& first, const Affine& second);

struct RectD {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double width() const { return x1 - x0; }
    double height() const { return y1 - y0; }
};

// A page as the document stage measured it: box in page space, points,
// origin top-left, y down (MuPDF's fz_bound_page).
struct PageRef {
    int input = 0; // index into job::Job::inputs
    int page = 0;  // 0-based
    RectD box_pt;
    // What the page paints, in the same space (e.g. MuPDF's bound of the
    // page's display list); empty when not measured. TrimWhite crops to
    // it, within box_pt.
    RectD content_pt{};
};

// One page copy on a sheet. clip_dots is where it may paint (the part's
// trim box plus bleed), in sheet dots; the rasteriser clips to it. Under a
// free rotation both boxes are the bounding boxes of the turned page.
struct Placement {
    int input = 0;
    int page = 0;
    int copy = 0;         // 0-based copy of this page
    std::string part_id;  // Part GUID, or DOCUMENT:PAGE#COPY (1-based)
                          // in generated layouts, "tile R1C2" in tiles
    Affine page_to_sheet; // points of the page -> dots of the sheet
    RectD clip_dots;
    RectD trim_dots; // the part's finished size on the sheet
};

// Colours of marks, 0..1 per process ink, so any ink set can map them.
struct Cmyk {
    float c = 0, m = 0, y = 0, k = 1;
};

// A mark the rasteriser draws on top of the sheet, in sheet dots:
// a line from (x0, y0) to (x1, y1) of width stroke_dots; a filled
// rectangle; a filled disc (centre x0, y0, radius x1); a line of text
// whose baseline starts at (x0, y0) with cap height text_dots.
struct Mark {
    enum class Kind { line, rect, disc, text };
    Kind kind = Kind::line;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double stroke_dots = 1;
    double text_dots = 0;
    std::string text;
    Cmyk color;
    bool registration = false; // a cutter's optical mark (see MarkType)
};

// The registration marks an optical cutter reads, as the device's cut
// settings name them. Family none leaves marks to the job's MarkType
// (discs). docs/drivers.md draws each family and its frame.
struct Registration {
    enum class Family { none, discs, squares, corners };
    Family family = Family::none;
    double size_mm = 5;    // disc diameter, square side; L arms are twice
    double offset_mm = -1; // marks to the layout; < 0: the job's offset
    std::string barcode;   // Code 39 text beside the origin mark; "": none
};

struct Media {
    bool roll = true;
    double width_mm = 0;
    double length_mm = 0; // sheet height, or max roll length (0 = none)
    double margin_mm = 0;
    Registration registration;
};

struct Sheet {
    int width_dots = 0, height_dots = 0;
    std::vector<Placement> placements;
    std::vector<Mark> marks;
    // The registration marks' reference points, in sheet dots: (x0, y0)
    // is the top-left mark's, (x1, y1) the bottom-right one's. The cut
    // file is written in this frame. Empty without registration marks.
    std::optional<RectD> mark_frame_dots;
};

// Lay out the job's pages on sheets of the media at the given dpi.
// `pages` lists, for each input in order, its pages in order. Copies:
// Job::copies x InputFile::copies (x Part::copies for explicit parts).
// Layouts (job::Layout, or the ticket's Parts when it has them):
// single (each page copy on its own sheet: on a roll the sheet is the
// roll's width by the page's height plus margins, the page at the left
// margin, or centred with Center; on sheet media the page is centred),
// n-up and step & repeat grids, tiling, explicit parts. A page that does
// not fit the media is an Error naming the page and both sizes.
std::vector<Sheet> impose(const job::Job& job,
                          const std::vector<PageRef>& pages, const Media& media,
                          double xdpi, double ydpi);

// Media from the ticket's MediaSize, when it has one; else `fallback`.
Media media_for(const job::Job& job, const Media& fallback);

// How much of the used media the placements cover, 0..1 (statistics).
double efficiency(const std::vector<Sheet>& sheets);

} // namespace ripline::impose
