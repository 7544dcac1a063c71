// SPDX-License-Identifier: AGPL-3.0-or-later
// Round trip: parse -> model -> write -> parse gives the same model.
#include "core/job/job.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ripline;

namespace {

const std::filesystem::path fixtures =
    std::filesystem::path(RIPLINE_SOURCE_DIR) / "tests/fixtures/jobs";

void check_same(const job::Job& a, const job::Job& b)
{
    CHECK(a.id == b.id);
    CHECK(a.name == b.name);
    CHECK(a.user == b.user);
    CHECK(a.producer == b.producer);
    CHECK(a.device_id == b.device_id);
    CHECK(a.queue_id == b.queue_id);
    CHECK(a.print == b.print);
    CHECK(a.cut == b.cut);
    CHECK(a.copies == b.copies);
    CHECK(a.print_deadline == b.print_deadline);
    REQUIRE(a.inputs.size() == b.inputs.size());
    for (std::size_t i = 0; i < a.inputs.size(); ++i) {
        CHECK(a.inputs[i].path == b.inputs[i].path);
        CHECK(a.inputs[i].copies == b.inputs[i].copies);
        CHECK(a.inputs[i].document_id == b.inputs[i].document_id);
        CHECK(a.inputs[i].name == b.inputs[i].name);
    }
    REQUIRE(a.parts.size() == b.parts.size());
    for (std::size_t i = 0; i < a.parts.size(); ++i) {
        const job::Part &p = a.parts[i], &q = b.parts[i];
        CHECK(p.id == q.id);
        CHECK(p.input == q.input);
        CHECK(p.source_page == q.source_page);
        CHECK(p.destination_page == q.destination_page);
        CHECK(p.source_area.has_value() == q.source_area.has_value());
        CHECK(p.position.has_value() == q.position.has_value());
        CHECK(p.transform.rotation_deg == q.transform.rotation_deg);
        CHECK(p.transform.scale == q.transform.scale);
        CHECK(p.transform.mirror == q.transform.mirror);
        CHECK(p.copies == q.copies);
    }
    CHECK(a.layout.kind == b.layout.kind);
    CHECK(a.layout.columns == b.layout.columns);
    CHECK(a.layout.rows == b.layout.rows);
    CHECK(a.layout.gap_x_units == b.layout.gap_x_units);
    CHECK(a.layout.tile_overlap_units == b.layout.tile_overlap_units);
    CHECK(a.layout.equal_tiles == b.layout.equal_tiles);
    CHECK(a.layout.margin_units == b.layout.margin_units);
    CHECK(a.layout.bleed_units == b.layout.bleed_units);
    CHECK(a.layout.trim_white == b.layout.trim_white);
    CHECK(a.color.rgb.image == b.color.rgb.image);
    CHECK(a.color.cmyk.vector == b.color.cmyk.vector);
    CHECK(a.color.cmyk.image_spec == b.color.cmyk.image_spec);
    CHECK(a.color.use_embedded_profiles == b.color.use_embedded_profiles);
    CHECK(a.color.use_output_intent == b.color.use_output_intent);
    CHECK(a.marks.mark_type == b.marks.mark_type);
    CHECK(a.marks.crop_marks == b.marks.crop_marks);
    CHECK(a.marks.color_bar == b.marks.color_bar);
    CHECK(a.journal.size() == b.journal.size());
}

} // namespace

TEST_CASE("every valid fixture survives a round trip")
{
    for (const char* name : {"minimal-v2.xml", "legacy-v1.xml", "nest.xml",
                             "full-v2.xml", "step-repeat.xml", "tiling.xml"}) {
        INFO(name);
        job::Job a = job::parse_job_file(fixtures / name);
        std::string xml = job::write_job_xml(a);
        job::Job b = job::parse_job_xml(xml, "/", "written.xml");
        check_same(a, b);
        CHECK(b.version == 2);
    }
}

TEST_CASE("the writer appends the journal and statistics")
{
    job::Job a = job::parse_job_file(fixtures / "minimal-v2.xml");
    a.journal.push_back({"RIP", "2026-12-03T12:00:00Z", "2 sheets"});
    a.statistics = job::Statistics{0.75, 500, 1200.5, 2, 6};
    std::string xml = job::write_job_xml(a);
    CHECK_THAT(xml, Catch::Contains("<RIP Date=\"2026-12-03T12:00:00Z\">"
                                    "2 sheets</RIP>"));
    CHECK_THAT(xml, Catch::Contains("Efficiency=\"0.75\""));

    job::Job b = job::parse_job_xml(xml, "/", "written.xml");
    REQUIRE(b.journal.size() == 1);
    CHECK(b.journal[0].date == "2026-12-03T12:00:00Z");
    REQUIRE(b.statistics);
    CHECK(b.statistics->efficiency == 0.75);
    CHECK(b.statistics->media_used_length_units == 1200.5);
    CHECK(b.statistics->sheets == 2);
    CHECK(b.statistics->placements == 6);
}

TEST_CASE("a job made in code writes a ticket that validates")
{
    job::Job a = job::job_for_file("/data/poster.pdf");
    a.layout.kind = job::LayoutKind::nup;
    a.layout.columns = 2;
    a.layout.transform.rotation_deg = 90;
    a.marks.crop_marks = true;
    job::Job b = job::parse_job_xml(job::write_job_xml(a), "/", "new.xml");
    check_same(a, b);
    CHECK(b.layout.transform.rotation_deg == 90);
}

TEST_CASE("the built-in schema is the shipped profiles/schemas/job.xsd")
{
    std::ifstream in(std::filesystem::path(RIPLINE_SOURCE_DIR) /
                     "profiles/schemas/job.xsd");
    std::string file((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    CHECK(job::job_schema() == file);
}
