// SPDX-License-Identifier: AGPL-3.0-or-later
// ImageCache: a locked map of converted images, keyed by source image.
#include "core/raster/image_cache.hpp"

namespace ripline::raster {

ImageCache::~ImageCache()
{
    clear(root_);
}

fz_image* ImageCache::find(fz_context* ctx, fz_image* source, int level,
                           int intent)
{
    std::lock_guard lock(mutex_);
    auto it = entries_.find({source, level, intent});
    if (it == entries_.end())
        return nullptr;
    return fz_keep_image(ctx, it->second.converted);
}

fz_image* ImageCache::store(fz_context* ctx, fz_image* source, int level,
                            int intent, fz_image* converted)
{
    std::lock_guard lock(mutex_);
    auto [it, added] = entries_.try_emplace({source, level, intent},
                                            Entry{source, converted});
    if (added) {
        fz_keep_image(ctx, source);
        fz_keep_image(ctx, converted);
    }
    return fz_keep_image(ctx, it->second.converted);
}

void ImageCache::clear(fz_context* ctx)
{
    std::lock_guard lock(mutex_);
    for (auto& [key, entry] : entries_) {
        fz_drop_image(ctx, entry.converted);
        fz_drop_image(ctx, entry.source);
    }
    entries_.clear();
}

}  // namespace ripline::raster
