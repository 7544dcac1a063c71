// SPDX-License-Identifier: AGPL-3.0-or-later
// RipWorker: the embedded RIP; renders jobs sent to its devices through
// the core's C ABI, reporting progress into the job and notifications.
#pragma once

#include "service.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace ripline::server {

class RipWorker {
public:
    explicit RipWorker(Service& service);
    ~RipWorker();

    // Start the render threads; requeue jobs a previous run left unfinished.
    void start();
    // Stop: renders in progress are cancelled and put back to Waiting.
    void stop();

    void enqueue(AccountId account, const std::string& job_guid);
    // Stop JOB if it renders now, drop it if it waits.
    void cancel(AccountId account, const std::string& job_guid);

    // True when this build links the core (target ripline).
    static bool has_core();

private:
    struct Task {
        AccountId account;
        std::string job_guid;
    };
    void run();
    void render(const Task& task);

    Service& service_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Task> queue_;
    std::set<std::string> cancelled_;  // "account/job"
    std::vector<std::thread> threads_;
    bool stopping_ = false;
    struct Core;
    Core* core_ = nullptr;
};

}  // namespace ripline::server
