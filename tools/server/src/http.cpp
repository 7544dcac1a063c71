// SPDX-License-Identifier: AGPL-3.0-or-later
// Helpers shared by handlers: responses, body access, URL decoding.
#include "http.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace ripline::server {

bool CaseLess::operator()(std::string_view a, std::string_view b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
            return std::tolower(static_cast<unsigned char>(x)) <
                   std::tolower(static_cast<unsigned char>(y));
        });
}

std::string Request::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

std::string Request::content_type() const {
    std::string type = header("Content-Type");
    type = type.substr(0, type.find(';'));
    type.erase(std::remove_if(type.begin(), type.end(),
                              [](unsigned char c) { return std::isspace(c); }),
               type.end());
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return type;
}

const std::string& Request::param(const std::string& name) const {
    static const std::string empty;
    auto it = params.find(name);
    return it == params.end() ? empty : it->second;
}

Response message_response(int status, const std::string& text) {
    Response response;
    response.status = status;
    response.body = nlohmann::json{{"Message", text}}.dump();
    return response;
}

Response string_response(const std::string& text) {
    Response response;
    response.body = nlohmann::json(text).dump();
    return response;
}

Response json_response(const nlohmann::json& value, int status) {
    Response response;
    response.status = status;
    response.body = value.dump();
    return response;
}

std::string body_text(const Request& request, std::uint64_t max_bytes) {
    if (request.body_file.empty())
        return request.body;
    if (request.body_bytes > max_bytes)
        throw ApiError(413, "Request body too large for this call");

    // Streamed bodies are read back only for the small structured calls.
    std::ifstream in(request.body_file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

nlohmann::json json_body(const Request& request) {
    if (request.content_type() != "application/json")
        throw ApiError(415, "Expected type: application/json");
    auto value = nlohmann::json::parse(body_text(request), nullptr, false);
    if (value.is_discarded())
        throw ApiError(400, "This request is not properly formatted: "
                            "the body is not valid JSON");
    if (!value.is_object())
        throw ApiError(400, "This request is not properly formatted: "
                            "the body must be a JSON object");
    return value;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string url_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() &&
            hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 +
                                     hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i] == '+' && plus_is_space ? ' ' : text[i];
        }
    }
    return out;
}

}  // namespace ripline::server
