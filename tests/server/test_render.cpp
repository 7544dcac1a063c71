// SPDX-License-Identifier: AGPL-3.0-or-later
// A PDF job sent to a device renders through the core's C ABI; status,
// journal and notifications follow it.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace ripline::server::test;
namespace fs = std::filesystem;

TEST_CASE("a PDF job sent to a device renders through the core",
          "[server][render]") {
    ServerProcess s;
    std::string device = guid();
    REQUIRE(s.post_json("/api/v2/configuration/device", s.a.auth(),
                        {{"DeviceGUID", device},
                         {"ComputerGUID", s.a.embedded_rip},
                         {"Name", "A4 proofer"},
                         {"DeviceDefinition", "sample-sheet-a4-360"},
                         {"ConnectionURI", "file:///ignored"}})
                .status == 200);
    std::string job = guid();
    Form form;
    form.part("Job.xml", job_xml(job, "", "<FilePath>card.pdf</FilePath>"),
              "application/xml", "Job.xml")
        .part("card.pdf", tiny_pdf(), "application/pdf", "card.pdf");
    REQUIRE(s.call("POST", "/api/v2/job", s.a.auth(), form.body(),
                   form.content_type())
                .status == 200);

    Notifications ws(s.port(), s.a.mis_key, "?topics=job");
    auto sent = s.call("POST", "/api/v2/job/" + job + "/device/" + device,
                       s.a.auth());
    REQUIRE(sent.status == 200);
    CHECK(sent.json()["Message"] == "Job successfully sent to device");

    // Follow the notifications until the job settles.
    std::string final_status;
    for (int i = 0; i < 200 && final_status.empty(); ++i) {
        auto event = ws.next(std::chrono::milliseconds(30000));
        std::string status = event.value("Status", "");
        if (status == "Completed" || status == "Error" || status == "Canceled")
            final_status = status;
    }
    auto st = s.get("/api/v2/job/" + job + "/status", s.a.auth()).json();
    INFO(st.dump(2));
    bool any_rip = false;
    for (auto& entry : st["Journal"])
        any_rip |= entry["Process"] == "RIP";
    CHECK(any_rip);
#if RIPLINE_TEST_HAVE_CORE
    CHECK(final_status == "Completed");
    CHECK(st["Info"]["Progress"] == 100);
    fs::path output = s.data() / "outputs" / job;
    std::size_t files = 0;
    for (auto& entry : fs::recursive_directory_iterator(output))
        files += entry.is_regular_file();
    CHECK(files > 0);
#else
    CHECK(final_status == "Error");
    CHECK(st["Info"]["Message"].get<std::string>().find("without the RIP "
                                                        "core") !=
          std::string::npos);
#endif
}
