// SPDX-License-Identifier: AGPL-3.0-or-later
// A fixed team of threads that run one job on every member, then wait.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ripline::nest {

// `size` members: the calling thread and size - 1 threads kept for the
// crew's life, so a job costs a wake-up rather than a thread start.
class Crew {
public:
    explicit Crew(int size);
    ~Crew();
    Crew(const Crew&) = delete;
    Crew& operator=(const Crew&) = delete;

    int size() const { return int(threads_.size()) + 1; }

    // job(k) for every member k in 0..size-1, member 0 on the caller;
    // returns once all have finished. The job must not throw.
    void run(const std::function<void(int)>& job);

private:
    void serve(int member);

    std::vector<std::thread> threads_;
    // A pass of the overlap search can take well under a millisecond;
    // members poll a little before they sleep, so a job does not wait
    // for the scheduler to wake them. The mutex and conditions are for
    // the sleepers.
    std::mutex mutex_;
    std::condition_variable start_, finished_;
    const std::function<void(int)>* job_ = nullptr;
    std::atomic<long> round_{0};   // counts jobs: each member runs each once
    std::atomic<int> running_{0};  // helpers still inside the current job
    std::atomic<bool> quit_{false};
};

// Members for a search: the machine's cores, at most `cap`; `wanted`
// > 0 is taken as it is.
int crew_size(int wanted, int cap = 4);

}  // namespace ripline::nest
