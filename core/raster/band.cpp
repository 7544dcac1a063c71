// SPDX-License-Identifier: AGPL-3.0-or-later
// render_band: replay each placement's display list over one band.
#include "core/raster/band.hpp"

#include "core/raster/marks.hpp"

namespace ripline::raster {

using document::guarded;

namespace {

// Run one placement through the colour device onto PIX, clipped to the
// placement's area and the band by the draw device's own bounding box
// (exact to the dot, where a clip path would composite through a mask).
// Plain MuPDF calls only (see guarded()).
void run_placement(fz_context* ctx, fz_pixmap* pix,
                   const SheetPlacement& placement, fz_irect band,
                   fz_display_list* list, fz_cookie* cookie)
{
    fz_irect area = fz_intersect_irect(band, placement.clip);
    if (fz_is_empty_irect(area))
        return;
    fz_device* draw = fz_new_draw_device_with_bbox(ctx, fz_identity, pix,
                                                   &area);
    fz_device* dev = nullptr;
    fz_var(dev);
    fz_try(ctx)
    {
        dev = new_color_device(ctx, draw, *placement.setup, area);
        fz_run_display_list(ctx, list, dev, placement.page_to_sheet,
                            fz_rect_from_irect(area), cookie);
        fz_close_device(ctx, dev);
        fz_close_device(ctx, draw);
    }
    fz_always(ctx)
    {
        fz_drop_device(ctx, dev);
        fz_drop_device(ctx, draw);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

}  // namespace

void render_band(fz_context* ctx, const std::vector<SheetPlacement>& sheet,
                 const std::vector<impose::Mark>& marks, int width, int y,
                 int rows,
                 uint8_t* buffer, fz_cookie* cookie,
                 const SpotChannels* spots)
{
    const fz_irect band = {0, y, width, y + rows};

    // The pixmap borrows BUFFER, which the pipeline reuses band to band.
    fz_pixmap* pix = nullptr;
    fz_separations* seps = spots ? spots->separations() : nullptr;
    guarded(ctx, RL_ERROR_NO_MEMORY, Stage::raster, "cannot set up a band",
            "", [&] {
                pix = fz_new_pixmap_with_bbox_and_data(
                    ctx, fz_device_cmyk(ctx), band, seps, 0, buffer);
                fz_clear_pixmap(ctx, pix);
            });

    for (const SheetPlacement& placement : sheet) {
        fz_display_list* list =
            placement.document->display_list(placement.page);
        const std::string where = "page " +
                                  std::to_string(placement.page + 1) +
                                  " of " +
                                  placement.document->path().string();
        try {
            guarded(ctx, RL_ERROR_BAD_INPUT, Stage::raster,
                    "cannot render " + where, "", [&] {
                        run_placement(ctx, pix, placement, band, list,
                                      cookie);
                    });
        } catch (...) {
            fz_drop_pixmap(ctx, pix);
            throw;
        }
    }
    try {
        guarded(ctx, RL_ERROR_INTERNAL, Stage::raster,
                "cannot paint the sheet's marks", "",
                [&] { paint_marks(ctx, pix, marks); });
    } catch (...) {
        fz_drop_pixmap(ctx, pix);
        throw;
    }
    fz_drop_pixmap(ctx, pix);
}

}  // namespace ripline::raster
