// SPDX-License-Identifier: AGPL-3.0-or-later
// The embedded RIP worker. Everything it renders goes through ripline.h.
#include "worker.hpp"

#include "jobs.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#if RIPLINE_SERVER_HAVE_CORE
#include <ripline/ripline.h>
#endif

namespace ripline::server {

namespace fs = std::filesystem;

namespace {

std::string key_of(AccountId account, const std::string& job) {
    return std::to_string(account) + "/" + job;
}

// Is DEVICE hosted by this server's embedded RIP?
bool embedded_device(Service& s, AccountId account, const Entity& device) {
    auto rip = s.store().get(account, "computer", device.parent);
    return rip && rip->body.value("Embedded", false);
}

}  // namespace

#if RIPLINE_SERVER_HAVE_CORE
struct RipWorker::Core {
    rl_context* context = nullptr;
};
#else
struct RipWorker::Core {};
#endif

bool RipWorker::has_core() { return RIPLINE_SERVER_HAVE_CORE != 0; }

RipWorker::RipWorker(Service& service) : service_(service) {}

RipWorker::~RipWorker() { stop(); }

void RipWorker::start() {
    core_ = new Core;
#if RIPLINE_SERVER_HAVE_CORE
    if (RL_CONTEXT_NEW(&core_->context) == RL_OK) {
        auto& config = service_.config();
        if (!config.driver_path.empty())
            rl_context_set_option(core_->context, "driver_path",
                                  config.driver_path.c_str());
        if (!config.profile_path.empty())
            rl_context_set_option(core_->context, "profile_path",
                                  config.profile_path.c_str());
    }
#endif
    // Jobs sent to a device but not finished when we last stopped.
    ListQuery query;
    query.statuses = {"Waiting", "InProgress"};
    for (auto& [account, job] : service_.store().list_all("job", query))
        if (job.body.value("RenderRequested", false))
            enqueue(account, job.guid);
    for (int i = 0; i < std::max(1, service_.config().rip_threads); ++i)
        threads_.emplace_back([this] { run(); });
}

void RipWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty())
            return;
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_)
        thread.join();
    threads_.clear();
#if RIPLINE_SERVER_HAVE_CORE
    if (core_)
        rl_context_drop(core_->context);
#endif
    delete core_;
    core_ = nullptr;
}

void RipWorker::enqueue(AccountId account, const std::string& job_guid) {
    {
        std::lock_guard lock(mutex_);
        cancelled_.erase(key_of(account, job_guid));
        queue_.push_back({account, job_guid});
    }
    wake_.notify_one();
}

void RipWorker::cancel(AccountId account, const std::string& job_guid) {
    std::lock_guard lock(mutex_);
    cancelled_.insert(key_of(account, job_guid));
}

void RipWorker::run() {
    for (;;) {
        Task task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_)
                return;
            task = queue_.front();
            queue_.pop_front();
            if (cancelled_.count(key_of(task.account, task.job_guid)))
                continue;
        }
        try {
            render(task);
        } catch (const std::exception& e) {
            auto job = service_.store().get(task.account, "job",
                                            task.job_guid);
            if (job)
                set_job_status(service_, task.account, *job, "Error", "RIP",
                               e.what());
        }
    }
}

#if RIPLINE_SERVER_HAVE_CORE
namespace {

// What the progress and cancel callbacks need.
struct RenderState {
    Service* service;
    RipWorker* worker;
    AccountId account;
    Entity* job;
    std::mutex* mutex;
    std::set<std::string>* cancelled;
    bool* stopping;
    std::chrono::steady_clock::time_point last;
    int last_percent = -1;
};

void on_progress(void* user, int sheet, long done, long total) {
    auto* state = static_cast<RenderState*>(user);
    int percent = total > 0 ? static_cast<int>(100 * done / total) : 0;
    auto now = std::chrono::steady_clock::now();
    if (percent == state->last_percent ||
        (now - state->last < std::chrono::milliseconds(200) && percent < 100))
        return;
    state->last = now;
    state->last_percent = percent;
    state->job->body["Progress"] = percent;
    state->job->body["ProgressLabel"] = "Sheet " + std::to_string(sheet + 1);
    save_job(*state->service, state->account, *state->job);
    state->service->job_event(state->account, state->job->guid,
                              {{"Status", "InProgress"},
                               {"Progress", percent}});
}

int on_cancel(void* user) {
    auto* state = static_cast<RenderState*>(user);
    std::lock_guard lock(*state->mutex);
    return *state->stopping ||
           state->cancelled->count(key_of(state->account, state->job->guid));
}

// A ticket whose FilePaths point at the documents' blobs, linked under
// their names into WORK so that the core sees the usual file names.
fs::path stage_ticket(Service& s, AccountId account, const Entity& job,
                      const fs::path& work) {
    auto stored = s.store().get(account, "jobxml", job.guid);
    JobXml xml = JobXml::parse(stored ? stored->body.value("Xml", "") : "",
                               "Job XML of " + job.guid);
    for (auto& file : xml.file_paths()) {
        std::string doc_guid = file.id;
        if (doc_guid.empty())
            for (auto& d : job.body.value("Documents", nlohmann::json::array()))
                if (d.value("Name", "") == file.path)
                    doc_guid = d.value("DocumentGUID", "");
        auto doc = doc_guid.empty()
                       ? std::nullopt
                       : s.store().get(account, "document", doc_guid);
        if (!doc)
            throw std::runtime_error("FilePath \"" + file.path +
                                     "\" names no stored document");
        fs::path link = work / doc->body.value("Name", "document");
        std::error_code ec;
        fs::remove(link, ec);
        fs::create_hard_link(s.blobs().path(doc->body.value("Sha1", "")),
                             link, ec);
        if (ec)
            fs::copy_file(s.blobs().path(doc->body.value("Sha1", "")), link);
        xml.set_file_path(file, link.string(), doc_guid);
    }
    fs::path ticket = work / "Settings.xml";
    std::ofstream(ticket) << xml.dump();
    return ticket;
}

}  // namespace
#endif

void RipWorker::render(const Task& task) {
    auto found = service_.store().get(task.account, "job", task.job_guid);
    if (!found || !found->body.value("RenderRequested", false))
        return;
    Entity job = *found;
    auto device = service_.store().get(task.account, "device",
                                       job.body.value("DeviceGUID", ""));
    if (!device || !embedded_device(service_, task.account, *device))
        return;  // another RIP hosts the device; it reports via the API
#if !RIPLINE_SERVER_HAVE_CORE
    job.body["RenderRequested"] = false;
    set_job_status(service_, task.account, job, "Error", "RIP",
                   "This ripline-server was built without the RIP core "
                   "(CMake target ripline), so it cannot render");
#else
    auto started = std::chrono::steady_clock::now();
    set_job_status(service_, task.account, job, "InProgress", "RIP",
                   "Rendering on " + device->body.value("Name", ""), 0);
    fs::path work = fs::path(service_.config().data_dir) / "work" / job.guid;
    fs::create_directories(work);
    fs::path output = fs::absolute(fs::path(service_.config().data_dir) /
                                   "outputs" / job.guid /
                                   job.body.value("SpoolGUID", "spool"));
    fs::create_directories(output);
    fs::path ticket = stage_ticket(service_, task.account, job, work);
    rl_context* ctx = core_->context;
    rl_job* rjob = nullptr;
    rl_device* rdev = nullptr;
    rl_render* render = nullptr;
    std::string definition = device->body.value(
        "DeviceDefinition", device->body.value("DriverID", ""));
    std::string uri = device->body.value("ConnectionURI", "");
    RenderState state{&service_, this, task.account, &job, &mutex_,
                      &cancelled_, &stopping_, started};
    rl_render_stats stats{};
    stats.size = sizeof stats;
    rl_status status = ctx ? RL_OK : RL_ERROR_INTERNAL;
    if (status == RL_OK)
        status = rl_job_open(ctx, ticket.c_str(), &rjob);
    if (status == RL_OK)
        status = rl_device_open(ctx, definition.c_str(), &rdev);
    if (status == RL_OK)
        status = rl_render_new(ctx, rjob, rdev, &render);
    std::string target = uri.rfind("file://", 0) == 0 || uri.empty()
                             ? output.string()
                             : uri;
    if (status == RL_OK)
        status = rl_render_set_option(render, "output", target.c_str());
    if (status == RL_OK)
        status = rl_render_set_progress(render, on_progress, &state);
    if (status == RL_OK)
        status = rl_render_set_cancel(render, on_cancel, &state);
    if (status == RL_OK)
        status = rl_render_run(render, &stats);
    std::string error = ctx ? rl_context_last_error(ctx) : "no RIP context";
    rl_render_drop(ctx, render);
    rl_device_drop(ctx, rdev);
    rl_job_drop(ctx, rjob);
    double seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - started)
                         .count();
    job.body["ProcessingSeconds"] = seconds;
    bool shutting_down = false;
    {
        std::lock_guard lock(mutex_);
        shutting_down = stopping_;
    }
    if (status == RL_ERROR_CANCELLED && shutting_down) {
        set_job_status(service_, task.account, job, "Waiting", "RIP",
                       "Requeued: the server stopped during the render");
        return;
    }
    job.body["RenderRequested"] = false;
    if (status == RL_ERROR_CANCELLED) {
        set_job_status(service_, task.account, job, "Canceled", "RIP",
                       "Render canceled");
    } else if (status != RL_OK) {
        set_job_status(service_, task.account, job, "Error", "RIP",
                       std::string(rl_status_string(status)) + ": " + error);
    } else {
        job.body["Output"] = output.string();
        job.body["Pages"] = stats.sheets;
        service_.store().journal_add(task.account, job.guid,
                                     {now_iso(), seconds, "RIP",
                                      "Rendered " +
                                          std::to_string(stats.sheets) +
                                          " sheet(s)"});
        set_job_status(service_, task.account, job, "Completed", "Spooler",
                       "Output written to " + target, 100);
    }
#endif
}

}  // namespace ripline::server
