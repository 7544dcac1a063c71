// SPDX-License-Identifier: AGPL-3.0-or-later
// Units: the one place lengths change unit (Job XML units, points, mm, dots).
#pragma once

namespace ripline::units {

// PrintFactory's Job XML measures in 1/18 inch; PDF in 1/72 inch (points).
inline constexpr double units_per_inch = 18.0;
inline constexpr double points_per_inch = 72.0;
inline constexpr double mm_per_inch = 25.4;

constexpr double points_from_units(double units)
{
    return units * points_per_inch / units_per_inch;
}
constexpr double units_from_points(double points)
{
    return points * units_per_inch / points_per_inch;
}
constexpr double points_from_mm(double mm)
{
    return mm * points_per_inch / mm_per_inch;
}
constexpr double mm_from_points(double points)
{
    return points * mm_per_inch / points_per_inch;
}
constexpr double dots_from_points(double points, double dpi)
{
    return points * dpi / points_per_inch;
}
constexpr double dots_from_mm(double mm, double dpi)
{
    return mm * dpi / mm_per_inch;
}
constexpr double dots_from_units(double units, double dpi)
{
    return units * dpi / units_per_inch;
}

// Round a length in dots to whole dots, the way every stage must, so that
// placements computed in different stages meet exactly.
int round_dots(double dots);

}  // namespace ripline::units
