// SPDX-License-Identifier: AGPL-3.0-or-later
// Screener::create: checks a ScreenSpec and builds one InkScreen per ink.
#include "core/screen/screen.hpp"

#include "core/common/error.hpp"
#include "core/screen/am.hpp"
#include "core/screen/ink_screen.hpp"
#include "core/screen/matrix.hpp"

#include <cmath>
#include <cstdio>

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

    void screen_plane(int ink, const uint8_t* contone, size_t contone_stride,
                      int width, int y, int rows, uint8_t* out,
                      size_t out_stride) const override
    {
        check_ink(ink);
        inks_[ink]->screen(contone, contone_stride, width, y, rows, out,
                           out_stride);
    }

    void screen_plane16(int ink, const uint16_t* contone, size_t contone_stride,
                        int width, int y, int rows, uint8_t* out,
                        size_t out_stride) const override
    {
        check_ink(ink);
        inks_[ink]->screen16(contone, contone_stride, width, y, rows, out,
                             out_stride);
    }

    std::string describe() const override
    {
        std::string text = std::to_string(bits_) + " bit";
        for (size_t ink = 0; ink < inks_.size(); ++ink)
            text += (ink ? "; ink " : ": ink ") + std::to_string(ink) + " " +
                    inks_[ink]->description;
        return text;
    }

private:
    void check_ink(int ink) const
    {
        if (ink < 0 || ink >= int(inks_.size()))
            throw Error(RL_ERROR_INTERNAL, Stage::screen,
                        "ink " + std::to_string(ink) + " of " +
                            std::to_string(inks_.size()) + " screened");
    }

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
    const auto& set = blue_noise_set(profile_dir / "screens", blue_noise_size,
                                     blue_noise_count);
    const RankMatrix& m = set[ink % set.size()];
    std::vector<uint32_t> ranks(m.ranks.begin(), m.ranks.end());
    ThresholdTile tile = make_threshold_tile(m.size, m.size, ranks, volumes);
    int round = ink / int(set.size());
    tile.phase_x = (round * 53) % m.size;
    tile.phase_y = (round * 89) % m.size;
    return tile;
}

// The AM ruling: the print mode's, or dpi / 12 (60 lpi at 720 dpi).
double am_lpi(const ScreenSpec& spec, double xdpi, double ydpi)
{
    return spec.lpi == 0 ? std::min(xdpi, ydpi) / 12 : spec.lpi;
}

// The AM angle of one ink: the print mode's list cycled over the inks,
// or the classic C 15, M 75, Y 0, K 45 degrees.
double am_angle(const ScreenSpec& spec, int ink)
{
    static const double classic[] = {15, 75, 0, 45};
    if (spec.angles_deg.empty())
        return classic[ink % 4];
    return spec.angles_deg[ink % spec.angles_deg.size()];
}

DotShape dot_shape(const ScreenSpec& spec)
{
    if (spec.dot_shape == "round")
        return DotShape::round;
    if (spec.dot_shape == "elliptical")
        return DotShape::elliptical;
    bad_spec("unknown dot_shape '" + spec.dot_shape +
             "' (known: round, elliptical)");
}

ThresholdTile am_tile(int ink, const ScreenSpec& spec, double xdpi, double ydpi,
                      std::string& description)
{
    AmTile am = make_am_tile(am_lpi(spec, xdpi, ydpi), am_angle(spec, ink),
                             dot_shape(spec), xdpi, ydpi);
    char text[160];
    std::snprintf(
        text, sizeof text, "am %s %.2f lpi at %.2f deg (%d x %d dot tile)",
        spec.dot_shape.c_str(), am.lpi, am.angle_deg, am.width, am.height);
    description = text;
    ThresholdTile tile =
        make_threshold_tile(am.width, am.height, am.ranks, drop_volumes(spec));
    tile.shift_x = am.shift_x;
    return tile;
}

// The drop tones error diffusion chooses from, on the 0..255 scale.
std::vector<double> diffusion_tones(const ScreenSpec& spec)
{
    std::vector<double> volumes = drop_volumes(spec);
    if (volumes.empty())
        return {0, 255};
    return {0, 255 * volumes[0] / volumes[2], 255 * volumes[1] / volumes[2],
            255};
}

std::unique_ptr<InkScreen>
make_ink(const std::string& type, int ink, const ScreenSpec& spec, double xdpi,
         double ydpi, const std::filesystem::path& profile_dir, bool simd)
{
    std::unique_ptr<InkScreen> screen;
    std::string description = type;
    if (type == "bluenoise")
        screen = make_threshold_screen(
            blue_noise_tile(ink, drop_volumes(spec), profile_dir), simd);
    else if (type == "am")
        screen = make_threshold_screen(
            am_tile(ink, spec, xdpi, ydpi, description), simd);
    else if (type == "fs" || type == "jarvis")
        screen = make_diffusion_screen(
            type == "fs" ? Diffusion::floyd_steinberg : Diffusion::jarvis,
            diffusion_tones(spec), blue_noise_tile(ink, {}, profile_dir));
    if (screen) {
        screen->description = description;
        return screen;
    }
    bad_spec("unknown screen type '" + type + "' for ink " +
             std::to_string(ink) + " (known: bluenoise, am, fs, jarvis)");
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
                 "large), got " +
                 std::to_string(v.size()));
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

void check_spec(const ScreenSpec& spec, int ink_count, double xdpi, double ydpi)
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
    dot_shape(spec);
    if (spec.lpi < 0 || !std::isfinite(spec.lpi))
        bad_spec("lpi = " + std::to_string(spec.lpi) +
                 " must be positive (or 0 for the default)");
    for (size_t i = 0; i < spec.angles_deg.size(); ++i)
        if (!std::isfinite(spec.angles_deg[i]))
            bad_spec("angles_deg[" + std::to_string(i) + "] is not a number");
}

} // namespace

Screener::~Screener() = default;

std::unique_ptr<Screener>
Screener::create(const ScreenSpec& spec, int ink_count, double xdpi,
                 double ydpi, const std::filesystem::path& profile_dir,
                 bool simd)
{
    check_spec(spec, ink_count, xdpi, ydpi);
    std::vector<std::unique_ptr<InkScreen>> inks;
    for (int ink = 0; ink < ink_count; ++ink) {
        std::string type = spec.type;
        if (ink < int(spec.ink_types.size()) && !spec.ink_types[ink].empty())
            type = spec.ink_types[ink];
        inks.push_back(
            make_ink(type, ink, spec, xdpi, ydpi, profile_dir, simd));
    }
    return std::make_unique<InkScreener>(spec.bits, std::move(inks));
}

} // namespace ripline::screen
