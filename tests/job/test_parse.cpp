// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests of reading valid Job XML tickets into the model.
#include "core/common/error.hpp"
#include "core/job/job.hpp"

#include <catch2/catch.hpp>

using namespace ripline;

namespace {

const std::filesystem::path fixtures =
    std::filesystem::path(RIPLINE_SOURCE_DIR) / "tests/fixtures/jobs";

const char* job_guid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

} // namespace

TEST_CASE("a minimal v2 ticket gives id, device and resolved inputs")
{
    job::Job j = job::parse_job_file(fixtures / "minimal-v2.xml");
    CHECK(j.version == 2);
    CHECK(j.id == job_guid);
    CHECK(j.name == "Minimal");
    CHECK(j.device_id == "6f1c0a52-3e0b-4d7e-9a51-2b7c9f0e1d23");
    REQUIRE(j.inputs.size() == 1);
    CHECK(j.inputs[0].path == (fixtures / "art/poster.pdf").string());
    CHECK(j.inputs[0].copies == 3);
    CHECK(j.copies == 1);
    CHECK(j.ticket_path == fixtures / "minimal-v2.xml");
    CHECK(j.parts.empty());
    CHECK(j.layout.kind == job::LayoutKind::single);
}

TEST_CASE("the legacy v1 form with GUID and JobType is accepted")
{
    job::Job j = job::parse_job_file(fixtures / "legacy-v1.xml");
    CHECK(j.version == 1);
    CHECK(j.id == std::string("{") + job_guid + "}");
    CHECK(j.job_type == "Regular");
    CHECK(j.user == "operator");
    REQUIRE(j.inputs.size() == 2);
    CHECK(j.inputs[0].path == "/data/in/a.pdf");
    CHECK(j.inputs[1].copies == 2);
}

TEST_CASE("a full ticket in PrintFactory's namespace fills every field")
{
    job::Job j = job::parse_job_file(fixtures / "full-v2.xml");
    CHECK(j.producer == "API");
    CHECK(j.queue_id == "0d5e8a10-9c7b-4a44-8f1e-5b2a6c3d7e90");
    REQUIRE(j.printer_profile);
    CHECK(j.printer_profile->guid == "a3f1b2c4-d5e6-4f70-8192-a3b4c5d6e7f8");
    CHECK(j.printer_profile->type == "GUID");
    CHECK(j.mode_variant == "Visual Match");
    CHECK(j.screen == "bluenoise");
    CHECK(j.cut);
    CHECK(j.copies == 2);
    CHECK(j.print_deadline == "2026-12-24T12:00:00Z");

    REQUIRE(j.inputs.size() == 2);
    CHECK(j.inputs[1].name == "Company logo");
    CHECK(j.inputs[1].copies == 2);
    REQUIRE(j.media);
    CHECK(j.media->width_units == Approx(914.4));
    CHECK(j.media->roll);

    REQUIRE(j.parts.size() == 2);
    CHECK(j.parts[0].input == 0);
    CHECK(j.parts[1].input == 1);
    REQUIRE(j.parts[0].source_area);
    CHECK(j.parts[0].source_area->right == 36);
    REQUIRE(j.parts[1].position);
    CHECK(j.parts[1].position->x == 90);
    CHECK(j.parts[1].transform.rotation_deg == 90);
    CHECK(j.parts[1].transform.scale == 0.5);
    CHECK(j.parts[1].transform.mirror);
    CHECK(j.parts[1].copies == 3);
    CHECK(j.parts[0].copy_name == "Copy #1");

    CHECK(j.layout.margin_units == 9);
    CHECK(j.layout.bleed_units == 1.5);
    CHECK(j.color.use_embedded_profiles == true);
    CHECK(j.color.use_output_intent == false);
    CHECK(j.color.rgb.image == job::Intent::perceptual);
    CHECK(j.color.rgb.vector == job::Intent::relative);
    CHECK(j.color.cmyk.vector == job::Intent::saturation);
    CHECK(j.color.cmyk.image_spec == "ISOcoated_v2.icc");
    CHECK(j.color.gray.vector == job::Intent::absolute);
    CHECK(j.marks.mark_type == 7);
    CHECK(j.marks.crop_marks);
    CHECK(j.marks.job_label);
    CHECK(j.marks.color_bar);
    REQUIRE(j.journal.size() == 1);
    CHECK(j.journal[0].kind == "Creation");
    CHECK(j.journal[0].message == "created by API");
}

TEST_CASE("layout extensions: step and repeat, tiling")
{
    job::Job s = job::parse_job_file(fixtures / "step-repeat.xml");
    CHECK(s.layout.kind == job::LayoutKind::step_repeat);
    CHECK(s.layout.columns == 4);
    CHECK(s.layout.rows == 3);
    CHECK(s.layout.gap_x_units == 1);
    CHECK(s.layout.gap_y_units == 2);
    CHECK(s.layout.bleed_units == 0.5);
    CHECK(s.layout.trim_white);

    job::Job t = job::parse_job_file(fixtures / "tiling.xml");
    CHECK(t.layout.kind == job::LayoutKind::tile);
    CHECK(t.layout.tile_width_units == 360);
    CHECK(t.layout.tile_overlap_units == 9);
    CHECK(t.layout.rotate_alternate_tiles);
    CHECK(t.layout.equal_tiles);
}

TEST_CASE("a plain document becomes a one-input job with a fresh GUID")
{
    job::Job j = job::job_for_file("some/dir/poster.pdf");
    CHECK(job::is_guid(j.id));
    CHECK(j.name == "poster.pdf");
    REQUIRE(j.inputs.size() == 1);
    CHECK(std::filesystem::path(j.inputs[0].path).is_absolute());
    CHECK(j.ticket_path.empty());
    CHECK(job::job_for_file("a.pdf").id != j.id);
}

TEST_CASE("GUIDs are recognised in both spellings")
{
    CHECK(job::is_guid(job_guid));
    CHECK(job::is_guid(std::string("{") + job_guid + "}"));
    CHECK_FALSE(job::is_guid("1b4e28ba2fa111d2883f0016d3cca427"));
    CHECK_FALSE(job::is_guid("1b4e28ba-2fa1-11d2-883f-0016d3cca42g"));
    CHECK_FALSE(job::is_guid(""));
    for (int i = 0; i < 20; ++i)
        CHECK(job::is_guid(job::new_guid()));
}

TEST_CASE("check_pages names a part whose page does not exist")
{
    job::Job j = job::parse_job_file(fixtures / "full-v2.xml");
    CHECK_NOTHROW(job::check_pages(j, {1, 1}));
    try {
        j.parts[1].source_page = 4;
        job::check_pages(j, {1, 2});
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.status() == RL_ERROR_BAD_INPUT);
        CHECK_THAT(e.what(), Catch::Contains("SourcePage 4") &&
                                 Catch::Contains("has 2 pages"));
    }
}

TEST_CASE("a nest job keeps its group, deadline and document ids")
{
    job::Job j = job::parse_job_file(fixtures / "nest.xml");
    CHECK(j.nest_group_id == "3c9a1f52-8e44-4b1a-9d7e-2f0c6b5a4d31");
    CHECK(j.print_deadline == "2026-12-24T12:00:00Z");
    CHECK(j.cut);
    REQUIRE(j.inputs.size() == 2);
    CHECK(j.inputs[0].document_id == "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    CHECK(j.inputs[0].copies == 5);
    CHECK(j.inputs[1].copies == 2);
}
