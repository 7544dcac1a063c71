// SPDX-License-Identifier: AGPL-3.0-or-later
// ripline-server: flags and config file, the admin commands, and serving.
#include "server.hpp"
#include "worker.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

using namespace ripline::server;

namespace {

void add_serve_options(CLI::App& app, Config& c) {
    app.add_option("--data", c.data_dir,
                   "Folder of the store: ripline.db (SQLite, WAL), blobs/, "
                   "hotfolders/, outputs/")
        ->capture_default_str();
    app.add_option("--listen", c.listen,
                   "HOST:PORT to serve HTTP and WebSocket on (port 0: any)")
        ->capture_default_str();
    app.add_option("--threads", c.threads,
                   "Threads serving requests (0: one per core)")
        ->capture_default_str();
    app.add_option("--max-upload-bytes", c.max_upload_bytes,
                   "Largest request body; larger ones get 413")
        ->capture_default_str();
    app.add_option("--memory-body-bytes", c.memory_body_bytes,
                   "Bodies up to this size are kept in memory, larger ones "
                   "are streamed to disk")
        ->capture_default_str();
    app.add_option("--request-timeout", c.request_timeout_s,
                   "Seconds a client has to send one request (slow clients "
                   "are cut off; large bodies get 1 s more per MiB)")
        ->capture_default_str();
    app.add_option("--idle-timeout", c.idle_timeout_s,
                   "Seconds a keep-alive connection may stay idle")
        ->capture_default_str();
    app.add_option("--tls-cert", c.tls_cert,
                   "PEM certificate chain: serve HTTPS and WSS (needs "
                   "--tls-key)");
    app.add_option("--tls-key", c.tls_key, "PEM private key for --tls-cert");
    app.add_flag("!--no-rip", c.rip_worker,
                 "Do not run the embedded RIP worker (jobs wait for an "
                 "external RIP)");
    app.add_option("--rip-threads", c.rip_threads,
                   "Jobs the embedded RIP renders at once")
        ->capture_default_str();
    app.add_option("--hotfolder-poll-ms", c.hotfolder_poll_ms,
                   "How often queue hotfolders are scanned")
        ->capture_default_str();
    app.add_option("--retention-days", c.retention_days,
                   "Days old resource versions are kept")
        ->capture_default_str();
    app.add_option("--purge-interval", c.purge_interval_s,
                   "Seconds between purges of expired resource versions")
        ->capture_default_str();
    app.add_option("--thumbnail-px", c.thumbnail_px,
                   "Longest side in pixels of the page thumbnails the RIP "
                   "core renders for every stored document")
        ->check(CLI::Range(16, 4096))
        ->capture_default_str();
    app.add_option("--nest-poll-ms", c.nest_poll_ms,
                   "How often nest groups' triggers (max age, deadline, min "
                   "efficiency, max length) are checked")
        ->check(CLI::Range(10, 3600000))
        ->capture_default_str();
    app.add_option("--access-log", c.access_log,
                   "Where the one-line-per-request log goes: - (stderr), "
                   "off, or a file")
        ->capture_default_str();
    app.add_option("--driver-path", c.driver_path,
                   "Folder of driver modules for the RIP core");
    app.add_option("--profile-path", c.profile_path,
                   "Folder of devices/, icc/ and screens/ for the RIP core");
}

int create_account(Config& config, const std::string& name) {
    Service service(config);
    Site site;
    std::string key = service.create_account(name, &site);
    std::string rip;
    auto account = service.store().account_by_name(name);
    for (auto& c : service.store().list(account->id, "computer", {}))
        rip = c.guid;
    std::printf("MisKey: %s\nSerialNumber: %s\nEmbeddedComputerGUID: %s\n",
                key.c_str(), site.serial_number.c_str(), rip.c_str());
    return 0;
}

int add_hardware(Config& config, const std::string& serial,
                 const std::string& hash, std::string guid) {
    Service service(config);
    auto site = service.store().site_by_serial(serial);
    if (!site) {
        std::fprintf(stderr, "ripline-server: no site has serial number %s\n",
                     serial.c_str());
        return 1;
    }
    if (guid.empty())
        guid = new_guid();
    service.store().add_computer({site->account, serial, hash, guid});
    Entity rip{"computer", guid, serial};
    rip.body = {{"ComputerGUID", guid}, {"SerialNumber", serial}};
    if (!service.store().get(site->account, "computer", guid))
        service.store().put(site->account, rip);
    std::printf("ComputerGUID: %s\n", guid.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ripline-server: the PrintFactory-style production RIP "
                 "service (REST under /api/v2, WebSocket at /notifications)"};
    app.set_config("--config", "", "Read options from this TOML/INI file; "
                                   "flags given on the command line win");
    Config config;
    add_serve_options(app, config);

    auto* admin = app.add_subcommand("admin", "Manage accounts in the store");
    admin->require_subcommand(1);
    std::string name, serial, hash, guid;
    auto* create = admin->add_subcommand(
        "create-account", "Create an account (tenant) with one site and the "
                          "embedded RIP; prints its MIS key once");
    create->add_option("NAME", name, "Account (company) name")->required();
    create->add_option("--data", config.data_dir, "Folder of the store")
        ->capture_default_str();
    auto* hardware = admin->add_subcommand(
        "add-computer", "Let a RIP computer in with HardwareHash + "
                        "SerialNumber; prints its ComputerGUID");
    hardware->add_option("--serial", serial, "Site serial number")
        ->required();
    hardware->add_option("--hardware-hash", hash, "The RIP's HardwareHash")
        ->required();
    hardware->add_option("--computer-guid", guid, "Its ComputerGUID "
                                                  "(default: a new one)");
    hardware->add_option("--data", config.data_dir, "Folder of the store")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    try {
        if (*create)
            return create_account(config, name);
        if (*hardware)
            return add_hardware(config, serial, hash, guid);
        Service service(config);
        HttpServer server(service, config);
        service.start_background();
        std::fprintf(stderr,
                     "level=info msg=\"ripline-server listening\" "
                     "listen=%s port=%u data=%s rip=%s docs=/api/v2/docs\n",
                     config.listen.c_str(), server.port(),
                     config.data_dir.c_str(),
                     !config.rip_worker      ? "off"
                     : RipWorker::has_core() ? "embedded"
                                             : "no-core");
        server.run();
        service.stop_background();
        std::fprintf(stderr, "level=info msg=\"ripline-server stopped\"\n");
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "ripline-server: %s\n", error.what());
        return 1;
    }
}
