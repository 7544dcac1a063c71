// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target for print-mode files: any bytes either load or give a
// ripline::Error; nothing else may escape, nothing may crash. Built for
// libFuzzer with -DRIPLINE_LIBFUZZER (clang -fsanitize=fuzzer); without
// it, a replay tool over files, which ctest runs on the fixtures in
// tests/color/fixtures/modes and the shipped modes.
#include "core/color/print_mode.hpp"
#include "core/common/error.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // Anchored beside the shipped modes, so ../icc/FOGRA39L.icc resolves
    // and the profile checks run too.
    static const std::string file =
        std::string(RIPLINE_PROFILE_DIR) + "/printmodes/fuzz.json";
    try {
        ripline::color::parse_print_mode(
            std::string(reinterpret_cast<const char*>(data), size), file);
    } catch (const ripline::Error&) {
        // The expected way to refuse.
    }
    return 0;
}

#ifndef RIPLINE_LIBFUZZER
int main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "cannot read %s\n", argv[i]);
            return 2;
        }
        std::stringstream bytes;
        bytes << in.rdbuf();
        const std::string text = bytes.str();
        LLVMFuzzerTestOneInput(
            reinterpret_cast<const uint8_t*>(text.data()), text.size());
    }
    return 0;
}
#endif
