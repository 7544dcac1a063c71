// SPDX-License-Identifier: AGPL-3.0-or-later
// Blue-noise rank matrices: void-and-cluster generation and the .rlsm file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace ripline::screen {

// A square tile of ranks: every value 0 .. size * size - 1 once. A dot at
// rank r fires for tones above (r + 0.5) / (size * size).
struct RankMatrix {
    int size = 0;
    std::vector<uint16_t> ranks; // row-major, size * size

    uint16_t at(int x, int y) const { return ranks[y * size + x]; }
};

// Builds a blue-noise rank matrix with Ulichney's void-and-cluster method
// (Gaussian filter, sigma 1.5 dots, on a torus). The same size and seed
// give the same matrix on every run. size: 16 .. 256.
RankMatrix make_blue_noise(int size, uint64_t seed);

// The seeds the shipped matrix set was made with: matrix i of the set
// uses seed blue_noise_seed(i), so create() can rebuild a missing file.
uint64_t blue_noise_seed(int index);

// Reads an .rlsm file (format in docs/screening.md). Throws
// ripline::Error naming the file and what is wrong with it.
std::vector<RankMatrix> read_rank_matrices(const std::filesystem::path& p);

// Writes matrices (all of one size) as an .rlsm file; throws on I/O error.
void write_rank_matrices(const std::filesystem::path& path,
                         const std::vector<RankMatrix>& matrices);

// The process-wide blue-noise set: `count` matrices of `size`, read from
// dir/bluenoise-SIZE.rlsm when it holds enough of them, otherwise built
// with make_blue_noise() and kept for the next call. Thread-safe.
const std::vector<RankMatrix>& blue_noise_set(const std::filesystem::path& dir,
                                              int size, int count);

} // namespace ripline::screen
