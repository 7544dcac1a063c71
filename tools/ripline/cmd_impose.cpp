// SPDX-License-Identifier: AGPL-3.0-or-later
// `ripline impose JOB.xml --device DEVICE --preview out.png`: the layout a
// render would print, as text and as a picture, without rendering.
#include "tools/ripline/cmd_impose.hpp"

#include "core/common/error.hpp"
#include "core/impose/impose.hpp"
#include "core/impose/preview.hpp"
#include "core/job/job.hpp"

// With the device and document libraries linked, devices are looked up
// and documents opened; without them, --media, --dpi and --page-size
// stand in.
#ifdef RIPLINE_CLI_DOCUMENTS
#include "core/common/log.hpp"
#include "core/device/device.hpp"
#include "core/document/document.hpp"
#endif

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>

namespace ripline::cli {

namespace {

struct ImposeArgs {
    std::string job, device, profile_path, media, dpi, preview, ticket_out;
    std::string page_size;
    int pages = 1;
    double margin = -1;
    bool sheet = false, list = false;
    int preview_width = 1200;
};

std::filesystem::path profile_dir(const ImposeArgs& a)
{
    if (!a.profile_path.empty())
        return a.profile_path;
    if (const char* env = std::getenv("RIPLINE_PROFILE_PATH"))
        return env;
#ifdef RIPLINE_PROFILE_DIR
    return RIPLINE_PROFILE_DIR;
#else
    return "profiles";
#endif
}

std::pair<double, double> numbers(const std::string& text, const char* what)
{
    std::size_t x = text.find_first_of("xX,");
    try {
        double a = std::stod(text.substr(0, x));
        double b = x == std::string::npos ? 0 : std::stod(text.substr(x + 1));
        if (a > 0 && b >= 0)
            return {a, b};
    } catch (const std::exception&) {
    }
    throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::impose,
                std::string(what) + ": expected AxB in numbers, found '" +
                    text + "'");
}

// The media and resolution: the device's, then the ticket's MediaSize,
// then what the options say.
struct Target {
    impose::Media media;
    double xdpi = 0, ydpi = 0;
};

Target target_for(const ImposeArgs& a, const job::Job& j)
{
    Target t;
    std::string key = a.device.empty() ? j.device_id : a.device;
#ifdef RIPLINE_CLI_DOCUMENTS
    if (!key.empty()) {
        device::Device d = device::find_device(profile_dir(a), key);
        t.media = {d.media.roll, d.media.width_mm, d.media.length_mm,
                   d.media.margin_mm, {}};
        t.xdpi = d.print_mode.dpi[0];
        t.ydpi = d.print_mode.dpi[1];
    }
#else
    if (!a.device.empty())
        throw Error(RL_ERROR_UNSUPPORTED, Stage::impose,
                    "this build looks up no devices; give --media and --dpi");
#endif
    t.media = impose::media_for(j, t.media);
    if (!a.media.empty()) {
        auto [w, l] = numbers(a.media, "--media");
        t.media.width_mm = w;
        t.media.length_mm = l;
        t.media.roll = !a.sheet;
    }
    if (a.margin >= 0)
        t.media.margin_mm = a.margin;
    if (!a.dpi.empty()) {
        auto [x, y] = numbers(a.dpi, "--dpi");
        t.xdpi = x;
        t.ydpi = y > 0 ? y : x;
    }
    if (t.media.width_mm <= 0 || t.xdpi <= 0)
        throw Error(RL_ERROR_INVALID_ARGUMENT, Stage::impose,
                    "no device: give --device, or --media and --dpi");
    return t;
}

// --page-size WxH (mm): every input has --pages pages of that size.
std::vector<impose::PageRef> given_pages(const ImposeArgs& a, const job::Job& j)
{
    auto [w, h] = numbers(a.page_size, "--page-size");
    std::vector<impose::PageRef> pages;
    std::vector<int> counts;
    for (std::size_t i = 0; i < j.inputs.size(); ++i) {
        counts.push_back(a.pages);
        for (int p = 0; p < a.pages; ++p)
            pages.push_back({int(i), p, {0, 0, w * 72 / 25.4, h * 72 / 25.4}});
    }
    job::check_pages(j, counts);
    return pages;
}

// Open each input once to learn its page boxes.
std::vector<impose::PageRef> page_refs(const ImposeArgs& a, const job::Job& j)
{
    if (!a.page_size.empty())
        return given_pages(a, j);
#ifndef RIPLINE_CLI_DOCUMENTS
    throw Error(RL_ERROR_UNSUPPORTED, Stage::impose,
                "this build opens no documents; give --page-size");
#else
    Log log;
    document::Mupdf mupdf(log, 64u << 20);
    std::vector<impose::PageRef> pages;
    std::vector<int> counts;
    for (std::size_t i = 0; i < j.inputs.size(); ++i) {
        document::Document doc(mupdf, j.inputs[i].path);
        counts.push_back(doc.page_count());
        for (int p = 0; p < doc.page_count(); ++p) {
            fz_rect box = doc.page_box(p);
            pages.push_back({int(i), p, {box.x0, box.y0, box.x1, box.y1}});
        }
    }
    job::check_pages(j, counts);
    return pages;
#endif
}

job::Job open_ticket(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".xml" || ext == ".XML")
        return job::parse_job_file(path);
    return job::job_for_file(path);
}

double mm(double dots, double dpi)
{
    return dots * 25.4 / dpi;
}

void print_layout(const std::vector<impose::Sheet>& sheets, const Target& t,
                  bool list)
{
    std::size_t placements = 0;
    double length_mm = 0;
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        const impose::Sheet& s = sheets[i];
        placements += s.placements.size();
        length_mm += mm(s.height_dots, t.ydpi);
        std::printf("sheet %zu: %.1f x %.1f mm (%d x %d dots), %zu "
                    "placement%s, %zu marks\n",
                    i + 1, mm(s.width_dots, t.xdpi), mm(s.height_dots, t.ydpi),
                    s.width_dots, s.height_dots, s.placements.size(),
                    s.placements.size() == 1 ? "" : "s", s.marks.size());
        if (!list)
            continue;
        for (const impose::Placement& p : s.placements)
            std::printf("  input %d page %d copy %d %s at (%.2f, %.2f) mm, "
                        "%.2f x %.2f mm\n",
                        p.input + 1, p.page + 1, p.copy + 1, p.part_id.c_str(),
                        mm(p.trim_dots.x0, t.xdpi), mm(p.trim_dots.y0, t.ydpi),
                        mm(p.trim_dots.width(), t.xdpi),
                        mm(p.trim_dots.height(), t.ydpi));
    }
    std::printf("%zu sheet%s, %zu placements, %.1f mm of media, "
                "efficiency %.1f%%\n",
                sheets.size(), sheets.size() == 1 ? "" : "s", placements,
                length_mm, 100 * impose::efficiency(sheets));
}

std::string utc_now()
{
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// The ticket with an Impose journal entry and the statistics appended.
void write_ticket(job::Job j, const std::vector<impose::Sheet>& sheets,
                  const Target& t, const std::string& path)
{
    job::Statistics stats;
    stats.efficiency = impose::efficiency(sheets);
    stats.sheets = int(sheets.size());
    for (const impose::Sheet& s : sheets) {
        stats.placements += int(s.placements.size());
        stats.media_used_width_units = std::max(stats.media_used_width_units,
                                                s.width_dots * 18.0 / t.xdpi);
        stats.media_used_length_units += s.height_dots * 18.0 / t.ydpi;
    }
    j.statistics = stats;
    auto count = [](int n, const char* what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
    };
    j.journal.push_back({"Impose", utc_now(),
                         count(stats.sheets, "sheet") + ", " +
                             count(stats.placements, "placement")});
    std::ofstream out(path, std::ios::binary);
    out << job::write_job_xml(j);
    if (!out.flush())
        throw Error(RL_ERROR_IO, Stage::job, "cannot write the ticket", path);
}

void run_impose(const ImposeArgs& a)
{
    job::Job j = open_ticket(a.job);
    Target t = target_for(a, j);
    std::vector<impose::PageRef> pages = page_refs(a, j);
    std::vector<impose::Sheet> sheets =
        impose::impose(j, pages, t.media, t.xdpi, t.ydpi);
    print_layout(sheets, t, a.list);
    if (!a.preview.empty()) {
        impose::write_png(impose::draw_preview(sheets, a.preview_width),
                          a.preview);
        std::printf("preview: %s\n", a.preview.c_str());
    }
    if (!a.ticket_out.empty())
        write_ticket(j, sheets, t, a.ticket_out);
}

} // namespace

void add_impose_command(CLI::App& app)
{
    auto a = std::make_shared<ImposeArgs>();
    CLI::App* cmd = app.add_subcommand(
        "impose", "Lay out a job for a device and show where everything goes");
    cmd->add_option("job", a->job, "Job XML ticket, or a PDF or image")
        ->required();
    cmd->add_option("--device", a->device,
                    "Device id, name, DeviceGUID or JSON file "
                    "(default: the ticket's DeviceGUID)");
    cmd->add_option("--profile-path", a->profile_path,
                    "Folder with devices/ (default: $RIPLINE_PROFILE_PATH)");
    cmd->add_option("--media", a->media,
                    "Media WIDTHxLENGTH in mm, overriding the device's");
    cmd->add_flag("--sheet", a->sheet, "With --media: sheets, not a roll");
    cmd->add_option("--margin", a->margin, "Media margin in mm");
    cmd->add_option("--dpi", a->dpi, "Resolution X[xY], overriding");
    cmd->add_option("--preview", a->preview, "Write a PNG of the layout");
    cmd->add_option("--preview-width", a->preview_width,
                    "Preview width in pixels");
    cmd->add_option("--page-size", a->page_size,
                    "Page WxH in mm for every page, instead of opening the "
                    "documents");
    cmd->add_option("--pages", a->pages,
                    "With --page-size: pages per "
                    "document")
        ->check(CLI::Range(1, 100000));
    cmd->add_flag("--list", a->list, "List every placement");
    cmd->add_option("--write-ticket", a->ticket_out,
                    "Write the ticket with journal and statistics");
    cmd->callback([a] {
        try {
            run_impose(*a);
        } catch (const Error& e) {
            std::fprintf(stderr, "ripline: %s\n", e.what());
            throw CLI::RuntimeError(1);
        }
    });
}

} // namespace ripline::cli
