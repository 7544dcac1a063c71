// SPDX-License-Identifier: AGPL-3.0-or-later
// Configuration API: RIP computers and their configuration files, devices
// and their status, sites (read-only), queues with steps and hotfolders.
#include "hotfolder.hpp"
#include "jobs.hpp"
#include "multipart.hpp"

#include <filesystem>

namespace ripline::server {

namespace {

std::string checked_guid(const nlohmann::json& body, const char* field) {
    std::string guid = required_field(body, field);
    if (!is_guid(guid))
        throw ApiError(400, std::string("Validation of ") + field +
                                " failed");
    return guid;
}

Response upload_configuration(Service& s, Request& r, const Caller& c) {
    Multipart form(r);
    const Part* json = form.find("JsonString");
    if (!json)
        throw ApiError(400, "\"JsonString\" value required");
    auto meta = nlohmann::json::parse(json->data, nullptr, false);
    if (!meta.is_object() || !is_guid(string_field(meta, "ComputerGUID")))
        throw ApiError(400, "Validation of ComputerGUID failed");
    const Part* xml = nullptr;
    for (auto& part : form.parts())
        if (&part != json)
            xml = &part;
    if (!xml)
        throw ApiError(400, "A configuration XML part is required");
    std::string guid = meta["ComputerGUID"];
    Entity config{"configuration", guid};
    config.body = {{"ComputerGUID", guid},
                   {"Sha1", s.blobs().put(xml->data).sha1},
                   {"Name", xml->filename}};
    s.store().put(c.account, config);
    return string_response("Configuration successfully added");
}

Response download_configuration(Service& s, Request& r, const Caller& c) {
    Entity config = require(s, c.account, "configuration",
                            r.param("ComputerGUID"), "ComputerGUID");
    Response response;
    response.content_type = "application/xml";
    response.file = s.blobs().path(config.body.value("Sha1", ""));
    return response;
}

Response save_rip(Service& s, Request& r, const Caller& c) {
    auto body = json_body(r);
    std::string guid = checked_guid(body, "ComputerGUID");
    auto existing = s.store().get(c.account, "computer", guid);
    Entity rip = existing ? *existing : Entity{"computer", guid};
    rip.parent = c.serial_number;
    rip.body["ComputerGUID"] = guid;
    rip.body["ComputerName"] = body.value("ComputerName", "");
    rip.body["OperatingSystem"] = body.value("OperatingSystem", "");
    rip.body["SerialNumber"] = c.serial_number;
    rip.body["ApplicationVersion"] = c.application_version;
    s.store().put(c.account, rip);
    return json_response({{"Message", "Computer details successfully saved"}});
}

Response save_device(Service& s, Request& r, const Caller& c) {
    auto body = json_body(r);
    std::string guid = checked_guid(body, "DeviceGUID");
    std::string computer = checked_guid(body, "ComputerGUID");
    require(s, c.account, "computer", computer, "ComputerGUID");
    std::string uri = string_field(body, "ConnectionURI");
    if (uri.find("..") != std::string::npos)
        throw ApiError(400, "ConnectionURI \"" + uri +
                                "\" is not allowed: no \"..\" in paths");
    auto existing = s.store().get(c.account, "device", guid);
    Entity device = existing ? *existing : Entity{"device", guid};
    device.parent = computer;
    for (const char* key :
         {"Name", "Type", "MediaType", "MediaSize", "MediaSource",
          "Manufacturer", "Model", "DriverID", "ConnectionURI",
          "DeviceDefinition", "Location"})
        if (body.contains(key))
            device.body[key] = body[key];
    device.body["DeviceGUID"] = guid;
    device.body["ComputerGUID"] = computer;
    s.store().put(c.account, device);
    s.notifier().publish(c.account, "device",
                         {{"DeviceGUID", guid}, {"Event", "Saved"}});
    return json_response({{"Message", "Device successfully saved"}});
}

nlohmann::json device_json(const Entity& d) {
    nlohmann::json out = d.body;
    out["Modified"] = d.modified;
    out.erase("LastStatus");
    return out;
}

Response site_computers(Service& s, Request& r, const Caller& c) {
    std::string serial = r.param("site");
    auto site = s.store().site_by_serial(serial);
    if (!site || site->account != c.account)
        throw ApiError(404, "SerialNumber is not found");
    nlohmann::json out = nlohmann::json::array();
    for (auto& rip : s.store().list(c.account, "computer", {})) {
        std::string at = rip.body.value("SerialNumber", serial);
        if (at != serial)
            continue;
        nlohmann::json devices = nlohmann::json::array();
        ListQuery by_rip;
        by_rip.parent = rip.guid;
        for (auto& d : s.store().list(c.account, "device", by_rip))
            devices.push_back(device_json(d));
        out.push_back({{"ComputerGUID", rip.guid},
                       {"Name", rip.body.value("ComputerName", "")},
                       {"Modified", rip.modified},
                       {"Devices", devices}});
    }
    return json_response(out);
}

Response list_sites(Service& s, Request&, const Caller& c) {
    nlohmann::json out = nlohmann::json::array();
    for (auto& site : s.store().sites(c.account))
        out.push_back({{"SerialNumber", site.serial_number},
                       {"Name", site.name}});
    return json_response(out);
}

Response list_devices(Service& s, Request&, const Caller& c) {
    nlohmann::json out = nlohmann::json::array();
    for (auto& d : s.store().list(c.account, "device", {}))
        out.push_back(device_json(d));
    return json_response(out);
}

Response list_rips(Service& s, Request&, const Caller& c) {
    nlohmann::json out = nlohmann::json::array();
    for (auto& rip : s.store().list(c.account, "computer", {}))
        out.push_back(rip.body);
    return json_response(out);
}

Response device_status(Service& s, Request& r, const Caller& c) {
    Entity d = require(s, c.account, "device", r.param("DeviceGUID"),
                       "DeviceGUID");
    auto last = d.body.value("LastStatus", nlohmann::json::object());
    auto rip = s.store().get(c.account, "computer", d.parent);
    nlohmann::json current = nullptr;
    int in_progress = 0;
    ListQuery query;
    query.parent = d.guid;
    query.statuses = {"InProgress"};
    for (auto& job : s.store().list(c.account, "job", query)) {
        if (current.is_null())
            current = {{"JobGUID", job.guid},
                       {"Name", job.body.value("JobName", "")},
                       {"Copies", job.body.value("Copies", 1)},
                       {"RemainingPages", job.body.value("Pages", 0)},
                       {"User", job.body.value("User", "")},
                       {"Progress", job.body.value("Progress", 0)}};
        ++in_progress;
    }
    return json_response(
        {{"DeviceName", d.body.value("Name", "")},
         {"DeviceStatus", last.value("Status", "Idle")},
         {"DeviceType", d.body.value("Type", "Printer")},
         {"MediaSize", d.body.value("MediaSize", "")},
         {"MediaSource", d.body.value("MediaSource", nlohmann::json())},
         {"Location", d.body.value("Location", "")},
         {"ComputerGUID", d.parent},
         {"Rip", rip ? rip->body.value("ComputerName", "") : ""},
         {"SerialNumber", rip ? rip->body.value("SerialNumber", "") : ""},
         {"ConnectionState", last.value("ConnectionState", "Online")},
         {"Message", last.value("Message", "")},
         {"RemainingInks", last.value("RemainingInks", nlohmann::json())},
         {"CurrentJob", current},
         {"InProgressJobs", in_progress}});
}

Response update_device_status(Service& s, Request& r, const Caller& c) {
    static const std::set<std::string> states = {
        "Error",       "Idle",        "Offline", "Aborting",
        "Printing",    "Sleeping",    "Calibrating", "Maintenance",
        "Pause",       "NotUsed",     "Hold"};
    auto body = json_body(r);
    Entity d = require(s, c.account, "device",
                       required_field(body, "DeviceGUID"), "DeviceGUID");
    std::string status = string_field(body, "Status");
    if (!status.empty() && !states.count(status))
        throw ApiError(400, "Status value \"" + status + "\" is not valid");
    d.body["LastStatus"] = body;
    s.store().put(c.account, d);
    s.notifier().publish(c.account, "device",
                         {{"DeviceGUID", d.guid},
                          {"Status", status},
                          {"ConnectionState",
                           body.value("ConnectionState", "")}});
    return string_response("Device status successfully updated");
}

nlohmann::json queue_json(const Entity& q) {
    auto out = q.body;
    out["QueueGUID"] = q.guid;
    return out;
}

Response device_queues(Service& s, Request& r, const Caller& c) {
    Entity d = require(s, c.account, "device", r.param("DeviceGUID"),
                       "DeviceGUID");
    ListQuery query;
    query.parent = d.guid;
    nlohmann::json out = nlohmann::json::array();
    for (auto& q : s.store().list(c.account, "queue", query))
        out.push_back(queue_json(q));
    return json_response(out);
}

Response save_queue(Service& s, Request& r, const Caller& c) {
    static const std::set<std::string> steps = {"Impose", "SetPrintMode",
                                                "Nest", "Render"};
    auto body = json_body(r);
    std::string guid = string_field(body, "QueueGUID");
    if (guid.empty())
        guid = new_guid();
    if (!is_guid(guid))
        throw ApiError(400, "Validation of QueueGUID failed");
    std::string name = required_field(body, "QueueName");
    std::string device = string_field(body, "DeviceGUID");
    if (!device.empty())
        require(s, c.account, "device", device, "DeviceGUID");
    auto list = body.value("Steps", nlohmann::json::array());
    for (auto& step : list)
        if (!step.is_object() || !steps.count(step.value("Step", "")))
            throw ApiError(400, "Steps: each step needs \"Step\", one of "
                                "Impose, SetPrintMode, Nest, Render");
    Entity q{"queue", guid};
    q.parent = device;
    q.body = body;
    q.body["QueueGUID"] = guid;
    q.body["Steps"] = list;
    q.body["Hotfolder"] =
        Hotfolders::folder_for(s.config(), c.account, guid).string();
    s.store().put(c.account, q);
    Hotfolders::prepare(s.config(), c.account, guid);
    return json_response({{"Message", "Queue successfully saved"},
                          {"QueueGUID", guid},
                          {"Hotfolder", q.body["Hotfolder"]}});
}

Response get_queue(Service& s, Request& r, const Caller& c) {
    return json_response(queue_json(require(s, c.account, "queue",
                                            r.param("QueueGUID"),
                                            "QueueGUID")));
}

Response delete_queue(Service& s, Request& r, const Caller& c) {
    require(s, c.account, "queue", r.param("QueueGUID"), "QueueGUID");
    s.store().remove(c.account, "queue", r.param("QueueGUID"));
    return string_response("Queue successfully deleted");
}

}  // namespace

void add_configuration_routes(Service& s) {
    auto h = [&s](auto fn) {
        return [&s, fn](Request& r, const Caller& c) { return fn(s, r, c); };
    };
    const std::string js = "application/json";
    const std::string cfg = "/api/v2/configuration";
    s.add({"POST", cfg, Auth::hardware, "Configuration",
           "Upload a RIP configuration: JsonString {ComputerGUID} + XML",
           "multipart/form-data", js, {400, 401, 415}, false,
           h(upload_configuration)});
    s.add({"GET", cfg + "/{ComputerGUID}", Auth::any, "Configuration",
           "Download a RIP configuration", "", "application/xml", {401, 404},
           false, h(download_configuration)});
    s.add({"POST", cfg + "/rip", Auth::hardware, "Configuration",
           "Add or update a RIP computer (ComputerGUID, ComputerName, "
           "OperatingSystem)",
           js, js, {400, 401, 415}, false, h(save_rip)});
    s.add({"POST", cfg + "/device", Auth::any, "Configuration",
           "Add or update a device on a RIP (DeviceGUID, ComputerGUID, "
           "Name, DriverID, ConnectionURI, ...)",
           js, js, {400, 401, 404, 415}, false, h(save_device)});
    s.add({"GET", cfg + "/site/{site}", Auth::mis_key, "Configuration",
           "The computers of a site with their devices", "", js, {401, 404},
           false, h(site_computers)});
    s.add({"GET", cfg + "/sites", Auth::any, "Configuration",
           "The account's sites (read-only)", "", js, {401}, true,
           h(list_sites)});
    s.add({"GET", cfg + "/devices", Auth::any, "Configuration",
           "All devices of the account", "", js, {401}, true,
           h(list_devices)});
    s.add({"GET", cfg + "/rips", Auth::any, "Configuration",
           "All RIP computers of the account", "", js, {401}, true,
           h(list_rips)});
    s.add({"POST", cfg + "/queue", Auth::any, "Configuration",
           "Add or update a queue with its pre-processing Steps; creates "
           "its hotfolder",
           js, js, {400, 401, 404, 415}, true, h(save_queue)});
    s.add({"GET", "/api/v2/queue/{QueueGUID}", Auth::any, "Configuration",
           "A queue", "", js, {401, 404}, true, h(get_queue)});
    s.add({"DELETE", "/api/v2/queue/{QueueGUID}", Auth::any, "Configuration",
           "Delete a queue", "", js, {401, 404}, true, h(delete_queue)});
    s.add({"GET", "/api/v2/device/{DeviceGUID}/status", Auth::any,
           "Configuration", "A device's status and current job", "", js,
           {401, 404}, false, h(device_status)});
    s.add({"POST", "/api/v2/device/status", Auth::any, "Configuration",
           "Report a device's status (transient, replaces the last)", js, js,
           {400, 401, 404, 415}, false, h(update_device_status)});
    s.add({"GET", "/api/v2/device/{DeviceGUID}/queues", Auth::any,
           "Configuration", "The queues of a device", "", js, {401, 404},
           false, h(device_queues)});
}

}  // namespace ripline::server
