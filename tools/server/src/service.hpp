// SPDX-License-Identifier: AGPL-3.0-or-later
// Service: configuration, route table, authentication and the shared parts.
#pragma once

#include "blobs.hpp"
#include "http.hpp"
#include "notify.hpp"
#include "store.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace ripline::server {

struct Config {
    std::string data_dir = "ripline-data";
    std::string listen = "127.0.0.1:8080";
    int threads = 0;                    // 0: one per core
    std::uint64_t max_upload_bytes = 1ull << 30;
    std::uint64_t memory_body_bytes = 256u << 10;  // larger go to disk
    int request_timeout_s = 30;         // to receive one request
    int idle_timeout_s = 120;           // keep-alive between requests
    std::string tls_cert, tls_key;      // both set: HTTPS and WSS
    bool rip_worker = true;
    int rip_threads = 1;
    int hotfolder_poll_ms = 1000;
    int retention_days = 30;
    int purge_interval_s = 3600;
    int thumbnail_px = 256;             // longest side of page thumbnails
    int nest_poll_ms = 1000;            // nest group triggers checked
    std::string access_log = "-";      // "-": stderr, "off", or a file
    std::string driver_path, profile_path;  // passed to the RIP core
};

// Which credentials a route accepts (PrintFactory documents one per call).
enum class Auth { none, any, mis_key, hardware };

// Who is calling, once authenticated.
struct Caller {
    AccountId account = 0;
    bool hardware = false;
    std::string serial_number;
    std::string computer_guid;
    std::string application_version;
};

using Handler = std::function<Response(Request&, const Caller&)>;

// One call of the API. The table drives dispatch, the OpenAPI document and
// the tests, so the three cannot drift apart.
struct Route {
    std::string method;
    std::string pattern;       // "/api/v2/job/{JobGUID}/status"
    Auth auth = Auth::any;
    std::string tag;           // "Jobs", "Documents", ...
    std::string summary;
    std::string request_type;  // "application/json", "multipart/form-data"...
    std::string response_type = "application/json";
    std::vector<int> statuses;  // documented answers besides 200
    bool extension = false;     // ours, not PrintFactory's
    Handler handler;
    std::vector<std::string> segments;  // PATTERN split at '/'
};

class RipWorker;
class Hotfolders;
class Previewer;

class Service {
public:
    explicit Service(Config config);
    ~Service();

    // Answer one request: route, authenticate, run, map errors.
    Response handle(Request& request);

    // Check the MisKey of a WebSocket handshake; nullopt when refused.
    std::optional<Caller> authenticate_mis_key(const Request& request);

    void add(Route route);
    const std::vector<Route>& routes() const { return routes_; }

    // Start and stop the background parts (RIP worker, hotfolders, purge).
    void start_background();
    void stop_background();

    // Create an account with one site and user; returns the MIS key.
    std::string create_account(const std::string& name, Site* site = nullptr);

    Store& store() { return *store_; }
    BlobStore& blobs() { return blobs_; }
    Notifier& notifier() { return notifier_; }
    RipWorker* worker() { return worker_.get(); }
    // Reads documents' pages with the core; null until start_background.
    Previewer* previewer() { return previewer_.get(); }
    const Config& config() const { return config_; }

    // Publish a job event and record it; body gets JobGUID.
    void job_event(AccountId account, const std::string& job_guid,
                   nlohmann::json body = nlohmann::json::object());

    // Remove revisions older than the retention period; returns blobs freed.
    int purge_old_revisions();

    std::atomic<std::uint64_t> requests_served{0};

private:
    Caller authenticate(const Route& route, const Request& request);
    void run_nest_scheduler();
    const Route* match(Request& request, bool* path_known);

    Config config_;
    std::unique_ptr<Store> store_;
    BlobStore blobs_;
    Notifier notifier_;
    std::vector<Route> routes_;
    std::unique_ptr<RipWorker> worker_;
    std::unique_ptr<Hotfolders> hotfolders_;
    std::unique_ptr<Previewer> previewer_;
    std::shared_mutex cache_mutex_;
    std::unordered_map<std::string, Caller> callers_;  // by credential hash
    std::thread purge_thread_;
    std::thread nest_thread_;
    std::atomic<bool> stopping_{false};
};

// Route groups, one per area of the API (api_*.cpp).
void add_job_routes(Service& service);
void add_document_routes(Service& service);
void add_resource_routes(Service& service);
void add_configuration_routes(Service& service);
void add_nester_routes(Service& service);
void add_log_routes(Service& service);
void add_meta_routes(Service& service);

// Release a nest for every group whose trigger fired (MaxAgeMinutes,
// Deadline, MinEfficiency, MaxLength), laid out by the nesting library and
// published on the "nest" topic; returns how many. The nest scheduler
// calls it every --nest-poll-ms.
int release_due_nests(Service& service);

// The OpenAPI 3 document of SERVICE's route table.
nlohmann::json openapi_document(const Service& service);

// The readable docs page (HTML that renders the OpenAPI document).
const std::string& docs_page();

// A new GUID in the usual 8-4-4-4-12 lower-case form.
std::string new_guid();
// True for a GUID in that form (either case, braces not allowed).
bool is_guid(const std::string& text);

// The object KIND/GUID of ACCOUNT, or 404 "<FIELD> is not found".
Entity require(Service& service, AccountId account, const std::string& kind,
               const std::string& guid, const std::string& field);

// The string field NAME of BODY, or 400 "\"NAME\" value required".
std::string required_field(const nlohmann::json& body,
                           const std::string& name);
// The string field NAME of BODY, or "" when absent or not a string.
std::string string_field(const nlohmann::json& body, const std::string& name);

}  // namespace ripline::server
