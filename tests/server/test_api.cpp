// SPDX-License-Identifier: AGPL-3.0-or-later
// ripline-server end to end: auth, jobs, documents, resources, tenants.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>

using namespace ripline::server::test;

namespace {

const char* const headers_required =
    "\"MisKey\" or \"HardwareHash\", \"SerialNumber\" and "
    "\"ApplicationVersion\" header are required";

// A device of tenant T on its embedded RIP.
std::string add_device(const ServerProcess& s, const Tenant& t,
                       const std::string& name = "Proofer") {
    std::string device = guid();
    auto r = s.post_json("/api/v2/configuration/device", t.auth(),
                         {{"DeviceGUID", device},
                          {"ComputerGUID", t.embedded_rip},
                          {"Name", name},
                          {"DriverID", "tiff"},
                          {"ConnectionURI", "file:///tmp"}});
    REQUIRE(r.status == 200);
    return device;
}

}  // namespace

TEST_CASE("server status and authentication messages", "[server]") {
    ServerProcess s;
    auto status = s.get("/api/v2", {});
    CHECK(status.status == 200);
    CHECK(status.message() == "Logging Server is running.");

    auto none = s.post_json("/api/v2/job/list", {}, nlohmann::json::object());
    CHECK(none.status == 401);
    CHECK(none.message() == headers_required);

    auto bad = s.post_json("/api/v2/job/list", {{"MisKey", "nope"}},
                           nlohmann::json::object());
    CHECK(bad.status == 401);
    CHECK(bad.message() == "Invalid MisKey");

    // Header names are case-insensitive, as PrintFactory's MISKey shows.
    auto upper = s.post_json("/api/v2/job/list", {{"MISKey", s.a.mis_key}},
                             nlohmann::json::object());
    CHECK(upper.status == 200);

    auto hw_bad = s.post_json("/api/v2/job/list",
                              {{"HardwareHash", "other"},
                               {"SerialNumber", s.a.serial_number},
                               {"ApplicationVersion", "1"}},
                              nlohmann::json::object());
    CHECK(hw_bad.status == 401);
    CHECK(hw_bad.message() == "Invalid HardwareHash");
    CHECK(s.post_json("/api/v2/job/list", s.hardware, {}).status == 200);

    // Job sync takes the hardware scheme only.
    auto sync = s.post_json("/api/v2/job/sync", s.a.auth(),
                            {{"ComputerGUID", s.hardware_rip},
                             {"JobsList", nlohmann::json::array()}});
    CHECK(sync.status == 401);

    auto unknown = s.get("/api/v2/nothing/here", s.a.auth());
    CHECK(unknown.status == 404);
    auto method = s.call("PUT", "/api/v2/job/list", s.a.auth());
    CHECK(method.status == 405);
}

TEST_CASE("jobs: add, list with filters and paging, status, xml, journal",
          "[server]") {
    ServerProcess s;
    std::string device = add_device(s, s.a, "Wide printer");
    std::vector<std::string> jobs;
    for (int i = 0; i < 5; ++i) {
        jobs.push_back(guid());
        std::string extra = i % 2 ? "<DeviceGUID>" + device + "</DeviceGUID>"
                                  : "";
        auto r = add_job(s, s.a, job_xml(jobs.back(), extra));
        REQUIRE(r.status == 200);
        CHECK(r.message() == "Job successfully saved");
    }

    auto all = s.post_json("/api/v2/job/list", s.a.auth(), {});
    REQUIRE(all.status == 200);
    CHECK(all.json().size() == 5);
    auto on_device = s.post_json("/api/v2/job/list", s.a.auth(),
                                 {{"DeviceGUID", device}});
    CHECK(on_device.json().size() == 2);
    CHECK(on_device.json()[0]["Device"] == "Wide printer");
    auto page = s.post_json("/api/v2/job/list", s.a.auth(),
                            {{"Skip", 1}, {"Take", 2}});
    REQUIRE(page.json().size() == 2);
    CHECK(page.json()[0]["JobGUID"] == all.json()[1]["JobGUID"]);
    auto waiting = s.post_json("/api/v2/job/list", s.a.auth(),
                               {{"StatusList", {"Completed"}}});
    CHECK(waiting.json().empty());
    auto bad_state = s.post_json("/api/v2/job/list", s.a.auth(),
                                 {{"StatusList", {"Sleeping"}}});
    CHECK(bad_state.status == 400);

    auto status = s.get("/api/v2/job/" + jobs[0] + "/status", s.a.auth());
    REQUIRE(status.status == 200);
    CHECK(status.json()["Info"]["Status"] == "Waiting");
    CHECK(status.json()["Info"]["Job"] == "Test job");
    CHECK(status.json()["Journal"][0]["Process"] == "Creation");

    auto xml = s.get("/api/v2/job/" + jobs[0], s.a.auth());
    CHECK(xml.status == 200);
    CHECK(xml.content_type.find("application/xml") == 0);
    CHECK(xml.body.find(jobs[0]) != std::string::npos);

    // A RIP reports progress, then completion; both land in the journal.
    auto update = s.post_json("/api/v2/job/status", s.hardware,
                              {{"JobGUID", jobs[1]},
                               {"StatusSpooler", "Processing"},
                               {"Progress", 40},
                               {"Process", "Rip"}});
    CHECK(update.status == 200);
    CHECK(update.message() == "Job successfully saved");
    auto st = s.get("/api/v2/job/" + jobs[1] + "/status", s.a.auth()).json();
    CHECK(st["Info"]["Status"] == "InProgress");
    CHECK(st["Info"]["Progress"] == 40);

    auto copy = s.post_json("/api/v2/job/" + jobs[1] + "/addcopy", s.hardware,
                            {{"Date", "2026-12-03T10:00:00Z"},
                             {"Page", 0},
                             {"Copies", 2}});
    CHECK(copy.json()["Added"] == true);
    auto again = s.post_json("/api/v2/job/" + jobs[1] + "/addcopy",
                             s.hardware,
                             {{"Date", "2026-12-03T10:00:00Z"},
                              {"Page", 0},
                              {"Copies", 2}});
    CHECK(again.json()["Added"] == false);

    // Cancel, reprint and delete are ours; Deleted leaves the default list.
    CHECK(s.call("POST", "/api/v2/job/" + jobs[2] + "/cancel", s.a.auth())
              .status == 200);
    CHECK(s.call("POST", "/api/v2/job/" + jobs[2] + "/cancel", s.a.auth())
              .status == 409);
    CHECK(s.call("POST", "/api/v2/job/" + jobs[0] + "/reprint", s.a.auth())
              .status == 400);
    CHECK(s.call("DELETE", "/api/v2/job/" + jobs[4], s.a.auth()).status ==
          200);
    CHECK(s.post_json("/api/v2/job/list", s.a.auth(), {}).json().size() == 4);
    CHECK(s.post_json("/api/v2/job/list", s.a.auth(),
                      {{"StatusList", {"Deleted"}}})
              .json()
              .size() == 1);
    auto journal = s.get("/api/v2/job/" + jobs[1] + "/journal", s.a.auth());
    CHECK(journal.json().size() >= 3);

    // Sync: jobs the RIP no longer holds are marked Error.
    auto sync = s.post_json("/api/v2/job/sync", s.hardware,
                            {{"ComputerGUID", s.hardware_rip},
                             {"JobsList", nlohmann::json::array()}});
    CHECK(sync.message() == "Job status successfully synchronized");
    auto unknown_rip = s.post_json("/api/v2/job/sync", s.hardware,
                                   {{"ComputerGUID", guid()},
                                    {"JobsList", nlohmann::json::array()}});
    CHECK(unknown_rip.status == 404);
    CHECK(unknown_rip.message() == "ComputerGUID is not found");
}

TEST_CASE("jobs: multipart with the document, thumbnails", "[server]") {
    ServerProcess s;
    std::string job = guid();
    std::string pdf = tiny_pdf();
    Form form;
    form.part("Job.xml",
              job_xml(job, "", "<FilePath>C:\\in\\card.pdf</FilePath>"),
              "application/xml", "Job.xml")
        .part("card.pdf", pdf, "application/pdf", "card.pdf");
    auto r = s.call("POST", "/api/v2/job", s.a.auth(), form.body(),
                    form.content_type());
    REQUIRE(r.status == 200);
    CHECK(r.json()["Message"] == "Job successfully saved");
    std::string doc = r.json()["DocumentGUID"];
    CHECK(doc.size() == 36);

    // The ticket now points at the stored document.
    auto xml = s.get("/api/v2/job/" + job, s.a.auth());
    CHECK(xml.body.find("Id=\"" + doc + "\"") != std::string::npos);
    auto content = s.get("/api/v2/document/" + doc + "/content", s.a.auth());
    CHECK(content.status == 200);
    CHECK(content.body == pdf);

    Form thumb;
    thumb.part("JsonString",
               nlohmann::json{{"JobGUID", job}, {"PageNumber", 1}}.dump(),
               "application/json")
        .part("Thumbnail.png", tiny_png(), "image/png", "Thumbnail.png");
    auto set = s.call("POST", "/api/v2/job/thumbnail", s.a.auth(),
                      thumb.body(), thumb.content_type());
    CHECK(set.status == 200);
    CHECK(set.message() == "Job thumbnail successfully saved");
    auto png = s.get("/api/v2/job/" + job + "/thumbnail/1", s.a.auth());
    CHECK(png.status == 200);
    CHECK(png.content_type == "image/png");
    CHECK(png.body == tiny_png());
    CHECK(s.get("/api/v2/job/" + job + "/thumbnail/0", s.a.auth()).status ==
          404);
    CHECK(s.get("/api/v2/job/" + job + "/thumbnail/2", s.a.auth()).status ==
          404);

    Form not_png;
    not_png.part("JsonString",
                 nlohmann::json{{"JobGUID", job}, {"PageNumber", 1}}.dump(),
                 "application/json")
        .part("Thumbnail.png", "GIF89a...", "image/png", "Thumbnail.png");
    CHECK(s.call("POST", "/api/v2/job/thumbnail", s.a.auth(), not_png.body(),
                 not_png.content_type())
              .status == 415);
}

TEST_CASE("documents: upload, revisions, create then content, list, delete",
          "[server]") {
    ServerProcess s;
    Form form;
    form.part("JsonString",
              nlohmann::json{{"Name", "art.pdf"},
                             {"Type", "application/pdf"},
                             {"Meta", {{"Pages", {{{"Width", 36}, {"Height",
                                                                   18}}}}}}}
                  .dump(),
              "application/json")
        .part("art.pdf", tiny_pdf(), "application/octet-stream", "art.pdf")
        .part("thumb.png", tiny_png(), "image/png", "thumb.png");
    auto r = s.call("POST", "/api/v2/document", s.a.auth(), form.body(),
                    form.content_type());
    REQUIRE(r.status == 200);
    CHECK(r.json()["Message"] == "Document successfully saved");
    std::string doc = r.json()["DocumentGUID"];

    // The same DocumentGUID again is a new revision, made current.
    Form second;
    second.part("JsonString",
                nlohmann::json{{"DocumentGUID", doc}, {"Name", "art.pdf"},
                               {"Type", "application/pdf"}}
                    .dump(),
                "application/json")
        .part("art.pdf", tiny_pdf(300, 300), "application/pdf", "art.pdf");
    REQUIRE(s.call("POST", "/api/v2/document", s.a.auth(), second.body(),
                   second.content_type())
                .status == 200);
    auto revisions = s.get("/api/v2/document/" + doc + "/revisions",
                           s.a.auth());
    CHECK(revisions.json().size() == 2);
    CHECK(s.get("/api/v2/document/" + doc + "/content", s.a.auth()).body ==
          tiny_pdf(300, 300));
    CHECK(s.get("/api/v2/document/" + doc + "/content?revision=1",
                s.a.auth())
              .body == tiny_pdf());
    CHECK(s.get("/api/v2/document/" + doc + "/thumbnail/1", s.a.auth())
              .status == 200);

    auto created = s.post_json("/api/v2/document/create", s.a.auth(),
                               {{"Name", "later.pdf"},
                                {"Width", 100},
                                {"Height", 50}});
    REQUIRE(created.status == 200);
    std::string later = created.json()["DocumentGUID"];
    auto dup = s.post_json("/api/v2/document/create", s.a.auth(),
                           {{"Name", "x.pdf"}, {"DocumentGUID", later}});
    CHECK(dup.status == 400);
    CHECK(dup.message() == "A document with this DocumentGUID already exists");
    auto set = s.call("POST", "/api/v2/document/resource?DocumentGUID=" + later,
                      s.a.auth(), tiny_pdf(), "application/pdf");
    CHECK(set.status == 200);
    CHECK(s.get("/api/v2/document/" + later + "/content", s.a.auth()).body ==
          tiny_pdf());

    auto list = s.post_json("/api/v2/document/list", s.a.auth(),
                            {{"Name", "later"}});
    CHECK(list.json().size() == 1);
    CHECK(s.call("DELETE", "/api/v2/document/" + later, s.a.auth()).status ==
          200);
    CHECK(s.get("/api/v2/document/" + later, s.a.auth()).status == 404);
}

TEST_CASE("tenants: account B can neither read nor change A's data",
          "[server]") {
    ServerProcess s;
    std::string device = add_device(s, s.a);
    std::string job = guid();
    REQUIRE(add_job(s, s.a, job_xml(job)).status == 200);
    auto created = s.post_json("/api/v2/document/create", s.a.auth(),
                               {{"Name", "secret.pdf"}});
    std::string doc = created.json()["DocumentGUID"];

    auto b = s.b.auth();
    CHECK(s.get("/api/v2/job/" + job + "/status", b).status == 404);
    CHECK(s.get("/api/v2/job/" + job, b).status == 404);
    CHECK(s.get("/api/v2/document/" + doc, b).status == 404);
    CHECK(s.call("DELETE", "/api/v2/job/" + job, b).status == 404);
    CHECK(s.call("POST", "/api/v2/job/" + job + "/cancel", b).status == 404);
    CHECK(s.call("POST", "/api/v2/job/" + job + "/device/" + device, b)
              .status == 404);
    CHECK(s.get("/api/v2/device/" + device + "/status", b).status == 404);
    CHECK(s.post_json("/api/v2/job/status", b,
                      {{"JobGUID", job}, {"StatusSpooler", "Ready"}})
              .status == 404);
    CHECK(s.post_json("/api/v2/job/list", b, {}).json().empty());
    CHECK(s.post_json("/api/v2/document/list", b, {}).json().empty());
    CHECK(s.get("/api/v2/configuration/site/" + s.a.serial_number, b).status ==
          404);

    // B cannot reach A's document through a ticket, nor A's device.
    auto steal = add_job(s, s.b,
                         job_xml(guid(), "",
                                 "<FilePath Id=\"" + doc + "\">x.pdf"
                                 "</FilePath>"));
    CHECK(steal.status == 404);
    CHECK(steal.message() == "Document FilePath.Id is not found");
    auto device_steal = add_job(
        s, s.b, job_xml(guid(), "<DeviceGUID>" + device + "</DeviceGUID>"));
    CHECK(device_steal.status == 404);
    CHECK(device_steal.message() == "DeviceGUID is not found");

    // The same JobGUID in B is B's own job and leaves A's untouched.
    REQUIRE(add_job(s, s.b, job_xml(job, "<Name>B's</Name>")).status == 200);
    auto a_status = s.get("/api/v2/job/" + job + "/status", s.a.auth()).json();
    CHECK(a_status["Info"]["Job"] == "Test job");
    CHECK(a_status["Info"]["Status"] == "Waiting");
}

TEST_CASE("bad input gets the documented status and nothing half-stored",
          "[server]") {
    ServerProcess s;
    auto wrong_type = s.call("POST", "/api/v2/job", s.a.auth(), "{}",
                             "application/json");
    CHECK(wrong_type.status == 415);
    CHECK(wrong_type.message() == "Expected type: application/xml");
    auto json_type = s.call("POST", "/api/v2/job/status", s.a.auth(), "<x/>",
                            "application/xml");
    CHECK(json_type.status == 415);
    CHECK(json_type.message() == "Expected type: application/json");

    auto bad_json = s.call("POST", "/api/v2/job/status", s.a.auth(),
                           "{\"JobGUID\": ", "application/json");
    CHECK(bad_json.status == 400);
    auto bad_xml = add_job(s, s.a, "<Job><JobGUID>x</Job>");
    CHECK(bad_xml.status == 400);
    CHECK(bad_xml.message().find("line 1") != std::string::npos);
    auto no_guid = add_job(s, s.a, "<Job><Name>n</Name></Job>");
    CHECK(no_guid.message() == "\"JobGUID\" value required in xml");
    auto not_job = add_job(s, s.a, "<Ticket/>");
    CHECK(not_job.status == 400);
    auto missing = s.post_json("/api/v2/job/status", s.a.auth(),
                               {{"StatusSpooler", "Ready"}});
    CHECK(missing.message() == "\"JobGUID\" value required");
    auto unknown = s.get("/api/v2/job/" + guid() + "/status", s.a.auth());
    CHECK(unknown.status == 404);
    CHECK(unknown.message() == "JobGUID is not found");
    auto unknown_device = add_job(
        s, s.a, job_xml(guid(), "<DeviceGUID>" + guid() + "</DeviceGUID>"));
    CHECK(unknown_device.message() == "DeviceGUID is not found");

    // Traversal in FilePaths and names is refused.
    for (std::string path : {"../../etc/passwd", "/etc/passwd",
                             "a/../../b.pdf", "C:\\Windows\\win.ini"}) {
        auto r = add_job(s, s.a,
                         job_xml(guid(), "", "<FilePath>" + path +
                                                 "</FilePath>"));
        CHECK(r.status == 400);
        CHECK(r.message().find("is not allowed") != std::string::npos);
    }
    auto bad_name = s.post_json("/api/v2/document/create", s.a.auth(),
                                {{"Name", "../escape.pdf"}});
    CHECK(bad_name.status == 400);
    Form sneaky;
    sneaky.part("Job.xml", job_xml(guid()), "application/xml", "Job.xml")
        .part("f", tiny_pdf(), "application/pdf", "../../evil.pdf");
    auto traversal = s.call("POST", "/api/v2/job", s.a.auth(), sneaky.body(),
                            sneaky.content_type());
    CHECK(traversal.status == 200);  // the folder part is dropped
    auto evil = s.post_json("/api/v2/document/list", s.a.auth(),
                            {{"Name", "evil"}});
    REQUIRE(evil.json().size() == 1);
    CHECK(evil.json()[0]["Name"] == "evil.pdf");
    CHECK(!std::filesystem::exists(s.data().parent_path() / "evil.pdf"));
#if RIPLINE_TEST_HAVE_CORE
    // Its page thumbnail is rendered in the background; let it land
    // before blobs are counted below.
    std::string evil_doc = evil.json()[0]["DocumentGUID"];
    for (int i = 0; i < 300; ++i) {
        if (s.get("/api/v2/document/" + evil_doc + "/thumbnail/1",
                  s.a.auth()).status == 200)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
#endif

    auto broken_form = s.call("POST", "/api/v2/document", s.a.auth(),
                              "--x\r\nno end", "multipart/form-data; "
                                               "boundary=x");
    CHECK(broken_form.status == 415);
    CHECK(broken_form.message() == "This request is not properly formatted");

    // Over the upload limit (4 MB in the harness): 413 and nothing stored.
    std::size_t blobs = s.blob_count();
    Form big;
    big.part("JsonString", R"({"Name": "big.bin"})", "application/json")
        .part("big.bin", std::string(5'000'000, 'x'),
              "application/octet-stream", "big.bin");
    auto too_big = s.call("POST", "/api/v2/document", s.a.auth(), big.body(),
                          big.content_type());
    CHECK(too_big.status == 413);
    CHECK(s.blob_count() == blobs);
    CHECK(s.post_json("/api/v2/document/list", s.a.auth(), {{"Name", "big"}})
              .json()
              .empty());
    CHECK(std::filesystem::is_empty(s.data() / "blobs" / "tmp"));
}

TEST_CASE("a large upload is streamed to disk and stored whole", "[server]") {
    ServerProcess s;
    std::string data(3'000'000, '\0');
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>(i * 7 % 251);
    Form form;
    form.part("JsonString", R"({"Name": "large.bin"})", "application/json")
        .part("large.bin", data, "application/octet-stream", "large.bin");
    auto r = s.call("POST", "/api/v2/document", s.a.auth(), form.body(),
                    form.content_type());
    REQUIRE(r.status == 200);
    std::string doc = r.json()["DocumentGUID"];
    CHECK(s.get("/api/v2/document/" + doc + "/content", s.a.auth()).body ==
          data);
    CHECK(std::filesystem::is_empty(s.data() / "blobs" / "tmp"));
}
