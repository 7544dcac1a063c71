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

void Crew::run(const std::function<void(int)>& job)
{
    if (threads_.empty()) {
        job(0);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        job_ = &job;
        running_ = int(threads_.size());
        ++round_;
    }
    start_.notify_all();
    job(0);
    std::unique_lock<std::mutex> lock(mutex_);
    finished_.wait(lock, [this] { return running_ == 0; });
    job_ = nullptr;
}

void Crew::serve(int member)
{
    long seen = 0;
    for (;;) {
        const std::function<void(int)>* job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            start_.wait(lock, [&] { return quit_ || round_ != seen; });
            if (quit_)
                return;
            seen = round_;
            job = job_;
        }
        (*job)(member);
        std::lock_guard<std::mutex> lock(mutex_);
        if (--running_ == 0)
            finished_.notify_one();
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
