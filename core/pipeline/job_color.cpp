// SPDX-License-Identifier: AGPL-3.0-or-later
// The ticket's colour settings: intents, input profiles, embedded
// profiles and the output intent, turned into engine options.
#include "core/pipeline/job_color.hpp"

#include "core/common/error.hpp"

#include <system_error>

namespace ripline::pipeline {

namespace fs = std::filesystem;

namespace {

std::optional<color::Intent> intent_of(job::Intent intent)
{
    switch (intent) {
    case job::Intent::none: return std::nullopt;
    case job::Intent::perceptual: return color::Intent::perceptual;
    case job::Intent::relative: return color::Intent::relative;
    case job::Intent::saturation: return color::Intent::saturation;
    case job::Intent::absolute: return color::Intent::absolute;
    }
    return std::nullopt;
}

// The profile SPEC names, given by ELEMENT of JOB's ticket.
color::Profile open_spec(const std::string& spec, const std::string& element,
                         const job::Job& job, const fs::path& profile_dir)
{
    const fs::path ticket_dir = job.ticket_path.parent_path();
    std::vector<fs::path> candidates;
    if (fs::path(spec).is_absolute())
        candidates.push_back(spec);
    else {
        if (!job.ticket_path.empty())
            candidates.push_back(ticket_dir / spec);
        candidates.push_back(profile_dir / "icc" / spec);
    }
    std::string looked;
    for (const fs::path& path : candidates) {
        std::error_code ec;
        if (fs::is_regular_file(path, ec))
            try {
                return color::Profile::open(path);
            } catch (const Error& e) {
                throw Error(RL_ERROR_COLOR, Stage::color,
                            element + ": " + e.what(),
                            job.ticket_path.string());
            }
        looked += (looked.empty() ? "" : ", ") + path.string();
    }
    throw Error(RL_ERROR_NOT_FOUND, Stage::color,
                element + ": no ICC profile '" + spec + "' (looked for " +
                    looked + ")",
                job.ticket_path.string());
}

void apply_pair(const job::IntentPair& pair, const std::string& space_name,
                color::Space space, const job::Job& job,
                const fs::path& profile_dir, color::EngineOptions& options)
{
    auto& rules = options.rules[size_t(space)];
    color::SourceRule& image = rules[size_t(color::ObjectClass::image)];
    color::SourceRule& vector = rules[size_t(color::ObjectClass::vector)];
    image.intent = intent_of(pair.image);
    vector.intent = intent_of(pair.vector);
    if (!pair.image_spec.empty())
        image.profile = open_spec(pair.image_spec, space_name + "ImageSpec",
                                  job, profile_dir);
    if (!pair.vector_spec.empty())
        vector.profile = open_spec(pair.vector_spec,
                                   space_name + "VectorSpec", job,
                                   profile_dir);
}

}  // namespace

void apply_job_color(const job::Job& job, const document::Document& doc,
                     const fs::path& profile_dir,
                     color::EngineOptions& options)
{
    const job::ColorSettings& settings = job.color;
    apply_pair(settings.rgb, "RGB", color::Space::rgb, job, profile_dir,
               options);
    apply_pair(settings.cmyk, "CMYK", color::Space::cmyk, job, profile_dir,
               options);
    apply_pair(settings.gray, "Gray", color::Space::gray, job, profile_dir,
               options);
    apply_pair(settings.lab, "CIELab", color::Space::lab, job, profile_dir,
               options);
    options.use_embedded_profiles =
        settings.use_embedded_profiles.value_or(true);
    if (settings.use_output_intent.value_or(true))
        options.cmyk_source = doc.output_intent();
    else
        options.cmyk_source.reset();
}

}  // namespace ripline::pipeline
