// SPDX-License-Identifier: AGPL-3.0-or-later
// Hotfolders: a folder per queue; a Job XML or PDF dropped in becomes a job.
#pragma once

#include "service.hpp"

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

namespace ripline::server {

class Hotfolders {
public:
    explicit Hotfolders(Service& service) : service_(service) {}
    ~Hotfolders() { stop(); }

    void start();
    void stop();

    // Scan every queue's folder once (the thread calls this; tests may too).
    void poll();

    // DATA/hotfolders/ACCOUNT/QUEUE, with done/ and error/ inside.
    static std::filesystem::path folder_for(const Config& config,
                                            AccountId account,
                                            const std::string& queue_guid);
    static void prepare(const Config& config, AccountId account,
                        const std::string& queue_guid);

private:
    void take(AccountId account, const Entity& queue,
              const std::filesystem::path& file);

    Service& service_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    // Size seen at the last poll: a file is taken once it stops growing.
    std::map<std::filesystem::path, std::uintmax_t> sizes_;
};

}  // namespace ripline::server
