// SPDX-License-Identifier: AGPL-3.0-or-later
// Test harness: a real ripline-server on a loopback port with a fresh
// store, and real HTTP and WebSocket clients (Beast) to drive it.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ripline::server::test {

struct Reply {
    int status = 0;
    std::string body;
    std::string content_type;
    nlohmann::json json() const;
    // The "Message" of an error body, or the bare string of a success.
    std::string message() const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One tenant made with `ripline-server admin create-account`.
struct Tenant {
    std::string mis_key;
    std::string serial_number;
    std::string embedded_rip;  // ComputerGUID of the embedded RIP
    HeaderList auth() const { return {{"MisKey", mis_key}}; }
};

class ServerProcess {
public:
    // Start the server with EXTRA flags on a fresh store; accounts A and B
    // and a hardware computer of A are created first.
    explicit ServerProcess(std::vector<std::string> extra = {});
    ~ServerProcess();

    Reply call(const std::string& method, const std::string& target,
               const HeaderList& headers = {}, const std::string& body = {},
               const std::string& content_type = {}) const;
    Reply get(const std::string& target, const HeaderList& headers) const {
        return call("GET", target, headers);
    }
    Reply post_json(const std::string& target, const HeaderList& headers,
                    const nlohmann::json& body) const {
        std::string text = body.is_null() ? "{}" : body.dump();
        return call("POST", target, headers, text, "application/json");
    }

    unsigned short port() const { return port_; }
    const std::filesystem::path& data() const { return data_; }
    std::size_t blob_count() const;

    // Stop with SIGTERM and wait; returns the exit status.
    int stop();

    Tenant a, b;
    HeaderList hardware;          // A's registered RIP
    std::string hardware_rip;     // its ComputerGUID

private:
    std::filesystem::path data_;
    unsigned short port_ = 0;
    int pid_ = -1;
};

// A multipart/form-data body; content_type() gives the header value.
class Form {
public:
    Form& part(const std::string& name, const std::string& data,
               const std::string& type, const std::string& filename = "");
    std::string body() const { return body_ + "--" + boundary_ + "--\r\n"; }
    std::string content_type() const {
        return "multipart/form-data; boundary=" + boundary_;
    }

private:
    std::string boundary_ = "ripline-test-boundary-7d1f";
    std::string body_;
};

// A WebSocket client of /notifications.
class Notifications {
public:
    Notifications(unsigned short port, const std::string& mis_key,
                  const std::string& query = "");
    ~Notifications();
    void send(const nlohmann::json& message);
    // The next message, or null JSON after TIMEOUT.
    nlohmann::json next(std::chrono::milliseconds timeout =
                            std::chrono::milliseconds(2000));

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A tiny valid PNG (1x1 RGB).
std::string tiny_png();
// A one-page PDF of WIDTH x HEIGHT points.
std::string tiny_pdf(int width_pt = 200, int height_pt = 100);
// A PDF with one page per size (points), each with a red 50 pt square at
// (10, 10) from the bottom left.
std::string pdf_of_pages(const std::vector<std::pair<int, int>>& sizes_pt);
// A Job XML ticket with JOB_GUID and optional parts.
std::string job_xml(const std::string& job_guid, const std::string& extra = "",
                    const std::string& file_path = "");
// POST /api/v2/job of the Job XML ticket XML as tenant T.
Reply add_job(const ServerProcess& s, const Tenant& t, const std::string& xml);
std::string guid();
std::string server_binary();

}  // namespace ripline::server::test
