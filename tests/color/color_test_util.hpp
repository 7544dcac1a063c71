// SPDX-License-Identifier: AGPL-3.0-or-later
// Helpers shared by the colour tests: shipped files, scratch files, dE.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace ripline::color::test {

std::filesystem::path mode_path(const std::string& name);
nlohmann::json read_json(const std::filesystem::path& path);

// Write DOC to a scratch file and return its path (removed at exit); its
// relative paths are resolved from the shipped modes' folder.
std::filesystem::path scratch_mode(const nlohmann::json& doc,
                                   const std::string& name);

// CIEDE2000 between two colours of the same CMYK profile (0..1 each),
// through its relative colorimetric CMYK -> Lab transform.
class CmykDelta {
public:
    explicit CmykDelta(const std::filesystem::path& profile);
    ~CmykDelta();
    double operator()(const float* cmyk_a, const float* cmyk_b) const;

private:
    void* profile_;
    void* lab_;
    void* transform_;
};

}  // namespace ripline::color::test
