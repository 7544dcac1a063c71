// SPDX-License-Identifier: AGPL-3.0-or-later
// The budget and the seeded local search shared by both nesting engines.
#include "core/nest/search.hpp"

#include <algorithm>

namespace ripline::nest {

Budget::Budget(double seconds, long max_evaluations)
    : start_(std::chrono::steady_clock::now()), seconds_(seconds),
      max_evaluations_(max_evaluations)
{
}

double Budget::elapsed_s() const
{
    auto now = std::chrono::steady_clock::now();
    return std::chrono::duration<double>(now - start_).count();
}

bool Budget::spent() const
{
    if (max_evaluations_ > 0 && evaluations_ >= max_evaluations_)
        return true;
    if (seconds_ > 0)
        return elapsed_s() >= seconds_;
    return max_evaluations_ <= 0;
}

bool Budget::out_of_time() const
{
    return seconds_ > 0 && elapsed_s() >= seconds_;
}

double Budget::progress() const
{
    double by_time = seconds_ > 0 ? elapsed_s() / seconds_ : 0;
    double by_count = max_evaluations_ > 0
                          ? double(evaluations_) / double(max_evaluations_)
                          : 0;
    return std::min(1.0, std::max(by_time, by_count));
}

Budget Budget::slice(double share) const
{
    double seconds =
        seconds_ > 0 ? std::max(1e-6, (seconds_ - elapsed_s()) * share) : 0;
    long count = max_evaluations_ > 0
                     ? std::max(1L, long(double(max_evaluations_ -
                                                evaluations_) *
                                         share))
                     : 0;
    return Budget(seconds, count);
}

static size_t pick(size_t n, std::mt19937_64& rng)
{
    return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}

size_t mutate(Sequence& seq, const std::vector<int>& choices,
              std::mt19937_64& rng, size_t reach)
{
    size_t n = seq.order.size();
    if (n < 2)
        return 0;
    int kind = static_cast<int>(pick(3, rng));

    // Change the orientation of one item, when it has more than one.
    if (kind == 2) {
        size_t at = pick(n, rng);
        int item = seq.order[at];
        int options = choices[static_cast<size_t>(item)];
        if (options > 1) {
            seq.choice[static_cast<size_t>(item)] =
                static_cast<int>(pick(static_cast<size_t>(options), rng));
            return at;
        }
        kind = 0;
    }

    // Swap two items, or move one to another place.
    size_t a = pick(n, rng), b = pick(n, rng);
    if (reach > 0) {
        size_t lo = a > reach ? a - reach : 0;
        size_t hi = std::min(n - 1, a + reach);
        b = lo + pick(hi - lo + 1, rng);
    }
    while (b == a)
        b = (reach > 0 && a + 1 < n) ? a + 1 : pick(n, rng);
    if (kind == 0) {
        std::swap(seq.order[a], seq.order[b]);
    } else {
        int item = seq.order[a];
        seq.order.erase(seq.order.begin() + static_cast<long>(a));
        seq.order.insert(seq.order.begin() + static_cast<long>(b), item);
    }
    return std::min(a, b);
}

}  // namespace ripline::nest
