// SPDX-License-Identifier: AGPL-3.0-or-later
// Just-in-time nest groups: each trigger fires, and leftovers wait.
#include "core/nest/jit.hpp"
#include "tests/nest/nest_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace ripline::nest;
using namespace ripline::nest::test;

namespace {

JitPart job(const std::string& id, double w, double h, int copies,
            double arrival_s, double deadline_s = 1e18)
{
    return {rect_part(id, w, h, copies), "job-" + id, arrival_s, deadline_s};
}

Media roll_media(double width)
{
    Media m;
    m.width = width;
    return m;
}

}  // namespace

TEST_CASE("min efficiency waits until the nest is full enough")
{
    JitTriggers t;
    t.min_efficiency = 0.9;
    NestGroup group(roll_media(20), counted(50), t);
    group.add(job("a", 10, 10, 1, 0));
    CHECK_FALSE(group.poll(1));  // half the width is used: 50 %

    group.add(job("b", 10, 10, 1, 2));
    auto released = group.poll(3);
    REQUIRE(released);
    CHECK(released->reason == "efficiency");
    CHECK(released->nest.placements.size() == 2);
    CHECK(group.waiting().empty());
}

TEST_CASE("max job age releases whatever waits")
{
    JitTriggers t;
    t.min_efficiency = 0.99;
    t.max_age_s = 60;
    NestGroup group(roll_media(20), counted(50), t);
    group.add(job("a", 5, 5, 1, 100));
    CHECK_FALSE(group.poll(159));
    auto released = group.poll(160);
    REQUIRE(released);
    CHECK(released->reason == "max_age");
}

TEST_CASE("max length releases a full nest and keeps the rest waiting")
{
    JitTriggers t;
    t.max_length = 25;
    NestGroup group(roll_media(10), counted(50), t);
    group.add(job("a", 10, 10, 3, 0));
    auto released = group.poll(1);
    REQUIRE(released);
    CHECK(released->reason == "max_length");
    CHECK(released->nest.placements.size() == 2);
    CHECK(released->nest.used_length <= 25);
    REQUIRE(group.waiting().size() == 1);
    CHECK(group.waiting()[0].part.quantity == 1);

    // The copy left over fits next time; nothing else fires yet.
    CHECK_FALSE(group.poll(2));
}

TEST_CASE("a part no nest could take is refused as it arrives")
{
    JitTriggers t;
    t.max_length = 25;
    NestGroup group(roll_media(10), counted(50), t);
    group.add(job("a", 10, 10, 1, 0));
    // 12 wide on a roll 10 wide; 30 long where a nest ends at 25.
    CHECK_THROWS_WITH(group.add(job("wide", 12, 5, 1, 1)),
                      Catch::Contains("part 'wide' of job 'job-wide': too "
                                      "large for the media"));
    CHECK_THROWS_WITH(group.add(job("long", 5, 30, 1, 1)),
                      Catch::Contains("the media has 10 x 25 inside"));
    REQUIRE(group.waiting().size() == 1);
    CHECK(group.waiting()[0].part.id == "a");
}

TEST_CASE("the earliest deadline pulls the nest forward")
{
    JitTriggers t;
    t.deadline_lead_s = 3600;
    NestGroup group(roll_media(20), counted(50), t);
    group.add(job("late", 5, 5, 1, 0));
    group.add(job("soon", 5, 5, 1, 0, 5000));
    CHECK_FALSE(group.poll(1000));
    auto released = group.poll(1500);
    REQUIRE(released);
    CHECK(released->reason == "deadline");
    CHECK(released->nest.placements.size() == 2);
}
