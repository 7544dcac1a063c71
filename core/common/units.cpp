// SPDX-License-Identifier: AGPL-3.0-or-later
// Units: rounding to whole dots.
#include "core/common/units.hpp"

#include <cmath>

namespace ripline::units {

int round_dots(double dots)
{
    return static_cast<int>(std::lround(dots));
}

}  // namespace ripline::units
