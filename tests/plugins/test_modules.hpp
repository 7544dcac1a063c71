// SPDX-License-Identifier: AGPL-3.0-or-later
// The test driver modules (and the driver host), loaded once for the
// whole test binary.
#pragma once

#include "plugins/host.hpp"

namespace ripline::test {

// A host that has loaded the modules in RIPLINE_TEST_MODULE_DIR, with
// RIPLINE_DRIVER_DIR searched for ripline-driver-host.
plugins::Host& test_modules();

// The loaded test module ID; fails the test when it is missing.
const plugins::DriverModule& module(const char* id);

}  // namespace ripline::test
