// SPDX-License-Identifier: AGPL-3.0-or-later
// Error: the core's exception and how it formats itself.
#include "core/common/error.hpp"

namespace ripline {

const char* stage_name(Stage stage)
{
    switch (stage) {
    case Stage::context: return "context";
    case Stage::job: return "job";
    case Stage::document: return "document";
    case Stage::device: return "device";
    case Stage::impose: return "impose";
    case Stage::nest: return "nest";
    case Stage::color: return "color";
    case Stage::raster: return "raster";
    case Stage::screen: return "screen";
    case Stage::driver: return "driver";
    case Stage::pipeline: return "pipeline";
    }
    return "unknown";
}

static std::string format(Stage stage, const std::string& message,
                          const std::string& file, int line)
{
    std::string text = stage_name(stage);
    text += ": ";
    if (!file.empty()) {
        text += file;
        if (line > 0)
            text += ":" + std::to_string(line);
        text += ": ";
    }
    return text + message;
}

Error::Error(rl_status status, Stage stage, std::string message,
             std::string file, int line)
    : std::runtime_error(format(stage, message, file, line)),
      status_(status), stage_(stage), file_(std::move(file)), line_(line)
{
}

}  // namespace ripline
