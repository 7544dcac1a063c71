// SPDX-License-Identifier: AGPL-3.0-or-later
// render_band: replay each placement's display list over one band.
#include "core/raster/band.hpp"

namespace ripline::raster {

namespace {

// Run one placement through the colour device onto DRAW, clipped to the
// placement's area and the band. Plain MuPDF calls only (see guarded()).
void run_placement(fz_context* ctx, fz_device* draw,
                   const SheetPlacement& placement, const ColorSetup& setup,
                   fz_irect band, fz_display_list* list, fz_cookie* cookie)
{
    fz_irect area = fz_intersect_irect(band, placement.clip);
    if (fz_is_empty_irect(area))
        return;
    fz_device* dev = new_color_device(ctx, draw, setup, band);
    fz_path* clip = nullptr;
    fz_var(clip);
    fz_try(ctx)
    {
        // Clip to the placement so a page's art outside its box (bleed
        // beyond the part, or a neighbour's area) never paints.
        fz_rect scissor = fz_rect_from_irect(area);
        clip = fz_new_path(ctx);
        fz_rectto(ctx, clip, scissor.x0, scissor.y0, scissor.x1, scissor.y1);
        fz_clip_path(ctx, draw, clip, 0, fz_identity, scissor);
        fz_run_display_list(ctx, list, dev, placement.page_to_sheet, scissor,
                            cookie);
        fz_pop_clip(ctx, draw);
        fz_close_device(ctx, dev);
    }
    fz_always(ctx)
    {
        fz_drop_path(ctx, clip);
        fz_drop_device(ctx, dev);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

}  // namespace

void render_band(fz_context* ctx, const std::vector<SheetPlacement>& sheet,
                 const ColorSetup& setup, int width, int y, int rows,
                 uint8_t* buffer, fz_cookie* cookie)
{
    const fz_irect band = {0, y, width, y + rows};

    // The pixmap borrows BUFFER, which the pipeline reuses band to band.
    fz_pixmap* pix = nullptr;
    fz_device* draw = nullptr;
    guarded(ctx, RL_ERROR_NO_MEMORY, Stage::raster, "cannot set up a band",
            "", [&] {
                pix = fz_new_pixmap_with_bbox_and_data(
                    ctx, fz_device_cmyk(ctx), band, nullptr, 0, buffer);
                fz_clear_pixmap(ctx, pix);
                draw = fz_new_draw_device(ctx, fz_identity, pix);
            });

    // Each placement carries its document's image profile to the device.
    for (const SheetPlacement& placement : sheet) {
        ColorSetup placed = setup;
        placed.image_profile = placement.document->image_profile()
                                   ? &*placement.document->image_profile()
                                   : nullptr;
        fz_display_list* list =
            placement.document->display_list(placement.page);
        const std::string where = "page " +
                                  std::to_string(placement.page + 1) +
                                  " of " +
                                  placement.document->path().string();
        try {
            guarded(ctx, RL_ERROR_BAD_INPUT, Stage::raster,
                    "cannot render " + where, "", [&] {
                        run_placement(ctx, draw, placement, placed, band,
                                      list, cookie);
                    });
        } catch (...) {
            fz_drop_device(ctx, draw);
            fz_drop_pixmap(ctx, pix);
            throw;
        }
    }

    guarded(ctx, RL_ERROR_BAD_INPUT, Stage::raster, "cannot finish a band",
            "", [&] { fz_close_device(ctx, draw); });
    fz_drop_device(ctx, draw);
    fz_drop_pixmap(ctx, pix);
}

}  // namespace ripline::raster
