// SPDX-License-Identifier: AGPL-3.0-or-later
// Job records: submit from Job XML, change state, journal, notify.
#pragma once

#include "jobxml.hpp"
#include "service.hpp"

#include <string>

namespace ripline::server {

// The uploaded file that came with a multipart job, if any.
struct JobUpload {
    std::string filename;
    std::string content_type;
    std::string_view data;
};

struct SubmitResult {
    std::string job_guid;
    std::string document_guid;  // of the upload, if one came
    bool created = false;
};

// Validate and store JOB for ACCOUNT (add or update). FilePaths must name
// documents of the account (@Id) or plain names; traversal is refused.
// SOURCE names the input in messages ("Job XML", a hotfolder file).
SubmitResult submit_job(Service& service, AccountId account, JobXml& job,
                        const JobUpload* upload, bool require_guid,
                        const std::string& producer_default = "API");

// Store a new document revision from BYTES; returns the DocumentGUID.
std::string store_document(Service& service, AccountId account,
                           std::string guid, const std::string& name,
                           const std::string& type, std::string_view bytes,
                           const nlohmann::json& meta);

// Move the job to STATUS with a journal line and a notification.
void set_job_status(Service& service, AccountId account, Entity& job,
                    const std::string& status, const std::string& process,
                    const std::string& message, int progress = -1);

void save_job(Service& service, AccountId account, Entity& job);

// Point JOB at DEVICE_GUID and queue it for rendering; EVENT (e.g.
// "Reprint") is published too when given. Returns the API's answer body.
nlohmann::json send_job_to_device(Service& service, AccountId account,
                                  Entity job, const std::string& device_guid,
                                  const char* event);

// A plain file name: no folders, no "..", no control characters.
bool is_safe_name(const std::string& name);

}  // namespace ripline::server
