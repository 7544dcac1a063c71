// SPDX-License-Identifier: AGPL-3.0-or-later
// Document: one PDF or image file opened with MuPDF, pages as display
// lists built once and replayed by every band.
#pragma once

#include "core/color/engine.hpp"
#include "core/document/mupdf.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace ripline::document {

class Document {
public:
    // Open PATH: a PDF, or a JPEG, PNG or TIFF as a one-page document.
    // Throws Error naming the file: RL_ERROR_IO when it is missing or
    // unreadable, RL_ERROR_BAD_INPUT when MuPDF cannot open it or it has
    // no pages.
    Document(Mupdf& mupdf, const std::filesystem::path& path);
    ~Document();
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    const std::filesystem::path& path() const { return path_; }
    int page_count() const { return page_count_; }

    // The page's box in points, origin top-left, y down (MuPDF's page
    // space). PAGE is 0-based; out of range throws RL_ERROR_NOT_FOUND.
    fz_rect page_box(int page) const;

    // The bounding box of what the page paints, within its box, points
    // (TrimWhite); white paint does not count. All zero when nothing
    // does.
    fz_rect content_box(int page);

    // The page's display list, built on first use and kept; safe to call
    // from any thread, and the list may be run by many threads at once.
    fz_display_list* display_list(int page);

    // The PDF/X output intent's profile (DestOutputProfile), if any.
    const std::optional<color::Profile>& output_intent() const
    {
        return output_intent_;
    }

    // The profile embedded in an image file (JPEG APP2, PNG iCCP, TIFF
    // tag 34675), which MuPDF's build without ICC support ignores.
    const std::optional<color::Profile>& image_profile() const
    {
        return image_profile_;
    }

    // The profiles of the PDF's ICCBased spaces, indexed by the tag the
    // colour device reads with icc_tag() (see icc_spaces.hpp).
    const std::vector<color::Profile>& icc_profiles() const
    {
        return icc_profiles_;
    }

private:
    void check_page(int page) const;
    void read_output_intent();

    Mupdf& mupdf_;
    std::filesystem::path path_;
    fz_document* doc_ = nullptr;
    int page_count_ = 0;
    std::vector<fz_rect> boxes_;
    std::vector<fz_display_list*> lists_;
    std::optional<color::Profile> output_intent_;
    std::optional<color::Profile> image_profile_;
    std::vector<color::Profile> icc_profiles_;
};

// The ICC profile embedded in a JPEG, PNG or TIFF file, if any. Throws
// Error(RL_ERROR_COLOR) when one is present but broken.
std::optional<color::Profile> read_image_profile(
    const std::filesystem::path& path);

}  // namespace ripline::document
