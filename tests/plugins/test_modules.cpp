// SPDX-License-Identifier: AGPL-3.0-or-later
// The test driver modules, loaded once.
#include "tests/plugins/test_modules.hpp"

#include "tests/drivers/driver_fixture.hpp"

#include <catch2/catch.hpp>

namespace ripline::test {

plugins::Host& test_modules()
{
    static CapturedLog log;
    static plugins::Host host(log.log);
    static bool loaded = [] {
        host.add_search_path(RIPLINE_TEST_MODULE_DIR);
        host.add_search_path(RIPLINE_DRIVER_DIR); // ripline-driver-host
        host.load();
        return true;
    }();
    (void)loaded;
    return host;
}

const plugins::DriverModule& module(const char* id)
{
    const plugins::DriverModule* found = test_modules().find(id);
    REQUIRE(found != nullptr);
    return *found;
}

}  // namespace ripline::test
