// SPDX-License-Identifier: AGPL-3.0-or-later
// The ticket's colour settings applied to a document's colour engine.
#pragma once

#include "core/color/engine.hpp"
#include "core/document/document.hpp"
#include "core/job/job.hpp"

#include <filesystem>

namespace ripline::pipeline {

// Set OPTIONS (already holding the print mode's intents) from JOB's
// colour settings for DOC: the intents and input profiles per source
// space and object class, whether embedded profiles are honoured, and
// whether DOC's PDF/X output intent defines DeviceCMYK. Input profiles
// are paths relative to the ticket's folder or names in PROFILE_DIR/icc;
// one that cannot be found or read throws Error naming the ticket
// element and the places looked in.
void apply_job_color(const job::Job& job, const document::Document& doc,
                     const std::filesystem::path& profile_dir,
                     color::EngineOptions& options);

}  // namespace ripline::pipeline
