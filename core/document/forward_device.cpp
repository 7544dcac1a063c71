// SPDX-License-Identifier: AGPL-3.0-or-later
// ForwardDevice: each callback passes its call on to the target as is.
#include "core/document/forward_device.hpp"

namespace ripline::document {

namespace {

fz_device* to(fz_device* dev)
{
    return forward_target(dev);
}

void fill_path(fz_context* ctx, fz_device* dev, const fz_path* path,
               int even_odd, fz_matrix ctm, fz_colorspace* cs,
               const float* color, float alpha, fz_color_params params)
{
    fz_fill_path(ctx, to(dev), path, even_odd, ctm, cs, color, alpha, params);
}

void stroke_path(fz_context* ctx, fz_device* dev, const fz_path* path,
                 const fz_stroke_state* stroke, fz_matrix ctm,
                 fz_colorspace* cs, const float* color, float alpha,
                 fz_color_params params)
{
    fz_stroke_path(ctx, to(dev), path, stroke, ctm, cs, color, alpha,
                   params);
}

void clip_path(fz_context* ctx, fz_device* dev, const fz_path* path,
               int even_odd, fz_matrix ctm, fz_rect scissor)
{
    fz_clip_path(ctx, to(dev), path, even_odd, ctm, scissor);
}

void clip_stroke_path(fz_context* ctx, fz_device* dev, const fz_path* path,
                      const fz_stroke_state* stroke, fz_matrix ctm,
                      fz_rect scissor)
{
    fz_clip_stroke_path(ctx, to(dev), path, stroke, ctm, scissor);
}

void fill_text(fz_context* ctx, fz_device* dev, const fz_text* text,
               fz_matrix ctm, fz_colorspace* cs, const float* color,
               float alpha, fz_color_params params)
{
    fz_fill_text(ctx, to(dev), text, ctm, cs, color, alpha, params);
}

void stroke_text(fz_context* ctx, fz_device* dev, const fz_text* text,
                 const fz_stroke_state* stroke, fz_matrix ctm,
                 fz_colorspace* cs, const float* color, float alpha,
                 fz_color_params params)
{
    fz_stroke_text(ctx, to(dev), text, stroke, ctm, cs, color, alpha,
                   params);
}

void clip_text(fz_context* ctx, fz_device* dev, const fz_text* text,
               fz_matrix ctm, fz_rect scissor)
{
    fz_clip_text(ctx, to(dev), text, ctm, scissor);
}

void clip_stroke_text(fz_context* ctx, fz_device* dev, const fz_text* text,
                      const fz_stroke_state* stroke, fz_matrix ctm,
                      fz_rect scissor)
{
    fz_clip_stroke_text(ctx, to(dev), text, stroke, ctm, scissor);
}

void ignore_text(fz_context* ctx, fz_device* dev, const fz_text* text,
                 fz_matrix ctm)
{
    fz_ignore_text(ctx, to(dev), text, ctm);
}

void fill_shade(fz_context* ctx, fz_device* dev, fz_shade* shade,
                fz_matrix ctm, float alpha, fz_color_params params)
{
    fz_fill_shade(ctx, to(dev), shade, ctm, alpha, params);
}

void fill_image(fz_context* ctx, fz_device* dev, fz_image* image,
                fz_matrix ctm, float alpha, fz_color_params params)
{
    fz_fill_image(ctx, to(dev), image, ctm, alpha, params);
}

void fill_image_mask(fz_context* ctx, fz_device* dev, fz_image* image,
                     fz_matrix ctm, fz_colorspace* cs, const float* color,
                     float alpha, fz_color_params params)
{
    fz_fill_image_mask(ctx, to(dev), image, ctm, cs, color, alpha, params);
}

void clip_image_mask(fz_context* ctx, fz_device* dev, fz_image* image,
                     fz_matrix ctm, fz_rect scissor)
{
    fz_clip_image_mask(ctx, to(dev), image, ctm, scissor);
}

void pop_clip(fz_context* ctx, fz_device* dev)
{
    fz_pop_clip(ctx, to(dev));
}

void begin_mask(fz_context* ctx, fz_device* dev, fz_rect area,
                int luminosity, fz_colorspace* cs, const float* backdrop,
                fz_color_params params)
{
    fz_begin_mask(ctx, to(dev), area, luminosity, cs, backdrop, params);
}

void end_mask(fz_context* ctx, fz_device* dev)
{
    fz_end_mask(ctx, to(dev));
}

void begin_group(fz_context* ctx, fz_device* dev, fz_rect area,
                 fz_colorspace* cs, int isolated, int knockout,
                 int blendmode, float alpha)
{
    fz_begin_group(ctx, to(dev), area, cs, isolated, knockout, blendmode,
                   alpha);
}

void end_group(fz_context* ctx, fz_device* dev)
{
    fz_end_group(ctx, to(dev));
}

int begin_tile(fz_context* ctx, fz_device* dev, fz_rect area, fz_rect view,
               float xstep, float ystep, fz_matrix ctm, int id)
{
    return fz_begin_tile_id(ctx, to(dev), area, view, xstep, ystep, ctm, id);
}

void end_tile(fz_context* ctx, fz_device* dev)
{
    fz_end_tile(ctx, to(dev));
}

void render_flags(fz_context* ctx, fz_device* dev, int set, int clear)
{
    fz_render_flags(ctx, to(dev), set, clear);
}

void set_default_colorspaces(fz_context* ctx, fz_device* dev,
                             fz_default_colorspaces* defaults)
{
    fz_set_default_colorspaces(ctx, to(dev), defaults);
}

void begin_layer(fz_context* ctx, fz_device* dev, const char* name)
{
    fz_begin_layer(ctx, to(dev), name);
}

void end_layer(fz_context* ctx, fz_device* dev)
{
    fz_end_layer(ctx, to(dev));
}

}  // namespace

void forward_all(fz_device* dev)
{
    dev->fill_path = fill_path;
    dev->stroke_path = stroke_path;
    dev->clip_path = clip_path;
    dev->clip_stroke_path = clip_stroke_path;
    dev->fill_text = fill_text;
    dev->stroke_text = stroke_text;
    dev->clip_text = clip_text;
    dev->clip_stroke_text = clip_stroke_text;
    dev->ignore_text = ignore_text;
    dev->fill_shade = fill_shade;
    dev->fill_image = fill_image;
    dev->fill_image_mask = fill_image_mask;
    dev->clip_image_mask = clip_image_mask;
    dev->pop_clip = pop_clip;
    dev->begin_mask = begin_mask;
    dev->end_mask = end_mask;
    dev->begin_group = begin_group;
    dev->end_group = end_group;
    dev->begin_tile = begin_tile;
    dev->end_tile = end_tile;
    dev->render_flags = render_flags;
    dev->set_default_colorspaces = set_default_colorspaces;
    dev->begin_layer = begin_layer;
    dev->end_layer = end_layer;
}

}  // namespace ripline::document
