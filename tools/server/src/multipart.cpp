// SPDX-License-Identifier: AGPL-3.0-or-later
// A strict multipart/form-data reader (RFC 7578) over a mapped body.
#include "multipart.hpp"

#include <algorithm>
#include <cctype>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace ripline::server {

namespace {

const char* const bad_form = "This request is not properly formatted";

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string trim(std::string_view text) {
    auto begin = text.find_first_not_of(" \t\"");
    auto end = text.find_last_not_of(" \t\"");
    return begin == std::string_view::npos
               ? std::string()
               : std::string(text.substr(begin, end - begin + 1));
}

// The value of PARAMETER in a header like `form-data; name="x"`.
std::string header_parameter(std::string_view header,
                             const std::string& parameter) {
    std::string low = lower(std::string(header));
    std::size_t at = 0;
    while ((at = low.find(parameter + "=", at)) != std::string::npos) {
        bool starts = at == 0 || low[at - 1] == ';' || low[at - 1] == ' ';
        if (starts) {
            std::size_t begin = at + parameter.size() + 1;
            std::size_t end;
            if (begin < header.size() && header[begin] == '"')
                end = header.find('"', begin + 1) + 1;
            else
                end = header.find(';', begin);
            return trim(header.substr(begin, end == std::string::npos
                                                 ? std::string::npos
                                                 : end - begin));
        }
        at += parameter.size();
    }
    return {};
}

}  // namespace

Multipart::Multipart(const Request& request) {
    if (request.content_type() != "multipart/form-data")
        throw ApiError(415, bad_form);
    std::string boundary =
        header_parameter(request.header("Content-Type"), "boundary");
    if (boundary.empty())
        throw ApiError(415, bad_form);
    if (request.body_file.empty()) {
        parse(request.body, boundary);
        return;
    }

    // Map the streamed body; the kernel pages it in as parts are read.
    int fd = ::open(request.body_file.c_str(), O_RDONLY);
    if (fd < 0)
        throw ApiError(500, "Internal Server Error");
    map_bytes_ = static_cast<std::size_t>(request.body_bytes);
    if (map_bytes_ > 0)
        map_ = ::mmap(nullptr, map_bytes_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map_ == MAP_FAILED) {
        map_ = nullptr;
        throw ApiError(500, "Internal Server Error");
    }
    parse({static_cast<const char*>(map_), map_bytes_}, boundary);
}

Multipart::~Multipart() {
    if (map_)
        ::munmap(map_, map_bytes_);
}

void Multipart::parse(std::string_view body, const std::string& boundary) {
    const std::string delimiter = "--" + boundary;
    std::size_t at = body.find(delimiter);
    if (at == std::string_view::npos)
        throw ApiError(415, bad_form);
    for (;;) {
        at += delimiter.size();
        if (body.substr(at, 2) == "--")
            return;  // the closing delimiter
        if (body.substr(at, 2) != "\r\n")
            throw ApiError(415, bad_form);
        at += 2;

        // Headers of this part, up to the blank line.
        std::size_t headers_end = body.find("\r\n\r\n", at);
        if (headers_end == std::string_view::npos)
            throw ApiError(415, bad_form);
        Part part;
        std::string_view headers = body.substr(at, headers_end - at);
        while (!headers.empty()) {
            std::size_t eol = headers.find("\r\n");
            std::string_view line = headers.substr(0, eol);
            headers = eol == std::string_view::npos ? std::string_view()
                                                    : headers.substr(eol + 2);
            std::size_t colon = line.find(':');
            if (colon == std::string_view::npos)
                throw ApiError(415, bad_form);
            std::string key = lower(trim(line.substr(0, colon)));
            std::string_view value = line.substr(colon + 1);
            if (key == "content-disposition") {
                part.name = header_parameter(value, "name");
                part.filename = header_parameter(value, "filename");
            } else if (key == "content-type") {
                std::string type = trim(value);
                part.content_type = lower(type.substr(0, type.find(';')));
            }
        }

        // The data runs to the next delimiter, which starts on a new line.
        std::size_t data = headers_end + 4;
        std::size_t next = body.find("\r\n" + delimiter, data);
        if (next == std::string_view::npos)
            throw ApiError(415, bad_form);
        part.data = body.substr(data, next - data);
        parts_.push_back(std::move(part));
        at = next + 2;
    }
}

const Part* Multipart::find(const std::string& name) const {
    for (auto& part : parts_)
        if (lower(part.name) == lower(name))
            return &part;
    return nullptr;
}

const Part* Multipart::find_type(const std::string& prefix) const {
    for (auto& part : parts_)
        if (part.content_type.rfind(prefix, 0) == 0)
            return &part;
    return nullptr;
}

}  // namespace ripline::server
