// SPDX-License-Identifier: AGPL-3.0-or-later
// Jobs API: /api/v2/job/... as PrintFactory's, plus delete, cancel, reprint.
#include "jobs.hpp"
#include "multipart.hpp"
#include "preview.hpp"
#include "worker.hpp"

#include <algorithm>
#include <set>

namespace ripline::server {

namespace {

const std::set<std::string> job_states = {
    "Error",   "Waiting", "InProgress", "Completed",   "Canceled",
    "Deleted", "PrintRequest", "NotSupported"};

bool contains_text(const std::string& haystack, const std::string& needle) {
    auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), ::tolower);
        return s;
    };
    return lower(haystack).find(lower(needle)) != std::string::npos;
}

bool is_png(std::string_view data) {
    return data.size() > 8 && data.substr(0, 8) == "\x89PNG\r\n\x1a\n";
}

Entity job_of(Service& s, const Caller& c, const Request& r) {
    return require(s, c.account, "job", r.param("JobGUID"), "JobGUID");
}

// POST /api/v2/job: Job XML alone, or multipart with the document.
Response add_job(Service& s, Request& r, const Caller& c) {
    std::string type = r.content_type();
    if (type == "multipart/form-data") {
        Multipart form(r);
        const Part* xml = form.find("Job.xml");
        if (!xml)
            xml = form.find_type("application/xml");
        if (!xml)
            xml = form.find_type("text/xml");
        if (!xml)
            throw ApiError(400, "\"Job.xml\" value required");
        JobUpload upload;
        const Part* file = nullptr;
        for (auto& part : form.parts())
            if (&part != xml)
                file = &part;
        if (file)
            upload = {file->filename.empty() ? file->name : file->filename,
                      file->content_type, file->data};
        JobXml job = JobXml::parse(xml->data, "Job.xml");
        auto result = submit_job(s, c.account, job, file ? &upload : nullptr,
                                 true);
        nlohmann::json body{{"Message", "Job successfully saved"},
                            {"JobGUID", result.job_guid}};
        if (!result.document_guid.empty())
            body["DocumentGUID"] = result.document_guid;
        return json_response(body);
    }
    if (type != "application/xml" && type != "text/xml")
        throw ApiError(415, "Expected type: application/xml");
    JobXml job = JobXml::parse(body_text(r));
    submit_job(s, c.account, job, nullptr, true);
    return string_response("Job successfully saved");
}

// The list filter may come as JSON or as a multipart JsonString part.
nlohmann::json list_filter(const Request& r) {
    if (r.body.empty() && r.body_file.empty())
        return nlohmann::json::object();
    if (r.content_type() == "multipart/form-data") {
        Multipart form(r);
        const Part* json = form.find("JsonString");
        if (!json)
            json = form.find_type("application/json");
        if (!json)
            return nlohmann::json::object();
        auto filter = nlohmann::json::parse(json->data, nullptr, false);
        if (!filter.is_object())
            throw ApiError(400, "This request is not properly formatted");
        return filter;
    }
    return json_body(r);
}

nlohmann::json job_summary(const Entity& job) {
    auto& b = job.body;
    nlohmann::json docs = nlohmann::json::array();
    for (auto& d : b.value("Documents", nlohmann::json::array()))
        docs.push_back({{"DocumentGUID", d.value("DocumentGUID", "")},
                        {"Name", d.value("Name", "")}});
    return {{"JobGUID", job.guid},
            {"JobName", b.value("JobName", "")},
            {"Documents", docs},
            {"Device", b.value("Device", "")},
            {"DeviceGUID", b.value("DeviceGUID", "")},
            {"CreatedDate", b.value("CreatedDate", job.created)},
            {"MediaType", b.value("MediaType", "")},
            {"MediaSize", b.value("MediaSize", "")},
            {"QueueGUID", b.value("QueueGUID", "")},
            {"QueueName", b.value("QueueName", "")},
            {"Status", b.value("Status", "")},
            {"User", b.value("User", "")},
            {"Producer", b.value("Producer", "")},
            {"Progress", b.value("Progress", 0)}};
}

bool matches(const Entity& job, const nlohmann::json& f) {
    auto& b = job.body;
    auto text = [&](const char* key, const char* field) {
        std::string want = string_field(f, key);
        return want.empty() || contains_text(b.value(field, ""), want);
    };
    auto exact = [&](const char* key, const char* field) {
        std::string want = string_field(f, key);
        return want.empty() || b.value(field, "") == want;
    };
    bool document = true;
    if (std::string want = string_field(f, "DocumentGUID"); !want.empty()) {
        document = false;
        for (auto& d : b.value("Documents", nlohmann::json::array()))
            document |= d.value("DocumentGUID", "") == want;
    }
    std::string from = string_field(f, "DateFrom");
    std::string to = string_field(f, "DateTo");
    std::string created = b.value("CreatedDate", job.created);
    return text("Job", "JobName") && exact("JobGUID", "JobGUID") &&
           text("Device", "Device") && exact("DeviceGUID", "DeviceGUID") &&
           text("MediaType", "MediaType") && text("MediaSize", "MediaSize") &&
           text("Queue", "QueueName") && text("User", "User") &&
           text("Producer", "Producer") &&
           exact("SerialNumber", "SerialNumber") && document &&
           (from.empty() || created >= from) && (to.empty() || created < to);
}

Response list_jobs(Service& s, Request& r, const Caller& c) {
    nlohmann::json filter = list_filter(r);
    ListQuery query;
    if (filter.contains("StatusList") && filter["StatusList"].is_array()) {
        for (auto& status : filter["StatusList"]) {
            std::string name = status.is_string() ? status.get<std::string>()
                                                  : status.dump();
            if (!job_states.count(name))
                throw ApiError(400, "StatusList value \"" + name +
                                        "\" is not a job status");
            query.statuses.push_back(name);
        }
    } else {
        // Deleted jobs are listed only when asked for.
        query.statuses.assign(job_states.begin(), job_states.end());
        query.statuses.erase(std::find(query.statuses.begin(),
                                       query.statuses.end(), "Deleted"));
    }
    std::int64_t skip = filter.value("Skip", std::int64_t{0});
    std::int64_t take = filter.value("Take", std::int64_t{1000});
    if (skip < 0 || take < 0)
        throw ApiError(400, "\"Skip\" and \"Take\" must not be negative");
    nlohmann::json out = nlohmann::json::array();
    std::int64_t seen = 0;
    for (auto& job : s.store().list(c.account, "job", query)) {
        if (!matches(job, filter))
            continue;
        if (seen++ < skip)
            continue;
        if (static_cast<std::int64_t>(out.size()) >= take)
            break;
        out.push_back(job_summary(job));
    }
    return json_response(out);
}

std::string hms(double seconds) {
    long t = static_cast<long>(seconds);
    char text[32];
    std::snprintf(text, sizeof text, "%02ld:%02ld:%02ld", t / 3600,
                  t / 60 % 60, t % 60);
    return text;
}

Response job_status(Service& s, Request& r, const Caller& c) {
    Entity job = job_of(s, c, r);
    auto& b = job.body;
    nlohmann::json pages = job_pages(s, c.account, job);
    bool has_preview = b.contains("Thumbnails") ||
                       (!pages.empty() && pages[0]["Thumbnail"] != "");
    nlohmann::json names = nlohmann::json::array();
    for (auto& d : b.value("Documents", nlohmann::json::array()))
        names.push_back(d.value("Name", ""));
    nlohmann::json journal = nlohmann::json::array();
    for (auto& e : s.store().journal(c.account, job.guid))
        journal.push_back({{"Date", e.date},
                           {"Duration", hms(e.duration_s)},
                           {"Process", e.process},
                           {"Message", e.message}});
    nlohmann::json info{
        {"DeviceGUID", b.value("DeviceGUID", "")},
        {"DeviceName", b.value("Device", "")},
        {"QueueGUID", b.value("QueueGUID", "")},
        {"QueueName", b.value("QueueName", "")},
        {"Job", b.value("JobName", "")},
        {"Status", b.value("Status", "")},
        {"User", b.value("User", "")},
        {"Pages", b.value("Pages", 0) ? b.value("Pages", 0)
                                       : int(pages.size())},
        {"Copies", b.value("Copies", 1)},
        {"Size", b.value("MediaSize", "")},
        {"Message", b.value("Message", "")},
        {"PrintMode", b.value("PrintMode", "")},
        {"PrinterProfile", b.value("PrinterProfile", "")},
        {"DriverSettings", b.value("DriverSettings", "")},
        {"Progress", b.value("Progress", 0)},
        {"Preview", has_preview
                        ? "/api/v2/job/" + job.guid + "/thumbnail/1"
                        : ""}};
    for (auto& page : pages)
        page.erase("Thumbnail");
    nlohmann::json body{
        {"Info", info},
        {"Documents", names},
        {"Time",
         {{"ProcessingTime", hms(b.value("ProcessingSeconds", 0.0))},
          {"PrintingOrCuttingTime", hms(b.value("PrintingSeconds", 0.0))}}},
        {"Journal", journal},
        {"Inks", b.value("Inks", nlohmann::json::array())},
        {"Media", b.value("Media", nlohmann::json::object())},
        {"Nest", b.value("Nest", nlohmann::json(nullptr))},
        {"PageSizes", pages}};
    return json_response(body);
}

Response job_xml(Service& s, Request& r, const Caller& c) {
    Entity job = job_of(s, c, r);
    Response response;
    response.content_type = "application/xml; charset=utf-8";
    auto ticket = s.store().get(c.account, "jobxml", job.guid);
    response.body = ticket ? ticket->body.value("Xml", "") : "";
    return response;
}

Response job_thumbnail(Service& s, Request& r, const Caller& c) {
    Entity job = job_of(s, c, r);
    std::string page = r.param("page");
    auto thumbs = job.body.value("Thumbnails", nlohmann::json::object());
    std::string sha1;
    int number = std::atoi(page.c_str());
    if (thumbs.contains(page)) {
        sha1 = thumbs[page].get<std::string>();
    } else if (number > 0) {
        // Else the core's thumbnail of that page of the job's documents.
        auto pages = job_pages(s, c.account, job);
        if (number <= int(pages.size()))
            sha1 = pages[number - 1].value("Thumbnail", "");
    }
    if (sha1.empty())
        throw ApiError(404, "Thumbnail is not found");
    Response response;
    response.content_type = "image/png";
    response.file = s.blobs().path(sha1);
    return response;
}

// The JsonString part + a PNG part, as both thumbnail calls take them.
std::pair<nlohmann::json, std::string_view> thumbnail_form(
    const Multipart& form) {
    const Part* json = form.find("JsonString");
    if (!json)
        throw ApiError(400, "\"JsonString\" value required");
    auto meta = nlohmann::json::parse(json->data, nullptr, false);
    if (!meta.is_object())
        throw ApiError(400, "This request is not properly formatted");
    const Part* png = nullptr;
    for (auto& part : form.parts())
        if (&part != json)
            png = &part;
    if (!png)
        throw ApiError(400, "\"Thumbnail\" value required");
    if (!is_png(png->data))
        throw ApiError(415, "Expected type: image/png");
    return {meta, png->data};
}

Response set_job_thumbnail(Service& s, Request& r, const Caller& c) {
    Multipart form(r);
    auto [meta, png] = thumbnail_form(form);
    std::string guid = required_field(meta, "JobGUID");
    int page = meta.value("PageNumber", 0);
    if (page < 1)
        throw ApiError(400, "\"PageNumber\" value required");
    Entity job = require(s, c.account, "job", guid, "JobGUID");
    job.body["Thumbnails"][std::to_string(page)] = s.blobs().put(png).sha1;
    job.body["Pages"] = std::max(job.body.value("Pages", 0), page);
    save_job(s, c.account, job);
    s.job_event(c.account, guid);
    return json_response({{"Message", "Job thumbnail successfully saved"}});
}

// StatusSpooler values of a RIP, mapped onto job states.
std::string job_state_for(const std::string& spooler,
                          const std::string& process) {
    if (spooler == "Ready")
        return process == "Rip" ? "InProgress" : "Completed";
    if (spooler == "Canceling")
        return "Canceled";
    if (spooler == "Deleting")
        return "Deleted";
    if (spooler == "NotSupported")
        return "NotSupported";
    if (spooler == "Waiting" || spooler == "Hold")
        return "Waiting";
    return "InProgress";
}

Response update_job_status(Service& s, Request& r, const Caller& c) {
    static const std::set<std::string> spooler = {
        "Waiting", "Hold",  "Warning",  "Spooling",    "Processing",
        "Canceling", "Ready", "Deleting", "NotSupported"};
    auto body = json_body(r);
    std::string guid = required_field(body, "JobGUID");
    std::string state = required_field(body, "StatusSpooler");
    if (!spooler.count(state))
        throw ApiError(400, "StatusSpooler value \"" + state +
                                "\" is not valid");
    int progress = body.value("Progress", 0);
    if (progress < 0 || progress > 100)
        throw ApiError(400, "\"Progress\" must be 0 to 100");
    std::string process = body.value("Process", "Rip");
    Entity job = require(s, c.account, "job", guid, "JobGUID");
    job.body["StatusSpooler"] = state;
    job.body["Process"] = process;
    job.body["ProgressLabel"] = body.value("ProgressLabel", "");
    set_job_status(s, c.account, job, job_state_for(state, process),
                   process == "Print" ? "Spooler" : "RIP",
                   state + (body.contains("ProgressLabel")
                                ? ": " + body.value("ProgressLabel", "")
                                : ""),
                   progress);
    return string_response("Job successfully saved");
}

Response add_copy(Service& s, Request& r, const Caller& c) {
    auto body = json_body(r);
    Entity job = job_of(s, c, r);
    std::string date = required_field(body, "Date");
    int page = body.value("Page", 0);
    int copies = body.value("Copies", 1);
    if (copies < 1 || page < 0)
        throw ApiError(400, "\"Copies\" must be at least 1 and \"Page\" "
                            "not negative");

    // A device may report the same print twice; the date+page pair is key.
    auto& log = job.body["CopyLog"];
    if (!log.is_array())
        log = nlohmann::json::array();
    bool added = std::none_of(log.begin(), log.end(), [&](auto& e) {
        return e.value("Date", "") == date && e.value("Page", -1) == page;
    });
    if (added) {
        log.push_back(body);
        job.body["PrintedCopies"] = job.body.value("PrintedCopies", 0) + copies;
        if (body.contains("InkUsage"))
            job.body["Inks"] = body["InkUsage"].value("Inks",
                                                      nlohmann::json::array());
        s.store().transaction([&] {
            save_job(s, c.account, job);
            s.store().journal_add(c.account, job.guid,
                                  {date, body.value("Duration", 0.0), "Print",
                                   std::to_string(copies) + " cop" +
                                       (copies == 1 ? "y" : "ies") +
                                       " of page " + std::to_string(page)});
        });
        s.job_event(c.account, job.guid,
                    {{"StatusRIP", "Ready"}, {"StatusPrint", ""}});
    }
    return json_response({{"Message", "Saved"}, {"Added", added}});
}

Response send_to_device(Service& s, AccountId account, Entity job,
                        const std::string& device_guid, const char* event) {
    return json_response(
        send_job_to_device(s, account, std::move(job), device_guid, event));
}

Response sync_jobs(Service& s, Request& r, const Caller& c) {
    auto body = json_body(r);
    std::string computer = required_field(body, "ComputerGUID");
    if (!body.contains("JobsList") || !body["JobsList"].is_array())
        throw ApiError(400, "\"JobsList\" value required");
    require(s, c.account, "computer", computer, "ComputerGUID");
    std::set<std::string> active;
    for (auto& guid : body["JobsList"])
        if (guid.is_string())
            active.insert(guid.get<std::string>());

    // Jobs this RIP ran but no longer holds did not finish: mark them.
    ListQuery query;
    query.statuses = {"InProgress"};
    for (auto& job : s.store().list(c.account, "job", query)) {
        auto device = s.store().get(c.account, "device", job.parent);
        if (!device || device->parent != computer || active.count(job.guid))
            continue;
        set_job_status(s, c.account, job, "Error", "RIP",
                       "The RIP no longer holds this job");
    }
    return string_response("Job status successfully synchronized");
}

Response delete_job(Service& s, Request& r, const Caller& c) {
    Entity job = job_of(s, c, r);
    if (s.worker())
        s.worker()->cancel(c.account, job.guid);
    set_job_status(s, c.account, job, "Deleted", "JobEdit", "Job deleted");
    return string_response("Job successfully deleted");
}

Response cancel_job(Service& s, Request& r, const Caller& c) {
    Entity job = job_of(s, c, r);
    std::string status = job.body.value("Status", "");
    if (status == "Completed" || status == "Deleted" || status == "Canceled")
        throw ApiError(409, "A job that is " + status +
                                " cannot be canceled");
    if (s.worker())
        s.worker()->cancel(c.account, job.guid);
    job.body["RenderRequested"] = false;
    set_job_status(s, c.account, job, "Canceled", "JobEdit", "Job canceled");
    return string_response("Job successfully canceled");
}

Response reprint_job(Service& s, Request& r, const Caller& c) {
    Entity job = job_of(s, c, r);
    std::string device = job.body.value("DeviceGUID", "");
    if (device.empty())
        throw ApiError(400, "\"DeviceGUID\" value required: send the job "
                            "to a device first");
    return send_to_device(s, c.account, job, device, "Reprint");
}

Response job_journal(Service& s, Request& r, const Caller& c) {
    Entity job = job_of(s, c, r);
    nlohmann::json out = nlohmann::json::array();
    for (auto& e : s.store().journal(c.account, job.guid))
        out.push_back({{"Date", e.date},
                       {"Duration", e.duration_s},
                       {"Process", e.process},
                       {"Message", e.message}});
    return json_response(out);
}

}  // namespace

void add_job_routes(Service& s) {
    auto h = [&s](auto fn) {
        return [&s, fn](Request& r, const Caller& c) { return fn(s, r, c); };
    };
    const std::string base = "/api/v2/job";
    s.add({"POST", base, Auth::any, "Jobs",
           "Add or update a job from Job XML, or multipart Job.xml + "
           "document; optional header SendNotification",
           "application/xml|multipart/form-data", "application/json",
           {400, 401, 404, 415}, false, h(add_job)});
    s.add({"POST", base + "/list", Auth::any, "Jobs",
           "List jobs with filters (StatusList, Job, DeviceGUID, ...) and "
           "paging (Skip, Take)",
           "application/json", "application/json", {400, 401}, false,
           h(list_jobs)});
    s.add({"POST", base + "/sync", Auth::hardware, "Jobs",
           "Synchronise the RIP's active jobs (ComputerGUID, JobsList)",
           "application/json", "application/json", {400, 401, 404}, false,
           h(sync_jobs)});
    s.add({"GET", base + "/{JobGUID}/status", Auth::any, "Jobs",
           "Job status with info, journal, inks and media", "",
           "application/json", {401, 404}, false, h(job_status)});
    s.add({"GET", base + "/{JobGUID}", Auth::mis_key, "Jobs",
           "The job's Job XML", "", "application/xml", {401, 404}, false,
           h(job_xml)});
    s.add({"GET", base + "/{JobGUID}/thumbnail/{page}", Auth::mis_key, "Jobs",
           "PNG preview of a page (1-based)", "", "image/png", {401, 404},
           false, h(job_thumbnail)});
    s.add({"POST", base + "/thumbnail", Auth::any, "Jobs",
           "Set a page thumbnail: JsonString {JobGUID, PageNumber} + PNG",
           "multipart/form-data", "application/json", {400, 401, 404, 415},
           false, h(set_job_thumbnail)});
    s.add({"POST", base + "/status", Auth::any, "Jobs",
           "Status update from a RIP (JobGUID, StatusSpooler, Progress, "
           "Process)",
           "application/json", "application/json", {400, 401, 404, 415},
           false, h(update_job_status)});
    s.add({"POST", base + "/{JobGUID}/addcopy", Auth::any, "Jobs",
           "Report printed copies (Date, Page, Copies, InkUsage)",
           "application/json", "application/json", {400, 401, 404, 415},
           false, h(add_copy)});
    s.add({"POST", base + "/{JobGUID}/device/{DeviceGUID}", Auth::mis_key,
           "Jobs", "Send the job to a device (queues it for its RIP)", "",
           "application/json", {401, 404, 409}, false,
           [&s](Request& r, const Caller& c) {
               return send_to_device(
                   s, c.account,
                   require(s, c.account, "job", r.param("JobGUID"),
                           "JobGUID"),
                   r.param("DeviceGUID"), nullptr);
           }});
    s.add({"DELETE", base + "/{JobGUID}", Auth::any, "Jobs",
           "Delete a job (its status becomes Deleted)", "",
           "application/json", {401, 404}, true, h(delete_job)});
    s.add({"POST", base + "/{JobGUID}/cancel", Auth::any, "Jobs",
           "Cancel a job; a render in progress stops within one band", "",
           "application/json", {401, 404, 409}, true, h(cancel_job)});
    s.add({"POST", base + "/{JobGUID}/reprint", Auth::any, "Jobs",
           "Render the job again on its device", "", "application/json",
           {400, 401, 404}, true, h(reprint_job)});
    s.add({"GET", base + "/{JobGUID}/journal", Auth::any, "Jobs",
           "The job's journal", "", "application/json", {401, 404}, true,
           h(job_journal)});
}

}  // namespace ripline::server
