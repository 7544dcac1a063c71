// SPDX-License-Identifier: AGPL-3.0-or-later
// Resources API: versioned uploads with checksum and timestamp, the packed
// list, PMM lookup, download of a version, history, delete.
#include "jobs.hpp"
#include "multipart.hpp"

#include <algorithm>

namespace ripline::server {

namespace {

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), ::toupper);
    return text;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), ::tolower);
    return text;
}

// ISO 8601 UTC as sortable text; accepts "...Z" with or without millis.
std::string normalise_timestamp(const std::string& text) {
    if (text.empty())
        return now_iso();
    if (text.size() < 19 || text[4] != '-' || text[10] != 'T')
        throw ApiError(400, "\"Timestamp\" header must be ISO 8601 UTC, "
                            "e.g. 2026-01-31T12:00:00Z");
    std::string millis = ".000";
    if (text.size() > 19 && text[19] == '.')
        millis = (text.substr(19, 4) + "000").substr(0, 4);
    return text.substr(0, 19) + millis + "Z";
}

Response add_resource(Service& s, Request& r, const Caller& c) {
    Multipart form(r);
    const Part* json = form.find("JsonString");
    if (!json)
        json = form.find_type("application/json");
    if (!json)
        throw ApiError(400, "\"JsonString\" value required");
    auto meta = nlohmann::json::parse(json->data, nullptr, false);
    if (!meta.is_object())
        throw ApiError(400, "This request is not properly formatted");
    std::string guid = required_field(meta, "ResourceGUID");
    if (!is_guid(guid))
        throw ApiError(400, "Validation of ResourceGUID failed");
    std::string checksum = upper(required_field(meta, "ResourceChecksum"));
    std::string type = string_field(meta, "ResourceType");
    if (type.empty())
        type = "Generic";
    auto info = meta.value("Meta", nlohmann::json::object());
    if (string_field(info, "Name").empty())
        throw ApiError(400, "\"Meta.Name\" value required");
    if (type == "NormalProfile" && (string_field(info, "MediaType").empty() ||
                                    string_field(info, "ProfileGroup").empty()))
        throw ApiError(400, "\"Meta.MediaType\" and \"Meta.ProfileGroup\" "
                            "value required for a NormalProfile");
    const Part* file = nullptr;
    for (auto& part : form.parts())
        if (&part != json)
            file = &part;
    if (!file)
        throw ApiError(400, "A resource file part is required");
    if (sha1_hex(file->data) != checksum)
        throw ApiError(400, "ResourceChecksum does not match the uploaded "
                            "file");

    // Only a newer version than the stored one is taken.
    std::string timestamp = normalise_timestamp(r.header("Timestamp"));
    auto existing = s.store().get(c.account, "resource", guid);
    if (existing && existing->body.value("Timestamp", "") >= timestamp &&
        !existing->body.value("Deleted", false))
        throw ApiError(409, "A newer or equal version of this resource is "
                            "stored (Timestamp " +
                                existing->body.value("Timestamp", "") + ")");
    BlobInfo blob = s.blobs().put(file->data);
    Entity res = existing ? *existing : Entity{"resource", guid};
    res.status = type;
    res.body = {{"ResourceGUID", guid},
                {"ResourceChecksum", blob.sha1},
                {"ResourceType", type},
                {"Timestamp", timestamp},
                {"Domain", meta.value("Domain", "Private")},
                {"Meta", info},
                {"Size", blob.size}};
    s.store().transaction([&] {
        res.body["Version"] = s.store().add_revision(
            c.account, "resource", guid,
            {0, blob.sha1, blob.size, timestamp, "", info});
        s.store().put(c.account, res);
    });
    s.notifier().publish(c.account, "resource",
                         {{"ResourceGUID", guid}, {"Timestamp", timestamp}});
    return string_response("Resource successfully added");
}

Response list_resources(Service& s, Request& r, const Caller& c) {
    auto body = r.body.empty() && r.body_file.empty()
                    ? nlohmann::json::object()
                    : json_body(r);
    std::vector<std::string> types;
    // An array of types, one type, or "*" for all.
    auto wanted = body.value("ResourceTypes", nlohmann::json("*"));
    if (wanted.is_string())
        wanted = nlohmann::json::array({wanted});
    if (!wanted.is_array())
        throw ApiError(400, "\"ResourceTypes\" must be a list or \"*\"");
    for (auto& t : wanted)
        if (t.is_string())
            types.push_back(t.get<std::string>());
    bool all = types.empty() ||
               std::find(types.begin(), types.end(), "*") != types.end();
    bool deleted = body.value("IncludeDeleted", false);
    std::string domain = body.value("Domain", "Private");
    nlohmann::json out = nlohmann::json::array();
    for (auto& res : s.store().list(c.account, "resource", {})) {
        auto& b = res.body;
        if (!all && std::find(types.begin(), types.end(),
                              b.value("ResourceType", "")) == types.end())
            continue;
        if ((!deleted && b.value("Deleted", false)) ||
            b.value("Domain", "Private") != domain)
            continue;
        out.push_back({res.guid, b.value("ResourceType", ""),
                       b.value("ResourceChecksum", ""),
                       b["Meta"].value("Name", "")});
    }
    return json_response(out);
}

Response pmm_info(Service& s, Request& r, const Caller& c) {
    auto body = json_body(r);
    std::string group = lower(required_field(body, "ProfileGroup"));
    std::string media = lower(required_field(body, "Media"));
    std::string mode = lower(required_field(body, "Mode"));
    for (auto& res : s.store().list(c.account, "resource", {})) {
        auto& m = res.body["Meta"];
        if (res.body.value("ResourceType", "") != "NormalProfile" ||
            res.body.value("Deleted", false) ||
            lower(m.value("ProfileGroup", "")) != group ||
            lower(m.value("Media", m.value("MediaType", ""))) != media ||
            lower(m.value("Mode", "")) != mode)
            continue;
        nlohmann::json out = res.body;
        out.erase("Size");
        out.erase("Version");
        return json_response(out);
    }
    throw ApiError(404, "PMM not found");
}

Entity resource_of(Service& s, const Caller& c, const Request& r) {
    return require(s, c.account, "resource", r.param("ResourceGUID"),
                   "ResourceGUID");
}

Response download_resource(Service& s, Request& r, const Caller& c) {
    Entity res = resource_of(s, c, r);
    std::string sha1 = res.body.value("ResourceChecksum", "");
    if (r.query.count("version")) {
        sha1.clear();
        int want = std::atoi(r.query.at("version").c_str());
        for (auto& v : s.store().revisions(c.account, "resource", res.guid))
            if (v.number == want)
                sha1 = v.sha1;
        if (sha1.empty())
            throw ApiError(404, "Version is not found");
    }
    Response response;
    response.content_type = "application/octet-stream";
    response.file = s.blobs().path(sha1);
    response.headers.push_back({"ResourceChecksum", sha1});
    return response;
}

Response resource_history(Service& s, Request& r, const Caller& c) {
    Entity res = resource_of(s, c, r);
    nlohmann::json out = nlohmann::json::array();
    for (auto& v : s.store().revisions(c.account, "resource", res.guid))
        out.push_back({{"Version", v.number},
                       {"ResourceChecksum", v.sha1},
                       {"Size", v.size},
                       {"Timestamp", v.timestamp},
                       {"Stored", v.created},
                       {"Meta", v.meta}});
    return json_response(out);
}

Response delete_resource(Service& s, Request& r, const Caller& c) {
    Entity res = resource_of(s, c, r);
    res.body["Deleted"] = true;
    s.store().put(c.account, res);
    return string_response("Resource successfully deleted");
}

}  // namespace

void add_resource_routes(Service& s) {
    auto h = [&s](auto fn) {
        return [&s, fn](Request& r, const Caller& c) { return fn(s, r, c); };
    };
    const std::string base = "/api/v2/resource";
    const std::string js = "application/json";
    s.add({"POST", base, Auth::any, "Resources",
           "Add or update a resource: JsonString {ResourceGUID, "
           "ResourceChecksum (SHA-1), ResourceType, Meta{Name}} + file; "
           "header Timestamp, only newer versions are taken",
           "multipart/form-data", js, {400, 401, 409, 413, 415}, false,
           h(add_resource)});
    s.add({"POST", base + "/list", Auth::any, "Resources",
           "Packed list [ResourceGUID, ResourceType, SHA1, Name]", js, js,
           {400, 401, 415}, false, h(list_resources)});
    s.add({"POST", base + "/pmminfo", Auth::any, "Resources",
           "Find a PMM (NormalProfile) by ProfileGroup, Media and Mode", js,
           js, {400, 401, 404, 415}, false, h(pmm_info)});
    s.add({"GET", base + "/{ResourceGUID}", Auth::any, "Resources",
           "Download the current version (?version=N for an older one)", "",
           "application/octet-stream", {401, 404}, true,
           h(download_resource)});
    s.add({"GET", base + "/{ResourceGUID}/history", Auth::any, "Resources",
           "The versions kept (30 days of history)", "", js, {401, 404}, true,
           h(resource_history)});
    s.add({"DELETE", base + "/{ResourceGUID}", Auth::any, "Resources",
           "Delete a resource (listed with IncludeDeleted)", "", js,
           {401, 404}, true, h(delete_resource)});
}

}  // namespace ripline::server
