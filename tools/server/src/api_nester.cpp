// SPDX-License-Identifier: AGPL-3.0-or-later
// Nester API: nest groups with triggers, jobs added to a group, nests.
#include "jobs.hpp"
#include "preview.hpp"

#include <sstream>

#if RIPLINE_SERVER_HAVE_NEST
#include "core/nest/nester.hpp"
#endif

namespace ripline::server {

namespace {

Response save_group(Service& s, Request& r, const Caller& c) {
    auto body = json_body(r);
    std::string guid = string_field(body, "NestGroupGUID");
    if (guid.empty())
        guid = new_guid();
    if (!is_guid(guid))
        throw ApiError(400, "Validation of NestGroupGUID failed");
    std::string name = required_field(body, "Name");
    auto triggers = body.value("Triggers", nlohmann::json::object());
    for (const char* key : {"MaxAgeMinutes", "MinEfficiency", "MaxLength"})
        if (triggers.contains(key) && !triggers[key].is_number())
            throw ApiError(400, std::string("Triggers.") + key +
                                    " must be a number");
    std::string device = string_field(body, "DeviceGUID");
    if (!device.empty())
        require(s, c.account, "device", device, "DeviceGUID");
    Entity group{"nestgroup", guid};
    group.body = {{"NestGroupGUID", guid},
                  {"Name", name},
                  {"DeviceGUID", device},
                  {"Triggers", triggers}};
    s.store().put(c.account, group);
    return json_response({{"Message", "Nest group successfully saved"},
                          {"NestGroupGUID", guid}});
}

Response list_groups(Service& s, Request&, const Caller& c) {
    nlohmann::json out = nlohmann::json::array();
    for (auto& g : s.store().list(c.account, "nestgroup", {})) {
        auto item = g.body;
        ListQuery members;
        members.parent = g.guid;
        item["Jobs"] = s.store().list(c.account, "nestmember", members).size();
        out.push_back(item);
    }
    return json_response(out);
}

// POST /api/v2/nester: a Job XML naming its NestGroupGUID (or Name).
Response add_to_group(Service& s, Request& r, const Caller& c) {
    std::string type = r.content_type();
    if (type != "application/xml" && type != "text/xml")
        throw ApiError(415, "Expected type: application/xml");
    JobXml job = JobXml::parse(body_text(r));
    std::string group_guid = job.text("NestGroupGUID");
    std::string group_name = job.text("NestGroupName");
    std::optional<Entity> group;
    if (!group_guid.empty())
        group = s.store().get(c.account, "nestgroup", group_guid);
    else if (!group_name.empty())
        for (auto& g : s.store().list(c.account, "nestgroup", {}))
            if (g.body.value("Name", "") == group_name)
                group = g;
    if (group_guid.empty() && group_name.empty())
        throw ApiError(400, "\"NestGroupGUID\" value required in xml");
    if (!group)
        throw ApiError(404, "NestGroupGUID is not found");
    for (auto& file : job.file_paths())
        if (!file.id.empty() &&
            !s.store().get(c.account, "document", file.id))
            throw ApiError(404, "Document FilePath.Id is not found");
    auto result = submit_job(s, c.account, job, nullptr, false, "Nester");
    Entity member{"nestmember", result.job_guid};
    member.parent = group->guid;
    member.body = {{"JobGUID", result.job_guid}, {"Added", now_iso()}};
    s.store().put(c.account, member);
    return json_response({{"Message", "Job successfully saved"},
                          {"JobGUID", result.job_guid}});
}

#if RIPLINE_SERVER_HAVE_NEST
// A job's first page size in units (1/18"), from its documents' meta.
std::pair<double, double> page_size_units(Service& s, AccountId account,
                                          const Entity& job) {
    for (auto& d : job.body.value("Documents", nlohmann::json::array())) {
        auto doc = s.store().get(account, "document",
                                 d.value("DocumentGUID", ""));
        if (!doc)
            continue;
        // The sizes the core read, else the ones the client gave.
        auto read = document_pages(s, account, *doc);
        auto pages = read && read->body.contains("Pages")
                         ? read->body["Pages"]
                          : doc->body["Meta"].value("Pages", nlohmann::json());
        if (pages.is_array() && !pages.empty() &&
            pages[0].value("Width", 0.0) > 0)
            return {pages[0].value("Width", 0.0),
                    pages[0].value("Height", 0.0)};
    }
    return {0, 0};
}
#endif

// Lay the jobs out on the group's media with ripline::nest: one
// rectangle per job (its first page), copies as the job's Copies.
void nest_jobs(Service& s, AccountId account, const Entity& group,
               const std::vector<Entity>& jobs, nlohmann::json& nest) {
    nlohmann::json parts = nlohmann::json::array();
#if RIPLINE_SERVER_HAVE_NEST
    ripline::nest::Problem problem;
    problem.name = group.body.value("Name", "");
    problem.media.width = group.body.value("MediaWidth", 54.0 * 18);
    ripline::nest::NestOptions options;
    options.spacing = group.body.value("Spacing", 0.0);
    options.time_limit_s = 0.5;
    options.max_evaluations = 2000;
    std::vector<const Entity*> placed_jobs;
    for (auto& member : jobs) {
        auto job = s.store().get(account, "job", member.guid);
        if (!job)
            continue;
        auto [w, h] = page_size_units(s, account, *job);
        if (w <= 0 || h <= 0)
            continue;  // listed below as not fitted
        ripline::nest::Part part;
        part.id = job->guid;
        part.outline.outer = {{0, 0}, {w, 0}, {w, h}, {0, h}};
        part.quantity = job->body.value("Copies", 1);
        part.rotations_deg = {0, 90};
        problem.parts.push_back(part);
    }
    if (!problem.parts.empty()) {
        auto result = ripline::nest::nest(problem, options);
        for (auto& p : result.placements)
            parts.push_back({{"JobGUID", p.part_id},
                             {"Copy", p.copy + 1},
                             {"X", p.pose.translation.x},
                             {"Y", p.pose.translation.y},
                             {"Rotation", p.pose.rotation_deg}});
        nest["Efficiency"] = result.efficiency;
        nest["Length"] = result.used_length;
        nest["Engine"] = result.engine;
    }
    nest["Width"] = problem.media.width;
#else
    // TODO(server): built without ripline_nest; nests list their jobs.
    (void)s, (void)account, (void)group;
    nest["Efficiency"] = 0;
#endif
    nest["Placements"] = parts;
    nest["Count"] = jobs.size();
}

// Close the group's current bucket into a nest.
Response submit_group(Service& s, Request& r, const Caller& c) {
    Entity group = require(s, c.account, "nestgroup",
                           r.param("NestGroupGUID"), "NestGroupGUID");
    ListQuery members;
    members.parent = group.guid;
    auto jobs = s.store().list(c.account, "nestmember", members);
    if (jobs.empty())
        throw ApiError(409, "The nest group has no jobs to nest");
    Entity nest{"nest", new_guid()};
    nlohmann::json list = nlohmann::json::array();
    for (auto& m : jobs)
        list.push_back(m.guid);
    nest.parent = group.guid;
    nest.body = {{"NestGUID", nest.guid},
                 {"NestGroupGUID", group.guid},
                 {"Jobs", list},
                 {"Created", now_iso()}};
    nest_jobs(s, c.account, group, jobs, nest.body);
    s.store().transaction([&] {
        for (auto& m : jobs)
            s.store().remove(c.account, "nestmember", m.guid);
        s.store().put(c.account, nest);
    });
    s.notifier().publish(c.account, "nest", {{"NestGUID", nest.guid}});
    return json_response({{"Message", "Nest successfully created"},
                          {"NestGUID", nest.guid},
                          {"Efficiency", nest.body["Efficiency"]}});
}

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char ch : text) {
        switch (ch) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += ch;
        }
    }
    return out;
}

Response nest_details(Service& s, Request& r, const Caller& c) {
    Entity nest = require(s, c.account, "nest", r.param("NestGUID"),
                          "NestGUID");
    std::ostringstream xml;
    xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<Job Version=\"2\" "
           "xmlns=\"https://printfactory.cloud/schema/2.0\">\n"
        << "  <JobGUID>" << nest.guid << "</JobGUID>\n"
        << "  <Automation><Efficiency>"
        << nest.body.value("Efficiency", 0.0) << "</Efficiency><Length>"
        << nest.body.value("Length", 0.0) << "</Length><Width>"
        << nest.body.value("Width", 0.0) << "</Width><Count>"
        << nest.body["Jobs"].size() << "</Count></Automation>\n"
        << "  <Imposition><Parts>\n";
    // One Part per placed copy, at its position in units.
    for (auto& p : nest.body.value("Placements", nlohmann::json::array())) {
        auto job = s.store().get(c.account, "job", p.value("JobGUID", ""));
        if (!job)
            continue;
        auto docs = job->body.value("Documents", nlohmann::json::array());
        std::string doc = docs.empty() ? "" : docs[0].value("DocumentGUID", "");
        xml << "    <Part><GUID>" << new_guid() << "</GUID><SourcePage>0"
            << "</SourcePage><DestinationPage>1</DestinationPage>"
            << "<DocumentGUID>" << xml_escape(doc) << "</DocumentGUID>"
            << "<CopyName>Copy #" << p.value("Copy", 1) << "</CopyName>"
            << "<Position X=\"" << p.value("X", 0.0) << "\" Y=\""
            << p.value("Y", 0.0) << "\"/></Part>\n";
    }
    xml << "  </Parts></Imposition>\n</Job>\n";
    Response response;
    response.content_type = "application/xml; charset=utf-8";
    response.body = xml.str();
    return response;
}

}  // namespace

void add_nester_routes(Service& s) {
    auto h = [&s](auto fn) {
        return [&s, fn](Request& r, const Caller& c) { return fn(s, r, c); };
    };
    const std::string js = "application/json";
    s.add({"POST", "/api/v2/nester", Auth::any, "Nester",
           "Add a job to a nest group (Job XML with NestGroupGUID)",
           "application/xml", js, {400, 401, 404, 415}, false,
           h(add_to_group)});
    s.add({"GET", "/api/v2/nester/nest/{NestGUID}", Auth::any, "Nester",
           "Nest details as XML", "", "application/xml", {401, 404}, false,
           h(nest_details)});
    s.add({"POST", "/api/v2/nester/group", Auth::any, "Nester",
           "Add or update a nest group with Triggers (MaxAgeMinutes, "
           "MinEfficiency, MaxLength, Deadline)",
           js, js, {400, 401, 404, 415}, true, h(save_group)});
    s.add({"GET", "/api/v2/nester/groups", Auth::any, "Nester",
           "The nest groups with their triggers and job counts", "", js,
           {401}, true, h(list_groups)});
    s.add({"POST", "/api/v2/nester/group/{NestGroupGUID}/submit", Auth::any,
           "Nester", "Close the group's jobs into a nest now", "", js,
           {401, 404, 409}, true, h(submit_group)});
}

}  // namespace ripline::server
