// SPDX-License-Identifier: AGPL-3.0-or-later
// Intent: the ICC rendering intents, shared by print modes and the engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ripline::color {

// ICC rendering intents, numbered as ICC and LittleCMS number them.
enum class Intent : uint8_t {
    perceptual = 0,
    relative = 1,
    saturation = 2,
    absolute = 3
};

// Parse "perceptual", "relative", "saturation", "absolute" (also the
// PDF names such as "RelativeColorimetric"); nullopt when unknown.
std::optional<Intent> parse_intent(const std::string& name);

}  // namespace ripline::color
