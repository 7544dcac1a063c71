// SPDX-License-Identifier: AGPL-3.0-or-later
// Planes: interleaved pixels to planes and back, for the colour kernels.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ripline::color {

// Copy the first CHANNELS bytes of COUNT pixels, STEP bytes apart, into
// CHANNELS planes. Highway kernels for steps 3 and 4; scalar otherwise
// or when SIMD is off.
void split_planes(const uint8_t* in, int step, int channels,
                  uint8_t* const* planes, size_t count);

// The reverse: CHANNELS planes into pixels STEP bytes apart; the bytes
// after the channels in each pixel are left as they are.
void join_planes(const uint8_t* const* planes, int channels, uint8_t* out,
                 int step, size_t count);

}  // namespace ripline::color
