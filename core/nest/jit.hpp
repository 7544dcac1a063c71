// SPDX-License-Identifier: AGPL-3.0-or-later
// Just-in-time nesting: a group collects parts and releases nests.
#pragma once

#include "core/nest/model.hpp"

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace ripline::nest {

// A part waiting in a nest group, with the job it belongs to.
struct JitPart {
    Part part;
    std::string job_id;
    double arrival_s = 0;
    double deadline_s = std::numeric_limits<double>::infinity();
};

// When a group releases a nest; any trigger that is set may fire (OR).
struct JitTriggers {
    double min_efficiency = 0;  // fraction; 0 = off
    double max_age_s = 0;       // oldest waiting part; 0 = off
    double max_length = 0;      // the nest reaches it; 0 = off
    double deadline_lead_s = -1;  // earliest deadline this close; <0 = off
};

struct Release {
    std::string reason;  // "efficiency", "max_age", "max_length", "deadline"
    Problem problem;     // what was nested: the released parts only
    NestResult nest;
};

class NestGroup {
public:
    // A roll media; its length is ignored (max_length bounds a nest).
    NestGroup(Media media, NestOptions options, JitTriggers triggers);

    // Refuses a part too large for the media in every rotation (Error,
    // naming the part and its job); nothing waiting changes.
    void add(JitPart part);

    // Nest what waits and release it when a trigger fires at `now_s`.
    // Copies that do not fit stay for the next nest.
    std::optional<Release> poll(double now_s);

    const std::vector<JitPart>& waiting() const { return waiting_; }

private:
    std::string trigger(const NestResult& nest, bool full,
                        double now_s) const;
    Release release(const Problem& problem, NestResult nest,
                    std::string reason);

    Media media_;
    NestOptions options_;
    JitTriggers triggers_;
    std::vector<JitPart> waiting_;
};

}  // namespace ripline::nest
