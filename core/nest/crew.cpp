// SPDX-License-Identifier: AGPL-3.0-or-later
// A fixed team of threads that run one job on every member, then wait.
#include "core/nest/crew.hpp"

#include <algorithm>

namespace ripline::nest {

Crew::Crew(int size)
{
    for (int k = 1; k < size; ++k)
        threads_.emplace_back([this, k] { serve(k); });
}

Crew::~Crew()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        quit_ = true;
    }
    start_.notify_all();
    for (std::thread& t : threads_)
        t.join();
}

namespace {

// Polls before a member sleeps: about a few hundred microseconds.
constexpr int polls = 200;

template <typename Ready>
bool poll(Ready ready)
{
    for (int k = 0; k < polls; ++k) {
        if (ready())
            return true;
        std::this_thread::yield();
    }
    return ready();
}

}  // namespace

void Crew::run(const std::function<void(int)>& job)
{
    if (threads_.empty()) {
        job(0);
        return;
    }
    running_.store(int(threads_.size()));
    {
        std::lock_guard<std::mutex> lock(mutex_);
        job_ = &job;
        round_.fetch_add(1);
    }
    start_.notify_all();
    job(0);
    auto all_done = [this] { return running_.load() == 0; };
    if (!poll(all_done)) {
        std::unique_lock<std::mutex> lock(mutex_);
        finished_.wait(lock, all_done);
    }
}

void Crew::serve(int member)
{
    long seen = 0;
    auto fresh = [&] { return quit_.load() || round_.load() != seen; };
    for (;;) {
        if (!poll(fresh)) {
            std::unique_lock<std::mutex> lock(mutex_);
            start_.wait(lock, fresh);
        }
        if (quit_.load())
            return;
        const std::function<void(int)>* job;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            seen = round_.load();
            job = job_;
        }
        (*job)(member);
        if (running_.fetch_sub(1) == 1) {
            std::lock_guard<std::mutex> lock(mutex_);
            finished_.notify_one();
        }
    }
}

int crew_size(int wanted, int cap)
{
    if (wanted > 0)
        return wanted;
    int cores = int(std::thread::hardware_concurrency());
    return std::clamp(cores, 1, cap);
}

}  // namespace ripline::nest
