// SPDX-License-Identifier: AGPL-3.0-or-later
// Ink bounds: a device in front of MuPDF's bounding-box device that drops
// white and invisible solid paint, so that a page's white background
// does not count as content.
#include "core/document/ink_bounds.hpp"

#include "core/document/forward_device.hpp"

namespace ripline::document {

namespace {

fz_device* target(fz_device* dev)
{
    return forward_target(dev);
}

// True when the colour leaves the paper as it is: no opacity, or white
// (every colorant off; gray, RGB or Lab at full lightness).
bool leaves_paper(fz_context* ctx, fz_colorspace* cs, const float* color,
                  float alpha, fz_color_params params)
{
    if (alpha <= 0)
        return true;
    if (!cs)
        return false;
    float gray = 0;
    fz_convert_color(ctx, cs, color, fz_device_gray(ctx), &gray, nullptr,
                     params);
    return gray >= 0.999f;
}

void fill_path(fz_context* ctx, fz_device* dev, const fz_path* path,
               int even_odd, fz_matrix ctm, fz_colorspace* cs,
               const float* color, float alpha, fz_color_params params)
{
    if (!leaves_paper(ctx, cs, color, alpha, params))
        fz_fill_path(ctx, target(dev), path, even_odd, ctm, cs, color, alpha,
                     params);
}

void stroke_path(fz_context* ctx, fz_device* dev, const fz_path* path,
                 const fz_stroke_state* stroke, fz_matrix ctm,
                 fz_colorspace* cs, const float* color, float alpha,
                 fz_color_params params)
{
    if (!leaves_paper(ctx, cs, color, alpha, params))
        fz_stroke_path(ctx, target(dev), path, stroke, ctm, cs, color, alpha,
                       params);
}

void fill_text(fz_context* ctx, fz_device* dev, const fz_text* text,
               fz_matrix ctm, fz_colorspace* cs, const float* color,
               float alpha, fz_color_params params)
{
    if (!leaves_paper(ctx, cs, color, alpha, params))
        fz_fill_text(ctx, target(dev), text, ctm, cs, color, alpha, params);
}

void stroke_text(fz_context* ctx, fz_device* dev, const fz_text* text,
                 const fz_stroke_state* stroke, fz_matrix ctm,
                 fz_colorspace* cs, const float* color, float alpha,
                 fz_color_params params)
{
    if (!leaves_paper(ctx, cs, color, alpha, params))
        fz_stroke_text(ctx, target(dev), text, stroke, ctm, cs, color, alpha,
                       params);
}

void fill_image_mask(fz_context* ctx, fz_device* dev, fz_image* image,
                     fz_matrix ctm, fz_colorspace* cs, const float* color,
                     float alpha, fz_color_params params)
{
    if (!leaves_paper(ctx, cs, color, alpha, params))
        fz_fill_image_mask(ctx, target(dev), image, ctm, cs, color, alpha,
                           params);
}

fz_device* new_ink_device(fz_context* ctx, fz_device* bbox)
{
    ForwardDevice* d = fz_new_derived_device(ctx, ForwardDevice);
    d->target = bbox;
    fz_device* dev = &d->super;
    forward_all(dev);
    dev->fill_path = fill_path;
    dev->stroke_path = stroke_path;
    dev->fill_text = fill_text;
    dev->stroke_text = stroke_text;
    dev->fill_image_mask = fill_image_mask;
    return dev;
}

}  // namespace

fz_rect ink_bounds(fz_context* ctx, fz_display_list* list)
{
    fz_rect marks = fz_empty_rect;
    fz_device* bbox = fz_new_bbox_device(ctx, &marks);
    fz_device* ink = nullptr;
    fz_var(ink);
    fz_try(ctx)
    {
        ink = new_ink_device(ctx, bbox);
        fz_run_display_list(ctx, list, ink, fz_identity, fz_infinite_rect,
                            nullptr);
        fz_close_device(ctx, ink);
        fz_close_device(ctx, bbox);
    }
    fz_always(ctx)
    {
        fz_drop_device(ctx, ink);
        fz_drop_device(ctx, bbox);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
    return marks;
}

}  // namespace ripline::document
