// SPDX-License-Identifier: AGPL-3.0-or-later
// Document: opening, page boxes, display lists and the output intent.
#include "core/document/document.hpp"

#include "core/document/icc_spaces.hpp"
#include "core/document/ink_bounds.hpp"

#include <mupdf/pdf.h>

#include <system_error>

namespace ripline::document {

namespace fs = std::filesystem;

Document::Document(Mupdf& mupdf, const fs::path& path)
    : mupdf_(mupdf), path_(path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(RL_ERROR_IO, Stage::document,
                    "no such file", path.string());

    // Open and size every page up front, so that a broken file fails here
    // and not in the middle of a render.
    std::lock_guard lock(mupdf_.document_mutex());
    fz_context* ctx = mupdf_.root();
    const std::string name = path.string();
    guarded(ctx, RL_ERROR_BAD_INPUT, Stage::document,
            "MuPDF cannot open it", name, [&] {
                doc_ = fz_open_document(ctx, name.c_str());
                page_count_ = fz_count_pages(ctx, doc_);
            });
    if (page_count_ <= 0)
        throw Error(RL_ERROR_BAD_INPUT, Stage::document,
                    "the document has no pages", name);
    // Before anything interprets a page, so no colour space is cached
    // in its untagged form.
    if (pdf_document* pdf = pdf_specifics(ctx, doc_))
        icc_profiles_ = tag_icc_spaces(
            ctx, pdf, name,
            [&](const std::string& text) { mupdf_.log().warning(text); });

    boxes_.resize(page_count_);
    lists_.assign(page_count_, nullptr);
    for (int i = 0; i < page_count_; i++) {
        fz_rect box{};
        guarded(ctx, RL_ERROR_BAD_INPUT, Stage::document,
                "cannot load page " + std::to_string(i + 1), name, [&] {
                    fz_page* page = fz_load_page(ctx, doc_, i);
                    fz_try(ctx) { box = fz_bound_page(ctx, page); }
                    fz_always(ctx) { fz_drop_page(ctx, page); }
                    fz_catch(ctx) { fz_rethrow(ctx); }
                });
        if (fz_is_empty_rect(box))
            throw Error(RL_ERROR_BAD_INPUT, Stage::document,
                        "page " + std::to_string(i + 1) + " has no area",
                        name);
        boxes_[i] = box;
    }
    read_output_intent();
    if (!pdf_specifics(ctx, doc_))
        image_profile_ = read_image_profile(path);
}

Document::~Document()
{
    std::lock_guard lock(mupdf_.document_mutex());
    fz_context* ctx = mupdf_.root();
    for (fz_display_list* list : lists_)
        fz_drop_display_list(ctx, list);
    fz_drop_document(ctx, doc_);
}

void Document::check_page(int page) const
{
    if (page < 0 || page >= page_count_)
        throw Error(RL_ERROR_NOT_FOUND, Stage::document,
                    "page " + std::to_string(page + 1) +
                        " is out of range (the document has " +
                        std::to_string(page_count_) + ")",
                    path_.string());
}

fz_rect Document::page_box(int page) const
{
    check_page(page);
    return boxes_[page];
}

fz_display_list* Document::display_list(int page)
{
    check_page(page);
    std::lock_guard lock(mupdf_.document_mutex());
    if (lists_[page])
        return lists_[page];

    // Interpret the page once; bands replay the list. Annotations and
    // form fields are part of the print, as a viewer shows them.
    fz_context* ctx = mupdf_.root();
    fz_display_list* list = nullptr;
    guarded(ctx, RL_ERROR_BAD_INPUT, Stage::document,
            "cannot interpret page " + std::to_string(page + 1),
            path_.string(), [&] {
                fz_page* p = fz_load_page(ctx, doc_, page);
                fz_try(ctx) { list = fz_new_display_list_from_page(ctx, p); }
                fz_always(ctx) { fz_drop_page(ctx, p); }
                fz_catch(ctx) { fz_rethrow(ctx); }
            });
    lists_[page] = list;
    return list;
}

fz_rect Document::content_box(int page)
{
    // fz_bound_display_list gives the page's box, not its marks.
    fz_display_list* list = display_list(page);
    std::lock_guard lock(mupdf_.document_mutex());
    fz_context* ctx = mupdf_.root();
    fz_rect marks = fz_empty_rect;
    guarded(ctx, RL_ERROR_BAD_INPUT, Stage::document,
            "cannot bound what page " + std::to_string(page + 1) + " paints",
            path_.string(), [&] { marks = ink_bounds(ctx, list); });
    const fz_rect box = fz_intersect_rect(marks, boxes_[page]);
    return fz_is_empty_rect(box) ? fz_rect{0, 0, 0, 0} : box;
}

void Document::read_output_intent()
{
    fz_context* ctx = mupdf_.root();
    pdf_document* pdf = pdf_specifics(ctx, doc_);
    if (!pdf)
        return;

    // The first output intent with a profile wins, as PDF/X has one.
    fz_buffer* buffer = nullptr;
    guarded(ctx, RL_ERROR_BAD_INPUT, Stage::document,
            "cannot read the output intent", path_.string(), [&] {
                pdf_obj* intents = pdf_dict_getp(ctx, pdf_trailer(ctx, pdf),
                                                 "Root/OutputIntents");
                int n = pdf_array_len(ctx, intents);
                for (int i = 0; i < n && !buffer; i++) {
                    pdf_obj* profile = pdf_dict_get(
                        ctx, pdf_array_get(ctx, intents, i),
                        PDF_NAME(DestOutputProfile));
                    if (pdf_is_stream(ctx, profile))
                        buffer = pdf_load_stream(ctx, profile);
                }
            });
    if (!buffer)
        return;

    unsigned char* data = nullptr;
    size_t size = fz_buffer_storage(ctx, buffer, &data);
    try {
        output_intent_ = color::Profile::from_memory(
            data, size, path_.string() + " (output intent)");
    } catch (const Error& e) {
        mupdf_.log().warning(std::string(e.what()) + "; ignoring it");
    }
    fz_drop_buffer(ctx, buffer);
}

}  // namespace ripline::document
