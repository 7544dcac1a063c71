// SPDX-License-Identifier: AGPL-3.0-or-later
// Spot channels: finding a render's spot colorants, planning each one,
// and the MuPDF separations that carry the planes through the band.
#include "core/raster/spot_channels.hpp"

#include "core/color/band_color.hpp"
#include "core/color/print_mode.hpp"
#include "core/common/error.hpp"
#include "core/document/icc_spaces.hpp"

#include <algorithm>
#include <cstring>

namespace ripline::raster {

namespace {

// A band pixel holds CMYK and the spot planes in FZ_MAX_COLORS channels.
constexpr int max_planes = FZ_MAX_COLORS - 4;

// ---- the listing device ------------------------------------------------

struct ListingDevice {
    fz_device super;
    std::vector<std::string>* names;
};

void note_space(fz_context* ctx, fz_device* dev, fz_colorspace* cs)
{
    auto* d = reinterpret_cast<ListingDevice*>(dev);
    while (cs && cs->type == FZ_COLORSPACE_INDEXED)
        cs = cs->u.indexed.base;
    // ICC-based spaces tagged as DeviceN (icc_spaces.hpp) are no spots.
    if (!cs || cs->type != FZ_COLORSPACE_SEPARATION ||
        document::icc_tag(cs) >= 0)
        return;
    for (int i = 0; i < cs->n; i++) {
        const char* name = fz_colorspace_colorant(ctx, cs, i);
        if (!name || !strcmp(name, "None") || !strcmp(name, "All"))
            continue;
        if (std::find(d->names->begin(), d->names->end(), name) ==
            d->names->end())
            d->names->push_back(name);
    }
}

void list_fill_path(fz_context* ctx, fz_device* dev, const fz_path*, int,
                    fz_matrix, fz_colorspace* cs, const float*, float,
                    fz_color_params)
{
    note_space(ctx, dev, cs);
}

void list_stroke_path(fz_context* ctx, fz_device* dev, const fz_path*,
                      const fz_stroke_state*, fz_matrix, fz_colorspace* cs,
                      const float*, float, fz_color_params)
{
    note_space(ctx, dev, cs);
}

void list_fill_text(fz_context* ctx, fz_device* dev, const fz_text*,
                    fz_matrix, fz_colorspace* cs, const float*, float,
                    fz_color_params)
{
    note_space(ctx, dev, cs);
}

void list_stroke_text(fz_context* ctx, fz_device* dev, const fz_text*,
                      const fz_stroke_state*, fz_matrix, fz_colorspace* cs,
                      const float*, float, fz_color_params)
{
    note_space(ctx, dev, cs);
}

void list_fill_image_mask(fz_context* ctx, fz_device* dev, fz_image*,
                          fz_matrix, fz_colorspace* cs, const float*, float,
                          fz_color_params)
{
    note_space(ctx, dev, cs);
}

void list_fill_image(fz_context* ctx, fz_device* dev, fz_image* image,
                     fz_matrix, float, fz_color_params)
{
    note_space(ctx, dev, image->colorspace);
}

void list_fill_shade(fz_context* ctx, fz_device* dev, fz_shade* shade,
                     fz_matrix, float, fz_color_params)
{
    note_space(ctx, dev, shade->colorspace);
}

}  // namespace

// ---- SpotChannels ------------------------------------------------------

SpotChannels::SpotChannels(fz_context* ctx) : ctx_(ctx) {}

SpotChannels::~SpotChannels()
{
    fz_drop_separations(ctx_, seps_);
}

void SpotChannels::add(SpotColorant colorant)
{
    if (colorant.use == ColorantUse::plane) {
        if (planes() == max_planes)
            throw Error(RL_ERROR_UNSUPPORTED, Stage::raster,
                        "more than " + std::to_string(max_planes) +
                            " spot colours print with their own ink; "
                            "'" + colorant.name + "' is one too many");
        colorant.plane = planes();

        // Spot behaviour: MuPDF paints the colorant into its own plane.
        fz_context* ctx = ctx_;
        fz_separations* seps = seps_;
        const char* name = colorant.name.c_str();
        const int index = colorant.plane;
        bool ok = true;
        fz_try(ctx)
        {
            if (!seps)
                seps = fz_new_separations(ctx, 1);
            fz_add_separation_equivalents(ctx, seps, 0, 0, name);
            fz_set_separation_behavior(ctx, seps, index,
                                       FZ_SEPARATION_SPOT);
        }
        fz_catch(ctx) { ok = false; }
        seps_ = seps;
        if (!ok)
            throw Error(RL_ERROR_NO_MEMORY, Stage::raster,
                        "cannot add the spot plane '" + colorant.name + "'");
        plane_names_.push_back(colorant.name);
    }
    colorants_.push_back(std::move(colorant));
}

const SpotColorant* SpotChannels::find(const char* name) const
{
    if (!name)
        return nullptr;
    for (const SpotColorant& c : colorants_)
        if (c.name == name)
            return &c;
    return nullptr;
}

// ---- finding and planning ----------------------------------------------

void collect_colorants(fz_context* ctx, fz_display_list* list,
                       std::vector<std::string>& names)
{
    ListingDevice* d = fz_new_derived_device(ctx, ListingDevice);
    d->names = &names;
    d->super.fill_path = list_fill_path;
    d->super.stroke_path = list_stroke_path;
    d->super.fill_text = list_fill_text;
    d->super.stroke_text = list_stroke_text;
    d->super.fill_image_mask = list_fill_image_mask;
    d->super.fill_image = list_fill_image;
    d->super.fill_shade = list_fill_shade;
    fz_try(ctx)
    {
        fz_run_display_list(ctx, list, &d->super, fz_identity,
                            fz_infinite_rect, nullptr);
        fz_close_device(ctx, &d->super);
    }
    fz_always(ctx) { fz_drop_device(ctx, &d->super); }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

void plan_spot_channels(const std::vector<std::string>& names,
                        const color::PrintMode& mode,
                        color::BandColor& band_color,
                        SpotChannels& channels)
{
    for (const std::string& name : names) {
        SpotColorant colorant;
        colorant.name = name;
        const color::SpotPlan plan = band_color.plan_for(name);
        switch (plan.action) {
        case color::SpotAction::ink:
            colorant.use = ColorantUse::plane;
            band_color.add_spot(name, std::nullopt);
            break;
        case color::SpotAction::process:
            colorant.use = ColorantUse::lab;
            for (int i = 0; i < 3; i++)
                colorant.lab[i] = float(mode.spots.find(name)->lab[i]);
            break;
        case color::SpotAction::cut:
        case color::SpotAction::ignore:
            colorant.use = ColorantUse::skip;
            break;
        case color::SpotAction::alternate:
            colorant.use = ColorantUse::alternate;
            break;
        }
        channels.add(std::move(colorant));
    }
}

}  // namespace ripline::raster
