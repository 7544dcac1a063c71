// SPDX-License-Identifier: AGPL-3.0-or-later
// Void-and-cluster blue-noise generation and the .rlsm rank-matrix file.
#include "core/screen/matrix.hpp"

#include "core/common/error.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace ripline::screen {

namespace {

constexpr char rlsm_magic[8] = {'R', 'L', 'S', 'C', 'R', 'E', 'E', 'N'};
constexpr uint32_t rlsm_version = 1;

// splitmix64: a tiny generator whose sequence is the same everywhere.
uint64_t next_random(uint64_t& state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The filtered density of a binary pattern on a torus, kept up to date
// as dots come and go. Weights are integers so that adding and removing
// a dot cancel exactly and ties break the same way on every machine.
class EnergyField {
public:
    EnergyField(int size, double sigma) : size_(size), energy_(size * size)
    {
        radius_ =
            std::min(static_cast<int>(std::ceil(4 * sigma)), (size - 1) / 2);
        int span = 2 * radius_ + 1;
        weights_.resize(span * span);
        for (int dy = -radius_; dy <= radius_; ++dy)
            for (int dx = -radius_; dx <= radius_; ++dx) {
                double w = std::exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                weights_[(dy + radius_) * span + dx + radius_] =
                    std::llround(w * (1 << 30));
            }
    }

    // Adds (sign 1) or removes (sign -1) the filter of a dot at index i.
    void apply(int i, int sign)
    {
        int x0 = i % size_, y0 = i / size_, span = 2 * radius_ + 1;
        for (int dy = -radius_; dy <= radius_; ++dy) {
            int y = (y0 + dy + size_) % size_;
            const int64_t* w = &weights_[(dy + radius_) * span];
            int64_t* row = &energy_[y * size_];
            for (int dx = -radius_; dx <= radius_; ++dx)
                row[(x0 + dx + size_) % size_] += sign * w[dx + radius_];
        }
    }

    // The tightest cluster (most energy) among cells equal to `value`,
    // or the largest void (least energy) when `most` is false.
    int extreme(const std::vector<uint8_t>& pattern, uint8_t value,
                bool most) const
    {
        int best = -1;
        for (int i = 0; i < size_ * size_; ++i) {
            if (pattern[i] != value)
                continue;
            if (best < 0 || (most ? energy_[i] > energy_[best]
                                  : energy_[i] < energy_[best]))
                best = i;
        }
        return best;
    }

private:
    int size_;
    int radius_;
    std::vector<int64_t> weights_;
    std::vector<int64_t> energy_;
};

// Step 1: a random sparse pattern, relaxed by moving the tightest
// cluster into the largest void until the move would undo itself.
std::vector<uint8_t> initial_pattern(int size, uint64_t seed,
                                     EnergyField& field)
{
    int cells = size * size, ones = std::max(1, cells / 10);
    std::vector<uint8_t> pattern(cells, 0);
    uint64_t state = seed;
    for (int placed = 0; placed < ones;) {
        int i = static_cast<int>(next_random(state) % cells);
        if (pattern[i])
            continue;
        pattern[i] = 1;
        field.apply(i, 1);
        ++placed;
    }
    for (int moves = 0; moves < 4 * cells; ++moves) {
        int cluster = field.extreme(pattern, 1, true);
        if (cluster < 0)
            break;
        pattern[cluster] = 0;
        field.apply(cluster, -1);
        int hole = std::max(0, field.extreme(pattern, 0, false));
        pattern[hole] = 1;
        field.apply(hole, 1);
        if (hole == cluster)
            break;
    }
    return pattern;
}

uint32_t read_u32(const unsigned char* p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24);
}

void put_u32(std::string& out, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

[[noreturn]] void bad_file(const std::filesystem::path& path,
                           const std::string& what)
{
    throw Error(RL_ERROR_BAD_INPUT, Stage::screen,
                "not a usable screen matrix file: " + what, path.string());
}

// Checks that a matrix holds every rank exactly once.
bool is_permutation(const RankMatrix& m)
{
    std::vector<uint8_t> seen(m.ranks.size(), 0);
    for (uint16_t r : m.ranks) {
        if (r >= seen.size() || seen[r])
            return false;
        seen[r] = 1;
    }
    return true;
}

} // namespace

RankMatrix make_blue_noise(int size, uint64_t seed)
{
    if (size < 16 || size > 256)
        throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::screen,
                    "blue-noise matrix size " + std::to_string(size) +
                        " is outside 16..256");
    EnergyField field(size, 1.5);
    std::vector<uint8_t> start = initial_pattern(size, seed, field);
    int cells = size * size;
    int ones = static_cast<int>(std::count(start.begin(), start.end(), 1));
    RankMatrix m{size, std::vector<uint16_t>(cells)};

    // Step 2: rank the starting dots by removing the tightest cluster.
    std::vector<uint8_t> pattern = start;
    EnergyField down = field;
    for (int rank = ones - 1; rank >= 0; --rank) {
        int i = down.extreme(pattern, 1, true);
        pattern[i] = 0;
        down.apply(i, -1);
        m.ranks[i] = static_cast<uint16_t>(rank);
    }

    // Step 3: rank the rest by filling the largest void. On a torus the
    // densest cluster of the minority zeros is that same void, so one
    // rule serves both halves of Ulichney's method.
    pattern = start;
    for (int rank = ones; rank < cells; ++rank) {
        int i = field.extreme(pattern, 0, false);
        pattern[i] = 1;
        field.apply(i, 1);
        m.ranks[i] = static_cast<uint16_t>(rank);
    }
    return m;
}

uint64_t blue_noise_seed(int index)
{
    return 0x5EED0000ull + 7919ull * static_cast<uint64_t>(index);
}

std::vector<RankMatrix> read_rank_matrices(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(RL_ERROR_IO, Stage::screen, "cannot open screen matrix",
                    path.string());
    std::string bytes((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
    auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    if (bytes.size() < 20 || !std::equal(rlsm_magic, rlsm_magic + 8, p))
        bad_file(path, "no RLSCREEN header");
    if (read_u32(p + 8) != rlsm_version)
        bad_file(path, "version " + std::to_string(read_u32(p + 8)) +
                           " (this build reads 1)");
    uint32_t size = read_u32(p + 12), count = read_u32(p + 16);
    if (size < 2 || size > 256 || count < 1 || count > 64)
        bad_file(path, "size " + std::to_string(size) + " or count " +
                           std::to_string(count) + " out of range");
    size_t cells = size_t(size) * size;
    if (bytes.size() != 20 + 2 * cells * count)
        bad_file(path, "length does not match its header");

    std::vector<RankMatrix> set(count);
    for (uint32_t k = 0; k < count; ++k) {
        set[k] = {int(size), std::vector<uint16_t>(cells)};
        const unsigned char* src = p + 20 + 2 * cells * k;
        for (size_t i = 0; i < cells; ++i)
            set[k].ranks[i] = uint16_t(src[2 * i] | (src[2 * i + 1] << 8));
        if (!is_permutation(set[k]))
            bad_file(path, "matrix " + std::to_string(k) +
                               " does not hold every rank once");
    }
    return set;
}

void write_rank_matrices(const std::filesystem::path& path,
                         const std::vector<RankMatrix>& matrices)
{
    std::string out(rlsm_magic, 8);
    put_u32(out, rlsm_version);
    put_u32(out, matrices.empty() ? 0 : matrices[0].size);
    put_u32(out, static_cast<uint32_t>(matrices.size()));
    for (const RankMatrix& m : matrices)
        for (uint16_t r : m.ranks) {
            out.push_back(static_cast<char>(r & 0xFF));
            out.push_back(static_cast<char>(r >> 8));
        }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (!file)
        throw Error(RL_ERROR_IO, Stage::screen, "cannot write screen matrix",
                    path.string());
}

const std::vector<RankMatrix>& blue_noise_set(const std::filesystem::path& dir,
                                              int size, int count)
{
    static std::mutex mutex;
    static std::map<std::tuple<std::string, int, int>, std::vector<RankMatrix>>
        cache;
    std::lock_guard lock(mutex);
    auto key = std::make_tuple(dir.string(), size, count);
    if (auto it = cache.find(key); it != cache.end())
        return it->second;

    // A shipped file is used when it has enough matrices of the size;
    // a damaged one is an error, since someone put it there on purpose.
    std::vector<RankMatrix> set;
    auto file = dir / ("bluenoise-" + std::to_string(size) + ".rlsm");
    if (std::filesystem::exists(file)) {
        set = read_rank_matrices(file);
        if (set[0].size != size)
            set.clear();
        set.resize(std::min<size_t>(set.size(), count));
    }
    for (int k = int(set.size()); k < count; ++k)
        set.push_back(make_blue_noise(size, blue_noise_seed(k)));
    return cache.emplace(key, std::move(set)).first->second;
}

} // namespace ripline::screen
