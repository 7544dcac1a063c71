// SPDX-License-Identifier: AGPL-3.0-or-later
// Print modes: the shipped ones load; each kind of bad mode is refused
// with an error that names the file and the field.
#include "core/color/print_mode.hpp"
#include "core/common/error.hpp"

#include "color_test_util.hpp"

#include <catch2/catch.hpp>

#include <functional>

using namespace ripline;
using namespace ripline::color;
using nlohmann::json;

namespace {

// Load DOC after MUTATE; expect an Error whose message names FIELD.
void expect_refused(const std::string& name,
                    const std::function<void(json&)>& mutate,
                    const std::string& field,
                    rl_status status = RL_ERROR_BAD_INPUT)
{
    json doc = test::read_json(test::mode_path("cmyk-720.json"));
    mutate(doc);
    auto path = test::scratch_mode(doc, name);
    try {
        load_print_mode(path);
        FAIL("mode '" << name << "' was accepted");
    } catch (const Error& e) {
        INFO(e.what());
        CHECK(e.stage() == Stage::color);
        CHECK(e.status() == status);
        CHECK(e.file() == path.string());
        CHECK(std::string(e.what()).find(field) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("shipped print modes load with their inks and rules")
{
    PrintMode cmyk = load_print_mode(test::mode_path("cmyk-720.json"));
    CHECK(cmyk.inks == std::vector<std::string>{"C", "M", "Y", "K"});
    CHECK(cmyk.dpi == std::array<int, 2>{720, 720});
    CHECK(cmyk.total_limit == Approx(3.0));
    CHECK(cmyk.screen.bits == 2);
    CHECK(cmyk.screen.drop_volumes == std::vector<double>{4, 8, 14});
    CHECK(cmyk.screen.type == "bluenoise");
    CHECK(cmyk.output_profile.filename() == "FOGRA39L.icc");
    // Cyan gains dot (density at 50% is 55% of full), so the correction
    // asks for less than 50% to print a linear mid-tone.
    CHECK(cmyk.linearization[0](0.5) < 0.48);
    CHECK(cmyk.linearization[0](0.0) == Approx(0.0).margin(1e-9));
    CHECK(cmyk.linearization[0](1.0) == Approx(1.0));

    PrintMode six = load_print_mode(test::mode_path("cmykcm-6ink.json"));
    REQUIRE(six.light_splits.size() == 2);
    CHECK(six.roles[4] == InkRole::light);
    CHECK(six.light_splits[0].light(0.4) == Approx(0.8));
    CHECK(six.contone_bits == 16);

    PrintMode wv = load_print_mode(test::mode_path("cmyk-white-varnish.json"));
    CHECK(wv.white.ink == 4);
    CHECK(wv.white.source == LayerSource::under_colour);
    CHECK(wv.white.choke_dots == 2);
    CHECK(wv.varnish.source == LayerSource::spot);
    CHECK(wv.varnish.spot == "Varnish");
    CHECK(wv.dpi == std::array<int, 2>{720, 1080});
}

TEST_CASE("a print mode's fingerprint changes with its contents")
{
    json doc = test::read_json(test::mode_path("cmyk-720.json"));
    PrintMode a = load_print_mode(test::scratch_mode(doc, "fp-a"));
    doc["ink_limits"]["total_pct"] = 280;
    PrintMode b = load_print_mode(test::scratch_mode(doc, "fp-b"));
    CHECK(a.fingerprint != b.fingerprint);
}

TEST_CASE("bad ICC profiles are refused before rendering")
{
    std::string fixtures = std::string(RIPLINE_SOURCE_DIR)
                           + "/tests/color/fixtures/";
    expect_refused("missing-icc",
                   [](json& d) { d["output_profile"] = "../icc/none.icc"; },
                   "output_profile", RL_ERROR_IO);
    expect_refused("broken-icc",
                   [&](json& d) {
                       d["output_profile"] = fixtures + "broken.icc";
                   },
                   "output_profile", RL_ERROR_COLOR);
    expect_refused("truncated-icc",
                   [&](json& d) {
                       d["output_profile"] = fixtures + "truncated.icc";
                   },
                   "output_profile", RL_ERROR_COLOR);
    expect_refused("display-icc",
                   [](json& d) {
                       d["output_profile"] =
                           "/usr/share/color/icc/ghostscript/srgb.icc";
                   },
                   "output_profile", RL_ERROR_COLOR);
    expect_refused("channel-count",
                   [](json& d) {
                       d["inks"] = {"C", "M", "Y", "K", "O", "G"};
                       d["profile_channels"] = {"C", "M", "Y", "K", "O",
                                                "G"};
                       d.erase("linearization");
                   },
                   "profile_channels");
}

TEST_CASE("bad curves are refused, naming the curve")
{
    expect_refused("no-patches",
                   [](json& d) { d["linearization"]["C"].erase("patches"); },
                   "linearization.C.patches");
    expect_refused("density-falls",
                   [](json& d) {
                       d["linearization"]["M"]["patches"][3][1] = 0.30;
                   },
                   "linearization.M.patches[3][1]");
    expect_refused("lstar-rises",
                   [](json& d) {
                       d["linearization"]["K"]["patches"][2][1] = 90.0;
                   },
                   "linearization.K.patches[2][1]");
    expect_refused("inputs-not-rising",
                   [](json& d) {
                       d["linearization"]["C"]["patches"][2][0] = 5;
                   },
                   "linearization.C.patches[2][0]");
    expect_refused("inputs-short-of-100",
                   [](json& d) {
                       d["linearization"]["C"]["patches"].erase(5);
                   },
                   "linearization.C.patches");
    expect_refused("bad-measure",
                   [](json& d) {
                       d["linearization"]["C"]["measure"] = "reflectance";
                   },
                   "linearization.C.measure");
    expect_refused("dark-split-falls",
                   [](json& d) {
                       d["inks"] = {"C", "M", "Y", "K", "c"};
                       d["light_inks"] = json::parse(R"([{"dark": "C",
                           "light": "c",
                           "dark_curve": [[0,0],[50,40],[75,30],[100,100]],
                           "light_curve": [[0,0],[50,50],[100,0]]}])");
                   },
                   "light_inks[0].dark_curve[2][1]");
}

TEST_CASE("limits outside 0-400 % and too many inks are refused")
{
    expect_refused("tac-450",
                   [](json& d) { d["ink_limits"]["total_pct"] = 450; },
                   "ink_limits.total_pct");
    expect_refused("channel-negative",
                   [](json& d) {
                       d["ink_limits"]["channels_pct"]["K"] = -5;
                   },
                   "ink_limits.channels_pct.K");
    expect_refused("limit-unknown-ink",
                   [](json& d) {
                       d["ink_limits"]["channels_pct"]["Or"] = 80;
                   },
                   "ink_limits.channels_pct.Or");
    expect_refused("seventeen-inks",
                   [](json& d) {
                       for (int i = 0; i < 13; ++i)
                           d["inks"].push_back("S" + std::to_string(i));
                   },
                   "inks");
    expect_refused("duplicate-ink",
                   [](json& d) { d["inks"].push_back("C"); }, "inks[4]");

    PrintMode six = load_print_mode(test::mode_path("cmykcm-6ink.json"));
    CHECK_NOTHROW(check_ink_count(six, 8));
    CHECK_THROWS_WITH(check_ink_count(six, 4),
                      Catch::Contains("'inks'")
                          && Catch::Contains("cmykcm-6ink.json"));
}

TEST_CASE("other bad fields are refused, naming the field")
{
    expect_refused("bad-intent",
                   [](json& d) { d["intents"]["image"] = "pretty"; },
                   "intents.image");
    expect_refused("bad-format",
                   [](json& d) { d["format"] = "pmm"; }, "format");
    expect_refused("newer-version",
                   [](json& d) { d["version"] = 2; }, "version",
                   RL_ERROR_UNSUPPORTED);
    expect_refused("bits-3", [](json& d) { d["bits_per_dot"] = 3; },
                   "bits_per_dot");
    expect_refused("screen-type",
                   [](json& d) { d["screen"]["type"] = "stochastic"; },
                   "screen.type");
    expect_refused("drop-volumes-fall",
                   [](json& d) { d["screen"]["drop_volumes"] = {4, 3, 9}; },
                   "screen.drop_volumes");
    expect_refused("drops-count",
                   [](json& d) { d["drop_sizes_pl"] = {4, 8}; },
                   "drop_sizes_pl");
    expect_refused("screen-bits",
                   [](json& d) { d["screen"]["bits"] = 1; }, "screen.bits");
    expect_refused("white-unknown-ink",
                   [](json& d) {
                       d["white"] = {{"ink", "W"}, {"source", "flood"}};
                   },
                   "white.ink");
    expect_refused("no-inks", [](json& d) { d.erase("inks"); }, "inks");
}

TEST_CASE("a print mode that is not JSON names the file")
{
    CHECK_THROWS_WITH(parse_print_mode("{ \"format\": ", "broken.json"),
                      Catch::Contains("broken.json")
                          && Catch::Contains("not JSON"));
    CHECK_THROWS_AS(load_print_mode("/nonexistent/mode.json"), Error);
}
