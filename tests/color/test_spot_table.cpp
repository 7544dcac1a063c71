// SPDX-License-Identifier: AGPL-3.0-or-later
// Spot colours: names to inks, Lab to process through the profile, cut
// names never printed, unknown spots by their alternate, compositing.
#include "core/color/engine.hpp"
#include "core/color/print_mode.hpp"
#include "core/color/spot_table.hpp"
#include "core/common/error.hpp"

#include "color_test_util.hpp"

#include <catch2/catch.hpp>
#include <lcms2.h>

using namespace ripline;
using namespace ripline::color;
using nlohmann::json;

namespace {

PrintMode white_varnish()
{
    return load_print_mode(test::mode_path("cmyk-white-varnish.json"));
}

}  // namespace

TEST_CASE("spot names match without case, spaces, dashes or underscores")
{
    CHECK(spot_key("Cut Contour") == spot_key("CUT_CONTOUR"));
    CHECK(spot_key("Thru-cut") == "thrucut");
    SpotTable table;
    CHECK(table.is_cut("CutContour"));
    CHECK(table.is_cut("kiss cut"));
    CHECK_FALSE(table.is_cut("Cyan"));
}

TEST_CASE("the shipped modes carry their spot tables")
{
    PrintMode cmyk = load_print_mode(test::mode_path("cmyk-720.json"));
    REQUIRE(cmyk.spots.find("corporate teal"));
    CHECK(cmyk.spots.find("Dieline")->action == SpotAction::ignore);
    CHECK(cmyk.spots.is_cut("Perf"));
    CHECK_FALSE(cmyk.spots.is_cut("Score")); // the file replaces defaults
    PrintMode wv = white_varnish();
    CHECK(wv.spots.find("White")->ink == "W");
}

TEST_CASE("plans: layer spots, inks, Lab, cuts, ignored and alternates")
{
    PrintMode mode = white_varnish();
    Profile output = Profile::open(mode.output_profile);
    SpotMapper mapper(mode.spots, mode, output);

    SpotPlan varnish = mapper.plan("Varnish", std::nullopt);
    CHECK(varnish.action == SpotAction::ink);
    CHECK(varnish.ink == 5);
    CHECK(varnish.ink_tint[255] == 255);
    CHECK(varnish.ink_tint[0] == 0);

    SpotPlan white = mapper.plan("white", std::nullopt);
    CHECK(white.action == SpotAction::ink);
    CHECK(white.ink == 4);

    SpotPlan cut = mapper.plan("CutContour", std::array<double, 3>{50, 0, 0});
    CHECK(cut.action == SpotAction::cut);
    CHECK_FALSE(cut.printed());

    CHECK_FALSE(mapper.plan("Dieline", std::nullopt).printed());

    SpotPlan unknown = mapper.plan("PANTONE 999 X", std::nullopt);
    CHECK(unknown.action == SpotAction::alternate);
    CHECK_FALSE(unknown.printed());

    SpotPlan by_alternate = mapper.plan("PANTONE 999 X",
                                        std::array<double, 3>{50, 60, 40});
    CHECK(by_alternate.action == SpotAction::alternate);
    CHECK(by_alternate.printed());
}

TEST_CASE("a Lab spot at full tint is what transicc gives for its Lab")
{
    PrintMode mode = white_varnish();
    Profile output = Profile::open(mode.output_profile);
    SpotMapper mapper(mode.spots, mode, output);
    SpotPlan teal = mapper.plan("Corporate Teal", std::nullopt);
    REQUIRE(teal.action == SpotAction::process);
    REQUIRE(teal.channels == 4);

    // LittleCMS directly: Lab D50 -> FOGRA39L, relative colorimetric.
    cmsHPROFILE lab = cmsCreateLab4Profile(nullptr);
    cmsHTRANSFORM t = cmsCreateTransform(lab, TYPE_Lab_DBL, output.handle(),
                                         TYPE_CMYK_FLT,
                                         INTENT_RELATIVE_COLORIMETRIC, 0);
    cmsCIELab teal_lab{52.0, -38.0, -12.0};
    float cmyk[4];
    cmsDoTransform(t, &teal_lab, cmyk, 1);
    for (int c = 0; c < 4; ++c)
        CHECK(teal.process_tint[255 * 4 + c]
              == Approx(cmyk[c] * 2.55).margin(1.0));
    cmsDeleteTransform(t);
    cmsCloseProfile(lab);

    // Tints rise from no ink to the full colour.
    for (int c = 0; c < 4; ++c)
        CHECK(teal.process_tint[c] == 0);
    int cyan_half = teal.process_tint[128 * 4];
    CHECK(cyan_half > 0);
    CHECK(cyan_half < teal.process_tint[255 * 4]);
}

TEST_CASE("compositing: process overprints, inks add and saturate")
{
    SpotPlan plan;
    plan.action = SpotAction::process;
    plan.channels = 2;
    plan.process_tint.assign(256 * 2, 0);
    plan.process_tint[255 * 2 + 0] = 255; // full tint: channel 0 solid
    plan.process_tint[255 * 2 + 1] = 128;
    uint8_t spot[3] = {0, 255, 255};
    uint8_t c0[3] = {100, 100, 0}, c1[3] = {100, 128, 0};
    uint8_t* planes[2] = {c0, c1};
    SpotMapper::compose_process(plan, spot, planes, 3);
    CHECK(c0[0] == 100); // no spot here
    CHECK(c0[1] == 255);
    CHECK(c1[1] == 128 + 128 - (128 * 128 + 127) / 255);
    CHECK(c1[2] == 128);

    SpotPlan ink;
    ink.action = SpotAction::ink;
    for (int t = 0; t < 256; ++t)
        ink.ink_tint[t] = uint8_t(t);
    uint8_t plane[2] = {200, 10}, tint[2] = {100, 20};
    SpotMapper::add_to_ink(ink, tint, plane, 2);
    CHECK(plane[0] == 255);
    CHECK(plane[1] == 30);
}

TEST_CASE("bad spot tables are refused, naming the field")
{
    json doc = test::read_json(test::mode_path("cmyk-white-varnish.json"));
    auto refused = [&](const std::function<void(json&)>& mutate,
                       const std::string& field, const std::string& name) {
        json copy = doc;
        mutate(copy);
        auto path = test::scratch_mode(copy, name);
        CHECK_THROWS_WITH(load_print_mode(path),
                          Catch::Contains(field)
                              && Catch::Contains(path.string()));
    };
    refused([](json& d) { d["spots"]["entries"][0]["ink"] = "Or"; },
            "spots.entries[0].ink", "spot-unknown-ink");
    refused([](json& d) { d["spots"]["entries"][1]["lab"] = {50, 300, 0}; },
            "spots.entries[1].lab", "spot-bad-lab");
    refused([](json& d) { d["spots"]["entries"][2]["ink"] = "W"; },
            "spots.entries[2]", "spot-two-kinds");
    refused([](json& d) {
                d["spots"]["entries"].push_back({{"name", "white"},
                                                 {"ignore", true}});
            },
            "spots.entries[3].name", "spot-twice");
    CHECK_THROWS_AS(load_spot_table(test::mode_path("cmyk-720.json")),
                    Error);
}
