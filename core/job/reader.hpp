// SPDX-License-Identifier: AGPL-3.0-or-later
// Turning a checked <Job> element into the model (internal).
#pragma once

#include "core/job/job.hpp"
#include "core/job/xml_util.hpp"

namespace ripline::job::detail {

// Build the model from a <Job> the schema accepted, and run the checks a
// schema cannot express (GUIDs, references, sizes). Paths are resolved
// against base_dir.
Job read_job(const xmlNode* root, const std::filesystem::path& base_dir,
             const Source& source);

} // namespace ripline::job::detail
