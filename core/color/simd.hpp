// SPDX-License-Identifier: AGPL-3.0-or-later
// The colour stage's switch between Highway kernels and scalar code.
#pragma once

namespace ripline::color {

// Turn the Highway kernels off (true) or on for the whole process; the
// scalar references give the same numbers, slower. RIPLINE_NO_SIMD=1 in
// the environment sets it at start. Thread-safe.
void set_simd_disabled(bool disabled);
bool simd_disabled();

}  // namespace ripline::color
