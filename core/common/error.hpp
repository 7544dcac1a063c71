// SPDX-License-Identifier: AGPL-3.0-or-later
// The one exception type of the core; the C ABI turns it into a status.
#pragma once

#include <ripline/ripline.h>

#include <stdexcept>
#include <string>

namespace ripline {

// Where in the pipeline an error was raised; shown as the message prefix.
enum class Stage {
    context, job, document, device, impose, nest, color, raster, screen,
    driver, pipeline
};

const char* stage_name(Stage stage);

// A failure with what the user needs to fix it: the stage, the input file
// (and line, for XML) and one sentence. what() gives the full line.
class Error : public std::runtime_error {
public:
    Error(rl_status status, Stage stage, std::string message,
          std::string file = {}, int line = 0);

    rl_status status() const { return status_; }
    Stage stage() const { return stage_; }
    const std::string& file() const { return file_; }
    int line() const { return line_; }

private:
    rl_status status_;
    Stage stage_;
    std::string file_;
    int line_;
};

}  // namespace ripline
