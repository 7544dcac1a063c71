// SPDX-License-Identifier: AGPL-3.0-or-later
// Job submission and state changes shared by the API, hotfolders and RIP.
#include "jobs.hpp"

#include "preview.hpp"

#include "worker.hpp"

#include <filesystem>

namespace ripline::server {

bool is_safe_name(const std::string& name) {
    if (name.empty() || name.size() > 255 || name == "." || name == "..")
        return false;
    for (unsigned char c : name)
        if (c < 0x20 || c == '/' || c == '\\' || c == ':')
            return false;
    return true;
}

void save_job(Service& service, AccountId account, Entity& job) {
    job.kind = "job";
    job.parent = job.body.value("DeviceGUID", "");
    job.status = job.body.value("Status", "Waiting");
    service.store().put(account, job);
}

void set_job_status(Service& service, AccountId account, Entity& job,
                    const std::string& status, const std::string& process,
                    const std::string& message, int progress) {
    job.body["Status"] = status;
    if (progress >= 0)
        job.body["Progress"] = progress;
    if (!message.empty())
        job.body["Message"] = message;
    service.store().transaction([&] {
        save_job(service, account, job);
        service.store().journal_add(account, job.guid,
                                    {now_iso(), 0, process, message});
    });
    service.job_event(account, job.guid,
                      {{"Status", status},
                       {"Progress", job.body.value("Progress", 0)}});
}

std::string store_document(Service& service, AccountId account,
                           std::string guid, const std::string& name,
                           const std::string& type, std::string_view bytes,
                           const nlohmann::json& meta) {
    if (guid.empty())
        guid = new_guid();
    BlobInfo blob = service.blobs().put(bytes);
    auto existing = service.store().get(account, "document", guid);
    Entity doc = existing ? *existing : Entity{"document", guid};
    doc.body["DocumentGUID"] = guid;
    doc.body["Name"] = name;
    doc.body["Type"] = type;
    doc.body["Size"] = blob.size;
    doc.body["Sha1"] = blob.sha1;
    if (!meta.is_null())
        doc.body["Meta"] = meta;
    service.store().transaction([&] {
        int number = service.store().add_revision(
            account, "document", guid, {0, blob.sha1, blob.size, now_iso()});
        doc.body["Revision"] = number;
        service.store().put(account, doc);
    });
    if (service.previewer())
        service.previewer()->enqueue(account, guid);
    return guid;
}

nlohmann::json send_job_to_device(Service& s, AccountId account, Entity job,
                                  const std::string& device_guid,
                                  const char* event) {
    Entity device = require(s, account, "device", device_guid, "DeviceGUID");
    if (job.body.value("Status", "") == "Deleted")
        throw ApiError(409, "The job is deleted");
    job.body["DeviceGUID"] = device_guid;
    job.body["Device"] = device.body.value("Name", "");
    job.body["SpoolGUID"] = new_guid();
    job.body["Progress"] = 0;
    job.body["RenderRequested"] = true;
    set_job_status(s, account, job, "Waiting", "Send",
                   "Sent to " + job.body.value("Device", "") +
                       (event ? std::string(" (") + event + ")" : ""),
                   0);
    if (event)
        s.job_event(account, job.guid, {{"Event", event}});
    if (s.worker())
        s.worker()->enqueue(account, job.guid);
    return {{"Message", "Job successfully sent to device"},
            {"JobGUID", job.guid},
            {"SpoolGUID", job.body["SpoolGUID"]}};
}

namespace {

// Point FilePaths at documents: the upload, an @Id, or a plain name.
void link_documents(Service& service, AccountId account, JobXml& job,
                    const std::string& upload_name,
                    const std::string& upload_guid, nlohmann::json& docs) {
    auto files = job.file_paths();
    bool upload_linked = false;
    for (auto& file : files) {
        std::string base = file.path.substr(file.path.find_last_of("/\\") + 1);
        if (!upload_guid.empty() && !upload_linked &&
            (base == upload_name || files.size() == 1)) {
            job.set_file_path(file, upload_name, upload_guid);
            docs.push_back({{"DocumentGUID", upload_guid},
                            {"Name", upload_name}});
            upload_linked = true;
            continue;
        }
        if (!file.id.empty()) {
            auto doc = service.store().get(account, "document", file.id);
            if (!doc)
                throw ApiError(404, "Document FilePath.Id is not found");
            docs.push_back({{"DocumentGUID", file.id},
                            {"Name", doc->body.value("Name", "")}});
            continue;
        }
        if (!is_safe_relative_path(file.path))
            throw ApiError(400, "FilePath \"" + file.path +
                                    "\" is not allowed: give a document's "
                                    "GUID in FilePath@Id or a plain file "
                                    "name");
        docs.push_back({{"DocumentGUID", ""}, {"Name", file.path}});
    }
    if (!upload_guid.empty() && !upload_linked)
        docs.push_back({{"DocumentGUID", upload_guid}, {"Name", upload_name}});
}

}  // namespace

SubmitResult submit_job(Service& service, AccountId account, JobXml& job,
                        const JobUpload* upload, bool require_guid,
                        const std::string& producer_default) {
    SubmitResult result;
    result.job_guid = job.job_guid();
    if (result.job_guid.empty() && require_guid)
        throw ApiError(400, "\"JobGUID\" value required in xml");
    if (result.job_guid.empty()) {
        result.job_guid = new_guid();
        job.set_text("JobGUID", result.job_guid);
    }
    if (!is_guid(result.job_guid))
        throw ApiError(400, "Validation of JobGUID failed");

    // A device, when named, must be one of the account's.
    std::string device_guid = job.text("DeviceGUID");
    std::string device_name;
    if (!device_guid.empty()) {
        auto device = service.store().get(account, "device", device_guid);
        if (!device)
            throw ApiError(404, "DeviceGUID is not found");
        device_name = device->body.value("Name", "");
    }
    std::string queue_guid = job.text("QueueGUID");
    std::string queue_name = job.text("QueueName");
    if (!queue_guid.empty()) {
        auto queue = service.store().get(account, "queue", queue_guid);
        if (!queue)
            throw ApiError(404, "QueueGUID is not found");
        queue_name = queue->body.value("QueueName", queue_name);
    }

    // The upload becomes a document before the ticket points at it.
    if (upload) {
        std::string name = upload->filename.substr(
            upload->filename.find_last_of("/\\") + 1);
        if (!is_safe_name(name))
            throw ApiError(400, "The document file name \"" +
                                    upload->filename + "\" is not allowed");
        result.document_guid = store_document(
            service, account, "", name, upload->content_type, upload->data,
            nullptr);
    }
    nlohmann::json docs = nlohmann::json::array();
    link_documents(service, account, job, upload ? upload->filename : "",
                   result.document_guid, docs);
    if (!result.document_guid.empty()) {
        auto doc = service.store().get(account, "document",
                                       result.document_guid);
        docs.back()["Name"] = doc->body.value("Name", "");
    }

    auto existing = service.store().get(account, "job", result.job_guid);
    result.created = !existing;
    Entity record = existing ? *existing : Entity{"job", result.job_guid};
    auto& b = record.body;
    // The ticket is kept beside the job record, not in it, so that status
    // reads stay small; it is stored in the same transaction.
    Entity ticket{"jobxml", result.job_guid};
    ticket.body = {{"Xml", job.dump()}};
    std::string name = job.text("Name");
    b["JobGUID"] = result.job_guid;
    b["JobName"] = name.empty() ? (docs.empty() ? std::string("Untitled")
                                                : docs[0].value("Name", ""))
                                : name;
    b["User"] = job.text("User");
    std::string producer = job.text("Producer");
    b["Producer"] = producer.empty() ? producer_default : producer;
    b["DeviceGUID"] = device_guid;
    b["Device"] = device_name;
    b["QueueGUID"] = queue_guid;
    b["QueueName"] = queue_name;
    b["MediaType"] = job.text("MediaType");
    b["MediaSize"] = job.text("MediaSize");
    b["PrinterProfile"] = job.attribute("PrinterProfile", "GUID");
    b["PrintMode"] = job.text("PrintMode");
    b["NestGroupGUID"] = job.text("NestGroupGUID");
    b["Documents"] = docs;
    std::string copies = job.text("Copies");
    b["Copies"] = copies.empty() ? 1 : std::max(1, std::atoi(copies.c_str()));
    if (result.created) {
        b["CreatedDate"] = now_iso();
        b["Status"] = "Waiting";
        b["Progress"] = 0;
    }
    service.store().transaction([&] {
        save_job(service, account, record);
        service.store().put(account, ticket);
        service.store().journal_add(
            account, result.job_guid,
            {now_iso(), 0, result.created ? "Creation" : "JobEdit",
             result.created ? "Job created" : "Job updated"});
    });
    if (result.created)
        service.job_event(account, result.job_guid, {{"Status", "Created"}});
    else
        service.job_event(account, result.job_guid);
    return result;
}

}  // namespace ripline::server
