// SPDX-License-Identifier: AGPL-3.0-or-later
// Malformed tickets: each gives a precise error naming line and element.
#include "core/common/error.hpp"
#include "core/job/job.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ripline;

namespace {

const std::filesystem::path fixtures =
    std::filesystem::path(RIPLINE_SOURCE_DIR) / "tests/fixtures/jobs";

struct Expected {
    const char* file;
    int line;         // 0: any
    const char* text; // a part of the message
};

// Parse a fixture that must fail; return the error.
Error error_of(const std::filesystem::path& path)
{
    try {
        job::parse_job_file(path);
    } catch (const Error& e) {
        return e;
    }
    FAIL("parsing " << path << " succeeded");
    return Error(RL_ERROR_INTERNAL, Stage::job, "unreachable");
}

Error error_of_text(const std::string& xml)
{
    try {
        job::parse_job_xml(xml, "/tmp", "inline.xml");
    } catch (const Error& e) {
        return e;
    }
    FAIL("parsing succeeded");
    return Error(RL_ERROR_INTERNAL, Stage::job, "unreachable");
}

const std::string guid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

} // namespace

TEST_CASE("each malformed fixture gives its own error, line and element")
{
    const Expected cases[] = {
        {"bad-broken.xml", 6, "Opening and ending tag mismatch"},
        {"bad-wrong-type.xml", 4, "Element 'Copies'"},
        {"bad-unknown-element.xml", 5, "Element 'Colour'"},
        {"bad-missing-guid.xml", 2, "expected a <JobGUID>"},
        {"bad-missing-input.xml", 2, "expected at least one document"},
        {"bad-guid.xml", 4, "Element 'DeviceGUID'"},
        {"bad-xxe.xml", 2, "DOCTYPE is not allowed"},
        {"bad-billion-laughs.xml", 2, "DOCTYPE is not allowed"},
        {"bad-part-document.xml", 7, "<DocumentGUID>: expected the GUID"},
        {"bad-two-layouts.xml", 6, "expected only one of"},
        {"bad-source-area.xml", 7, "expected Right > Left"},
        {"bad-root.xml", 2, "root element must be <Job>"},
        {"bad-intent.xml", 5, "Element 'RGBImageIntent'"},
        {"bad-version.xml", 2, "Version"},
    };
    for (const Expected& c : cases) {
        INFO(c.file);
        Error e = error_of(fixtures / c.file);
        CHECK(e.status() == RL_ERROR_BAD_INPUT);
        CHECK(e.stage() == Stage::job);
        CHECK(e.file() == (fixtures / c.file).string());
        if (c.line)
            CHECK(e.line() == c.line);
        CHECK_THAT(e.what(), Catch::Contains(c.text));
    }
}

TEST_CASE("schema errors say what was expected")
{
    Error e = error_of(fixtures / "bad-unknown-element.xml");
    CHECK_THAT(e.what(), Catch::Contains("not expected"));
    Error t = error_of(fixtures / "bad-wrong-type.xml");
    CHECK_THAT(t.what(), Catch::Contains("'many'"));
}

TEST_CASE("the XXE fixture never reads the file it names")
{
    Error e = error_of(fixtures / "bad-xxe.xml");
    CHECK_THAT(e.what(), !Catch::Contains("root:"));
}

TEST_CASE("a missing ticket is an I/O error naming the path")
{
    try {
        job::parse_job_file(fixtures / "no-such-ticket.xml");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.status() == RL_ERROR_IO);
        CHECK_THAT(e.file(), Catch::Contains("no-such-ticket.xml"));
    }
}

TEST_CASE("a ticket larger than the limit is refused before parsing")
{
    std::string xml =
        "<Job Version=\"2\"><JobGUID>" + guid + "</JobGUID><Name>";
    xml += std::string(job::max_ticket_bytes, 'x');
    xml += "</Name></Job>";
    Error e = error_of_text(xml);
    CHECK_THAT(e.what(), Catch::Contains("at most"));

    auto path = std::filesystem::temp_directory_path() / "ripline-huge.xml";
    std::ofstream(path) << xml;
    Error f = error_of(path);
    CHECK_THAT(f.what(), Catch::Contains("at most"));
    std::filesystem::remove(path);
}

TEST_CASE("elements nested too deep are refused")
{
    std::string xml = "<Job Version=\"2\"><JobGUID>" + guid + "</JobGUID>";
    for (int i = 0; i < 40; ++i)
        xml += "<UserData>";
    for (int i = 0; i < 40; ++i)
        xml += "</UserData>";
    xml += "</Job>";
    Error e = error_of_text(xml);
    CHECK_THAT(e.what(), Catch::Contains("deeper than"));
}

TEST_CASE("bad values in attributes and text are refused")
{
    auto ticket = [&](const std::string& body) {
        return "<Job Version=\"2\"><JobGUID>" + guid +
               "</JobGUID><PDFJob><InputJobs><FilePath>a.pdf</FilePath>"
               "</InputJobs></PDFJob>" +
               body + "</Job>";
    };
    CHECK_THAT(error_of_text(ticket("<Copies>0</Copies>")).what(),
               Catch::Contains("Copies"));
    CHECK_THAT(error_of_text(ticket("<Scale>-1</Scale>")).what(),
               Catch::Contains("Scale"));
    CHECK_THAT(
        error_of_text(ticket("<Tiling Width=\"10\" Overlap=\"10\"/>")).what(),
        Catch::Contains("Overlap"));
    CHECK_THAT(error_of_text(ticket("<Print>yes</Print>")).what(),
               Catch::Contains("Print"));
    CHECK_THAT(error_of_text(ticket("<MediaSize Width=\"100\" "
                                    "Roll=\"false\"/>"))
                   .what(),
               Catch::Contains("MediaSize"));
    CHECK_THAT(
        error_of_text(ticket("<Imposition><Parts/></Imposition>")).what(),
        Catch::Contains("Parts"));
    CHECK_THAT(error_of_text("<Job><JobGUID>" + guid +
                             "</JobGUID><PDFJob><InputJobs><FilePath Copies="
                             "\"2.5\">a</FilePath></InputJobs></PDFJob></Job>")
                   .what(),
               Catch::Contains("Copies"));
}

TEST_CASE("empty and non-XML input is broken XML")
{
    CHECK_THAT(error_of_text("").what(), Catch::Contains("broken XML"));
    CHECK_THAT(error_of_text("%PDF-1.7\n").what(),
               Catch::Contains("broken XML"));
    CHECK_THAT(error_of_text("<Job>").what(), Catch::Contains("broken XML"));
}
