// SPDX-License-Identifier: AGPL-3.0-or-later
// GUIDs: making fresh ones for new jobs and recognising them in tickets.
#include "core/job/job.hpp"

#include <cctype>
#include <cstdio>
#include <mutex>
#include <random>

namespace ripline::job {

std::string new_guid()
{
    // One generator for the process, seeded once from the system.
    static std::mutex mutex;
    static std::mt19937_64 engine{std::random_device{}()};
    std::lock_guard lock(mutex);
    unsigned long long hi = engine(), lo = engine();

    // Version 4 (random), variant 10xx, as RFC 4122 lays them out.
    hi = (hi & ~0xF000ull) | 0x4000ull;
    lo = (lo & ~(0xC000ull << 48)) | (0x8000ull << 48);
    char text[37];
    std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                  hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF, lo >> 48,
                  lo & 0xFFFFFFFFFFFFull);
    return text;
}

bool is_guid(std::string_view text)
{
    if (text.size() == 38 && text.front() == '{' && text.back() == '}')
        text = text.substr(1, 36);
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (dash ? c != '-' : !std::isxdigit(c))
            return false;
    }
    return true;
}

} // namespace ripline::job
