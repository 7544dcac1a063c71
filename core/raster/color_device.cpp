// SPDX-License-Identifier: AGPL-3.0-or-later
// The colour device: per-object conversion of colours, images and
// shadings to device CMYK between MuPDF's interpreter and its painter.
//
// MuPDF unwinds errors with longjmp, so the callbacks here create no C++
// object with a destructor across a MuPDF call, and C++ exceptions from
// the colour engine are turned into fz_throw before MuPDF sees them.
#include "core/raster/color_device.hpp"

#include "core/document/forward_device.hpp"
#include "core/document/icc_spaces.hpp"
#include "core/raster/spot_paint.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <strings.h>

namespace ripline::raster {

namespace {

using color::Intent;
using color::ObjectClass;
using color::Space;

// Clips nested deeper than this are still applied by the draw device;
// the colour device only stops narrowing its own painting area.
constexpr int max_tracked_clips = 64;

struct ColorDevice : document::ForwardDevice {
    const ColorSetup* setup;
    fz_rect band;
    int mask_depth; // > 0 while a soft mask is being defined
    // Bounding boxes of the clips in force, so a shading is painted over
    // the area it can show through and not over the whole band.
    fz_rect clips[max_tracked_clips];
    int clip_depth;
    PaintSpaces spaces; // spot colours' DeviceN spaces, made on demand
};

ColorDevice* self(fz_device* dev)
{
    return reinterpret_cast<ColorDevice*>(dev);
}

// The area paint can reach now: the band within every tracked clip.
fz_rect clip_area(const ColorDevice* d)
{
    if (d->clip_depth == 0)
        return d->band;
    return d->clips[std::min(d->clip_depth, max_tracked_clips) - 1];
}

void push_clip(ColorDevice* d, fz_rect bounds)
{
    const fz_rect area = fz_intersect_rect(clip_area(d), bounds);
    if (d->clip_depth < max_tracked_clips)
        d->clips[d->clip_depth] = area;
    d->clip_depth++;
}

// What a solid colour becomes: painted in CMYK, or not painted at all.
enum class Paint { cmyk, skip, as_is };

// The colour space MuPDF resolves Indexed and Separation spaces into, and
// ours for it; nullopt for spaces we cannot manage.
std::optional<Space> space_of(fz_context* ctx, fz_colorspace* cs)
{
    switch (fz_colorspace_type(ctx, cs)) {
    case FZ_COLORSPACE_GRAY: return Space::gray;
    case FZ_COLORSPACE_RGB: return Space::rgb;
    case FZ_COLORSPACE_BGR: return Space::rgb;
    case FZ_COLORSPACE_CMYK: return Space::cmyk;
    case FZ_COLORSPACE_LAB: return Space::lab;
    default: return std::nullopt;
    }
}

fz_colorspace* base_of(fz_colorspace* cs)
{
    if (cs->type == FZ_COLORSPACE_INDEXED)
        return cs->u.indexed.base;
    if (cs->type == FZ_COLORSPACE_SEPARATION)
        return cs->u.separation.base;
    return nullptr;
}

// The embedded profile of CS when it is a tagged ICC-based space, whose
// values are those of its alternate (a device space of as many channels)
// read through that profile; null for any other space.
const color::Profile* tagged_profile(const ColorDevice* d, fz_colorspace* cs)
{
    const int tag = document::icc_tag(cs);
    const std::vector<color::Profile>* profiles = d->setup->icc_profiles;
    if (tag < 0 || !profiles || tag >= int(profiles->size()))
        return nullptr;
    return &(*profiles)[tag];
}

// Where the values of content in CS are converted from: the first tagged
// ICC-based space down its Indexed and Separation chain, or its root.
struct Source {
    fz_colorspace* level;  // the space the pixels are resolved to
    fz_colorspace* device; // the device space their values are in
    const color::Profile* embedded; // the level's profile, or null
};

Source source_of(const ColorDevice* d, fz_colorspace* cs)
{
    for (;;) {
        if (const color::Profile* embedded = tagged_profile(d, cs))
            return {cs, base_of(cs), embedded};
        fz_colorspace* base = base_of(cs);
        if (!base)
            return {cs, cs, nullptr};
        cs = base;
    }
}

// A space MuPDF's own painting may take where ours does not convert:
// tagged spaces become their device alternate, as without the tags.
fz_colorspace* untagged(const ColorDevice* d, fz_colorspace* cs)
{
    return cs && tagged_profile(d, cs) ? base_of(cs) : cs;
}

// A failure message kept in plain storage, so that fz_throw may unwind
// past it (longjmp runs no destructors).
struct Message {
    char text[512] = "";
};

// Run an engine call; returns false with MESSAGE set when it threw. The
// caller then passes the message on with fz_throw.
template <class Body>
bool engine_call(Message& message, Body&& body)
{
    try {
        body();
        return true;
    } catch (const std::exception& e) {
        std::snprintf(message.text, sizeof message.text, "%s", e.what());
        return false;
    }
}

bool is_named(fz_colorspace* cs, const char* name)
{
    return cs->n == 1 && cs->u.separation.colorant[0] &&
           strcasecmp(cs->u.separation.colorant[0], name) == 0;
}

// Turn VALUES, a colour in CS (Indexed or Separation), into its base
// space's values in place. Tints are evaluated directly, since MuPDF
// does not convert into a base that is itself a DeviceN space (as a
// tagged ICC-based space is).
void step_down(fz_context* ctx, fz_colorspace* cs, float* values,
               fz_color_params params)
{
    fz_colorspace* base = base_of(cs);
    float converted[FZ_MAX_COLORS];
    if (cs->type == FZ_COLORSPACE_SEPARATION)
        cs->u.separation.eval(ctx, cs->u.separation.tint, values, cs->n,
                              converted, base->n);
    else if (base->type == FZ_COLORSPACE_SEPARATION) {
        // Indexed over a DeviceN space: MuPDF passes the index over 255,
        // and the table holds 0..1 as bytes.
        const int index = std::clamp(int(std::lround(values[0] * 255)), 0,
                                     cs->u.indexed.high);
        for (int i = 0; i < base->n; i++)
            converted[i] =
                cs->u.indexed.lookup[index * base->n + i] / 255.0f;
    } else
        fz_convert_color(ctx, cs, values, base, converted, nullptr, params);
    std::memcpy(values, converted, sizeof(float) * base->n);
}

// Resolve a solid colour to device CMYK in OUT.
Paint convert_solid(fz_context* ctx, ColorDevice* dev, fz_colorspace* cs,
                    const float* in, fz_color_params params, float out[4])
{
    if (dev->mask_depth > 0 || !cs)
        return Paint::as_is;

    float values[FZ_MAX_COLORS];
    std::memcpy(values, in, sizeof(float) * std::min<int>(cs->n, FZ_MAX_COLORS));

    // Walk Indexed and Separation spaces down to a base space, through
    // MuPDF's tint transforms, watching for the spots that are special,
    // and stopping at an ICC-based space: its tint is the identity.
    const color::Profile* embedded = nullptr;
    while (fz_colorspace* base = base_of(cs)) {
        if ((embedded = tagged_profile(dev, cs))) {
            cs = base;
            break;
        }
        if (cs->type == FZ_COLORSPACE_SEPARATION) {
            if (is_named(cs, "None"))
                return Paint::skip;
            if (is_named(cs, "All")) {
                std::fill(out, out + 4, values[0]);
                return Paint::cmyk;
            }
            for (int i = 0; i < cs->n; i++)
                if (is_cut_name(*dev->setup, cs->u.separation.colorant[i]))
                    return Paint::skip;
        }
        step_down(ctx, cs, values, params);
        cs = base;
    }

    std::optional<Space> space = space_of(ctx, cs);
    if (!space)
        return Paint::as_is;
    if (cs->type == FZ_COLORSPACE_BGR)
        std::swap(values[0], values[2]);

    Message message;
    const color::Engine& engine = *dev->setup->engine;
    const color::EngineOptions& options = engine.options();
    const Intent intent = options.intent_for(*space, ObjectClass::vector);
    const color::Profile* profile =
        options.source_for(*space, ObjectClass::vector, embedded);
    if (!engine_call(message, [&] {
            engine.convert_color(*space, values, out, intent, profile);
        }))
        fz_throw(ctx, FZ_ERROR_GENERIC, "%s", message.text);
    return Paint::cmyk;
}

// The spot path's way to the alternate: the whole colour, walked down.
bool alternate_to_cmyk(fz_context* ctx, void* arg, fz_colorspace* cs,
                       const float* values, fz_color_params params,
                       float cmyk[4])
{
    ColorDevice* dev = static_cast<ColorDevice*>(arg);
    return convert_solid(ctx, dev, cs, values, params, cmyk) == Paint::cmyk;
}

// True, with SPOT set, when CS is a spot space the spot channels paint;
// false sends the colour down the plain path.
bool spot_solid(fz_context* ctx, ColorDevice* dev, fz_colorspace* cs,
                const float* in, fz_color_params params, SpotSolid& spot)
{
    if (dev->mask_depth > 0 || !is_spot_space(dev->setup->spots, cs))
        return false;
    resolve_spot_solid(ctx, *dev->setup, dev->spaces, cs, in, params,
                       alternate_to_cmyk, dev, spot);
    return true;
}

// Overprint mode (OPM) is for DeviceCMYK sources; a colour converted
// from another space and painted as device CMYK must not use it.
fz_color_params cmyk_params(fz_colorspace* source, fz_color_params params)
{
    if (!source || source->type != FZ_COLORSPACE_CMYK)
        params.opm = 0;
    return params;
}

// ---- images ------------------------------------------------------------

// Subsampling level (a power of two) at which IMAGE still has at least
// one source pixel per device pixel when drawn with CTM.
int subsample_level(fz_image* image, fz_matrix ctm)
{
    const float drawn_w = std::hypot(ctm.a, ctm.b);
    const float drawn_h = std::hypot(ctm.c, ctm.d);
    int level = 0;
    while (level < 6 && (image->w >> (level + 1)) >= drawn_w &&
           (image->h >> (level + 1)) >= drawn_h)
        level++;
    return level;
}

// Convert PIX (gray, RGB, CMYK or Lab, maybe with alpha) to a new CMYK
// pixmap, row by row, through TRANSFORM. Alpha is copied; colour is
// un-premultiplied around the transform when PREMULTIPLIED.
fz_pixmap* convert_pixmap(fz_context* ctx, fz_pixmap* pix,
                          const color::Transform& transform,
                          bool premultiplied)
{
    const int n = pix->n - pix->alpha;
    const int w = pix->w;
    fz_pixmap* out = fz_new_pixmap(ctx, fz_device_cmyk(ctx), w, pix->h,
                                   nullptr, pix->alpha);
    out->x = pix->x;
    out->y = pix->y;
    fz_try(ctx)
    {
        uint8_t* source = static_cast<uint8_t*>(fz_malloc(ctx, w * n));
        uint8_t* cmyk = static_cast<uint8_t*>(fz_malloc(ctx, w * 4));
        for (int y = 0; y < pix->h; y++) {
            const uint8_t* row = pix->samples + y * pix->stride;
            uint8_t* dst = out->samples + y * out->stride;
            for (int x = 0; x < w; x++) {
                const uint8_t* p = row + x * pix->n;
                const int a = pix->alpha ? p[n] : 255;
                for (int c = 0; c < n; c++)
                    source[x * n + c] =
                        premultiplied && a && a < 255
                            ? static_cast<uint8_t>(
                                  std::min(255, (p[c] * 255 + a / 2) / a))
                            : p[c];
            }
            if (pix->colorspace->type == FZ_COLORSPACE_BGR)
                for (int x = 0; x < w; x++)
                    std::swap(source[x * 3], source[x * 3 + 2]);
            transform.run(source, cmyk, w);
            for (int x = 0; x < w; x++) {
                uint8_t* d = dst + x * out->n;
                const int a = pix->alpha ? row[x * pix->n + n] : 255;
                for (int c = 0; c < 4; c++)
                    d[c] = premultiplied && a < 255
                               ? static_cast<uint8_t>(
                                     (cmyk[x * 4 + c] * a + 127) / 255)
                               : cmyk[x * 4 + c];
                if (pix->alpha)
                    d[4] = static_cast<uint8_t>(a);
            }
        }
        fz_free(ctx, source);
        fz_free(ctx, cmyk);
    }
    fz_catch(ctx)
    {
        fz_drop_pixmap(ctx, out);
        fz_rethrow(ctx);
    }
    return out;
}

// Resolve PIX down its Indexed and Separation chain to LEVEL (see
// Source); returns a new reference.
fz_pixmap* resolve_to(fz_context* ctx, fz_pixmap* pix, fz_colorspace* level)
{
    fz_pixmap* current = fz_keep_pixmap(ctx, pix);
    while (current->colorspace && current->colorspace != level &&
           base_of(current->colorspace)) {
        fz_pixmap* next = nullptr;
        fz_try(ctx)
        {
            if (current->colorspace->type == FZ_COLORSPACE_INDEXED)
                next = fz_convert_indexed_pixmap_to_base(ctx, current);
            else
                next = fz_convert_separation_pixmap_to_base(ctx, current);
        }
        fz_always(ctx) { fz_drop_pixmap(ctx, current); }
        fz_catch(ctx) { fz_rethrow(ctx); }
        current = next;
    }
    return current;
}

// The transform to device CMYK for content of class WHAT whose values
// are in SOURCE, or false with MESSAGE set.
bool find_transform(ColorDevice* dev, fz_context* ctx, const Source& source,
                    ObjectClass what, const color::Transform** transform,
                    Message& message)
{
    std::optional<Space> space = space_of(ctx, source.device);
    if (!space) {
        std::snprintf(message.text, sizeof message.text,
                      "cannot colour-manage content in %s",
                      fz_colorspace_name(ctx, source.device));
        return false;
    }
    const color::EngineOptions& options = dev->setup->engine->options();
    const Intent intent = options.intent_for(*space, what);
    const color::Profile* profile =
        options.source_for(*space, what, source.embedded);
    return engine_call(message, [&] {
        *transform =
            &dev->setup->engine->pixel_transform(*space, intent, profile);
    });
}

// Where an image's pixels convert from: an image file's embedded profile
// stands for the whole document.
Source image_source(ColorDevice* dev, fz_image* image)
{
    Source source = source_of(dev, image->colorspace);
    if (!source.embedded)
        source.embedded = dev->setup->image_profile;
    return source;
}

// True when MuPDF's own painting of IMAGE is already exact: CMYK that
// passes unchanged, or gray sent to K (MuPDF's gray to CMYK is K alone).
bool paints_as_is(ColorDevice* dev, fz_context* ctx, fz_image* image)
{
    fz_colorspace* cs = image->colorspace;
    if (!cs ||
        (cs->type != FZ_COLORSPACE_GRAY && cs->type != FZ_COLORSPACE_CMYK))
        return false;
    Message message;
    const color::Transform* transform = nullptr;
    if (!find_transform(dev, ctx, image_source(dev, image),
                        ObjectClass::image, &transform, message))
        return false;
    using Kind = color::Transform::Kind;
    return transform->kind() == Kind::cmyk_identity ||
           transform->kind() == Kind::gray_to_k;
}

// DECODED, an image in a spot space, as a new pixmap of the band's
// channels: its alternate colorants through TRANSFORM (their base's), the
// others as the spot channels say.
fz_pixmap* spot_image_pixmap(fz_context* ctx, ColorDevice* dev,
                             fz_pixmap* decoded,
                             const color::Transform& transform)
{
    const ColorSetup& setup = *dev->setup;
    fz_pixmap* source = nullptr;
    fz_pixmap* part = nullptr;
    fz_pixmap* base = nullptr;
    fz_pixmap* alternate = nullptr;
    fz_pixmap* result = nullptr;
    fz_var(source);
    fz_var(part);
    fz_var(base);
    fz_var(alternate);
    fz_var(result);
    fz_try(ctx)
    {
        source = decoded->colorspace->type == FZ_COLORSPACE_INDEXED
                     ? fz_convert_indexed_pixmap_to_base(ctx, decoded)
                     : fz_keep_pixmap(ctx, decoded);
        if (has_alternate_part(setup, source->colorspace)) {
            part = alternate_part(ctx, setup, source);
            base = resolve_to(ctx, part,
                              source_of(dev, part->colorspace).level);
            alternate = convert_pixmap(ctx, base, transform, false);
        }
        result = spot_pixmap(ctx, setup, dev->spaces, source, alternate);
    }
    fz_always(ctx)
    {
        fz_drop_pixmap(ctx, alternate);
        fz_drop_pixmap(ctx, base);
        fz_drop_pixmap(ctx, part);
        fz_drop_pixmap(ctx, source);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
    return result;
}

// A new reference to IMAGE converted to device CMYK at the level CTM
// needs, from the cache when another band converted it already.
fz_image* converted_image(fz_context* ctx, ColorDevice* dev, fz_image* image,
                          fz_matrix ctm)
{
    // A render converts each image of a document one way: the image and
    // its level are the cache's key.
    const int level = subsample_level(image, ctm);
    ImageCache& cache = *dev->setup->images;
    if (fz_image* hit = cache.find(ctx, image, level, 0))
        return hit;

    Message message;
    const color::Transform* transform = nullptr;
    const Source source = image_source(dev, image);
    if (!find_transform(dev, ctx, source, ObjectClass::image, &transform,
                        message))
        fz_throw(ctx, FZ_ERROR_GENERIC, "%s", message.text);

    // Decode at the drawn size, resolve Indexed/Separation, convert.
    fz_matrix decode_ctm = fz_scale(image->w >> level, image->h >> level);
    fz_pixmap* decoded = nullptr;
    fz_pixmap* base = nullptr;
    fz_pixmap* cmyk = nullptr;
    fz_image* result = nullptr;
    fz_var(decoded);
    fz_var(base);
    fz_var(cmyk);
    fz_try(ctx)
    {
        decoded = fz_get_pixmap_from_image(ctx, image, nullptr, &decode_ctm,
                                           nullptr, nullptr);
        if (is_spot_space(dev->setup->spots, image->colorspace)) {
            cmyk = spot_image_pixmap(ctx, dev, decoded, *transform);
        } else {
            base = resolve_to(ctx, decoded, source.level);
            cmyk = convert_pixmap(ctx, base, *transform, false);
        }
        cmyk->xres = decoded->xres;
        cmyk->yres = decoded->yres;
        fz_image* fresh = fz_new_image_from_pixmap(ctx, cmyk, image->mask);
        fresh->interpolate = image->interpolate;
        result = cache.store(ctx, image, level, 0, fresh);
        fz_drop_image(ctx, fresh);
    }
    fz_always(ctx)
    {
        fz_drop_pixmap(ctx, cmyk);
        fz_drop_pixmap(ctx, base);
        fz_drop_pixmap(ctx, decoded);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
    return result;
}

// ---- device callbacks --------------------------------------------------

#define FORWARD_COLOR(call, ...)                                          \
    do {                                                                  \
        SpotSolid spot;                                                   \
        if (spot_solid(ctx, d, cs, color, params, spot)) {                \
            if (spot.cs)                                                  \
                call(__VA_ARGS__, spot.cs, spot.values, alpha,            \
                     spot.params);                                        \
            return;                                                       \
        }                                                                 \
        float cmyk[4];                                                    \
        switch (convert_solid(ctx, d, cs, color, params, cmyk)) {         \
        case Paint::skip: return;                                         \
        case Paint::as_is: call(__VA_ARGS__, cs, color, alpha, params);   \
            return;                                                       \
        case Paint::cmyk:                                                 \
            call(__VA_ARGS__, fz_device_cmyk(ctx), cmyk, alpha,           \
                 cmyk_params(cs, params));                                \
            return;                                                       \
        }                                                                 \
    } while (0)

void fill_path(fz_context* ctx, fz_device* dev, const fz_path* path,
               int even_odd, fz_matrix ctm, fz_colorspace* cs,
               const float* color, float alpha, fz_color_params params)
{
    ColorDevice* d = self(dev);
    FORWARD_COLOR(fz_fill_path, ctx, d->target, path, even_odd, ctm);
}

void stroke_path(fz_context* ctx, fz_device* dev, const fz_path* path,
                 const fz_stroke_state* stroke, fz_matrix ctm,
                 fz_colorspace* cs, const float* color, float alpha,
                 fz_color_params params)
{
    ColorDevice* d = self(dev);
    FORWARD_COLOR(fz_stroke_path, ctx, d->target, path, stroke, ctm);
}

void fill_text(fz_context* ctx, fz_device* dev, const fz_text* text,
               fz_matrix ctm, fz_colorspace* cs, const float* color,
               float alpha, fz_color_params params)
{
    ColorDevice* d = self(dev);
    FORWARD_COLOR(fz_fill_text, ctx, d->target, text, ctm);
}

void stroke_text(fz_context* ctx, fz_device* dev, const fz_text* text,
                 const fz_stroke_state* stroke, fz_matrix ctm,
                 fz_colorspace* cs, const float* color, float alpha,
                 fz_color_params params)
{
    ColorDevice* d = self(dev);
    FORWARD_COLOR(fz_stroke_text, ctx, d->target, text, stroke, ctm);
}

void fill_image_mask(fz_context* ctx, fz_device* dev, fz_image* image,
                     fz_matrix ctm, fz_colorspace* cs, const float* color,
                     float alpha, fz_color_params params)
{
    ColorDevice* d = self(dev);
    FORWARD_COLOR(fz_fill_image_mask, ctx, d->target, image, ctm);
}

void fill_image(fz_context* ctx, fz_device* dev, fz_image* image,
                fz_matrix ctm, float alpha, fz_color_params params)
{
    ColorDevice* d = self(dev);
    if (d->mask_depth > 0 || paints_as_is(d, ctx, image)) {
        fz_fill_image(ctx, d->target, image, ctm, alpha, params);
        return;
    }
    fz_image* converted = converted_image(ctx, d, image, ctm);
    fz_try(ctx)
    {
        fz_fill_image(ctx, d->target, converted, ctm, alpha, params);
    }
    fz_always(ctx) { fz_drop_image(ctx, converted); }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

// Paint SHADE over the band in its own space, convert the pixels, and
// pass them on as an image covering exactly those device pixels.
void fill_shade(fz_context* ctx, fz_device* dev, fz_shade* shade,
                fz_matrix ctm, float alpha, fz_color_params params)
{
    ColorDevice* d = self(dev);
    if (d->mask_depth > 0) {
        fz_fill_shade(ctx, d->target, shade, ctm, alpha, params);
        return;
    }
    fz_rect area = fz_intersect_rect(fz_bound_shade(ctx, shade, ctm),
                                     clip_area(d));
    fz_irect box = fz_round_rect(area);
    if (fz_is_empty_irect(box))
        return;

    // Painted in the device space of its values: through an ICC-based
    // space's identity tint, those are the original values.
    const Source source = source_of(d, shade->colorspace);
    fz_colorspace* paint_cs = source.device;
    Message message;
    const color::Transform* transform = nullptr;
    if (!find_transform(d, ctx, source, ObjectClass::vector, &transform,
                        message))
        fz_throw(ctx, FZ_ERROR_GENERIC, "%s", message.text);

    fz_pixmap* painted = nullptr;
    fz_pixmap* cmyk = nullptr;
    fz_image* image = nullptr;
    fz_var(painted);
    fz_var(cmyk);
    fz_var(image);
    fz_try(ctx)
    {
        // A shading in a spot space is painted in that space, then
        // split as an image in it would be (spot_paint.hpp).
        const bool spot = is_spot_space(d->setup->spots, shade->colorspace);
        painted = fz_new_pixmap_with_bbox(
            ctx, spot ? shade->colorspace : paint_cs, box, nullptr, 1);
        fz_clear_pixmap(ctx, painted);
        fz_paint_shade(ctx, shade, nullptr, ctm, painted, params, box,
                       nullptr, nullptr);
        cmyk = spot ? spot_image_pixmap(ctx, d, painted, *transform)
                    : convert_pixmap(ctx, painted, *transform, true);
        image = fz_new_image_from_pixmap(ctx, cmyk, nullptr);
        fz_matrix place = {float(box.x1 - box.x0), 0, 0,
                           float(box.y1 - box.y0), float(box.x0),
                           float(box.y0)};
        fz_fill_image(ctx, d->target, image, place, alpha, params);
    }
    fz_always(ctx)
    {
        fz_drop_image(ctx, image);
        fz_drop_pixmap(ctx, cmyk);
        fz_drop_pixmap(ctx, painted);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

// Clips: forwarded, and their bounds tracked. SCISSOR is the bounding
// box the display list recorded for the clip, in device space.
void clip_path(fz_context* ctx, fz_device* dev, const fz_path* path,
               int even_odd, fz_matrix ctm, fz_rect scissor)
{
    ColorDevice* d = self(dev);
    fz_clip_path(ctx, d->target, path, even_odd, ctm, scissor);
    push_clip(d, fz_intersect_rect(scissor,
                                   fz_bound_path(ctx, path, nullptr, ctm)));
}

void clip_stroke_path(fz_context* ctx, fz_device* dev, const fz_path* path,
                      const fz_stroke_state* stroke, fz_matrix ctm,
                      fz_rect scissor)
{
    ColorDevice* d = self(dev);
    fz_clip_stroke_path(ctx, d->target, path, stroke, ctm, scissor);
    push_clip(d, fz_intersect_rect(scissor,
                                   fz_bound_path(ctx, path, stroke, ctm)));
}

void clip_text(fz_context* ctx, fz_device* dev, const fz_text* text,
               fz_matrix ctm, fz_rect scissor)
{
    ColorDevice* d = self(dev);
    fz_clip_text(ctx, d->target, text, ctm, scissor);
    push_clip(d, scissor);
}

void clip_stroke_text(fz_context* ctx, fz_device* dev, const fz_text* text,
                      const fz_stroke_state* stroke, fz_matrix ctm,
                      fz_rect scissor)
{
    ColorDevice* d = self(dev);
    fz_clip_stroke_text(ctx, d->target, text, stroke, ctm, scissor);
    push_clip(d, scissor);
}


void clip_image_mask(fz_context* ctx, fz_device* dev, fz_image* image,
                     fz_matrix ctm, fz_rect scissor)
{
    ColorDevice* d = self(dev);
    fz_clip_image_mask(ctx, d->target, image, ctm, scissor);
    push_clip(d, fz_intersect_rect(scissor,
                                   fz_transform_rect(fz_unit_rect, ctm)));
}

void pop_clip(fz_context* ctx, fz_device* dev)
{
    ColorDevice* d = self(dev);
    if (d->clip_depth > 0)
        d->clip_depth--;
    fz_pop_clip(ctx, d->target);
}

// A soft mask is defined between begin_mask and end_mask; its contents
// stay in the mask's own colour space.
void begin_mask(fz_context* ctx, fz_device* dev, fz_rect area,
                int luminosity, fz_colorspace* cs, const float* backdrop,
                fz_color_params params)
{
    ColorDevice* d = self(dev);
    d->mask_depth++;
    fz_begin_mask(ctx, d->target, area, luminosity, untagged(d, cs),
                  backdrop, params);
}

// Ending a mask starts a clip, popped by pop_clip like the others.
void end_mask(fz_context* ctx, fz_device* dev)
{
    ColorDevice* d = self(dev);
    d->mask_depth--;
    fz_end_mask(ctx, d->target);
    push_clip(d, fz_infinite_rect);
}

// Groups composite in device CMYK, as a PDF with a CMYK page group would.
void begin_group(fz_context* ctx, fz_device* dev, fz_rect area,
                 fz_colorspace* cs, int isolated, int knockout,
                 int blendmode, float alpha)
{
    ColorDevice* d = self(dev);
    if (d->mask_depth == 0 && cs)
        cs = fz_device_cmyk(ctx);
    cs = untagged(d, cs);
    fz_begin_group(ctx, d->target, area, cs, isolated, knockout, blendmode,
                   alpha);
}





// With spot planes, an output intent would make the draw device render
// into a pixmap of its own and map the spots to that space at the end;
// the colour engine has already used the intent, so the draw device
// gets the defaults without it.
void set_default_colorspaces(fz_context* ctx, fz_device* dev,
                             fz_default_colorspaces* defaults)
{
    ColorDevice* d = self(dev);
    const SpotChannels* spots = d->setup->spots;
    if (!spots || !spots->separations() ||
        !fz_default_output_intent(ctx, defaults)) {
        fz_set_default_colorspaces(ctx, d->target, defaults);
        return;
    }
    fz_default_colorspaces* plain =
        fz_clone_default_colorspaces(ctx, defaults);
    fz_set_default_output_intent(ctx, plain, nullptr);
    fz_try(ctx) { fz_set_default_colorspaces(ctx, d->target, plain); }
    fz_always(ctx) { fz_drop_default_colorspaces(ctx, plain); }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

void drop_device(fz_context* ctx, fz_device* dev)
{
    self(dev)->spaces.drop(ctx);
}



}  // namespace

bool is_cut_name(const ColorSetup& setup, const char* name)
{
    if (!name)
        return false;
    for (const std::string& cut : setup.cut_names)
        if (strcasecmp(cut.c_str(), name) == 0)
            return true;
    return false;
}

fz_device* new_color_device(fz_context* ctx, fz_device* target,
                            const ColorSetup& setup, fz_irect band)
{
    ColorDevice* d = fz_new_derived_device(ctx, ColorDevice);
    d->target = target;
    d->setup = &setup;
    d->band = fz_rect_from_irect(band);
    d->mask_depth = 0;
    d->clip_depth = 0;

    fz_device* dev = &d->super;
    document::forward_all(dev);
    dev->fill_path = fill_path;
    dev->stroke_path = stroke_path;
    dev->clip_path = clip_path;
    dev->clip_stroke_path = clip_stroke_path;
    dev->fill_text = fill_text;
    dev->stroke_text = stroke_text;
    dev->clip_text = clip_text;
    dev->clip_stroke_text = clip_stroke_text;
    dev->fill_shade = fill_shade;
    dev->fill_image = fill_image;
    dev->fill_image_mask = fill_image_mask;
    dev->clip_image_mask = clip_image_mask;
    dev->pop_clip = pop_clip;
    dev->begin_mask = begin_mask;
    dev->end_mask = end_mask;
    dev->begin_group = begin_group;
    dev->set_default_colorspaces = set_default_colorspaces;
    dev->drop_device = drop_device;
    return dev;
}

}  // namespace ripline::raster
