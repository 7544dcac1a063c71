// SPDX-License-Identifier: AGPL-3.0-or-later
// The hpgl driver: HP-GL/2 for cutters and plotters, one file per sheet.
//
// Coordinates: plotter units (40 per mm by default, 0.025 mm), origin at
// the sheet's bottom-left with y up, as plotters draw; so a point at
// (x_mm, y_mm) from the top-left is (x_mm * 40, (height_mm - y_mm) * 40).
// Each tool is a pen (SP) with its own speed (VS, cm/s) and force (FS);
// a cut name maps to a tool with "tool.<name>" (case-insensitive).
#include "drivers/hpgl/hpgl_paths.hpp"
#include "plugins/sdk/driver_sdk.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using ripline::hpgl::Path;
using ripline::hpgl::Point;
using ripline::sdk::Host;

const rl_driver_option_desc hpgl_options[] = {
    {"tool", RL_DRIVER_OPTION_ENUM, "knife", "knife|pen|crease",
     "the tool of a cut name that has no tool.<name>"},
    {"tool.*", RL_DRIVER_OPTION_ENUM, "", "knife|pen|crease",
     "tool for one cut name, e.g. tool.Crease=crease"},
    {"pen.*", RL_DRIVER_OPTION_INT, "knife 1, pen 2, crease 3", nullptr,
     "pen number (SP) of a tool, e.g. pen.knife=1"},
    {"speed_cm_s", RL_DRIVER_OPTION_NUMBER, "", nullptr,
     "VS for every tool; unset: the cutter's own"},
    {"speed.*", RL_DRIVER_OPTION_NUMBER, "", nullptr,
     "VS of one tool, e.g. speed.pen=40"},
    {"force_g", RL_DRIVER_OPTION_NUMBER, "", nullptr,
     "FS for every tool; unset: the cutter's own"},
    {"force.*", RL_DRIVER_OPTION_NUMBER, "", nullptr,
     "FS of one tool, e.g. force.crease=200"},
    {"overcut_mm", RL_DRIVER_OPTION_NUMBER, "0", nullptr,
     "knife goes on past the start of a closed contour by this much"},
    {"order", RL_DRIVER_OPTION_ENUM, "nearest", "nearest|none",
     "nearest: order paths to limit travel; none: as given"},
    {"units_per_mm", RL_DRIVER_OPTION_NUMBER, "40", nullptr,
     "plotter units per mm (HP-GL/2: 40)"},
};

const char* const tool_names[] = {"knife", "pen", "crease"};

std::string lower(std::string text)
{
    for (char& c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// What each tool is on this device.
struct Tool {
    std::string name;
    int pen = 1;
    double speed_cm_s = 0; // 0: leave the cutter's setting
    double force_g = 0;
};

class HpglSession {
public:
    HpglSession(const Host& host, const rl_driver_job_info& job) : host_(host)
    {
        units_per_mm_ = host.option_number("units_per_mm", 40.0);
        if (units_per_mm_ <= 0)
            throw std::runtime_error("option units_per_mm must be > 0");
        overcut_mm_ = host.option_number("overcut_mm", 0.0);
        order_ = host.option("order", "nearest") != "none";
        default_tool_ = tool_index(host.option("tool", "knife"), "tool");
        for (int t = 0; t < 3; ++t)
            tools_.push_back(read_tool(t));
        base_name_ = ripline::sdk::file_part(*job.job_name ? job.job_name
                                                             : job.job_id);
        option_keys_ = host.option_keys();
    }

    void begin_sheet(const rl_driver_sheet& sheet)
    {
        sheet_ = sheet;
        paths_.clear();
    }

    void write_cut(std::span<const rl_driver_cut_path> paths)
    {
        for (const rl_driver_cut_path& cut : paths) {
            Path path = to_units(cut);
            ripline::hpgl::tidy(path);
            if (!path.points.empty())
                paths_.push_back(std::move(path));
        }
    }

    void end_sheet()
    {
        if (order_)
            paths_ = ripline::hpgl::order_for_travel(std::move(paths_));
        for (Path& path : paths_)
            if (path.overcut)
                ripline::hpgl::add_overcut(path, overcut_mm_ * units_per_mm_);

        char number[32];
        std::snprintf(number, sizeof number, "_s%03d.plt", sheet_.index + 1);
        ripline::sdk::Output output = host_.open_output(base_name_ + number);
        std::string text = plot_text();
        output.write(text.data(), text.size());
        output.commit();
    }

    void end_job() {}

private:
    static int tool_index(const std::string& name, const std::string& key)
    {
        for (int t = 0; t < 3; ++t)
            if (name == tool_names[t])
                return t;
        throw std::runtime_error("option " + key + ": '" + name +
                                 "' is not knife, pen or crease");
    }

    Tool read_tool(int t) const
    {
        Tool tool;
        tool.name = tool_names[t];
        std::string pen_key = "pen." + tool.name;
        std::string speed_key = "speed." + tool.name;
        std::string force_key = "force." + tool.name;
        tool.pen = int(host_.option_int(pen_key.c_str(), t + 1));
        tool.speed_cm_s = host_.option_number(
            speed_key.c_str(), host_.option_number("speed_cm_s", 0));
        tool.force_g = host_.option_number(force_key.c_str(),
                                           host_.option_number("force_g", 0));
        return tool;
    }

    // The tool of CUT_NAME: tool.<name>, matched without regard to case.
    int tool_of(const std::string& cut_name) const
    {
        std::string wanted = "tool." + lower(cut_name);
        for (const std::string& key : option_keys_)
            if (lower(key) == wanted)
                return tool_index(host_.option(key.c_str(), ""), key);
        return default_tool_;
    }

    Path to_units(const rl_driver_cut_path& cut) const
    {
        Path path;
        path.closed = cut.closed != 0;
        int tool = tool_of(cut.cut_name ? cut.cut_name : "");
        path.pen = tools_[size_t(tool)].pen;
        path.overcut = tool == 0;
        for (int i = 0; i < cut.point_count; ++i) {
            const rl_driver_point& p = cut.points[i];
            path.points.push_back(
                {std::lround(p.x_mm * units_per_mm_),
                 std::lround((sheet_.height_mm - p.y_mm) * units_per_mm_)});
        }
        return path;
    }

    const Tool& tool_for_pen(int pen) const
    {
        for (const Tool& tool : tools_)
            if (tool.pen == pen)
                return tool;
        return tools_[0];
    }

    std::string plot_text() const
    {
        std::string text = "IN;PA;";
        int pen = 0;
        for (const Path& path : paths_) {
            if (path.pen != pen) {
                pen = path.pen;
                text += select_tool(tool_for_pen(pen));
            }
            text += "PU" + xy(path.points.front()) + ";PD";
            for (size_t i = 1; i < path.points.size(); ++i)
                text += (i > 1 ? "," : "") + xy(path.points[i]);
            text += ";";
        }
        text += "PU0,0;SP0;\n";
        return text;
    }

    static std::string select_tool(const Tool& tool)
    {
        std::string text = "SP" + std::to_string(tool.pen) + ";";
        char number[32];
        if (tool.speed_cm_s > 0) {
            std::snprintf(number, sizeof number, "VS%g;", tool.speed_cm_s);
            text += number;
        }
        if (tool.force_g > 0) {
            std::snprintf(number, sizeof number, "FS%g;", tool.force_g);
            text += number;
        }
        return text;
    }

    static std::string xy(Point p)
    {
        return std::to_string(p.x) + "," + std::to_string(p.y);
    }

    Host host_;
    double units_per_mm_ = 40;
    double overcut_mm_ = 0;
    bool order_ = true;
    int default_tool_ = 0;
    std::vector<Tool> tools_;
    std::vector<std::string> option_keys_;
    std::string base_name_;
    rl_driver_sheet sheet_{};
    std::vector<Path> paths_;
};

} // namespace

extern "C" RL_DRIVER_EXPORT const rl_driver* rl_driver_entry(void)
{
    static const rl_driver table = [] {
        rl_driver t = ripline::sdk::driver_table<HpglSession>();
        t.id = "hpgl";
        t.description = "HP-GL/2 cut files: tools, speed, force, overcut";
        t.version = "1.0.0";
        t.kind = RL_DRIVER_CUTTER;
        t.options = hpgl_options;
        t.option_count = int(std::size(hpgl_options));
        return t;
    }();
    return &table;
}
