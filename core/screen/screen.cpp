// SPDX-License-Identifier: AGPL-3.0-or-later
// Screener::create: checks a ScreenSpec and builds one InkScreen per ink.
#include "core/screen/screen.hpp"

#include "core/common/error.hpp"
#include "core/screen/ink_screen.hpp"
#include "core/screen/matrix.hpp"

#include <cmath>

namespace ripline::screen {

namespace {

// The shipped blue-noise set: distinct matrices for the first inks, the
// same ones shifted for any further inks.
constexpr int blue_noise_size = 128;
constexpr int blue_noise_count = 4;

[[noreturn]] void bad_spec(const std::string& message)
{
    throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::screen,
                "print mode screen: " + message);
}

// The Screener the pipeline sees: one InkScreen per ink.
class InkScreener final : public Screener {
public:
    InkScreener(int bits, std::vector<std::unique_ptr<InkScreen>> inks)
        : bits_(bits), inks_(std::move(inks))
    {
    }

    int bits_per_dot() const override { return bits_; }

    bool needs_band_order() const override
    {
        for (const auto& ink : inks_)
            if (ink->needs_band_order())
                return true;
        return false;
    }

    void begin_sheet(int width_dots) override
    {
        for (auto& ink : inks_)
            ink->begin_sheet(width_dots);
    }

    void screen_plane(int ink, const uint8_t* contone,
                      size_t contone_stride, int width, int y, int rows,
                      uint8_t* out, size_t out_stride) const override
    {
        if (ink < 0 || ink >= int(inks_.size()))
            throw Error(RL_ERROR_INTERNAL, Stage::screen,
                        "ink " + std::to_string(ink) + " of " +
                            std::to_string(inks_.size()) + " screened");
        inks_[ink]->screen(contone, contone_stride, width, y, rows, out,
                           out_stride);
    }

private:
    int bits_;
    std::vector<std::unique_ptr<InkScreen>> inks_;
};

// The relative drop volumes the tiles are built for: none for 1 bit.
std::vector<double> drop_volumes(const ScreenSpec& spec)
{
    if (spec.bits == 1)
        return {};
    if (spec.drop_volumes.empty())
        return {1.0, 2.0, 3.0};
    return spec.drop_volumes;
}

// The blue-noise tile of one ink: its own matrix, shifted when the
// matrices of the set are used up.
ThresholdTile blue_noise_tile(int ink, const std::vector<double>& volumes,
                              const std::filesystem::path& profile_dir)
{
    const auto& set = blue_noise_set(profile_dir / "screens",
                                     blue_noise_size, blue_noise_count);
    const RankMatrix& m = set[ink % set.size()];
    std::vector<uint32_t> ranks(m.ranks.begin(), m.ranks.end());
    ThresholdTile tile = make_threshold_tile(m.size, m.size, ranks, volumes);
    int round = ink / int(set.size());
    tile.phase_x = (round * 53) % m.size;
    tile.phase_y = (round * 89) % m.size;
    return tile;
}

std::unique_ptr<InkScreen> make_ink(const std::string& type, int ink,
                                    const ScreenSpec& spec,
                                    const std::filesystem::path& profile_dir,
                                    bool simd)
{
    if (type == "bluenoise")
        return make_threshold_screen(
            blue_noise_tile(ink, drop_volumes(spec), profile_dir), simd);
    bad_spec("unknown screen type '" + type +
             "' (known: bluenoise, am, fs, jarvis)");
}

// Drop volumes: three for 2 bits, positive and strictly increasing.
void check_volumes(const ScreenSpec& spec)
{
    const auto& v = spec.drop_volumes;
    if (spec.bits == 1) {
        if (v.size() > 1)
            bad_spec("drop_volumes lists " + std::to_string(v.size()) +
                     " drops but bits = 1 has one");
        return;
    }
    if (v.empty())
        return;
    if (v.size() != 3)
        bad_spec("drop_volumes needs 3 values for bits = 2 (small, medium, "
                 "large), got " + std::to_string(v.size()));
    for (size_t i = 0; i < v.size(); ++i) {
        if (!(v[i] > 0) || !std::isfinite(v[i]))
            bad_spec("drop_volumes[" + std::to_string(i) + "] = " +
                     std::to_string(v[i]) + " is not a positive volume");
        if (i > 0 && !(v[i] > v[i - 1]))
            bad_spec("drop_volumes must increase, but drop " +
                     std::to_string(i) + " (" + std::to_string(v[i]) +
                     ") is not larger than drop " + std::to_string(i - 1) +
                     " (" + std::to_string(v[i - 1]) + ")");
    }
}

void check_spec(const ScreenSpec& spec, int ink_count, double xdpi,
                double ydpi)
{
    if (ink_count < 1 || ink_count > 64)
        bad_spec("ink count " + std::to_string(ink_count) +
                 " is outside 1..64");
    if (!(xdpi > 0) || !(ydpi > 0))
        bad_spec("resolution must be positive");
    if (spec.bits != 1 && spec.bits != 2)
        bad_spec("bits = " + std::to_string(spec.bits) +
                 ", this build screens 1 or 2 bits per dot");
    check_volumes(spec);
}

} // namespace

Screener::~Screener() = default;

std::unique_ptr<Screener> Screener::create(
    const ScreenSpec& spec, int ink_count, double xdpi, double ydpi,
    const std::filesystem::path& profile_dir, bool simd)
{
    check_spec(spec, ink_count, xdpi, ydpi);
    std::vector<std::unique_ptr<InkScreen>> inks;
    for (int ink = 0; ink < ink_count; ++ink) {
        std::string type = spec.type;
        if (ink < int(spec.ink_types.size()) && !spec.ink_types[ink].empty())
            type = spec.ink_types[ink];
        inks.push_back(make_ink(type, ink, spec, profile_dir, simd));
    }
    return std::make_unique<InkScreener>(spec.bits, std::move(inks));
}

} // namespace ripline::screen
