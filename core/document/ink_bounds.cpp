// SPDX-License-Identifier: AGPL-3.0-or-later
// Ink bounds: a device in front of MuPDF's bounding-box device that drops
// white and invisible solid paint, so that a page's white background
// does not count as content.
#include "core/document/ink_bounds.hpp"

namespace ripline::document {

namespace {

struct InkDevice {
    fz_device super;
    fz_device* bbox;
};

fz_device* target(fz_device* dev)
{
    return reinterpret_cast<InkDevice*>(dev)->bbox;
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

// Everything else passes through unchanged.

void fill_image(fz_context* ctx, fz_device* dev, fz_image* image,
                fz_matrix ctm, float alpha, fz_color_params params)
{
    fz_fill_image(ctx, target(dev), image, ctm, alpha, params);
}

void fill_shade(fz_context* ctx, fz_device* dev, fz_shade* shade,
                fz_matrix ctm, float alpha, fz_color_params params)
{
    fz_fill_shade(ctx, target(dev), shade, ctm, alpha, params);
}

void clip_path(fz_context* ctx, fz_device* dev, const fz_path* path,
               int even_odd, fz_matrix ctm, fz_rect scissor)
{
    fz_clip_path(ctx, target(dev), path, even_odd, ctm, scissor);
}

void clip_stroke_path(fz_context* ctx, fz_device* dev, const fz_path* path,
                      const fz_stroke_state* stroke, fz_matrix ctm,
                      fz_rect scissor)
{
    fz_clip_stroke_path(ctx, target(dev), path, stroke, ctm, scissor);
}

void clip_text(fz_context* ctx, fz_device* dev, const fz_text* text,
               fz_matrix ctm, fz_rect scissor)
{
    fz_clip_text(ctx, target(dev), text, ctm, scissor);
}

void clip_stroke_text(fz_context* ctx, fz_device* dev, const fz_text* text,
                      const fz_stroke_state* stroke, fz_matrix ctm,
                      fz_rect scissor)
{
    fz_clip_stroke_text(ctx, target(dev), text, stroke, ctm, scissor);
}

void clip_image_mask(fz_context* ctx, fz_device* dev, fz_image* image,
                     fz_matrix ctm, fz_rect scissor)
{
    fz_clip_image_mask(ctx, target(dev), image, ctm, scissor);
}

void pop_clip(fz_context* ctx, fz_device* dev)
{
    fz_pop_clip(ctx, target(dev));
}

void begin_mask(fz_context* ctx, fz_device* dev, fz_rect area,
                int luminosity, fz_colorspace* cs, const float* backdrop,
                fz_color_params params)
{
    fz_begin_mask(ctx, target(dev), area, luminosity, cs, backdrop, params);
}

void end_mask(fz_context* ctx, fz_device* dev)
{
    fz_end_mask(ctx, target(dev));
}

void begin_group(fz_context* ctx, fz_device* dev, fz_rect area,
                 fz_colorspace* cs, int isolated, int knockout,
                 int blendmode, float alpha)
{
    fz_begin_group(ctx, target(dev), area, cs, isolated, knockout,
                   blendmode, alpha);
}

void end_group(fz_context* ctx, fz_device* dev)
{
    fz_end_group(ctx, target(dev));
}

int begin_tile(fz_context* ctx, fz_device* dev, fz_rect area, fz_rect view,
               float xstep, float ystep, fz_matrix ctm, int id)
{
    return fz_begin_tile_id(ctx, target(dev), area, view, xstep, ystep, ctm,
                            id);
}

void end_tile(fz_context* ctx, fz_device* dev)
{
    fz_end_tile(ctx, target(dev));
}

fz_device* new_ink_device(fz_context* ctx, fz_device* bbox)
{
    InkDevice* d = fz_new_derived_device(ctx, InkDevice);
    d->bbox = bbox;
    fz_device* dev = &d->super;
    dev->fill_path = fill_path;
    dev->stroke_path = stroke_path;
    dev->fill_text = fill_text;
    dev->stroke_text = stroke_text;
    dev->fill_image_mask = fill_image_mask;
    dev->fill_image = fill_image;
    dev->fill_shade = fill_shade;
    dev->clip_path = clip_path;
    dev->clip_stroke_path = clip_stroke_path;
    dev->clip_text = clip_text;
    dev->clip_stroke_text = clip_stroke_text;
    dev->clip_image_mask = clip_image_mask;
    dev->pop_clip = pop_clip;
    dev->begin_mask = begin_mask;
    dev->end_mask = end_mask;
    dev->begin_group = begin_group;
    dev->end_group = end_group;
    dev->begin_tile = begin_tile;
    dev->end_tile = end_tile;
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
