// SPDX-License-Identifier: AGPL-3.0-or-later
// Just-in-time nesting: a group collects parts and releases nests.
#include "core/nest/jit.hpp"

#include "core/common/error.hpp"
#include "core/nest/nester.hpp"

#include <algorithm>

namespace ripline::nest {

NestGroup::NestGroup(Media media, NestOptions options, JitTriggers triggers)
    : media_(media), options_(options), triggers_(triggers)
{
    media_.kind = Media::Kind::roll;
    media_.length = triggers.max_length;
}

void NestGroup::add(JitPart part)
{
    if (part.part.quantity <= 0)
        return;
    // A part no nest could take would wait for ever and fill every nest.
    Problem alone;
    alone.name = "jit";
    alone.media = media_;
    alone.parts = {part.part};
    alone.parts[0].quantity = 1;
    alone.parts[0].pins.clear();
    NestOptions once = options_;
    once.time_limit_s = 0;
    once.max_evaluations = 1;
    once.log = nullptr;  // a test, not a nest
    NestResult trial = nest(alone, once);
    if (!trial.unplaced.empty() && !trial.unplaced[0].fits_media)
        throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::nest,
                    "part '" + part.part.id + "' of job '" + part.job_id +
                        "': " + trial.unplaced[0].reason);
    waiting_.push_back(std::move(part));
}

// Which trigger fires for this trial nest, or "" for none.
std::string NestGroup::trigger(const NestResult& nest, bool full,
                               double now_s) const
{
    double oldest = now_s, earliest = std::numeric_limits<double>::infinity();
    for (const JitPart& p : waiting_) {
        oldest = std::min(oldest, p.arrival_s);
        earliest = std::min(earliest, p.deadline_s);
    }
    if (triggers_.max_length > 0 && full)
        return "max_length";
    if (triggers_.min_efficiency > 0 &&
        nest.efficiency >= triggers_.min_efficiency)
        return "efficiency";
    if (triggers_.deadline_lead_s >= 0 &&
        earliest - now_s <= triggers_.deadline_lead_s)
        return "deadline";
    if (triggers_.max_age_s > 0 && now_s - oldest >= triggers_.max_age_s)
        return "max_age";
    return "";
}

std::optional<Release> NestGroup::poll(double now_s)
{
    if (waiting_.empty())
        return std::nullopt;
    Problem problem;
    problem.name = "jit";
    problem.media = media_;
    for (const JitPart& p : waiting_)
        problem.parts.push_back(p.part);

    // A nest that left copies out has reached the length limit.
    NestResult trial = nest(problem, options_);
    bool full = !trial.unplaced.empty();
    std::string reason = trigger(trial, full, now_s);
    if (reason.empty())
        return std::nullopt;
    return release(problem, std::move(trial), reason);
}

Release NestGroup::release(const Problem& problem, NestResult nest,
                           std::string reason)
{
    // Count the placed copies per waiting part; the rest keep waiting.
    // Released copies are numbered afresh, 0.. per part.
    std::vector<int> placed(waiting_.size(), 0);
    for (Placement& p : nest.placements)
        p.copy = placed[size_t(p.part_index)]++;
    nest.unplaced.clear();
    Release out{std::move(reason), problem, std::move(nest)};
    std::vector<JitPart> still;
    for (size_t i = 0; i < waiting_.size(); ++i) {
        out.problem.parts[i].quantity = placed[i];
        JitPart rest = waiting_[i];
        rest.part.quantity -= placed[i];
        rest.part.pins.clear();
        if (rest.part.quantity > 0)
            still.push_back(std::move(rest));
    }
    waiting_ = std::move(still);
    return out;
}

}  // namespace ripline::nest
