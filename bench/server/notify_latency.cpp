// SPDX-License-Identifier: AGPL-3.0-or-later
// Notification latency: the time from a job change sent over HTTP to its
// event on a WebSocket subscriber (goal: within 100 ms). Prints p50/p99.
// Usage: bench_notify_latency [changes]; RIPLINE_BENCH_SMOKE=1: 20.
#include "harness.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace ripline::server::test;
using Clock = std::chrono::steady_clock;

namespace {

double percentile_ms(std::vector<double> sorted_ms, double p) {
    std::size_t at = static_cast<std::size_t>(p * (sorted_ms.size() - 1));
    return sorted_ms[at];
}

// One change: the job's ticket updated; returns ms until its event.
double one_change(const ServerProcess& s, Notifications& ws,
                  const std::string& job, int n) {
    auto start = Clock::now();
    Reply r = s.call("POST", "/api/v2/job", s.a.auth(),
                     job_xml(job, "<Copies>" + std::to_string(n) +
                                      "</Copies>"),
                     "application/xml");
    if (r.status != 200)
        throw std::runtime_error("job update answered " +
                                 std::to_string(r.status));
    for (;;) {
        auto event = ws.next(std::chrono::milliseconds(5000));
        if (event.value("JobGUID", "") == job)
            break;
    }
    return std::chrono::duration<double, std::milli>(Clock::now() - start)
        .count();
}

}  // namespace

int main(int argc, char** argv) {
    int changes = argc > 1 ? std::atoi(argv[1]) : 500;
    if (const char* smoke = std::getenv("RIPLINE_BENCH_SMOKE");
        smoke && std::string(smoke) == "1")
        changes = 20;
    try {
        ServerProcess s({"--no-rip"});
        std::string job = guid();
        s.call("POST", "/api/v2/job", s.a.auth(), job_xml(job),
               "application/xml");
        Notifications ws(s.port(), s.a.mis_key, "?topics=job");

        std::vector<double> ms;
        for (int i = 0; i < changes; ++i)
            ms.push_back(one_change(s, ws, job, i + 2));
        std::sort(ms.begin(), ms.end());
        auto within = std::count_if(ms.begin(), ms.end(),
                                    [](double v) { return v <= 100; });
        std::printf("notify_latency: changes=%d p50_ms=%.2f p99_ms=%.2f "
                    "max_ms=%.2f within_100ms=%.1f%%\n",
                    changes, percentile_ms(ms, 0.5), percentile_ms(ms, 0.99),
                    ms.back(), 100.0 * within / ms.size());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_notify_latency: %s\n", e.what());
        return 1;
    }
}
