// SPDX-License-Identifier: AGPL-3.0-or-later
// Checks of a job against its opened documents: do the pages exist.
#include "core/common/error.hpp"
#include "core/job/job.hpp"

namespace ripline::job {

namespace {

std::string where(const Job& job)
{
    return job.ticket_path.empty() ? job.name : job.ticket_path.string();
}

} // namespace

void check_pages(const Job& job, const std::vector<int>& page_counts)
{
    if (page_counts.size() != job.inputs.size())
        throw Error(
            RL_ERROR_INTERNAL, Stage::job,
            "page counts given for " + std::to_string(page_counts.size()) +
                " documents, the job has " + std::to_string(job.inputs.size()),
            where(job));
    for (const Part& part : job.parts) {
        int count = page_counts[part.input];
        if (part.source_page >= count)
            throw Error(RL_ERROR_BAD_INPUT, Stage::job,
                        "part " + part.id + ": SourcePage " +
                            std::to_string(part.source_page) +
                            " (0-based) does not exist; " +
                            job.inputs[part.input].path + " has " +
                            std::to_string(count) + " pages",
                        where(job));
    }
}

} // namespace ripline::job
