// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared by the driver tests: temp folders, synthetic sheets, a job runner.
#pragma once

#include "core/common/log.hpp"
#include "plugins/driver_job.hpp"
#include "plugins/host.hpp"
#include "plugins/sdk/driver_sdk.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace ripline::test {

// A fresh, empty folder under the system temp dir, removed at the end.
class TempDir {
public:
    explicit TempDir(const std::string& tag)
    {
        static int counter = 0;
        path_ = std::filesystem::temp_directory_path() /
                ("ripline-test-" + tag + "-" + std::to_string(::getpid()) +
                 "-" + std::to_string(++counter));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }

    // The names of the files in the folder, sorted (hidden ones included).
    std::vector<std::string> files() const
    {
        std::vector<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(path_))
            names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    std::filesystem::path path_;
};

// A sheet of packed dots per ink, filled with a seeded random pattern with
// blank and solid stretches (so every compression path is taken).
struct SyntheticSheet {
    int width_dots = 0;
    int height_dots = 0;
    int bits = 1;
    size_t stride = 0;
    std::vector<std::vector<uint8_t>> planes; // height * stride each

    SyntheticSheet(int inks, int width, int height, int bits_per_dot,
                   unsigned seed)
        : width_dots(width), height_dots(height), bits(bits_per_dot)
    {
        stride = (size_t(width) * size_t(bits) + 7) / 8 + 3; // padded
        std::mt19937 random(seed);
        for (int ink = 0; ink < inks; ++ink) {
            std::vector<uint8_t> plane(stride * size_t(height), 0);
            for (int y = 0; y < height; ++y)
                fill_row(plane.data() + size_t(y) * stride, y, random);
            planes.push_back(std::move(plane));
        }
    }

    // Dot X of row Y of INK (at 16 bits, in the host's byte order).
    unsigned dot(int ink, int x, int y) const
    {
        const uint8_t* row = planes[size_t(ink)].data() + size_t(y) * stride;
        return sdk::dot_value(row, x, bits);
    }

private:
    void fill_row(uint8_t* row, int y, std::mt19937& random)
    {
        size_t used = (size_t(width_dots) * size_t(bits) + 7) / 8;
        int kind = (y / 7) % 4; // blank, solid, noise, sparse
        for (size_t i = 0; i < used; ++i) {
            if (kind == 0)
                row[i] = 0;
            else if (kind == 1)
                row[i] = 0xff;
            else if (kind == 2)
                row[i] = uint8_t(random());
            else
                row[i] = (random() % 9 == 0) ? uint8_t(random()) : 0;
        }

        // Padding bits past the width must not matter: clear them.
        int tail_bits = int(used * 8) - width_dots * bits;
        if (tail_bits > 0)
            row[used - 1] &= uint8_t(0xff << tail_bits);
    }
};

// Everything a test job needs to stay alive while it runs.
struct JobSpec {
    std::string job_id = "0f3c-job";
    std::string job_name = "proof";
    std::vector<std::string> inks = {"C", "M", "Y", "K"};
    int bits = 1;
    double xdpi = 360, ydpi = 720;
    int band_rows = 40;
    std::map<std::string, std::string> options;
};

inline rl_driver_job_info make_info(const JobSpec& spec,
                                    std::vector<const char*>& names)
{
    names.clear();
    for (const std::string& ink : spec.inks)
        names.push_back(ink.c_str());
    rl_driver_job_info info{};
    info.size = sizeof info;
    info.job_id = spec.job_id.c_str();
    info.job_name = spec.job_name.c_str();
    info.device_id = "test-device";
    info.ink_count = int(spec.inks.size());
    info.ink_names = names.data();
    info.bits_per_dot = spec.bits;
    info.xdpi = spec.xdpi;
    info.ydpi = spec.ydpi;
    return info;
}

inline rl_driver_sheet make_sheet(const SyntheticSheet& s, int index,
                                  const JobSpec& spec)
{
    rl_driver_sheet sheet{};
    sheet.size = sizeof sheet;
    sheet.index = index;
    sheet.width_dots = s.width_dots;
    sheet.height_dots = s.height_dots;
    sheet.width_mm = s.width_dots * 25.4 / spec.xdpi;
    sheet.height_mm = s.height_dots * 25.4 / spec.ydpi;
    return sheet;
}

// Send SHEET's rows to JOB in bands of SPEC.band_rows.
inline void write_bands(plugins::DriverStream& job, const SyntheticSheet& sheet,
                        const JobSpec& spec)
{
    for (int y = 0; y < sheet.height_dots; y += spec.band_rows) {
        std::vector<const uint8_t*> planes;
        for (const auto& plane : sheet.planes)
            planes.push_back(plane.data() + size_t(y) * sheet.stride);
        rl_driver_band band{};
        band.size = sizeof band;
        band.y = y;
        band.rows = std::min(spec.band_rows, sheet.height_dots - y);
        band.width_dots = sheet.width_dots;
        band.stride = sheet.stride;
        band.planes = planes.data();
        job.write_band(band);
    }
}

// A whole job of SHEETS through MODULE to URI.
// Every sheet of SHEETS through JOB, then end_job.
inline void run_sheets(plugins::DriverStream& job, const JobSpec& spec,
                       const std::vector<SyntheticSheet>& sheets)
{
    for (size_t i = 0; i < sheets.size(); ++i) {
        job.begin_sheet(make_sheet(sheets[i], int(i), spec));
        write_bands(job, sheets[i], spec);
        job.end_sheet();
    }
    job.finish();
}

inline void run_job(const plugins::DriverModule& module, const std::string& uri,
                    const JobSpec& spec,
                    const std::vector<SyntheticSheet>& sheets, Log& log)
{
    std::vector<const char*> names;
    rl_driver_job_info info = make_info(spec, names);
    plugins::DriverJob job(module, uri, spec.options, info, log);
    run_sheets(job, spec, sheets);
}

// A Log whose lines are kept for the test to look at.
struct CapturedLog {
    Log log;
    std::vector<std::string> lines;
    CapturedLog()
    {
        log.set_sink([this](rl_log_level,
                            const std::string& line) { lines.push_back(line); },
                     RL_LOG_DEBUG);
    }
    bool has(const std::string& a, const std::string& b = {}) const
    {
        for (const std::string& line : lines)
            if (line.find(a) != std::string::npos &&
                line.find(b) != std::string::npos)
                return true;
        return false;
    }
};

// The shipped drivers, loaded once per test executable.
inline plugins::Host& shipped_drivers()
{
    static CapturedLog log;
    static plugins::Host host(log.log);
    static bool loaded = [] {
        host.add_search_path(RIPLINE_DRIVER_DIR);
        host.load();
        return true;
    }();
    (void)loaded;
    return host;
}

} // namespace ripline::test
