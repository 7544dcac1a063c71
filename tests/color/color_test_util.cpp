// SPDX-License-Identifier: AGPL-3.0-or-later
// Helpers shared by the colour tests.
#include "color_test_util.hpp"

#include <lcms2.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <vector>

namespace ripline::color::test {

namespace fs = std::filesystem;

fs::path mode_path(const std::string& name)
{
    return fs::path(RIPLINE_PROFILE_DIR) / "printmodes" / name;
}

nlohmann::json read_json(const fs::path& path)
{
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

namespace {

// Scratch files live in a temporary folder; remove them at exit.
std::vector<fs::path>& scratch_files()
{
    static std::vector<fs::path> files;
    static bool registered = [] {
        std::atexit([] {
            for (const fs::path& f : scratch_files())
                fs::remove(f);
        });
        return true;
    }();
    (void)registered;
    return files;
}

}  // namespace

fs::path scratch_mode(const nlohmann::json& doc, const std::string& name)
{
    // Relative paths are meant from the shipped modes' folder.
    nlohmann::json copy = doc;
    for (const char* key : {"output_profile", "spots"})
        if (copy.contains(key) && copy[key].is_string()
            && fs::path(copy[key].get<std::string>()).is_relative())
            copy[key] = (mode_path("") / copy[key].get<std::string>())
                            .lexically_normal()
                            .string();
    fs::path dir = fs::temp_directory_path()
                   / ("ripline-color-" + std::to_string(getpid()));
    fs::create_directories(dir);
    fs::path path = dir / (name + ".json");
    std::ofstream(path) << copy.dump(2);
    scratch_files().push_back(path);
    return path;
}

CmykDelta::CmykDelta(const fs::path& profile)
{
    profile_ = cmsOpenProfileFromFile(profile.string().c_str(), "r");
    lab_ = cmsCreateLab4Profile(nullptr);
    transform_ = cmsCreateTransform(profile_, TYPE_CMYK_FLT, lab_,
                                    TYPE_Lab_DBL, INTENT_RELATIVE_COLORIMETRIC,
                                    cmsFLAGS_NOCACHE);
}

CmykDelta::~CmykDelta()
{
    cmsDeleteTransform(transform_);
    cmsCloseProfile(lab_);
    cmsCloseProfile(profile_);
}

double CmykDelta::operator()(const float* a, const float* b) const
{
    // LittleCMS takes floating-point CMYK as 0..100.
    float in[8];
    for (int i = 0; i < 4; ++i) {
        in[i] = a[i] * 100;
        in[4 + i] = b[i] * 100;
    }
    cmsCIELab lab[2];
    cmsDoTransform(transform_, in, lab, 2);
    return cmsCIE2000DeltaE(&lab[0], &lab[1], 1, 1, 1);
}

}  // namespace ripline::color::test
