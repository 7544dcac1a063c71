// SPDX-License-Identifier: AGPL-3.0-or-later
// The one Catch2 main every test executable links.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
