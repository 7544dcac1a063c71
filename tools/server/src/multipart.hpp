// SPDX-License-Identifier: AGPL-3.0-or-later
// multipart/form-data: parts found in a request body without copying it.
#pragma once

#include "http.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ripline::server {

struct Part {
    std::string name;          // form field name
    std::string filename;      // as sent; never used as a path
    std::string content_type;  // lower case, without parameters
    std::string_view data;     // into the mapped body
};

// The parts of a multipart request. A streamed body is memory-mapped, not
// read, so a large upload never sits in memory. Throws ApiError 415 with
// PrintFactory's text when the body is not a well-formed multipart form.
class Multipart {
public:
    explicit Multipart(const Request& request);
    ~Multipart();
    Multipart(const Multipart&) = delete;
    Multipart& operator=(const Multipart&) = delete;

    const std::vector<Part>& parts() const { return parts_; }
    // The part named NAME, or nullptr.
    const Part* find(const std::string& name) const;
    // The first part whose content type starts with PREFIX, or nullptr.
    const Part* find_type(const std::string& prefix) const;

private:
    void parse(std::string_view body, const std::string& boundary);

    void* map_ = nullptr;
    std::size_t map_bytes_ = 0;
    std::vector<Part> parts_;
};

}  // namespace ripline::server
