// SPDX-License-Identifier: AGPL-3.0-or-later
// Mupdf: the root MuPDF context with its locks, cloned once per thread.
#pragma once

#include "core/common/error.hpp"
#include "core/common/log.hpp"

#include <mupdf/fitz.h>

#include <array>
#include <mutex>
#include <string>

namespace ripline::document {

// Owns the root fz_context. Documents are opened and display lists built
// on the root context under document_mutex(); band workers render on
// clones from clone(), which share the store and the locks.
class Mupdf {
public:
    Mupdf(Log& log, size_t store_bytes);
    ~Mupdf();
    Mupdf(const Mupdf&) = delete;
    Mupdf& operator=(const Mupdf&) = delete;

    fz_context* root() const { return root_; }
    std::mutex& document_mutex() { return document_mutex_; }

    // A context for the calling thread; release with fz_drop_context.
    fz_context* clone();

    Log& log() { return log_; }

private:
    static void lock(void* user, int lock);
    static void unlock(void* user, int lock);

    Log& log_;
    std::array<std::mutex, FZ_LOCK_MAX> locks_;
    fz_locks_context locks_context_;
    std::mutex document_mutex_;
    fz_context* root_ = nullptr;
};

// Run BODY (plain C calls into MuPDF, nothing that throws) under fz_try;
// a MuPDF error becomes Error(status, stage, "<what>: <MuPDF's message>",
// file). MuPDF unwinds with longjmp, so no C++ object with a destructor
// may be created inside BODY.
template <class Body>
void guarded(fz_context* ctx, rl_status status, Stage stage,
             const std::string& what, const std::string& file, Body&& body)
{
    bool failed = false;
    std::string message;
    fz_try(ctx) { body(); }
    fz_catch(ctx)
    {
        failed = true;
        message = fz_caught_message(ctx);
    }
    if (failed)
        throw Error(status, stage, what + ": " + message, file);
}

}  // namespace ripline::document
