// SPDX-License-Identifier: AGPL-3.0-or-later
// The colour stage's SIMD switch, read once from the environment.
#include "core/color/simd.hpp"

#include <atomic>
#include <cstdlib>

namespace ripline::color {

namespace {

std::atomic<bool>& simd_off()
{
    static std::atomic<bool> off{[] {
        const char* env = std::getenv("RIPLINE_NO_SIMD");
        return env && env[0] == '1';
    }()};
    return off;
}

}  // namespace

void set_simd_disabled(bool disabled) { simd_off() = disabled; }
bool simd_disabled() { return simd_off(); }

}  // namespace ripline::color
