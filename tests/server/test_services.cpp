// SPDX-License-Identifier: AGPL-3.0-or-later
// ripline-server end to end: resources, configuration and hotfolders,
// logs, nester, notifications, slow clients, and the route documents.
#include "harness.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

#include <openssl/sha.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

using namespace ripline::server::test;
namespace fs = std::filesystem;

namespace {

std::string sha1(const std::string& data) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
    std::string out;
    char hex[3];
    for (unsigned char byte : digest) {
        std::snprintf(hex, sizeof hex, "%02X", byte);
        out += hex;
    }
    return out;
}

Reply put_resource(const ServerProcess& s, const std::string& guid_,
                   const std::string& data, const std::string& timestamp,
                   const std::string& checksum = "") {
    Form form;
    form.part("JsonString",
              nlohmann::json{{"ResourceGUID", guid_},
                             {"ResourceChecksum",
                              checksum.empty() ? sha1(data) : checksum},
                             {"ResourceType", "IccProfile"},
                             {"Meta", {{"Name", "Coated"}}}}
                  .dump(),
              "application/json")
        .part("profile.icc", data, "application/octet-stream", "profile.icc");
    auto headers = s.a.auth();
    headers.push_back({"Timestamp", timestamp});
    return s.call("POST", "/api/v2/resource", headers, form.body(),
                  form.content_type());
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

template <class Predicate>
bool wait_for(Predicate predicate, int ms = 5000) {
    for (int waited = 0; waited < ms; waited += 50) {
        if (predicate())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return predicate();
}

}  // namespace

TEST_CASE("resources: checksum, newer only, packed list, history, purge",
          "[server]") {
    ServerProcess s({"--retention-days", "0", "--purge-interval", "1"});
    std::string res = guid();
    auto bad = put_resource(s, res, "v1", "2026-01-01T00:00:00Z",
                            sha1("other"));
    CHECK(bad.status == 400);
    auto v1 = put_resource(s, res, "v1", "2026-01-01T00:00:00Z");
    REQUIRE(v1.status == 200);
    CHECK(v1.message() == "Resource successfully added");
    auto older = put_resource(s, res, "v0", "2025-06-01T00:00:00Z");
    CHECK(older.status == 409);
    auto v2 = put_resource(s, res, "v2", "2026-02-01T00:00:00.5Z");
    REQUIRE(v2.status == 200);

    auto list = s.post_json("/api/v2/resource/list", s.a.auth(),
                            {{"ResourceTypes", {"IccProfile"}}});
    REQUIRE(list.json().size() == 1);
    CHECK(list.json()[0] ==
          nlohmann::json{res, "IccProfile", sha1("v2"), "Coated"});
    CHECK(s.post_json("/api/v2/resource/list", s.a.auth(),
                      {{"ResourceTypes", {"Label"}}})
              .json()
              .empty());
    CHECK(s.get("/api/v2/resource/" + res, s.a.auth()).body == "v2");
    CHECK(s.post_json("/api/v2/resource/list", s.b.auth(), {}).json().empty());

    // Retention 0 days: the purge task drops version 1, keeps the latest.
    CHECK(wait_for([&] {
        return s.get("/api/v2/resource/" + res + "/history", s.a.auth())
                   .json()
                   .size() == 1;
    }));
    CHECK(s.get("/api/v2/resource/" + res + "?version=1", s.a.auth())
              .status == 404);
    CHECK(s.get("/api/v2/resource/" + res + "?version=2", s.a.auth()).body ==
          "v2");
    CHECK(!fs::exists(s.data() / "blobs" / sha1("v1").substr(0, 2) /
                      sha1("v1")));
}

TEST_CASE("configuration: rips, devices, sites, status, queues, hotfolders",
          "[server]") {
    ServerProcess s;
    auto rip = s.post_json("/api/v2/configuration/rip", s.hardware,
                           {{"ComputerGUID", s.hardware_rip},
                            {"ComputerName", "rip-1"},
                            {"OperatingSystem", "Linux"}});
    CHECK(rip.message() == "Computer details successfully saved");
    std::string device = guid();
    auto saved = s.post_json("/api/v2/configuration/device", s.hardware,
                             {{"DeviceGUID", device},
                              {"ComputerGUID", s.hardware_rip},
                              {"Name", "Cutter"},
                              {"Type", "Cutter"}});
    CHECK(saved.message() == "Device successfully saved");
    auto no_rip = s.post_json("/api/v2/configuration/device", s.a.auth(),
                              {{"DeviceGUID", guid()},
                               {"ComputerGUID", guid()}});
    CHECK(no_rip.message() == "ComputerGUID is not found");

    auto site = s.get("/api/v2/configuration/site/" + s.a.serial_number,
                      s.a.auth());
    REQUIRE(site.status == 200);
    bool found = false;
    for (auto& computer : site.json())
        for (auto& d : computer["Devices"])
            found |= d["DeviceGUID"] == device;
    CHECK(found);

    Form config;
    config.part("JsonString",
                nlohmann::json{{"ComputerGUID", s.hardware_rip}}.dump(),
                "application/json")
        .part("RIP.xml", "<RIP><Name>rip-1</Name></RIP>", "application/xml",
              "RIP.xml");
    auto up = s.call("POST", "/api/v2/configuration", s.hardware, config.body(),
                     config.content_type());
    CHECK(up.message() == "Configuration successfully added");
    CHECK(s.get("/api/v2/configuration/" + s.hardware_rip, s.a.auth()).body ==
          "<RIP><Name>rip-1</Name></RIP>");

    auto report = s.post_json("/api/v2/device/status", s.hardware,
                              {{"DeviceGUID", device},
                               {"Status", "Printing"},
                               {"ConnectionState", "Online"}});
    CHECK(report.message() == "Device status successfully updated");
    auto status = s.get("/api/v2/device/" + device + "/status", s.a.auth());
    CHECK(status.json()["DeviceStatus"] == "Printing");
    CHECK(status.json()["DeviceType"] == "Cutter");
    CHECK(s.post_json("/api/v2/device/status", s.hardware,
                      {{"DeviceGUID", device}, {"Status", "Dancing"}})
              .status == 400);

    // A queue with a hotfolder: XML and PDF become jobs, junk goes to error/.
    auto queue = s.post_json("/api/v2/configuration/queue", s.a.auth(),
                             {{"QueueName", "Banners"},
                              {"DeviceGUID", device},
                              {"Steps", {{{"Step", "SetPrintMode"},
                                          {"PrintMode", "Fast"}}}}});
    REQUIRE(queue.status == 200);
    std::string queue_guid = queue.json()["QueueGUID"];
    fs::path folder = queue.json()["Hotfolder"].get<std::string>();
    auto queues = s.get("/api/v2/device/" + device + "/queues", s.a.auth());
    CHECK(queues.json().size() == 1);

    std::string job = guid();
    std::ofstream(folder / "ticket.xml") << job_xml(job);
    std::ofstream(folder / "flyer.pdf") << tiny_pdf();
    std::ofstream(folder / "notes.docx") << "not a job";
    CHECK(wait_for([&] { return fs::exists(folder / "done" / "ticket.xml"); }));
    CHECK(wait_for([&] { return fs::exists(folder / "done" / "flyer.pdf"); }));
    CHECK(wait_for([&] {
        return fs::exists(folder / "error" / "notes.docx.reason.txt");
    }));
    CHECK(read_text(folder / "error" / "notes.docx.reason.txt")
              .find("Only Job XML") != std::string::npos);
    auto jobs = s.post_json("/api/v2/job/list", s.a.auth(),
                            {{"Queue", "Banners"}});
    CHECK(jobs.json().size() == 2);
    auto xml = s.get("/api/v2/job/" + job, s.a.auth());
    CHECK(xml.body.find("<PrintMode>Fast</PrintMode>") != std::string::npos);
    CHECK(xml.body.find(queue_guid) != std::string::npos);
}

TEST_CASE("logs, crash reports and the log query", "[server]") {
    ServerProcess s;
    auto added = s.post_json("/api/v2/log", s.hardware,
                             {{"ComputerGUID", s.hardware_rip},
                              {"Type", "log"},
                              {"Description", "Head cleaning done"}});
    CHECK(added.message() == "log successfully added");
    CHECK(s.post_json("/api/v2/log", s.hardware,
                      {{"ComputerGUID", s.hardware_rip}, {"Type", "log"}})
              .message() == "\"Description\" value required");
    CHECK(s.post_json("/api/v2/log", s.hardware,
                      {{"ComputerGUID", s.hardware_rip},
                       {"Type", "log"},
                       {"Description", "x"},
                       {"JobGUID", guid()}})
              .message() == "JobGUID is not found");
    Form crash;
    crash.part("CallStack", "main+0x10\nrender+0x20", "text/plain");
    auto headers = s.hardware;
    headers.push_back({"ApplicationName", "RIP"});
    headers.push_back({"OS", "1"});
    CHECK(s.call("POST", "/api/v2/log/crashreport", headers, crash.body(),
                 crash.content_type())
              .message() == "Crash report successfully added");
    auto query = s.post_json("/api/v2/log/query", s.a.auth(),
                             {{"Text", "cleaning"}});
    REQUIRE(query.json().size() == 1);
    CHECK(query.json()[0]["Description"] == "Head cleaning done");
    CHECK(s.post_json("/api/v2/log/query", s.a.auth(), {{"Kind", "crash"}})
              .json()
              .size() == 1);
    CHECK(s.post_json("/api/v2/log/query", s.b.auth(), {}).json().empty());
}

TEST_CASE("nester: groups with triggers, jobs in a group, nest details",
          "[server]") {
    ServerProcess s;
    auto group = s.post_json("/api/v2/nester/group", s.a.auth(),
                             {{"Name", "Stickers"},
                              {"Triggers", {{"MaxAgeMinutes", 30},
                                            {"MinEfficiency", 0.8}}}});
    REQUIRE(group.status == 200);
    std::string group_guid = group.json()["NestGroupGUID"];
    auto no_group = s.call("POST", "/api/v2/nester", s.a.auth(),
                           job_xml(guid()), "application/xml");
    CHECK(no_group.message() == "\"NestGroupGUID\" value required in xml");
    auto unknown = s.call("POST", "/api/v2/nester", s.a.auth(),
                          job_xml(guid(), "<NestGroupGUID>" + guid() +
                                              "</NestGroupGUID>"),
                          "application/xml");
    CHECK(unknown.message() == "NestGroupGUID is not found");
    auto doc = s.post_json("/api/v2/document/create", s.a.auth(),
                           {{"Name", "sticker.pdf"},
                            {"Width", 180},
                            {"Height", 90}});
    std::string doc_guid = doc.json()["DocumentGUID"];
    for (int i = 0; i < 2; ++i) {
        auto r = s.call("POST", "/api/v2/nester", s.a.auth(),
                        job_xml(guid(),
                                "<NestGroupGUID>" + group_guid +
                                    "</NestGroupGUID><Copies>3</Copies>",
                                "<FilePath Id=\"" + doc_guid +
                                    "\">sticker.pdf</FilePath>"),
                        "application/xml");
        CHECK(r.json()["Message"] == "Job successfully saved");
    }
    // A banner wider than the 54" roll either way round: listed with
    // the reason, not dropped unsaid.
    auto banner = s.post_json("/api/v2/document/create", s.a.auth(),
                              {{"Name", "banner.pdf"},
                               {"Width", 1200},
                               {"Height", 1100}});
    std::string banner_job = guid();
    REQUIRE(s.call("POST", "/api/v2/nester", s.a.auth(),
                   job_xml(banner_job,
                           "<NestGroupGUID>" + group_guid +
                               "</NestGroupGUID>",
                           "<FilePath Id=\"" +
                               banner.json()["DocumentGUID"]
                                   .get<std::string>() +
                               "\">banner.pdf</FilePath>"),
                   "application/xml")
                .status == 200);
    auto groups = s.get("/api/v2/nester/groups", s.a.auth());
    CHECK(groups.json()[0]["Jobs"] == 3);
    CHECK(groups.json()[0]["Triggers"]["MaxAgeMinutes"] == 30);
    auto nest = s.call("POST", "/api/v2/nester/group/" + group_guid +
                                   "/submit",
                       s.a.auth());
    REQUIRE(nest.status == 200);
#if RIPLINE_TEST_HAVE_NEST
    auto unplaced = nest.json()["Unplaced"];
    REQUIRE(unplaced.size() == 1);
    CHECK(unplaced[0]["JobGUID"] == banner_job);
    CHECK(unplaced[0]["Copy"] == 1);
    INFO(unplaced.dump());
    std::string reason = unplaced[0]["Reason"];
    CHECK(reason.find("too large for the media: its printed area is "
                      "1100 x 1200 at 90 degrees") == 0);
#endif
    auto details = s.get("/api/v2/nester/nest/" +
                             nest.json()["NestGUID"].get<std::string>(),
                         s.a.auth());
    CHECK(details.content_type.find("application/xml") == 0);
    CHECK(details.body.find("<Count>3</Count>") != std::string::npos);
#if RIPLINE_TEST_HAVE_NEST
    // Laid out by ripline::nest: six copies of 10" x 5" on a 54" roll.
    CHECK(nest.json()["Efficiency"].get<double>() > 0.3);
    std::size_t parts = 0;
    for (std::size_t at = 0;
         (at = details.body.find("<Position", at)) != std::string::npos; ++at)
        ++parts;
    CHECK(parts == 6);
#endif
}

TEST_CASE("notifications: pushed live, resume loses nothing",
          "[server]") {
    ServerProcess s;
    std::int64_t last_seq = 0;
    {
        Notifications ws(s.port(), s.a.mis_key);
        ws.send({{"Subscribe", {"job", "device"}}});
        auto ack = ws.next();
        CHECK(ack["Message"] == "Subscribed");

        // The event arrives pushed, without polling; how fast (the 100 ms
        // goal) is a timing and belongs in bench/server, not here, where
        // a loaded CI machine made it flaky. The bound only catches a hang.
        std::string job = guid();
        REQUIRE(add_job(s, s.a, job_xml(job)).status == 200);
        auto event = ws.next(std::chrono::seconds(5));
        CHECK(event["JobGUID"] == job);
        CHECK(event["Status"] == "Created");
        last_seq = event["Seq"];
    }

    // Events while disconnected come first on reconnect, in order.
    std::vector<std::string> missed;
    for (int i = 0; i < 3; ++i) {
        missed.push_back(guid());
        add_job(s, s.a, job_xml(missed.back()));
    }
    add_job(s, s.b, job_xml(guid()));
    Notifications again(s.port(), s.a.mis_key,
                        "?topics=job&resume=" + std::to_string(last_seq));
    for (auto& job : missed) {
        auto event = again.next();
        CHECK(event["JobGUID"] == job);
        CHECK(event["Seq"].get<std::int64_t>() > last_seq);
        last_seq = event["Seq"];
    }
    CHECK_THROWS(again.next(std::chrono::milliseconds(300)));

    CHECK_THROWS(Notifications(s.port(), "wrong-key"));
}

TEST_CASE("notifications: a change made the moment the socket opens is seen",
          "[server]") {
    // Topics in the URL subscribe before the handshake is answered, so
    // the first change after connecting cannot fall between the two.
    ServerProcess s;
    for (int round = 0; round < 20; ++round) {
        Notifications ws(s.port(), s.a.mis_key, "?topics=job");
        std::string job = guid();
        REQUIRE(add_job(s, s.a, job_xml(job)).status == 200);
        auto event = ws.next(std::chrono::seconds(5));
        CHECK(event["JobGUID"] == job);
    }
}

TEST_CASE("slow clients are cut off; others are still served", "[server]") {
    ServerProcess s;
    namespace asio = boost::asio;
    asio::io_context ioc;
    asio::ip::tcp::socket slow(ioc);
    slow.connect({asio::ip::make_address("127.0.0.1"), s.port()});
    asio::write(slow, asio::buffer(std::string("GET /api/v2 HTTP/1.1\r\nHo")));

    // The harness gives 2 s per request: after that the server hangs up.
    CHECK(s.get("/api/v2", {}).status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(2600));
    std::string rest(256, '\0');
    boost::system::error_code ec;
    std::size_t n = asio::read(slow, asio::buffer(rest), ec);
    CHECK(ec);  // closed, with or without a 408 first
    CHECK((n == 0 || rest.find("408") != std::string::npos));
    CHECK(s.get("/api/v2", {}).status == 200);
    CHECK(s.stop() == 0);  // graceful shutdown exits cleanly
}

TEST_CASE("every documented route exists and answers as documented",
          "[server]") {
    ServerProcess s;
    auto doc = s.get("/api/v2/openapi.json", {}).json();
    REQUIRE(doc["openapi"] == "3.0.3");
    int operations = 0;
    for (auto& [path, methods] : doc["paths"].items())
        for (auto& [method, op] : methods.items()) {
            ++operations;
            std::string target = path;
            for (std::size_t at; (at = target.find('{')) != std::string::npos;)
                target.replace(at, target.find('}', at) - at + 1, guid());
            std::string verb = method;
            std::transform(verb.begin(), verb.end(), verb.begin(), ::toupper);
            INFO(verb << " " << path);

            // Without credentials: 401, unless the route needs none.
            auto anonymous = s.call(verb, target);
            if (op["x-auth"] == "none")
                CHECK(anonymous.status == 200);
            else
                CHECK(anonymous.status == 401);

            // With credentials and no body: one of the documented answers.
            auto headers = op["x-auth"] == "Hardware" ? s.hardware
                                                      : s.a.auth();
            auto r = s.call(verb, target, headers);
            CHECK(op["responses"].contains(std::to_string(r.status)));
            if (r.status >= 400)
                CHECK(r.json().contains("Message"));
        }
    CHECK(operations >= 50);

    // The Postman collection covers the same routes, no more, no fewer.
    std::ifstream in(std::string(RIPLINE_SOURCE_DIR) +
                     "/tools/server/postman/ripline.postman_collection.json");
    REQUIRE(in);
    auto collection = nlohmann::json::parse(in);
    std::set<std::string> documented, collected;
    for (auto& [path, methods] : doc["paths"].items())
        for (auto& [method, op] : methods.items()) {
            std::string verb = method;
            std::transform(verb.begin(), verb.end(), verb.begin(), ::toupper);
            documented.insert(verb + " " + path);
        }
    for (auto& folder : collection["item"])
        for (auto& item : folder["item"])
            collected.insert(item["request"]["method"].get<std::string>() +
                             " " + item["x-route"].get<std::string>());
    CHECK(documented == collected);
}

namespace {

// The next notification, or null JSON when none comes within TIMEOUT.
nlohmann::json next_or_null(Notifications& ws,
                            std::chrono::milliseconds timeout) {
    try {
        return ws.next(timeout);
    } catch (const std::exception&) {
        return nullptr;
    }
}

}  // namespace

TEST_CASE("nester: a background scheduler releases a group at its max age",
          "[server][nest]") {
    ServerProcess s({"--nest-poll-ms", "100"});
    // 0.02 minutes: the group is released 1.2 s after its first job.
    auto group = s.post_json("/api/v2/nester/group", s.a.auth(),
                             {{"Name", "Labels"},
                              {"Triggers", {{"MaxAgeMinutes", 0.02}}}});
    REQUIRE(group.status == 200);
    std::string group_guid = group.json()["NestGroupGUID"];
    auto bad = s.post_json("/api/v2/nester/group", s.a.auth(),
                           {{"Name", "Late"},
                            {"Triggers", {{"Deadline", "tomorrow"}}}});
    CHECK(bad.status == 400);
    CHECK(bad.message().find("Triggers.Deadline") != std::string::npos);

    auto doc = s.post_json("/api/v2/document/create", s.a.auth(),
                           {{"Name", "label.pdf"},
                            {"Width", 72},
                            {"Height", 36}});
    std::string doc_guid = doc.json()["DocumentGUID"];
    Notifications ws(s.port(), s.a.mis_key, "?topics=nest");
    auto added = std::chrono::steady_clock::now();
    for (int i = 0; i < 2; ++i)
        REQUIRE(s.call("POST", "/api/v2/nester", s.a.auth(),
                       job_xml(guid(),
                               "<NestGroupGUID>" + group_guid +
                                   "</NestGroupGUID><Copies>2</Copies>",
                               "<FilePath Id=\"" + doc_guid +
                                   "\">label.pdf</FilePath>"),
                       "application/xml")
                    .status == 200);

    // No part arrives after these two: the scheduler alone fires.
    nlohmann::json event;
    for (int i = 0; i < 20 && !event.contains("NestGUID"); ++i)
        event = next_or_null(ws, std::chrono::milliseconds(1000));
    auto waited = std::chrono::steady_clock::now() - added;
    INFO(event.dump());
    REQUIRE(event.contains("NestGUID"));
    CHECK(event["Trigger"] == "MaxAge");
    CHECK(event["NestGroupGUID"] == group_guid);
    CHECK(event["Count"] == 2);
    CHECK(waited >= std::chrono::milliseconds(1100));
    auto groups = s.get("/api/v2/nester/groups", s.a.auth()).json();
    CHECK(groups[0]["Jobs"] == 0);
    auto details = s.get("/api/v2/nester/nest/" +
                             event["NestGUID"].get<std::string>(),
                         s.a.auth());
    CHECK(details.body.find("<Count>2</Count>") != std::string::npos);
#if RIPLINE_TEST_HAVE_NEST
    CHECK(event["Efficiency"].get<double>() > 0);
#endif
}

TEST_CASE("nester: a passed deadline releases the group once",
          "[server][nest]") {
    ServerProcess s({"--nest-poll-ms", "100"});
    auto group = s.post_json("/api/v2/nester/group", s.a.auth(),
                             {{"Name", "Rush"},
                              {"Triggers",
                               {{"Deadline", "2020-01-01T00:00:00Z"}}}});
    std::string group_guid = group.json()["NestGroupGUID"];
    Notifications ws(s.port(), s.a.mis_key, "?topics=nest");
    auto add = [&] {
        return s.call("POST", "/api/v2/nester", s.a.auth(),
                      job_xml(guid(), "<NestGroupGUID>" + group_guid +
                                          "</NestGroupGUID>"),
                      "application/xml");
    };
    REQUIRE(add().status == 200);
    nlohmann::json event;
    for (int i = 0; i < 10 && !event.contains("NestGUID"); ++i)
        event = next_or_null(ws, std::chrono::milliseconds(1000));
    CHECK(event.value("Trigger", "") == "Deadline");

    // The same cut-off does not fire again for the next job.
    REQUIRE(add().status == 200);
    CHECK(next_or_null(ws, std::chrono::milliseconds(1000)).is_null());
    CHECK(s.get("/api/v2/nester/groups", s.a.auth()).json()[0]["Jobs"] == 1);
}

#if RIPLINE_TEST_HAVE_NEST
TEST_CASE("nester: min efficiency and max length fire on the laid-out nest",
          "[server][nest]") {
    ServerProcess s({"--nest-poll-ms", "100"});
    auto doc = s.post_json("/api/v2/document/create", s.a.auth(),
                           {{"Name", "tag.pdf"},
                            {"Width", 90},
                            {"Height", 90}});
    std::string doc_guid = doc.json()["DocumentGUID"];
    Notifications ws(s.port(), s.a.mis_key, "?topics=nest");
    std::map<std::string, std::string> expected;
    for (auto [name, triggers] :
         {std::pair{"Efficient", nlohmann::json{{"MinEfficiency", 0.01}}},
          std::pair{"Long", nlohmann::json{{"MaxLength", 18}}},
          std::pair{"Never", nlohmann::json{{"MinEfficiency", 0.999},
                                            {"MaxLength", 1e6}}}}) {
        auto group = s.post_json("/api/v2/nester/group", s.a.auth(),
                                 {{"Name", name}, {"Triggers", triggers}});
        std::string group_guid = group.json()["NestGroupGUID"];
        expected[group_guid] = name;
        REQUIRE(s.call("POST", "/api/v2/nester", s.a.auth(),
                       job_xml(guid(),
                               "<NestGroupGUID>" + group_guid +
                                   "</NestGroupGUID>",
                               "<FilePath Id=\"" + doc_guid +
                                   "\">tag.pdf</FilePath>"),
                       "application/xml")
                    .status == 200);
    }
    std::map<std::string, std::string> fired;  // group name -> trigger
    for (int i = 0; i < 10 && fired.size() < 2; ++i) {
        auto event = next_or_null(ws, std::chrono::milliseconds(1000));
        if (event.contains("NestGroupGUID"))
            fired[expected[event["NestGroupGUID"]]] = event["Trigger"];
    }
    CHECK(fired["Efficient"] == "MinEfficiency");
    CHECK(fired["Long"] == "MaxLength");
    CHECK(next_or_null(ws, std::chrono::milliseconds(500)).is_null());
    CHECK(fired.count("Never") == 0);
}
#endif
