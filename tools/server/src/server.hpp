// SPDX-License-Identifier: AGPL-3.0-or-later
// HttpServer: the Beast listener, HTTP/1.1 sessions and WebSocket upgrades.
#pragma once

#include "service.hpp"

#include <memory>

namespace ripline::server {

class HttpServer {
public:
    HttpServer(Service& service, const Config& config);
    ~HttpServer();

    // The port actually bound (useful with port 0).
    unsigned short port() const;

    // Serve until stop() is called or SIGINT/SIGTERM arrives.
    void run();

    // Stop accepting, let requests in flight finish (up to GRACE_S), quit.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ripline::server
