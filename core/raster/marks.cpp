// SPDX-License-Identifier: AGPL-3.0-or-later
// paint_marks: lines, rectangles, discs and text of the mark model.
#include "core/raster/marks.hpp"

#include <cmath>

namespace ripline::raster {

namespace {

// The four-Bézier circle: control points at 0.5523 of the radius.
constexpr float circle_k = 0.5523f;

fz_path* mark_path(fz_context* ctx, const impose::Mark& m)
{
    fz_path* path = fz_new_path(ctx);
    const float x0 = float(m.x0), y0 = float(m.y0);
    const float x1 = float(m.x1), y1 = float(m.y1);
    switch (m.kind) {
    case impose::Mark::Kind::line:
        fz_moveto(ctx, path, x0, y0);
        fz_lineto(ctx, path, x1, y1);
        break;
    case impose::Mark::Kind::rect:
        fz_rectto(ctx, path, x0, y0, x1, y1);
        break;
    case impose::Mark::Kind::disc: {
        const float r = x1, k = circle_k * x1;
        fz_moveto(ctx, path, x0 + r, y0);
        fz_curveto(ctx, path, x0 + r, y0 + k, x0 + k, y0 + r, x0, y0 + r);
        fz_curveto(ctx, path, x0 - k, y0 + r, x0 - r, y0 + k, x0 - r, y0);
        fz_curveto(ctx, path, x0 - r, y0 - k, x0 - k, y0 - r, x0, y0 - r);
        fz_curveto(ctx, path, x0 + k, y0 - r, x0 + r, y0 - k, x0 + r, y0);
        fz_closepath(ctx, path);
        break;
    }
    case impose::Mark::Kind::text:
        break;
    }
    return path;
}

// Bounds of a mark in sheet dots, for skipping the ones off the band.
fz_rect mark_bounds(const impose::Mark& m)
{
    const double pad = m.stroke_dots + 1;
    if (m.kind == impose::Mark::Kind::disc)
        return {float(m.x0 - m.x1 - pad), float(m.y0 - m.x1 - pad),
                float(m.x0 + m.x1 + pad), float(m.y0 + m.x1 + pad)};
    if (m.kind == impose::Mark::Kind::text)
        return {float(m.x0 - pad), float(m.y0 - 2 * m.text_dots - pad),
                float(m.x0 + m.text_dots * m.text.size() + pad),
                float(m.y0 + m.text_dots + pad)};
    return {float(std::min(m.x0, m.x1) - pad),
            float(std::min(m.y0, m.y1) - pad),
            float(std::max(m.x0, m.x1) + pad),
            float(std::max(m.y0, m.y1) + pad)};
}

void paint_text(fz_context* ctx, fz_device* dev, fz_font* font,
                const impose::Mark& m, const float* cmyk)
{
    // Helvetica's cap height is 0.718 of its size.
    const float size = float(m.text_dots / 0.718);
    fz_text* text = fz_new_text(ctx);
    fz_try(ctx)
    {
        fz_matrix trm = fz_scale(size, -size);
        fz_show_string(ctx, text, font, trm, m.text.c_str(), 0, 0,
                       FZ_BIDI_LTR, FZ_LANG_UNSET);
        fz_fill_text(ctx, dev, text, fz_translate(float(m.x0), float(m.y0)),
                     fz_device_cmyk(ctx), cmyk, 1, fz_default_color_params);
    }
    fz_always(ctx) { fz_drop_text(ctx, text); }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

}  // namespace

void paint_marks(fz_context* ctx, fz_pixmap* pix,
                 const std::vector<impose::Mark>& marks)
{
    const fz_rect band = fz_rect_from_irect(fz_pixmap_bbox(ctx, pix));
    fz_device* dev = nullptr;
    fz_font* font = nullptr;
    fz_path* path = nullptr;
    fz_stroke_state* stroke = nullptr;
    fz_var(dev);
    fz_var(font);
    fz_var(path);
    fz_var(stroke);
    fz_try(ctx)
    {
        dev = fz_new_draw_device(ctx, fz_identity, pix);
        for (const impose::Mark& m : marks) {
            if (fz_is_empty_rect(fz_intersect_rect(mark_bounds(m), band)))
                continue;
            const float cmyk[4] = {m.color.c, m.color.m, m.color.y,
                                   m.color.k};
            if (m.kind == impose::Mark::Kind::text) {
                if (!font)
                    font = fz_new_base14_font(ctx, "Helvetica");
                paint_text(ctx, dev, font, m, cmyk);
                continue;
            }
            path = mark_path(ctx, m);
            if (m.kind == impose::Mark::Kind::line) {
                stroke = fz_new_stroke_state(ctx);
                stroke->linewidth = float(m.stroke_dots);
                fz_stroke_path(ctx, dev, path, stroke, fz_identity,
                               fz_device_cmyk(ctx), cmyk, 1,
                               fz_default_color_params);
                fz_drop_stroke_state(ctx, stroke);
                stroke = nullptr;
            } else {
                fz_fill_path(ctx, dev, path, 0, fz_identity,
                             fz_device_cmyk(ctx), cmyk, 1,
                             fz_default_color_params);
            }
            fz_drop_path(ctx, path);
            path = nullptr;
        }
        fz_close_device(ctx, dev);
    }
    fz_always(ctx)
    {
        fz_drop_stroke_state(ctx, stroke);
        fz_drop_path(ctx, path);
        fz_drop_font(ctx, font);
        fz_drop_device(ctx, dev);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

}  // namespace ripline::raster
