// SPDX-License-Identifier: AGPL-3.0-or-later
// ripline-make-screen: writes a set of void-and-cluster blue-noise matrices.
#include "core/common/error.hpp"
#include "core/screen/matrix.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

struct Options {
    int size = 128;
    int count = 4;
    std::string out;
};

int usage()
{
    std::fprintf(stderr, "usage: ripline-make-screen [--size N] [--count K] "
                         "--out FILE.rlsm\n"
                         "  Builds K blue-noise rank matrices of N x N dots "
                         "(void-and-cluster,\n"
                         "  the seeds create() uses) and writes them as one "
                         ".rlsm file.\n");
    return 2;
}

bool parse(int argc, char** argv, Options& options)
{
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (i + 1 >= argc)
            return false;
        if (arg == "--size")
            options.size = std::atoi(argv[++i]);
        else if (arg == "--count")
            options.count = std::atoi(argv[++i]);
        else if (arg == "--out")
            options.out = argv[++i];
        else
            return false;
    }
    return !options.out.empty() && options.count >= 1 && options.count <= 64;
}

} // namespace

int main(int argc, char** argv)
{
    Options options;
    if (!parse(argc, argv, options))
        return usage();
    try {
        std::vector<ripline::screen::RankMatrix> set;
        for (int k = 0; k < options.count; ++k)
            set.push_back(ripline::screen::make_blue_noise(
                options.size, ripline::screen::blue_noise_seed(k)));
        ripline::screen::write_rank_matrices(options.out, set);
        std::printf("wrote %d blue-noise matrices of %d x %d to %s\n",
                    options.count, options.size, options.size,
                    options.out.c_str());
        return 0;
    } catch (const ripline::Error& e) {
        std::fprintf(stderr, "ripline-make-screen: %s\n", e.what());
        return 1;
    }
}
