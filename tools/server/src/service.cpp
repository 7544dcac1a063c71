// SPDX-License-Identifier: AGPL-3.0-or-later
// Dispatch: match the route table, authenticate, run, map failures.
#include "service.hpp"

#include "hotfolder.hpp"
#include "preview.hpp"
#include "worker.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <sstream>

namespace ripline::server {

namespace fs = std::filesystem;

namespace {

const char* const headers_required =
    "\"MisKey\" or \"HardwareHash\", \"SerialNumber\" and "
    "\"ApplicationVersion\" header are required";
const char* const hardware_required =
    "\"HardwareHash\", \"SerialNumber\" and \"ApplicationVersion\" header "
    "are required";

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::stringstream in(path);
    std::string part;
    while (std::getline(in, part, '/'))
        if (!part.empty())
            parts.push_back(part);
    return parts;
}

}  // namespace

std::string new_guid() {
    std::string hex = random_hex(16);
    std::transform(hex.begin(), hex.end(), hex.begin(), ::tolower);
    hex[12] = '4';
    hex[16] = "89ab"[hex[16] % 4];
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" +
           hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20, 12);
}

bool is_guid(const std::string& text) {
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !std::isxdigit((unsigned char)text[i]))
            return false;
    }
    return true;
}

Entity require(Service& service, AccountId account, const std::string& kind,
               const std::string& guid, const std::string& field) {
    auto entity = service.store().get(account, kind, guid);
    if (!entity)
        throw ApiError(404, field + " is not found");
    return *entity;
}

std::string string_field(const nlohmann::json& body,
                         const std::string& name) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_number() || it->is_boolean())
        return it->dump();
    return {};
}

std::string required_field(const nlohmann::json& body,
                           const std::string& name) {
    std::string value = string_field(body, name);
    if (value.empty())
        throw ApiError(400, "\"" + name + "\" value required");
    return value;
}

Service::Service(Config config)
    : config_(std::move(config)),
      store_((fs::create_directories(config_.data_dir),
              open_sqlite_store(config_.data_dir + "/ripline.db"))),
      blobs_(fs::path(config_.data_dir) / "blobs") {
    notifier_.set_store(store_.get());
    add_meta_routes(*this);
    add_job_routes(*this);
    add_document_routes(*this);
    add_resource_routes(*this);
    add_configuration_routes(*this);
    add_nester_routes(*this);
    add_log_routes(*this);
}

Service::~Service() { stop_background(); }

void Service::add(Route route) {
    route.segments = split_path(route.pattern);

    // Answers every route of a kind can give are documented for it.
    auto document = [&](int status) {
        if (std::find(route.statuses.begin(), route.statuses.end(),
                      status) == route.statuses.end())
            route.statuses.push_back(status);
    };
    if (route.auth != Auth::none)
        document(401);
    if (!route.request_type.empty()) {
        document(400);
        document(413);
        document(415);
    }
    std::sort(route.statuses.begin(), route.statuses.end());
    routes_.push_back(std::move(route));
}

const Route* Service::match(Request& request, bool* path_known) {
    // The route with the most literal segments wins: /job/list before
    // /job/{JobGUID}.
    auto parts = split_path(request.path);
    const Route* best = nullptr;
    int best_literals = -1;
    *path_known = false;
    for (auto& route : routes_) {
        if (route.segments.size() != parts.size())
            continue;
        int literals = 0;
        bool ok = true;
        for (std::size_t i = 0; ok && i < parts.size(); ++i) {
            const auto& seg = route.segments[i];
            if (seg.front() == '{')
                continue;
            ok = seg == parts[i];
            literals += ok;
        }
        if (!ok)
            continue;
        *path_known = true;
        if (route.method == request.method && literals > best_literals) {
            best = &route;
            best_literals = literals;
        }
    }
    if (best)
        for (std::size_t i = 0; i < parts.size(); ++i)
            if (best->segments[i].front() == '{')
                request.params[best->segments[i].substr(
                    1, best->segments[i].size() - 2)] = url_decode(parts[i]);
    return best;
}

Caller Service::authenticate(const Route& route, const Request& request) {
    if (route.auth == Auth::none)
        return {};
    std::string key = request.header("MisKey");
    std::string hash = request.header("HardwareHash");
    std::string serial = request.header("SerialNumber");
    std::string version = request.header("ApplicationVersion");
    bool has_hardware = !hash.empty() && !serial.empty() && !version.empty();

    if (route.auth == Auth::hardware && !has_hardware)
        throw ApiError(401, hardware_required);
    if (key.empty() && !has_hardware)
        throw ApiError(401, headers_required);
    bool use_key = !key.empty() && route.auth != Auth::hardware;
    if (!use_key && route.auth == Auth::mis_key)
        throw ApiError(401, "\"MisKey\" header is required");

    // Credentials are cached by their hash; keys are never kept in clear.
    std::string cache_key = use_key ? "K" + sha256_hex(key)
                                    : "H" + serial + "/" + hash;
    {
        std::shared_lock lock(cache_mutex_);
        auto it = callers_.find(cache_key);
        if (it != callers_.end()) {
            Caller caller = it->second;
            caller.application_version = version;
            return caller;
        }
    }
    Caller caller;
    if (use_key) {
        auto account = store_->account_by_key(cache_key.substr(1));
        if (!account)
            throw ApiError(401, "Invalid MisKey");
        caller.account = account->id;
    } else {
        auto computer = store_->computer_by_hardware(serial, hash);
        if (!computer)
            throw ApiError(401, "Invalid HardwareHash");
        caller = {computer->account, true, serial, computer->computer_guid,
                  version};
    }
    std::unique_lock lock(cache_mutex_);
    callers_[cache_key] = caller;
    return caller;
}

std::optional<Caller> Service::authenticate_mis_key(const Request& request) {
    Route ws;
    ws.auth = Auth::mis_key;
    try {
        return authenticate(ws, request);
    } catch (const ApiError&) {
        return std::nullopt;
    }
}

Response Service::handle(Request& request) {
    ++requests_served;
    try {
        bool path_known = false;
        const Route* route = match(request, &path_known);
        if (!route && path_known)
            return message_response(
                405, "The requested resource does not support http method '" +
                         request.method + "'.");
        if (!route)
            return message_response(
                404, "No HTTP resource was found that matches the request "
                     "URI '" + request.path + "'.");
        Caller caller = authenticate(*route, request);
        return route->handler(request, caller);
    } catch (const ApiError& error) {
        return message_response(error.status(), error.what());
    } catch (const nlohmann::json::exception& error) {
        return message_response(400, std::string("This request is not "
                                                 "properly formatted: ") +
                                         error.what());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "level=error path=%s what=\"%s\"\n",
                     request.path.c_str(), error.what());
        return message_response(500, "Internal Server Error");
    }
}

std::string Service::create_account(const std::string& name, Site* site) {
    if (store_->account_by_name(name))
        throw std::runtime_error("an account named \"" + name +
                                 "\" already exists");
    std::string key = random_hex(20);
    store_->transaction([&] {
        Account account = store_->create_account(name, sha256_hex(key));
        Site made = store_->add_site(account.id, name + " site");
        store_->add_user(account.id, "admin", made.serial_number);

        // The embedded RIP is a computer of every account's first site.
        Entity rip{"computer", new_guid(), made.serial_number};
        rip.body = {{"ComputerGUID", rip.guid},
                    {"ComputerName", "ripline embedded RIP"},
                    {"SerialNumber", made.serial_number},
                    {"Embedded", true}};
        store_->put(account.id, rip);
        if (site)
            *site = made;
    });
    return key;
}

void Service::job_event(AccountId account, const std::string& job_guid,
                        nlohmann::json body) {
    body["JobGUID"] = job_guid;
    if (!body.contains("EventDate"))
        body["EventDate"] = now_iso();
    notifier_.publish(account, "job", std::move(body));
}

int Service::purge_old_revisions() {
    using namespace std::chrono;
    auto cutoff_time = system_clock::now() - hours(24) * config_.retention_days;
    auto seconds = system_clock::to_time_t(cutoff_time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char cutoff[32];
    std::strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
    int freed = 0;
    for (auto& sha1 : store_->purge_revisions("resource", cutoff)) {
        blobs_.remove(sha1);
        ++freed;
    }
    return freed;
}

void Service::run_nest_scheduler() {
    using namespace std::chrono;
    while (!stopping_) {
        try {
            release_due_nests(*this);
        } catch (const std::exception& e) {
            std::fprintf(stderr,
                         "level=error msg=\"nest triggers not checked\" "
                         "what=\"%s\"\n", e.what());
        }
        auto until = steady_clock::now() + milliseconds(config_.nest_poll_ms);
        while (!stopping_ && steady_clock::now() < until)
            std::this_thread::sleep_for(milliseconds(
                std::min(50, std::max(1, config_.nest_poll_ms))));
    }
}

void Service::start_background() {
    if (config_.rip_worker) {
        worker_ = std::make_unique<RipWorker>(*this);
        worker_->start();
    }
    previewer_ = std::make_unique<Previewer>(*this);
    previewer_->start();
    hotfolders_ = std::make_unique<Hotfolders>(*this);
    hotfolders_->start();
    nest_thread_ = std::thread([this] { run_nest_scheduler(); });
    purge_thread_ = std::thread([this] {
        while (!stopping_) {
            purge_old_revisions();
            for (int i = 0; i < config_.purge_interval_s * 10 && !stopping_;
                 ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
}

void Service::stop_background() {
    stopping_ = true;
    if (hotfolders_)
        hotfolders_->stop();
    if (worker_)
        worker_->stop();
    if (previewer_)
        previewer_->stop();
    if (purge_thread_.joinable())
        purge_thread_.join();
    if (nest_thread_.joinable())
        nest_thread_.join();
}

}  // namespace ripline::server
