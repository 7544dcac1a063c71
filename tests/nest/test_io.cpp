// SPDX-License-Identifier: AGPL-3.0-or-later
// Nesting files: the three input formats and answers in their own terms.
#include "core/common/error.hpp"
#include "core/nest/io.hpp"
#include "core/nest/nester.hpp"
#include "core/nest/validate.hpp"
#include "tests/nest/nest_fixtures.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace ripline::nest;
using namespace ripline::nest::test;

TEST_CASE("strip JSON answers in its own axes")
{
    // Length along x, width 10 along y: two 10 x 4 bars (x by y) side by
    // side need 8 along x only if turned; allowed 0 and 90.
    const char* text = R"({"name": "bars", "strip_height": 10,
      "items": [{"id": 0, "demand": 2, "allowed_orientations": [0, 90],
        "shape": {"type": "simple_polygon",
                  "data": [[0,0],[4,0],[4,10],[0,10],[0,0]]}}]})";
    Instance in = parse_instance(text, "bars.json");
    NestResult r = nest(in.problem, counted(20));
    REQUIRE(check_nest(in.problem, in.options, r).empty());
    CHECK(r.used_length == Approx(8));

    // Apply each answer to the original outline: it must lie in
    // [0, 8] x [0, 10] in the file's own coordinates.
    auto sol = nlohmann::json::parse(solution_json(in, r));
    for (const auto& item : sol["placed_items"]) {
        double a = item["rotation"].get<double>() * M_PI / 180;
        double tx = item["translation"][0], ty = item["translation"][1];
        for (auto [x, y] :
             {std::pair{0., 0.}, {4., 0.}, {4., 10.}, {0., 10.}}) {
            double px = std::cos(a) * x - std::sin(a) * y + tx;
            double py = std::sin(a) * x + std::cos(a) * y + ty;
            CHECK(px >= -1e-9);
            CHECK(px <= 8 + 1e-9);
            CHECK(py >= -1e-9);
            CHECK(py <= 10 + 1e-9);
        }
    }
}

TEST_CASE("the parts list reads media, spacing and parts")
{
    const char* text = R"({"name": "shop", "spacing_mm": 3, "margin_mm": 5,
      "media": {"kind": "sheet", "width_mm": 100, "length_mm": 70},
      "parts": [
        {"id": "card", "quantity": 4, "width_mm": 40, "height_mm": 25,
         "rotations": [0, 90], "group": "order-1"},
        {"id": "logo", "outline": [[0,0],[30,0],[15,20]], "rotations": "any"}
      ]})";
    Instance in = parse_instance(text, "shop.json");
    CHECK(in.problem.media.kind == Media::Kind::sheet);
    CHECK(in.options.spacing == 3);
    CHECK(in.options.margin == 5);
    REQUIRE(in.problem.parts.size() == 2);
    CHECK(in.problem.parts[0].group == "order-1");
    CHECK(in.problem.parts[1].rotations_deg.empty());
    NestResult r = nest(in.problem, [&] {
        NestOptions o = counted(20);
        o.spacing = in.options.spacing;
        o.margin = in.options.margin;
        return o;
    }());
    NestOptions check = in.options;
    CHECK(check_nest(in.problem, check, r).empty());
    CHECK(r.unplaced.empty());
}

TEST_CASE("an unplaced copy carries its reason to the JSON and the report")
{
    const char* text = R"({"name": "shop",
      "media": {"kind": "sheet", "width_mm": 100, "length_mm": 70},
      "parts": [{"id": "poster", "width_mm": 120, "height_mm": 80},
                {"id": "card", "width_mm": 40, "height_mm": 25}]})";
    Instance in = parse_instance(text, "shop.json");
    NestResult r = nest(in.problem, counted(20));
    REQUIRE(r.unplaced.size() == 1);
    auto out = nlohmann::json::parse(solution_json(in, r));
    REQUIRE(out["unplaced_items"].size() == 1);
    CHECK(out["unplaced_items"][0]["id"] == "poster");
    CHECK(out["unplaced_items"][0]["reason"] == r.unplaced[0].reason);
    CHECK_THAT(nest_report(in, r),
               Catch::Contains("not placed: 'poster' copy 0: too large for "
                               "the media: its printed area is 120 x 80"));
}

TEST_CASE("bad instances name the file and the field")
{
    try {
        parse_instance(R"({"strip_height": 10, "items": [{"id": 0,
            "demand": 1, "shape": {"type": "circle", "data": []}}]})",
                       "odd.json");
        FAIL("no error");
    } catch (const ripline::Error& e) {
        std::string what = e.what();
        CHECK(what.find("odd.json") != std::string::npos);
        CHECK(what.find("items[0].shape.type") != std::string::npos);
    }
    CHECK_THROWS_AS(parse_instance("{", "broken.json"), ripline::Error);
    CHECK_THROWS_AS(nest(roll(0, {rect_part("a", 1, 1)}), counted(1)),
                    ripline::Error);
}

TEST_CASE("a count or size or rotation that makes no sense is refused")
{
    // Each of these names the field at fault; none is rounded or
    // clamped into something else.
    auto refused = [](const std::string& part) {
        try {
            parse_instance(R"({"media": {"width_mm": 100}, "parts": [)" +
                               part + "]}",
                           "list.json");
        } catch (const ripline::Error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    auto names = [](const std::string& what, const std::string& field) {
        INFO(what);
        CHECK(what.find("list.json") != std::string::npos);
        CHECK(what.find(field) != std::string::npos);
    };
    names(refused(R"({"width_mm": 5, "height_mm": 3, "quantity": -2})"),
          "parts[0].quantity: must be a whole number");
    names(refused(R"({"width_mm": 5, "height_mm": 3, "quantity": 2.5})"),
          "parts[0].quantity: must be a whole number");
    names(refused(R"({"width_mm": -5, "height_mm": 3})"),
          "parts[0].width_mm: must be more than 0");
    names(refused(R"({"width_mm": 5, "height_mm": 3,
                      "rotations": [0, "x"]})"),
          "parts[0].rotations[1]: must be a number of degrees");
    CHECK(refused(R"({"width_mm": 5, "height_mm": 3, "quantity": 2})") ==
          "accepted");
}

TEST_CASE("an outline that crosses itself or encloses nothing is refused")
{
    Part bow;
    bow.id = "bow";
    bow.outline.outer = {{0, 0}, {10, 10}, {10, 0}, {0, 5}};
    try {
        nest(roll(100, {bow}), counted(1));
        FAIL("no error");
    } catch (const ripline::Error& e) {
        std::string what = e.what();
        CHECK(what.find("part 'bow'") != std::string::npos);
        CHECK(what.find("crosses itself") != std::string::npos);
    }

    Part flat = bow;
    flat.outline.outer = {{0, 0}, {10, 0}, {20, 0}, {5, 0}};
    CHECK_THROWS_WITH(nest(roll(100, {flat}), counted(1)),
                      Catch::Matchers::Contains("encloses no area"));

    // A ring that only touches itself, as a hole's bridge does, nests.
    Part bridged = bow;
    bridged.outline.outer = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 6},
                             {4, 6}, {4, 4}, {6, 4}, {6, 6}, {0, 6},
                             {0, 4}};
    CHECK_NOTHROW(nest(roll(100, {bridged}), counted(1)));
}
