// SPDX-License-Identifier: AGPL-3.0-or-later
// Logs API: log entries from RIPs, crash reports, and a query call.
#include "jobs.hpp"
#include "multipart.hpp"

namespace ripline::server {

namespace {

void check_known(Service& s, AccountId account, const nlohmann::json& body,
                 const char* field, const char* kind) {
    std::string guid = string_field(body, field);
    if (!guid.empty() && !s.store().get(account, kind, guid))
        throw ApiError(404, std::string(field) + " is not found");
}

Response add_log(Service& s, Request& r, const Caller& c) {
    auto body = json_body(r);
    required_field(body, "ComputerGUID");
    std::string type = required_field(body, "Type");
    required_field(body, "Description");
    if (type != "log" && type != "configuration")
        throw ApiError(400, "\"Type\" must be \"log\" or \"configuration\"");
    check_known(s, c.account, body, "ComputerGUID", "computer");
    check_known(s, c.account, body, "DeviceGUID", "device");
    check_known(s, c.account, body, "QueueGUID", "queue");
    check_known(s, c.account, body, "JobGUID", "job");
    s.store().add_log(c.account, {0, "log", "", body});
    return string_response("log successfully added");
}

Response add_crash_report(Service& s, Request& r, const Caller& c) {
    Multipart form(r);
    const Part* stack = form.find("CallStack");
    if (!stack)
        stack = form.find_type("text/plain");
    if (!stack || stack->data.empty())
        throw ApiError(400, "\"CallStack\" value required");
    nlohmann::json body{{"ApplicationName", r.header("ApplicationName")},
                        {"OS", r.header("OS")},
                        {"CallStack", std::string(stack->data)},
                        {"ComputerGUID", c.computer_guid}};
    for (auto& part : form.parts()) {
        if (&part == stack)
            continue;
        std::string key = part.content_type.find("xml") != std::string::npos
                              ? "XmlSha1"
                              : "DumpSha1";
        body[key] = s.blobs().put(part.data).sha1;
    }
    s.store().add_log(c.account, {0, "crash", "", body});
    return string_response("Crash report successfully added");
}

Response query_logs(Service& s, Request& r, const Caller& c) {
    auto f = r.body.empty() && r.body_file.empty() ? nlohmann::json::object()
                                                   : json_body(r);
    LogQuery q;
    q.kind = string_field(f, "Kind");
    q.type = string_field(f, "Type");
    q.computer_guid = string_field(f, "ComputerGUID");
    q.device_guid = string_field(f, "DeviceGUID");
    q.job_guid = string_field(f, "JobGUID");
    q.text = string_field(f, "Text");
    q.since = string_field(f, "DateFrom");
    q.until = string_field(f, "DateTo");
    q.offset = f.value("Skip", std::int64_t{0});
    q.limit = std::min<std::int64_t>(f.value("Take", std::int64_t{100}), 1000);
    nlohmann::json out = nlohmann::json::array();
    for (auto& e : s.store().logs(c.account, q)) {
        auto item = e.body;
        item["Id"] = e.id;
        item["Kind"] = e.kind;
        item["Date"] = e.created;
        out.push_back(item);
    }
    return json_response(out);
}

}  // namespace

void add_log_routes(Service& s) {
    auto h = [&s](auto fn) {
        return [&s, fn](Request& r, const Caller& c) { return fn(s, r, c); };
    };
    const std::string js = "application/json";
    s.add({"POST", "/api/v2/log", Auth::any, "Logs",
           "Add a log entry (ComputerGUID, Type log|configuration, "
           "Description, ...)",
           js, js, {400, 401, 404, 415}, false, h(add_log)});
    s.add({"POST", "/api/v2/log/crashreport", Auth::any, "Logs",
           "Add a crash report: CallStack text + optional XML and dump; "
           "headers ApplicationName, OS",
           "multipart/form-data", js, {400, 401, 415}, false,
           h(add_crash_report)});
    s.add({"POST", "/api/v2/log/query", Auth::any, "Logs",
           "Query logs (Kind, Type, ComputerGUID, DeviceGUID, JobGUID, "
           "Text, DateFrom, DateTo, Skip, Take)",
           js, js, {400, 401, 415}, true, h(query_logs)});
}

}  // namespace ripline::server
