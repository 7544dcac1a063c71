// SPDX-License-Identifier: AGPL-3.0-or-later
// ImageCache: images converted to device CMYK once, shared by all bands.
#pragma once

#include <mupdf/fitz.h>

#include <map>
#include <mutex>
#include <tuple>

namespace ripline::raster {

// Bands of a sheet meet the same images again and again; each is decoded
// and converted once per subsampling level and intent, and the result is
// kept until clear(). Thread-safe.
class ImageCache {
public:
    // ROOT drops what is left when the cache is destroyed; it must
    // outlive the cache and share its locks with the workers' contexts.
    explicit ImageCache(fz_context* root) : root_(root) {}
    ImageCache(const ImageCache&) = delete;
    ImageCache& operator=(const ImageCache&) = delete;
    ~ImageCache();

    // A new reference to the converted image, or NULL when not cached.
    fz_image* find(fz_context* ctx, fz_image* source, int level, int intent);

    // Store CONVERTED (the cache takes its own reference). When another
    // thread stored one first, that one wins and is returned instead;
    // either way the result is a new reference.
    fz_image* store(fz_context* ctx, fz_image* source, int level,
                    int intent, fz_image* converted);

    // Drop every entry (between sheets).
    void clear(fz_context* ctx);

private:
    using Key = std::tuple<fz_image*, int, int>;
    struct Entry {
        fz_image* source; // kept, so the key's address stays unique
        fz_image* converted;
    };

    std::mutex mutex_;
    std::map<Key, Entry> entries_;
    fz_context* root_;
};

}  // namespace ripline::raster
