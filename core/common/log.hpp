// SPDX-License-Identifier: AGPL-3.0-or-later
// Log: the core's route to the host's log sink; it never prints itself.
#pragma once

#include <ripline/ripline.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace ripline {

class Log {
public:
    using Sink = std::function<void(rl_log_level, const std::string&)>;

    void set_sink(Sink sink, rl_log_level max_level);

    void error(const std::string& message) { write(RL_LOG_ERROR, message); }
    void info(const std::string& message) { write(RL_LOG_INFO, message); }
    void debug(const std::string& message) { write(RL_LOG_DEBUG, message); }

    // Warnings about damaged input repeat per band and per object; the
    // same text is passed on once and counted after that (see flush()).
    void warning(const std::string& message);

    // Report how often each coalesced warning repeated, and forget them.
    void flush();

    void write(rl_log_level level, const std::string& message);

private:
    std::mutex mutex_;
    Sink sink_;
    rl_log_level max_level_ = RL_LOG_WARNING;
    std::map<std::string, long> repeats_;
};

}  // namespace ripline
