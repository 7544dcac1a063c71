// SPDX-License-Identifier: AGPL-3.0-or-later
// The budget and the seeded local search shared by both nesting engines.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace ripline::nest {

// When to stop: a wall-clock limit, an evaluation count, or both.
class Budget {
public:
    Budget(double seconds, long max_evaluations);

    bool spent() const;
    // Whether a time limit was set and has passed: what may cut work
    // short that a count of evaluations would not (a counted budget
    // repeats).
    bool out_of_time() const;
    double time_limit_s() const { return seconds_; }  // 0: none
    void count(long n = 1) { evaluations_ += n; }
    long evaluations() const { return evaluations_; }
    double elapsed_s() const;

    // How much of the budget is used, 0..1 (the larger of time and count).
    double progress() const;
    // A budget of `share` of what is left of this one, time and count
    // alike (at least one evaluation); what it spends is the caller's to
    // count here.
    Budget slice(double share) const;

private:
    std::chrono::steady_clock::time_point start_;
    double seconds_;
    long max_evaluations_;
    long evaluations_ = 0;
};

// A sequence of item indices with one orientation choice per item; the
// engines decode it greedily into a layout.
struct Sequence {
    std::vector<int> order;
    std::vector<int> choice;  // per item: preferred option, or -1 = any
};

// A random neighbour: swap two items, move one, or change a choice.
// `choices[i]` is how many options item i has. Returns the first position
// of `order` that changed, so decoders can reuse the unchanged prefix.
// With `reach` > 0 the second item is at most that far from the first.
size_t mutate(Sequence& seq, const std::vector<int>& choices,
              std::mt19937_64& rng, size_t reach = 0);

}  // namespace ripline::nest
