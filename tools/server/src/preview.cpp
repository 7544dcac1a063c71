// SPDX-License-Identifier: AGPL-3.0-or-later
// The previewer: page count, sizes and thumbnails of stored documents, all
// read through ripline.h.
#include "preview.hpp"

#include <algorithm>
#include <filesystem>

#if RIPLINE_SERVER_HAVE_CORE
#include <ripline/ripline.h>
#endif

namespace ripline::server {

namespace fs = std::filesystem;

namespace {

// The extension MuPDF recognises the document by: its name's, else one
// for its content type, else PDF.
std::string document_extension(const Entity& doc) {
    std::string ext = fs::path(doc.body.value("Name", "")).extension();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    static const char* const known[] = {".pdf", ".png", ".jpg", ".jpeg",
                                        ".tif", ".tiff"};
    for (const char* k : known)
        if (ext == k)
            return ext;
    std::string type = doc.body.value("Type", "");
    if (type == "image/png")
        return ".png";
    if (type == "image/jpeg")
        return ".jpg";
    if (type == "image/tiff")
        return ".tif";
    return ".pdf";
}

double mm_of_pt(double pt) { return pt * 25.4 / 72; }

// One page as the API shows it; units are PrintFactory's 1/18".
nlohmann::json page_entry(double width_pt, double height_pt,
                          double trimmed_width_pt, double trimmed_height_pt) {
    return {{"Width", width_pt / 4},
            {"Height", height_pt / 4},
            {"WidthMm", mm_of_pt(width_pt)},
            {"HeightMm", mm_of_pt(height_pt)},
            {"TrimmedWidthMm", mm_of_pt(trimmed_width_pt)},
            {"TrimmedHeightMm", mm_of_pt(trimmed_height_pt)}};
}

}  // namespace

#if RIPLINE_SERVER_HAVE_CORE
struct Previewer::Core {
    rl_context* context = nullptr;
};
#else
struct Previewer::Core {};
#endif

Previewer::Previewer(Service& service) : service_(service) {}

Previewer::~Previewer() { stop(); }

void Previewer::start() {
    core_ = new Core;
#if RIPLINE_SERVER_HAVE_CORE
    if (RL_CONTEXT_NEW(&core_->context) == RL_OK &&
        !service_.config().profile_path.empty())
        rl_context_set_option(core_->context, "profile_path",
                              service_.config().profile_path.c_str());
#endif
    // Revisions stored while no previewer ran (or before it finished).
    for (auto& [account, doc] : service_.store().list_all("document", {}))
        if (!document_pages(service_, account, doc))
            enqueue(account, doc.guid);
    thread_ = std::thread([this] { run(); });
}

void Previewer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
#if RIPLINE_SERVER_HAVE_CORE
    if (core_)
        rl_context_drop(core_->context);
#endif
    delete core_;
    core_ = nullptr;
}

void Previewer::enqueue(AccountId account, const std::string& document_guid) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({account, document_guid});
    }
    wake_.notify_one();
}

void Previewer::run() {
    for (;;) {
        Task task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_)
                return;
            task = queue_.front();
            queue_.pop_front();
        }
        try {
            read_pages(task);
        } catch (const std::exception& e) {
            std::fprintf(stderr,
                         "level=error msg=\"document pages not read\" "
                         "document=%s what=\"%s\"\n",
                         task.document_guid.c_str(), e.what());
        }
    }
}

#if RIPLINE_SERVER_HAVE_CORE
namespace {

// What the core read of one revision: pages and their thumbnails.
struct PagesRead {
    nlohmann::json pages = nlohmann::json::array();
    nlohmann::json previews = nlohmann::json::object();
    std::string error;
    bool stopped = false;  // the server stops: nothing to keep
};

// Read every page of the job JOB (one document) into OUT, rendering the
// thumbnails in WORK; false on the first failure or once STOP is set.
bool read_job_pages(rl_context* ctx, rl_job* job, BlobStore& blobs,
                    const fs::path& work, int thumbnail_px,
                    const std::atomic<bool>& stop, PagesRead& out) {
    int count = 0;
    if (rl_job_page_count(ctx, job, 0, &count) != RL_OK)
        return false;
    for (int page = 0; page < count; ++page) {
        if (stop) {
            out.stopped = true;
            return false;
        }
        rl_page_size size{};
        size.size = sizeof size;
        if (rl_job_page_size(ctx, job, 0, page, &size) != RL_OK)
            return false;
        out.pages.push_back(page_entry(size.width_pt, size.height_pt,
                                       size.trimmed_width_pt,
                                       size.trimmed_height_pt));
        fs::path png = work / ("page-" + std::to_string(page + 1) + ".png");
        if (rl_job_page_png(ctx, job, 0, page, thumbnail_px,
                            png.c_str()) != RL_OK)
            return false;
        out.previews[std::to_string(page + 1)] = blobs.put_file(png).sha1;
    }
    return true;
}

// Open the blob SHA1 (staged under its extension) and read its pages.
PagesRead read_blob(rl_context* ctx, Service& s, const std::string& sha1,
                    const std::string& ext, const std::atomic<bool>& stop) {
    PagesRead out;
    fs::path work = fs::path(s.config().data_dir) / "work" / "pages" / sha1;
    fs::create_directories(work);
    fs::path staged = work / ("document" + ext);
    std::error_code ec;
    fs::remove(staged, ec);
    fs::create_hard_link(s.blobs().path(sha1), staged, ec);
    if (ec)
        fs::copy_file(s.blobs().path(sha1), staged);
    rl_job* job = nullptr;
    bool ok = ctx && rl_job_open(ctx, staged.c_str(), &job) == RL_OK &&
              read_job_pages(ctx, job, s.blobs(), work,
                             s.config().thumbnail_px, stop, out);
    if (!ok)
        out.error = ctx ? rl_context_last_error(ctx) : "no RIP context";
    rl_job_drop(ctx, job);
    fs::remove_all(work, ec);
    return out;
}

}  // namespace
#endif

void Previewer::read_pages(const Task& task) {
    auto doc = service_.store().get(task.account, "document",
                                    task.document_guid);
    std::string sha1 = doc ? doc->body.value("Sha1", "") : "";
    if (sha1.empty() || service_.store().get(task.account, "pages", sha1))
        return;
#if RIPLINE_SERVER_HAVE_CORE
    PagesRead read = read_blob(core_->context, service_, sha1,
                               document_extension(*doc), stopping_);
    if (read.stopped)
        return;  // read again at the next start
#else
    struct {
        nlohmann::json pages, previews;
        std::string error;
    } read{nullptr, nullptr,
           "This ripline-server was built without the RIP core"};
#endif

    // Pages belong to the content (its SHA-1), not to the document record
    // that requests change meanwhile; every revision with it shares them.
    Entity pages{"pages", sha1, doc->guid};
    if (!read.error.empty())
        pages.body = {{"Error", read.error}};
    else
        pages.body = {{"PageCount", read.pages.size()},
                      {"Pages", read.pages},
                      {"Previews", read.previews}};
    service_.store().put(task.account, pages);
}

std::optional<Entity> document_pages(Service& service, AccountId account,
                                     const Entity& doc) {
    std::string sha1 = doc.body.value("Sha1", "");
    if (sha1.empty())
        return std::nullopt;
    return service.store().get(account, "pages", sha1);
}

std::string document_thumbnail_sha1(Service& service, AccountId account,
                                    const Entity& doc, int page) {
    std::string key = std::to_string(page);
    auto uploaded = doc.body.find("Thumbnails");
    if (uploaded != doc.body.end() && uploaded->is_object() &&
        uploaded->contains(key))
        return (*uploaded)[key].get<std::string>();
    auto pages = document_pages(service, account, doc);
    if (!pages)
        return {};
    auto previews = pages->body.value("Previews", nlohmann::json::object());
    return previews.value(key, "");
}

nlohmann::json job_pages(Service& service, AccountId account,
                         const Entity& job) {
    nlohmann::json out = nlohmann::json::array();
    for (auto& d : job.body.value("Documents", nlohmann::json::array())) {
        auto doc = service.store().get(account, "document",
                                       d.value("DocumentGUID", ""));
        auto pages = doc ? document_pages(service, account, *doc)
                         : std::nullopt;
        if (!pages)
            continue;
        auto list = pages->body.value("Pages", nlohmann::json::array());
        auto previews = pages->body.value("Previews",
                                          nlohmann::json::object());
        for (std::size_t i = 0; i < list.size(); ++i) {
            nlohmann::json page = list[i];
            page["Document"] = doc->guid;
            page["Page"] = i + 1;
            page["Thumbnail"] = previews.value(std::to_string(i + 1), "");
            out.push_back(page);
        }
    }
    return out;
}

}  // namespace ripline::server
