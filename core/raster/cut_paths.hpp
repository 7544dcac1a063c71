// SPDX-License-Identifier: AGPL-3.0-or-later
// Cut paths: the vector paths a document paints in a cut-contour spot,
// as polylines in sheet dots, for a cutter's driver.
#pragma once

#include "core/raster/band.hpp"

#include <mupdf/fitz.h>

#include <string>
#include <utility>
#include <vector>

namespace ripline::raster {

// One subpath of a cut-contour path, flattened, in sheet dots.
struct CutPath {
    std::string name; // the spot's name as the document spells it
    bool closed = false;
    std::vector<std::pair<double, double>> points_dots; // >= 2
};

// Every fill and stroke of the sheet's PLACEMENTS whose colour space is a
// Separation or DeviceN with a colorant named like one of CUT_NAMES (no
// regard to case), through each placement's page_to_sheet. Curves are
// flattened to within TOLERANCE_DOTS of the true curve. A closed subpath
// does not repeat its first point at its end. A path filled and then
// stroked in the same spot counts once. Other colours are ignored.
// CTX: the calling thread's clone (not the root: the documents take
// their mutex to build a display list not built yet).
// Throws Error(RL_ERROR_BAD_INPUT, Stage::raster) naming the document
// and page when MuPDF fails on it.
std::vector<CutPath> collect_cut_paths(
    fz_context* ctx, const std::vector<SheetPlacement>& placements,
    const std::vector<std::string>& cut_names,
    double tolerance_dots = 0.1);

}  // namespace ripline::raster
