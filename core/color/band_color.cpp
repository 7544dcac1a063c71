// SPDX-License-Identifier: AGPL-3.0-or-later
// BandColor: process spots overprinted, the ink chain, spot inks added,
// white under them too, then choke and spread; at 8 or 16 bits.
#include "core/color/band_color.hpp"

#include "core/color/engine.hpp"

#include <algorithm>

namespace ripline::color {

BandColor::BandColor(const PrintMode& mode, const Profile& output)
    : mode_(mode), chain_(std::make_unique<InkChain>(mode)),
      mapper_(std::make_unique<SpotMapper>(mode.spots, mode, output))
{
}

BandColor::~BandColor() = default;

void BandColor::add_spot(const std::string& name,
                         std::optional<std::array<double, 3>> alternate_lab)
{
    plans_.push_back(mapper_->plan(name, alternate_lab));
}

SpotPlan BandColor::plan_for(const std::string& name) const
{
    return mapper_->plan(name, std::nullopt);
}

bool BandColor::is_cut(int spot) const
{
    return plans_.at(spot).action == SpotAction::cut;
}

void BandColor::run(uint8_t* const* process, ptrdiff_t process_stride,
                    const SpotPlane* spots, uint8_t* const* inks,
                    ptrdiff_t ink_stride, int width, int rows) const
{
    overprint_process_spots(process, process_stride, spots, width, rows);
    chain_->apply(process, process_stride, inks, ink_stride, width, rows);
    add_spot_inks(spots, inks, ink_stride, width, rows);
}

void BandColor::run(uint8_t* const* process, ptrdiff_t process_stride,
                    const SpotPlane* spots, uint16_t* const* wide,
                    uint16_t* const* inks, ptrdiff_t ink_stride, int width,
                    int rows) const
{
    overprint_process_spots(process, process_stride, spots, width, rows);

    // 8-bit v becomes v * 257: 0 and 255 stay none and full ink.
    const int channels = int(mode_.profile_inks.size());
    for (int c = 0; c < channels; ++c)
        for (int y = 0; y < rows; ++y) {
            const uint8_t* in = process[c] + y * process_stride;
            uint16_t* out = wide[c] + y * ink_stride;
            for (int x = 0; x < width; ++x)
                out[x] = uint16_t(in[x] * 257);
        }
    chain_->apply(wide, ink_stride, inks, ink_stride, width, rows);
    add_spot_inks(spots, inks, ink_stride, width, rows);
}

// Spots printed with process inks overprint the process channels.
void BandColor::overprint_process_spots(uint8_t* const* process,
                                        ptrdiff_t process_stride,
                                        const SpotPlane* spots, int width,
                                        int rows) const
{
    const int channels = int(mode_.profile_inks.size());
    std::vector<uint8_t*> row(channels);
    for (size_t s = 0; s < plans_.size(); ++s) {
        const SpotPlan& plan = plans_[s];
        if (plan.action == SpotAction::ink || !plan.printed())
            continue;
        for (int y = 0; y < rows; ++y) {
            for (int c = 0; c < channels; ++c)
                row[c] = process[c] + y * process_stride;
            SpotMapper::compose_process(plan, spots[s].plane
                                                  + y * spots[s].stride,
                                        row.data(), size_t(width));
        }
    }
}

// Spots that have their own ink, within the limits, then the layers.
template <typename T>
void BandColor::add_spot_inks(const SpotPlane* spots, T* const* inks,
                              ptrdiff_t ink_stride, int width,
                              int rows) const
{
    bool limited_spot = false;
    for (size_t s = 0; s < plans_.size(); ++s) {
        if (plans_[s].action != SpotAction::ink)
            continue;
        add_ink_spot(plans_[s], spots[s], inks, ink_stride, width, rows);
        limited_spot |= chain_->limits_ink(plans_[s].ink);
    }
    if (limited_spot)
        chain_->limit_spot_inks(inks, ink_stride, width, rows);
    chain_->shape_layers(inks, ink_stride, width, rows);
}

// A spot's own ink; white under colour also goes under it.
template <typename T>
void BandColor::add_ink_spot(const SpotPlan& plan, const SpotPlane& spot,
                             T* const* inks, ptrdiff_t ink_stride, int width,
                             int rows) const
{
    const double full = sizeof(T) == 1 ? 255 : 65535;
    const LayerRule* layers[2] = {&mode_.white, &mode_.varnish};
    for (int y = 0; y < rows; ++y) {
        const uint8_t* tint = spot.plane + y * spot.stride;
        T* ink = inks[plan.ink] + y * ink_stride;
        SpotMapper::add_to_ink(plan, tint, ink, size_t(width));
        for (const LayerRule* rule : layers) {
            if (rule->source != LayerSource::under_colour
                || rule->ink == plan.ink)
                continue;
            T threshold = T(rule->threshold * full + 0.5);
            T amount = T(std::min(rule->amount, 1.0) * full + 0.5);
            T* layer = inks[rule->ink] + y * ink_stride;
            for (int x = 0; x < width; ++x)
                if (ink[x] >= std::max<T>(threshold, 1))
                    layer[x] = std::max(layer[x], amount);
        }
    }
}

}  // namespace ripline::color
