// SPDX-License-Identifier: AGPL-3.0-or-later
// The C ABI: handles over the C++ core; no exception crosses extern "C".
#include <ripline/ripline.h>

#include "core/common/error.hpp"
#include "core/common/log.hpp"
#include "core/device/device.hpp"
#include "core/document/mupdf.hpp"
#include "core/job/job.hpp"
#include "core/pipeline/render.hpp"
#include "plugins/host.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <thread>

using namespace ripline;
namespace fs = std::filesystem;

struct rl_context {
    Log log;
    std::unique_ptr<document::Mupdf> mupdf;
    std::unique_ptr<plugins::Host> host;
    std::mutex host_mutex;
    fs::path profile_dir = RIPLINE_DEFAULT_PROFILE_DIR;
    std::vector<fs::path> driver_paths;
    int threads = 0;
    bool simd = true;
    plugins::Isolation driver_isolation = plugins::Isolation::process;

    // Filled by rl_context_device_count for the _info calls.
    std::mutex devices_mutex;
    std::vector<device::Device> devices;

    mutable std::mutex errors_mutex;
    mutable std::map<std::thread::id, std::string> errors;

    void set_error(const std::string& message) const
    {
        std::lock_guard lock(errors_mutex);
        errors[std::this_thread::get_id()] = message;
    }
};

struct rl_job {
    pipeline::OpenJob open;
};

struct rl_device {
    device::Device device;
};

struct rl_render {
    rl_context* context;
    rl_job* job;
    rl_device* device;
    pipeline::RenderOptions options;
    rl_progress_fn progress = nullptr;
    void* progress_user = nullptr;
    rl_cancel_fn cancel = nullptr;
    void* cancel_user = nullptr;
    bool isolation_set = false; // driver_isolation given for this render
};

namespace {

// Run BODY; turn every exception into a status and the context's last
// error for this thread.
template <class Body>
rl_status guard(const rl_context* context, Body&& body) noexcept
{
    try {
        if (context)
            context->set_error("");
        body();
        return RL_OK;
    } catch (const Error& e) {
        if (context)
            context->set_error(e.what());
        return e.status();
    } catch (const std::bad_alloc&) {
        if (context)
            context->set_error("out of memory");
        return RL_ERROR_NO_MEMORY;
    } catch (const std::exception& e) {
        if (context)
            context->set_error(std::string("internal: ") + e.what());
        return RL_ERROR_INTERNAL;
    } catch (...) {
        if (context)
            context->set_error("internal: unknown exception");
        return RL_ERROR_INTERNAL;
    }
}

[[noreturn]] void invalid(const std::string& message)
{
    throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::context, message);
}

void require(const void* pointer, const char* name)
{
    if (!pointer)
        invalid(std::string(name) + " is NULL");
}

plugins::Host& host_of(rl_context* context)
{
    std::lock_guard lock(context->host_mutex);
    if (!context->host) {
        auto host = std::make_unique<plugins::Host>(context->log);
        for (const fs::path& dir : context->driver_paths)
            host->add_search_path(dir);
        host->add_search_path(RIPLINE_DEFAULT_DRIVER_DIR);
        host->load();
        context->host = std::move(host);
    }
    return *context->host;
}

bool is_ticket(const fs::path& path)
{
    std::string ext = path.extension().string();
    for (char& c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".xml";
}

// Input DOCUMENT of JOB, or RL_ERROR_NOT_FOUND naming the job.
document::Document& document_of(const rl_job* job, int document)
{
    require(job, "job");
    const auto& documents = job->open.documents;
    if (document < 0 || document >= int(documents.size()))
        throw Error(RL_ERROR_NOT_FOUND, Stage::document,
                    "job \"" + job->open.job.name + "\" has no input " +
                        std::to_string(document + 1) + " (it has " +
                        std::to_string(documents.size()) + ")");
    return *documents[document];
}

// Draw LIST in sRGB at SCALE and save it as a PNG at PATH, on a clone of
// the root context (the list may be replayed by many threads).
void save_page_png(document::Mupdf& mupdf, fz_display_list* list,
                   fz_matrix ctm, const std::string& path)
{
    fz_context* ctx = mupdf.clone();
    bool failed = false;
    std::string message;
    fz_pixmap* pixmap = nullptr;
    fz_try(ctx)
    {
        pixmap = fz_new_pixmap_from_display_list(
            ctx, list, ctm, fz_device_rgb(ctx), 0);
        fz_save_pixmap_as_png(ctx, pixmap, path.c_str());
    }
    fz_always(ctx) { fz_drop_pixmap(ctx, pixmap); }
    fz_catch(ctx)
    {
        failed = true;
        message = fz_caught_message(ctx);
    }
    fz_drop_context(ctx);
    if (failed)
        throw Error(RL_ERROR_IO, Stage::document,
                    "cannot write the page preview: " + message, path);
}

}  // namespace

extern "C" {

int rl_version(void)
{
    return RL_VERSION_NUMBER;
}

const char* rl_version_string(void)
{
    return "0.1.0";
}

const char* rl_status_string(rl_status status)
{
    switch (status) {
    case RL_OK: return "ok";
    case RL_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case RL_ERROR_VERSION: return "version mismatch";
    case RL_ERROR_NO_MEMORY: return "out of memory";
    case RL_ERROR_IO: return "input/output error";
    case RL_ERROR_BAD_INPUT: return "bad input";
    case RL_ERROR_UNSUPPORTED: return "unsupported";
    case RL_ERROR_NOT_FOUND: return "not found";
    case RL_ERROR_COLOR: return "colour management error";
    case RL_ERROR_DRIVER: return "driver error";
    case RL_ERROR_CANCELLED: return "cancelled";
    case RL_ERROR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

rl_status rl_context_new_version(int header_version, rl_context** out)
{
    if (!out)
        return RL_ERROR_INVALID_ARGUMENT;
    *out = nullptr;
    if (header_version / 10000 != RL_VERSION_MAJOR ||
        header_version > RL_VERSION_NUMBER)
        return RL_ERROR_VERSION;
    try {
        auto context = std::make_unique<rl_context>();
        if (const char* dir = std::getenv("RIPLINE_PROFILE_PATH"))
            context->profile_dir = dir;
        context->mupdf =
            std::make_unique<document::Mupdf>(context->log, 512u << 20);
        *out = context.release();
        return RL_OK;
    } catch (const Error& e) {
        return e.status();
    } catch (...) {
        return RL_ERROR_NO_MEMORY;
    }
}

void rl_context_drop(rl_context* context)
{
    delete context;
}

const char* rl_context_last_error(const rl_context* context)
{
    if (!context)
        return "context is NULL";
    std::lock_guard lock(context->errors_mutex);
    return context->errors[std::this_thread::get_id()].c_str();
}

rl_status rl_context_set_log(rl_context* context, rl_log_fn fn, void* user,
                             rl_log_level max_level)
{
    return guard(context, [&] {
        require(context, "context");
        if (!fn) {
            context->log.set_sink(nullptr, max_level);
            return;
        }
        context->log.set_sink(
            [fn, user](rl_log_level level, const std::string& message) {
                fn(user, level, message.c_str());
            },
            max_level);
    });
}

rl_status rl_context_set_option(rl_context* context, const char* key,
                                const char* value)
{
    return guard(context, [&] {
        require(context, "context");
        require(key, "key");
        require(value, "value");
        const std::string k = key, v = value;
        if (k == "threads") {
            char* end = nullptr;
            long n = std::strtol(value, &end, 10);
            if (*end || n < 0 || n > 256)
                invalid("threads must be 0 to 256, not \"" + v + "\"");
            context->threads = int(n);
        } else if (k == "driver_path") {
            std::lock_guard lock(context->host_mutex);
            if (context->host)
                invalid("driver_path must be set before drivers load");
            context->driver_paths.push_back(v);
        } else if (k == "profile_path") {
            context->profile_dir = v;
        } else if (k == "simd") {
            if (v != "on" && v != "off")
                invalid("simd must be \"on\" or \"off\", not \"" + v + "\"");
            context->simd = v == "on";
        } else if (k == "driver_isolation") {
            context->driver_isolation = plugins::parse_isolation(v);
        } else {
            invalid("unknown context option \"" + k + "\"");
        }
    });
}

rl_status rl_context_driver_count(rl_context* context, int* count)
{
    return guard(context, [&] {
        require(context, "context");
        require(count, "count");
        *count = int(host_of(context).modules().size());
    });
}

rl_status rl_context_driver_info(rl_context* context, int index,
                                 const char** id, const char** description,
                                 const char** path)
{
    return guard(context, [&] {
        require(context, "context");
        const auto& modules = host_of(context).modules();
        if (index < 0 || index >= int(modules.size()))
            throw Error(RL_ERROR_NOT_FOUND, Stage::driver,
                        "no driver number " + std::to_string(index));
        const plugins::DriverModule& module = modules[index];
        if (id)
            *id = module.table->id;
        if (description)
            *description = module.table->description;
        if (path)
            *path = module.path.c_str();
    });
}

rl_status rl_context_device_count(rl_context* context, int* count)
{
    return guard(context, [&] {
        require(context, "context");
        require(count, "count");
        std::lock_guard lock(context->devices_mutex);
        context->devices = device::load_devices(context->profile_dir);
        *count = int(context->devices.size());
    });
}

rl_status rl_context_device_info(rl_context* context, int index,
                                 const char** id, const char** name)
{
    return guard(context, [&] {
        require(context, "context");
        std::lock_guard lock(context->devices_mutex);
        if (index < 0 || index >= int(context->devices.size()))
            throw Error(RL_ERROR_NOT_FOUND, Stage::device,
                        "no device number " + std::to_string(index) +
                            " (call rl_context_device_count first)");
        if (id)
            *id = context->devices[index].id.c_str();
        if (name)
            *name = context->devices[index].name.c_str();
    });
}

rl_status rl_device_open(rl_context* context, const char* id_or_path,
                         rl_device** out)
{
    return guard(context, [&] {
        require(context, "context");
        require(id_or_path, "id_or_path");
        require(out, "out");
        *out = nullptr;
        auto device = std::make_unique<rl_device>();
        device->device = device::find_device(context->profile_dir,
                                             id_or_path);
        *out = device.release();
    });
}

void rl_device_drop(rl_context*, rl_device* device)
{
    delete device;
}

rl_status rl_job_open(rl_context* context, const char* path, rl_job** out)
{
    return guard(context, [&] {
        require(context, "context");
        require(path, "path");
        require(out, "out");
        *out = nullptr;
        job::Job job = is_ticket(path) ? job::parse_job_file(path)
                                       : job::job_for_file(path);
        auto handle = std::make_unique<rl_job>();
        handle->open = pipeline::open_job(*context->mupdf, std::move(job));
        *out = handle.release();
    });
}

void rl_job_drop(rl_context*, rl_job* job)
{
    delete job;
}

const char* rl_job_id(const rl_job* job)
{
    return job ? job->open.job.id.c_str() : "";
}

const char* rl_job_name(const rl_job* job)
{
    return job ? job->open.job.name.c_str() : "";
}

rl_status rl_job_document_count(rl_context* context, const rl_job* job,
                                int* count)
{
    return guard(context, [&] {
        require(job, "job");
        require(count, "count");
        *count = int(job->open.documents.size());
    });
}

rl_status rl_job_page_count(rl_context* context, const rl_job* job,
                            int document, int* count)
{
    return guard(context, [&] {
        require(count, "count");
        *count = document_of(job, document).page_count();
    });
}

rl_status rl_job_page_size(rl_context* context, rl_job* job, int document,
                           int page, rl_page_size* out)
{
    return guard(context, [&] {
        require(context, "context");
        require(out, "out");
        if (out->size < sizeof(uint32_t))
            invalid("out->size must be set to sizeof(rl_page_size)");
        document::Document& doc = document_of(job, document);
        const fz_rect box = doc.page_box(page);
        const fz_rect paint = doc.content_box(page);

        // A blank page paints nothing: its trimmed size is zero.
        rl_page_size full{};
        full.size = out->size;
        full.width_pt = box.x1 - box.x0;
        full.height_pt = box.y1 - box.y0;
        if (!fz_is_empty_rect(paint)) {
            full.trimmed_width_pt = paint.x1 - paint.x0;
            full.trimmed_height_pt = paint.y1 - paint.y0;
        }
        std::memcpy(out, &full, std::min<size_t>(out->size, sizeof full));
    });
}

rl_status rl_job_page_png(rl_context* context, rl_job* job, int document,
                          int page, int max_pixels, const char* png_path)
{
    return guard(context, [&] {
        require(context, "context");
        require(png_path, "png_path");
        if (max_pixels < 1 || max_pixels > 4096)
            invalid("max_pixels must be 1 to 4096, not " +
                    std::to_string(max_pixels));
        document::Document& doc = document_of(job, document);
        const fz_rect box = doc.page_box(page);
        const float longest = std::max(box.x1 - box.x0, box.y1 - box.y0);
        const float scale = float(max_pixels) / longest;
        const fz_matrix ctm = fz_concat(
            fz_translate(-box.x0, -box.y0), fz_scale(scale, scale));
        fz_display_list* list = doc.display_list(page);

        // Written beside the target and renamed: complete or absent.
        const std::string part = std::string(png_path) + ".part";
        try {
            save_page_png(*context->mupdf, list, ctm, part);
        } catch (...) {
            std::remove(part.c_str());
            throw;
        }
        if (std::rename(part.c_str(), png_path) != 0) {
            std::remove(part.c_str());
            throw Error(RL_ERROR_IO, Stage::document,
                        "cannot write the page preview", png_path);
        }
    });
}

rl_status rl_render_new(rl_context* context, rl_job* job, rl_device* device,
                        rl_render** out)
{
    return guard(context, [&] {
        require(context, "context");
        require(job, "job");
        require(device, "device");
        require(out, "out");
        auto render = std::make_unique<rl_render>();
        render->context = context;
        render->job = job;
        render->device = device;
        *out = render.release();
    });
}

void rl_render_drop(rl_context*, rl_render* render)
{
    delete render;
}

rl_status rl_render_set_progress(rl_render* render, rl_progress_fn fn,
                                 void* user)
{
    if (!render)
        return RL_ERROR_INVALID_ARGUMENT;
    render->progress = fn;
    render->progress_user = user;
    return RL_OK;
}

rl_status rl_render_set_cancel(rl_render* render, rl_cancel_fn fn,
                               void* user)
{
    if (!render)
        return RL_ERROR_INVALID_ARGUMENT;
    render->cancel = fn;
    render->cancel_user = user;
    return RL_OK;
}

rl_status rl_render_set_option(rl_render* render, const char* key,
                               const char* value)
{
    if (!render)
        return RL_ERROR_INVALID_ARGUMENT;
    return guard(render->context, [&] {
        require(key, "key");
        require(value, "value");
        const std::string k = key, v = value;
        if (k == "output") {
            render->options.output_uri = v;
        } else if (k == "contone") {
            if (v != "0" && v != "1")
                invalid("contone must be \"0\" or \"1\", not \"" + v + "\"");
            render->options.contone = v == "1";
        } else if (k == "band_height") {
            char* end = nullptr;
            long rows = std::strtol(value, &end, 10);
            if (*end || rows < 1 || rows > 65536)
                invalid("band_height must be 1 to 65536, not \"" + v + "\"");
            render->options.band_height = int(rows);
        } else if (k == "driver_isolation") {
            render->options.isolation = plugins::parse_isolation(v);
            render->isolation_set = true;
        } else if (k == "mode") {
            if (v != "print" && v != "cut" && v != "print-and-cut")
                invalid("mode must be \"print\", \"cut\" or "
                        "\"print-and-cut\", not \"" + v + "\"");
            render->options.mode = device::parse_cut_mode(v, "mode");
        } else if (k == "cutter_output") {
            render->options.cutter_output_uri = v;
        } else {
            invalid("unknown render option \"" + k + "\"");
        }
    });
}

rl_status rl_render_run(rl_render* render, rl_render_stats* stats)
{
    if (!render)
        return RL_ERROR_INVALID_ARGUMENT;
    rl_context* context = render->context;
    return guard(context, [&] {
        if (stats && stats->size < sizeof(uint32_t))
            invalid("stats->size must be set to sizeof(rl_render_stats)");

        pipeline::RenderOptions options = render->options;
        options.isolation = render->isolation_set ? render->options.isolation
                                                  : context->driver_isolation;
        options.driver_host = host_of(context).driver_host();
        options.threads = context->threads;
        options.simd = context->simd;
        options.profile_dir = context->profile_dir;
        if (render->progress)
            options.progress = [render](int sheet, long done, long total) {
                render->progress(render->progress_user, sheet, done, total);
            };
        if (render->cancel)
            options.cancelled = [render] {
                return render->cancel(render->cancel_user) != 0;
            };

        const device::Device& device = render->device->device;
        const plugins::DriverModule* driver =
            host_of(context).find(device.driver);
        if (!driver)
            throw Error(RL_ERROR_NOT_FOUND, Stage::driver,
                        "device \"" + device.id + "\" needs driver \"" +
                            device.driver + "\", which is not loaded "
                            "(see `ripline drivers`)",
                        device.file.string());

        // The separate cutter the device names: a file beside the
        // device's own, else a device of the profile path.
        std::optional<device::Device> cutter;
        if (!device.cut.cutter.empty()) {
            const fs::path beside =
                device.file.parent_path() / (device.cut.cutter + ".json");
            std::error_code ec;
            cutter = fs::is_regular_file(beside, ec)
                         ? device::load_device(beside)
                         : device::find_device(context->profile_dir,
                                               device.cut.cutter);
            options.cutter = &*cutter;
            options.cutter_driver = host_of(context).find(cutter->driver);
            if (!options.cutter_driver)
                throw Error(RL_ERROR_NOT_FOUND, Stage::driver,
                            "cutter \"" + cutter->id + "\" needs driver \"" +
                                cutter->driver + "\", which is not loaded",
                            cutter->file.string());
        }

        pipeline::RenderStats result =
            pipeline::render(*context->mupdf, render->job->open, device,
                             *driver, context->log, options);
        if (stats) {
            // Copy only what the caller's struct has room for.
            rl_render_stats full{};
            full.size = stats->size;
            full.sheets = result.sheets;
            full.dots = result.dots;
            full.seconds = result.seconds;
            full.ink_count = int(std::min<size_t>(result.coverage.size(),
                                                  16));
            for (int i = 0; i < full.ink_count; i++)
                full.coverage[i] = result.coverage[i];
            full.peak_band_bytes = result.peak_band_bytes;
            std::memcpy(stats, &full,
                        std::min<size_t>(stats->size, sizeof full));
        }
    });
}

}  // extern "C"
