// SPDX-License-Identifier: AGPL-3.0-or-later
// A fixed team of threads that run one job on every member, then wait;
// and a meeting where searches running side by side trade results.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
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

// Where searches running side by side meet, at points each reaches on
// its own, to trade their best results: each goes on from the best of
// them all, so a search that fell behind spends the rest of its time
// near the best rather than on a result that will lose. A search waits
// at a meeting for every other still running to reach it, so searches
// that count their work rather than time it still repeat.
template <typename Result>
class Meeting {
public:
    explicit Meeting(size_t searches) : left_(searches, false) {}

    // Post search k's `own` for meeting `round` (each search meets at 0,
    // 1, 2, ... in turn), wait for every other search still running to
    // post, and return the best posted: the first in search order that
    // none is better than by `better(a, b)`, `own` where it is as good.
    template <typename Better>
    Result meet(size_t k, size_t round, const Result& own, Better better);
    // Search k will post no more: the others stop waiting for it. Every
    // search must leave, however it ends.
    void leave(size_t k);

private:
    bool all_posted(size_t round) const
    {
        for (size_t k = 0; k < left_.size(); ++k)
            if (!left_[k] && !posts_[round][k])
                return false;
        return true;
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<bool> left_;  // per search
    // Per meeting, per search, what it brought: kept, so a search that
    // wakes late still sees the meeting as it was.
    std::vector<std::vector<std::optional<Result>>> posts_;
};

template <typename Result>
template <typename Better>
Result Meeting<Result>::meet(size_t k, size_t round, const Result& own,
                             Better better)
{
    std::unique_lock<std::mutex> lock(mutex_);
    while (posts_.size() <= round)
        posts_.emplace_back(left_.size());
    posts_[round][k] = own;
    changed_.notify_all();
    changed_.wait(lock, [&] { return all_posted(round); });
    const Result* best = &own;
    for (const std::optional<Result>& post : posts_[round])
        if (post && better(*post, *best))
            best = &*post;
    return *best;
}

template <typename Result>
void Meeting<Result>::leave(size_t k)
{
    std::lock_guard<std::mutex> lock(mutex_);
    left_[k] = true;
    changed_.notify_all();
}

}  // namespace ripline::nest
