// SPDX-License-Identifier: AGPL-3.0-or-later
// The request and response every route handler sees, free of Beast types.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ripline::server {

// Header names compare without case, as HTTP says (`MISKey` == `MisKey`).
struct CaseLess {
    bool operator()(std::string_view a, std::string_view b) const;
};

using Headers = std::map<std::string, std::string, CaseLess>;

struct Request {
    std::string method;        // "GET", "POST", ...
    std::string target;        // as received, with the query
    std::string path;          // decoded, without the query
    std::map<std::string, std::string> query;
    std::map<std::string, std::string> params;  // {Name} parts of the route
    Headers headers;
    std::string body;                    // small bodies live here
    std::filesystem::path body_file;     // large ones were streamed here
    std::uint64_t body_bytes = 0;

    std::string header(const std::string& name) const;
    std::string content_type() const;  // media type only, lower case
    const std::string& param(const std::string& name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::filesystem::path file;  // when set, the body is this file
    std::vector<std::pair<std::string, std::string>> headers;
};

// A failure a handler reports to the client: status + PrintFactory text.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, const std::string& message)
        : std::runtime_error(message), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

// {"Message": TEXT} with STATUS, PrintFactory's shape for errors.
Response message_response(int status, const std::string& text);

// A bare JSON string, PrintFactory's shape for many successes.
Response string_response(const std::string& text);

Response json_response(const nlohmann::json& value, int status = 200);

// The body as text, read from its file when it was streamed to disk.
// Bodies over MAX_BYTES are refused with 413 (JSON is never that large).
std::string body_text(const Request& request,
                      std::uint64_t max_bytes = 16u << 20);

// The body parsed as JSON, or 415 / 400 with PrintFactory's messages.
nlohmann::json json_body(const Request& request);

// Percent-decode one path segment, or a query value ('+' is a space).
std::string url_decode(std::string_view text, bool plus_is_space = false);

}  // namespace ripline::server
