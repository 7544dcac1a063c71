// SPDX-License-Identifier: AGPL-3.0-or-later
// Nester API: nest groups with triggers, jobs added to a group, nests.
#include "jobs.hpp"
#include "preview.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <sstream>

#if RIPLINE_SERVER_HAVE_NEST
#include "core/nest/nester.hpp"
#endif

namespace ripline::server {

namespace {

using Clock = std::chrono::system_clock;

// "2026-12-03T16:00:00[.000]Z" as a time; nullopt when it is not one.
std::optional<Clock::time_point> parse_iso(const std::string& text) {
    std::tm utc{};
    int ms = 0;
    int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d",
                        &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
                        &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &ms);
    if (n < 6 || text.size() < 20 || text.back() != 'Z')
        return std::nullopt;
    utc.tm_year -= 1900;
    utc.tm_mon -= 1;
    return Clock::from_time_t(timegm(&utc)) + std::chrono::milliseconds(ms);
}

// A daily "HH:MM" (UTC) cut-off as minutes after midnight, or -1.
int daily_minutes(const std::string& text) {
    int hours = 0, minutes = 0;
    if (text.size() != 5 || text[2] != ':' ||
        std::sscanf(text.c_str(), "%2d:%2d", &hours, &minutes) != 2 ||
        hours > 23 || minutes > 59 || hours < 0 || minutes < 0)
        return -1;
    return hours * 60 + minutes;
}

bool deadline_valid(const std::string& text) {
    return parse_iso(text) || daily_minutes(text) >= 0;
}

std::string iso_of(Clock::time_point time) {
    auto seconds = Clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
    return text;
}

// The Deadline cut-off that has passed and not yet fired, as its ISO
// text ("" when none): a one-shot time, or today's daily HH:MM.
std::string due_deadline(const Entity& group, Clock::time_point now) {
    auto triggers = group.body.value("Triggers", nlohmann::json::object());
    std::string deadline = string_field(triggers, "Deadline");
    if (deadline.empty())
        return {};
    std::string cutoff;
    if (auto at = parse_iso(deadline)) {
        cutoff = *at <= now ? iso_of(*at) : "";
    } else if (int minutes = daily_minutes(deadline); minutes >= 0) {
        auto today = Clock::to_time_t(now) / 86400 * 86400;
        auto at = Clock::from_time_t(today) + std::chrono::minutes(minutes);
        cutoff = at <= now ? iso_of(at) : "";
    }
    // Each cut-off fires once (ISO text compares in time order).
    if (cutoff.empty() || group.body.value("DeadlineFired", "") >= cutoff)
        return {};
    return cutoff;
}

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
    if (triggers.contains("Deadline") &&
        (!triggers["Deadline"].is_string() ||
         !deadline_valid(triggers["Deadline"].get<std::string>())))
        throw ApiError(400, "Triggers.Deadline must be an ISO 8601 UTC time "
                            "(2026-12-03T16:00:00Z) or a daily HH:MM");
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
// rectangle per job (its first page), copies as the job's Copies. A job
// or copy that finds no place is listed under Unplaced with the reason,
// so that a release never drops it unsaid.
void nest_jobs(Service& s, AccountId account, const Entity& group,
               const std::vector<Entity>& jobs, nlohmann::json& nest) {
    nlohmann::json parts = nlohmann::json::array();
    nlohmann::json unplaced = nlohmann::json::array();
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
        if (w <= 0 || h <= 0) {
            unplaced.push_back({{"JobGUID", job->guid},
                                {"Reason", "no page size: no document of "
                                           "the job has a page with one"}});
            continue;
        }
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
        for (auto& u : result.unplaced)
            unplaced.push_back(
                {{"JobGUID", problem.parts[size_t(u.part_index)].id},
                 {"Copy", u.copy + 1},
                 {"Reason", u.reason}});
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
    nest["Unplaced"] = unplaced;
    nest["Count"] = jobs.size();
}

// One nest release at a time per server: the scheduler and the submit
// call must not both take the same members.
std::mutex& release_mutex() {
    static std::mutex mutex;
    return mutex;
}

// Close the group's current members into a nest laid out by NEST (from
// nest_jobs), remove them from the group and publish it. Call with
// release_mutex() held.
Entity release_nest(Service& s, AccountId account, const Entity& group,
                    const std::vector<Entity>& jobs, nlohmann::json laid_out,
                    const std::string& trigger) {
    Entity nest{"nest", new_guid()};
    nlohmann::json list = nlohmann::json::array();
    for (auto& m : jobs)
        list.push_back(m.guid);
    nest.parent = group.guid;
    nest.body = std::move(laid_out);
    nest.body["NestGUID"] = nest.guid;
    nest.body["NestGroupGUID"] = group.guid;
    nest.body["Jobs"] = list;
    nest.body["Created"] = now_iso();
    nest.body["Trigger"] = trigger;
    s.store().transaction([&] {
        for (auto& m : jobs)
            s.store().remove(account, "nestmember", m.guid);
        s.store().put(account, nest);
    });
    s.notifier().publish(account, "nest",
                         {{"NestGUID", nest.guid},
                          {"NestGroupGUID", group.guid},
                          {"Status", "Created"},
                          {"Trigger", trigger},
                          {"Efficiency", nest.body.value("Efficiency", 0.0)},
                          {"Count", jobs.size()},
                          {"Unplaced", nest.body["Unplaced"].size()}});
    return nest;
}

std::vector<Entity> members_of(Service& s, AccountId account,
                               const Entity& group) {
    ListQuery members;
    members.parent = group.guid;
    return s.store().list(account, "nestmember", members);
}

// Close the group's current bucket into a nest.
Response submit_group(Service& s, Request& r, const Caller& c) {
    Entity group = require(s, c.account, "nestgroup",
                           r.param("NestGroupGUID"), "NestGroupGUID");
    std::lock_guard lock(release_mutex());
    auto jobs = members_of(s, c.account, group);
    if (jobs.empty())
        throw ApiError(409, "The nest group has no jobs to nest");
    nlohmann::json laid_out = nlohmann::json::object();
    nest_jobs(s, c.account, group, jobs, laid_out);
    Entity nest = release_nest(s, c.account, group, jobs, laid_out, "Submit");
    return json_response({{"Message", "Nest successfully created"},
                          {"NestGUID", nest.guid},
                          {"Efficiency", nest.body["Efficiency"]},
                          {"Unplaced", nest.body["Unplaced"]}});
}

// The trigger that fires for GROUP with JOBS now, if any: MaxAge, then
// Deadline, then (laying the jobs out into LAID_OUT) MinEfficiency and
// MaxLength. TRIAL_KEY names the members, so that an unchanged group is
// not nested again each tick.
std::string fired_trigger(Service& s, AccountId account, Entity& group,
                          const std::vector<Entity>& jobs,
                          Clock::time_point now, nlohmann::json& laid_out) {
    auto triggers = group.body.value("Triggers", nlohmann::json::object());
    double max_age_min = triggers.value("MaxAgeMinutes", 0.0);
    if (max_age_min > 0) {
        auto oldest = now;
        for (auto& m : jobs)
            if (auto added = parse_iso(m.body.value("Added", "")))
                oldest = std::min(oldest, *added);
        if (now - oldest >= std::chrono::duration<double, std::ratio<60>>(
                                max_age_min))
            return "MaxAge";
    }
    if (std::string cutoff = due_deadline(group, now); !cutoff.empty()) {
        group.body["DeadlineFired"] = cutoff;
        s.store().put(account, group);
        return "Deadline";
    }
    double min_efficiency = triggers.value("MinEfficiency", 0.0);
    double max_length = triggers.value("MaxLength", 0.0);
    if (min_efficiency <= 0 && max_length <= 0)
        return {};

    // Lay out only when the members changed since the last try.
    static std::map<std::string, std::string> tried;
    std::string key = std::to_string(account) + "/" + group.guid;
    std::string members;
    for (auto& m : jobs)
        members += m.guid;
    if (tried[key] == members)
        return {};
    tried[key] = members;
    nest_jobs(s, account, group, jobs, laid_out);
    if (min_efficiency > 0 &&
        laid_out.value("Efficiency", 0.0) >= min_efficiency)
        return "MinEfficiency";
    if (max_length > 0 && laid_out.value("Length", 0.0) >= max_length)
        return "MaxLength";
    return {};
}

}  // namespace

int release_due_nests(Service& s) {
    std::lock_guard lock(release_mutex());
    int released = 0;
    auto now = Clock::now();
    for (auto& [account, group] : s.store().list_all("nestgroup", {})) {
        auto jobs = members_of(s, account, group);
        if (jobs.empty())
            continue;
        nlohmann::json laid_out = nlohmann::json::object();
        std::string trigger = fired_trigger(s, account, group, jobs, now,
                                            laid_out);
        if (trigger.empty())
            continue;
        if (!laid_out.contains("Placements"))
            nest_jobs(s, account, group, jobs, laid_out);
        release_nest(s, account, group, jobs, laid_out, trigger);
        ++released;
    }
    return released;
}

namespace {

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
