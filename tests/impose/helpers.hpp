// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared helpers of the impose tests: jobs, pages and points in mm.
#pragma once

#include "core/impose/impose.hpp"

#include <cmath>

namespace ripline::test {

inline constexpr double pt_per_mm = 72.0 / 25.4;

inline impose::PageRef page_mm(int input, int page, double w_mm, double h_mm)
{
    return {input, page, {0, 0, w_mm * pt_per_mm, h_mm * pt_per_mm}};
}

inline job::Job one_input_job(int copies = 1)
{
    job::Job j = job::job_for_file("/data/art.pdf");
    j.inputs[0].copies = copies;
    return j;
}

inline impose::Media roll_mm(double width, double margin = 0, double length = 0)
{
    return {true, width, length, margin, {}};
}

inline impose::Media sheet_mm(double width, double height, double margin = 0)
{
    return {false, width, height, margin, {}};
}

struct Pt {
    double x, y;
};

inline Pt map(const impose::Affine& m, double x, double y)
{
    return {m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f};
}

inline double dots(double mm, double dpi)
{
    return mm / 25.4 * dpi;
}

} // namespace ripline::test
