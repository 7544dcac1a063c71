// SPDX-License-Identifier: AGPL-3.0-or-later
// Mupdf: context, locks and the bridge from MuPDF's messages to our Log.
#include "core/document/mupdf.hpp"

namespace ripline::document {

static void on_warning(void* user, const char* message)
{
    static_cast<Log*>(user)->warning(std::string("mupdf: ") + message);
}

static void on_error(void* user, const char* message)
{
    static_cast<Log*>(user)->debug(std::string("mupdf: ") + message);
}

Mupdf::Mupdf(Log& log, size_t store_bytes) : log_(log)
{
    locks_context_.user = this;
    locks_context_.lock = &Mupdf::lock;
    locks_context_.unlock = &Mupdf::unlock;
    root_ = fz_new_context(nullptr, &locks_context_, store_bytes);
    if (!root_)
        throw Error(RL_ERROR_NO_MEMORY, Stage::document,
                    "cannot create the MuPDF context");
    fz_set_warning_callback(root_, on_warning, &log_);
    fz_set_error_callback(root_, on_error, &log_);

    bool failed = false;
    fz_try(root_) { fz_register_document_handlers(root_); }
    fz_catch(root_) { failed = true; }
    if (failed)
        throw Error(RL_ERROR_INTERNAL, Stage::document,
                    "cannot register MuPDF's document handlers");
}

Mupdf::~Mupdf()
{
    fz_drop_context(root_);
}

fz_context* Mupdf::clone()
{
    fz_context* ctx = fz_clone_context(root_);
    if (!ctx)
        throw Error(RL_ERROR_NO_MEMORY, Stage::raster,
                    "cannot clone the MuPDF context");
    fz_set_warning_callback(ctx, on_warning, &log_);
    fz_set_error_callback(ctx, on_error, &log_);
    return ctx;
}

void Mupdf::lock(void* user, int lock)
{
    static_cast<Mupdf*>(user)->locks_[lock].lock();
}

void Mupdf::unlock(void* user, int lock)
{
    static_cast<Mupdf*>(user)->locks_[lock].unlock();
}

}  // namespace ripline::document
