// SPDX-License-Identifier: AGPL-3.0-or-later
// Log: level filter, warning coalescing, and the host's sink.
#include "core/common/log.hpp"

namespace ripline {

void Log::set_sink(Sink sink, rl_log_level max_level)
{
    std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
    max_level_ = max_level;
}

void Log::write(rl_log_level level, const std::string& message)
{
    std::lock_guard lock(mutex_);
    if (sink_ && level <= max_level_)
        sink_(level, message);
}

void Log::warning(const std::string& message)
{
    {
        std::lock_guard lock(mutex_);
        if (repeats_[message]++ > 0)
            return;
    }
    write(RL_LOG_WARNING, message);
}

void Log::flush()
{
    std::map<std::string, long> repeats;
    {
        std::lock_guard lock(mutex_);
        repeats.swap(repeats_);
    }
    for (const auto& [message, count] : repeats) {
        if (count > 1)
            write(RL_LOG_WARNING, message + " (repeated " +
                                      std::to_string(count - 1) + " times)");
    }
}

}  // namespace ripline
