// SPDX-License-Identifier: AGPL-3.0-or-later
// `ripline job`: validate tickets, build new ones from options, show the
// model as the writer spells it.
#include "tools/ripline/cmd_job.hpp"

#include "core/common/error.hpp"
#include "core/job/job.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>

namespace ripline::cli {

namespace {

[[noreturn]] void fail(const std::string& message)
{
    std::fprintf(stderr, "ripline: %s\n", message.c_str());
    throw CLI::RuntimeError(1);
}

// ---- validate ------------------------------------------------------------

const char* layout_name(const job::Job& j)
{
    if (!j.parts.empty())
        return "parts";
    switch (j.layout.kind) {
    case job::LayoutKind::single:
        return "single";
    case job::LayoutKind::nup:
        return "n-up";
    case job::LayoutKind::step_repeat:
        return "step and repeat";
    case job::LayoutKind::tile:
        return "tiling";
    }
    return "?";
}

void run_validate(const std::vector<std::string>& tickets, bool files)
{
    int failed = 0;
    for (const std::string& path : tickets) {
        try {
            job::Job j = job::parse_job_file(path);
            for (const job::InputFile& input : j.inputs)
                if (files && !std::filesystem::is_regular_file(input.path))
                    throw Error(RL_ERROR_IO, Stage::job,
                                "document not found: " + input.path, path);
            std::printf("%s: valid: job %s \"%s\", %zu document%s, %zu "
                        "part%s, layout %s\n",
                        path.c_str(), j.id.c_str(), j.name.c_str(),
                        j.inputs.size(), j.inputs.size() == 1 ? "" : "s",
                        j.parts.size(), j.parts.size() == 1 ? "" : "s",
                        layout_name(j));
        } catch (const Error& e) {
            std::fprintf(stderr, "ripline: %s\n", e.what());
            ++failed;
        }
    }
    if (failed)
        throw CLI::RuntimeError(1);
}

// ---- new -------------------------------------------------------------------

struct NewArgs {
    std::vector<std::string> files, parts;
    std::string out, id, name, user, producer = "ripline", device, queue;
    std::string nest_group, deadline, media, nup, step_repeat, tile, gap;
    std::string profile, profile_type, mode_variant, screen;
    std::string rgb_intent, cmyk_intent, embedded;
    int copies = 1, mark_type = -1;
    double bleed = 0, overlap = 0, rotate = 0, scale = 1, margins = -1;
    double mark_offset = -1;
    bool sheet = false, no_print = false, cut = false, rotate_alternate = false;
    bool mirror = false, fit = false, center = false, auto_rotate = false;
    bool trim_white = false, equal_tiles = false;
    bool crop_marks = false, bleed_marks = false, label = false;
    bool color_bar = false;
};

// "AxB" -> {A, B}; a lone "A" gives {A, 0}.
std::pair<double, double> pair_of(const std::string& text, const char* what)
{
    std::size_t x = text.find_first_of("xX,");
    try {
        std::size_t used = 0;
        double a = std::stod(text.substr(0, x), &used);
        double b = x == std::string::npos ? 0 : std::stod(text.substr(x + 1));
        if (a < 0 || b < 0)
            throw std::invalid_argument("negative");
        return {a, b};
    } catch (const std::exception&) {
        fail(std::string(what) + ": expected AxB with numbers >= 0, found '" +
             text + "'");
    }
}

// PATH, or PATH:COPIES when the text after the last ':' is a number.
job::InputFile input_of(const std::string& text, bool nest)
{
    job::InputFile input;
    input.path = text;
    std::size_t colon = text.rfind(':');
    std::string tail = colon == std::string::npos ? "" : text.substr(colon + 1);
    if (!tail.empty() &&
        tail.find_first_not_of("0123456789") == std::string::npos) {
        input.path = text.substr(0, colon);
        input.copies = std::stoi(tail);
    }
    input.name = std::filesystem::path(input.path).filename().string();
    if (nest)
        input.document_id = job::new_guid();
    return input;
}

job::Intent intent_of(const std::string& text)
{
    if (text.empty())
        return job::Intent::none;
    if (text == "perceptual")
        return job::Intent::perceptual;
    if (text == "relative")
        return job::Intent::relative;
    if (text == "saturation")
        return job::Intent::saturation;
    if (text == "absolute")
        return job::Intent::absolute;
    fail("intent: expected perceptual, relative, saturation or absolute, "
         "found '" +
         text + "'");
}

// DOC:PAGE:X:Y[:ROTATION], 1-based document and page, mm from the media's
// top-left.
job::Part part_of(const std::string& text, const job::Job& j)
{
    std::vector<double> v;
    std::size_t start = 0;
    try {
        while (start <= text.size()) {
            std::size_t colon = text.find(':', start);
            v.push_back(std::stod(text.substr(start, colon - start)));
            if (colon == std::string::npos)
                break;
            start = colon + 1;
        }
    } catch (const std::exception&) {
        v.clear();
    }
    if (v.size() < 4 || v.size() > 5 || v[0] < 1 || v[0] > j.inputs.size() ||
        v[1] < 1)
        fail("--part: expected DOC:PAGE:X:Y[:ROTATION] with DOC 1.." +
             std::to_string(j.inputs.size()) + " and PAGE from 1, found '" +
             text + "'");
    job::Part part;
    part.id = part.original_id = job::new_guid();
    part.input = int(v[0]) - 1;
    part.document_id = j.inputs[part.input].document_id;
    part.source_page = int(v[1]) - 1;
    part.position =
        job::PointUnits{job::units_from_mm(v[2]), job::units_from_mm(v[3])};
    if (v.size() == 5)
        part.transform.rotation_deg = v[4];
    return part;
}

void set_identity(const NewArgs& a, job::Job& j)
{
    j.id = a.id.empty() ? job::new_guid() : a.id;
    j.name = a.name.empty() && !j.inputs.empty() ? j.inputs[0].name : a.name;
    j.user = a.user;
    j.producer = a.producer;
    j.device_id = a.device;
    j.queue_id = a.queue;
    j.nest_group_id = a.nest_group;
    j.print_deadline = a.deadline;
    j.copies = a.copies;
    j.print = !a.no_print;
    j.cut = a.cut;
}

void set_layout(const NewArgs& a, job::Job& j)
{
    job::Layout& l = j.layout;
    auto grid = [&](const std::string& text, job::LayoutKind kind,
                    const char* what) {
        auto [c, r] = pair_of(text, what);
        l.kind = kind;
        l.columns = int(c);
        l.rows = int(r);
    };
    if (!a.nup.empty())
        grid(a.nup, job::LayoutKind::nup, "--nup");
    if (!a.step_repeat.empty())
        grid(a.step_repeat, job::LayoutKind::step_repeat, "--step-repeat");
    if (!a.tile.empty()) {
        auto [w, h] = pair_of(a.tile, "--tile");
        l.kind = job::LayoutKind::tile;
        l.tile_width_units = job::units_from_mm(w);
        l.tile_height_units = job::units_from_mm(h);
        l.tile_overlap_units = job::units_from_mm(a.overlap);
        l.rotate_alternate_tiles = a.rotate_alternate;
        l.equal_tiles = a.equal_tiles;
    }
    if (!a.gap.empty()) {
        auto [gx, gy] = pair_of(a.gap, "--gap");
        l.gap_x_units = job::units_from_mm(gx);
        l.gap_y_units = job::units_from_mm(
            a.gap.find_first_of("xX,") == std::string::npos ? gx : gy);
    }
    l.bleed_units = job::units_from_mm(a.bleed);
    l.transform = {a.rotate, a.scale, a.mirror};
    l.fit_to_media = a.fit;
    l.center = a.center;
    l.auto_rotate = a.auto_rotate;
    l.trim_white = a.trim_white;
    if (a.margins >= 0)
        l.margin_units = job::units_from_mm(a.margins);
    if (!a.media.empty()) {
        auto [w, h] = pair_of(a.media, "--media");
        j.media = job::MediaRequest{job::units_from_mm(w),
                                    job::units_from_mm(h), !a.sheet};
    }
}

void set_marks_and_colour(const NewArgs& a, job::Job& j)
{
    j.marks.crop_marks = a.crop_marks;
    j.marks.bleed_marks = a.bleed_marks;
    j.marks.job_label = a.label;
    j.marks.color_bar = a.color_bar;
    j.marks.mark_type = a.mark_type;
    if (a.mark_offset >= 0)
        j.marks.mark_offset_units = job::units_from_mm(a.mark_offset);
    if (!a.profile.empty())
        j.printer_profile = job::PrinterProfile{a.profile, a.profile_type, ""};
    j.mode_variant = a.mode_variant;
    j.screen = a.screen;
    j.color.rgb.image = j.color.rgb.vector = intent_of(a.rgb_intent);
    j.color.cmyk.image = j.color.cmyk.vector = intent_of(a.cmyk_intent);
    if (!a.embedded.empty())
        j.color.use_embedded_profiles = a.embedded == "true";
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

void run_new(const NewArgs& a)
{
    job::Job j;
    bool nest = !a.nest_group.empty();
    for (const std::string& file : a.files)
        j.inputs.push_back(input_of(file, nest || !a.parts.empty()));
    set_identity(a, j);
    set_layout(a, j);
    set_marks_and_colour(a, j);
    for (const std::string& text : a.parts)
        j.parts.push_back(part_of(text, j));
    j.journal.push_back({"Creation", utc_now(), "ripline job new"});

    // What we write must read back: the parser is the judge.
    std::string xml = job::write_job_xml(j);
    std::filesystem::path base =
        a.out.empty() ? "." : std::filesystem::path(a.out).parent_path();
    try {
        job::parse_job_xml(xml, base.empty() ? "." : base,
                           a.out.empty() ? "<stdout>" : a.out);
    } catch (const Error& e) {
        fail(std::string("the options give an invalid ticket: ") + e.what());
    }
    if (a.out.empty()) {
        std::cout << xml;
        return;
    }
    std::ofstream out(a.out, std::ios::binary);
    out << xml;
    if (!out.flush())
        fail("cannot write " + a.out);
    std::fprintf(stderr, "ripline: wrote %s (job %s)\n", a.out.c_str(),
                 j.id.c_str());
}

void add_new_options(CLI::App* cmd, NewArgs& a)
{
    cmd->add_option("files", a.files, "Documents, each PATH or PATH:COPIES")
        ->required();
    cmd->add_option("-o,--out", a.out, "Ticket to write (default stdout)");
    cmd->add_option("--id", a.id, "JobGUID (default: a fresh one)");
    cmd->add_option("--name", a.name, "Job name (default: first file)");
    cmd->add_option("--user", a.user, "Submitting user");
    cmd->add_option("--producer", a.producer, "Producer");
    cmd->add_option("--device", a.device, "DeviceGUID");
    cmd->add_option("--queue", a.queue, "QueueGUID");
    cmd->add_option("--nest-group", a.nest_group,
                    "NestGroupGUID: a nest job; files get document ids");
    cmd->add_option("--deadline", a.deadline, "PrintDeadline, ISO 8601");
    cmd->add_option("--copies", a.copies, "Copies of the whole job");
    cmd->add_flag("--no-print", a.no_print, "Print false (cut only)");
    cmd->add_flag("--cut", a.cut, "Cut true");
    cmd->add_option("--media", a.media,
                    "Media WIDTHxLENGTH in mm (WIDTH alone: a roll)");
    cmd->add_flag("--sheet", a.sheet, "The media is a sheet, not a roll");
    cmd->add_option("--nup", a.nup, "N-up grid COLUMNSxROWS (0: as fit)");
    cmd->add_option("--step-repeat", a.step_repeat,
                    "Step and repeat COLUMNSxROWS (0: as fit)");
    cmd->add_option("--gap", a.gap, "Grid gaps X[xY] in mm");
    cmd->add_option("--bleed", a.bleed, "Bleed in mm");
    cmd->add_option("--tile", a.tile, "Tiles WIDTHxHEIGHT in mm (0: media)");
    cmd->add_option("--overlap", a.overlap, "Tile overlap in mm");
    cmd->add_flag("--equal-tiles", a.equal_tiles,
                  "Share the page out in equal tiles, none wider than --tile");
    cmd->add_flag("--rotate-alternate", a.rotate_alternate,
                  "Turn every other tile 180 degrees");
    cmd->add_option("--part", a.parts,
                    "Explicit part DOC:PAGE:X:Y[:ROTATION] (1-based, mm)");
    cmd->add_option("--rotate", a.rotate, "Rotation, degrees CCW");
    cmd->add_option("--scale", a.scale, "Scale factor (1 = 100 %)");
    cmd->add_flag("--mirror", a.mirror, "Mirror left-right");
    cmd->add_flag("--fit", a.fit, "Fit to the media");
    cmd->add_flag("--center", a.center, "Centre across the media");
    cmd->add_flag("--auto-rotate", a.auto_rotate, "Turn pages to save media");
    cmd->add_flag("--trim-white", a.trim_white,
                  "Crop pages to their painted content");
    cmd->add_option("--margins", a.margins, "Margins in mm");
    cmd->add_flag("--crop-marks", a.crop_marks, "Crop marks");
    cmd->add_flag("--bleed-marks", a.bleed_marks, "Bleed marks");
    cmd->add_flag("--label", a.label, "Job label");
    cmd->add_flag("--color-bar", a.color_bar, "Colour bar");
    cmd->add_option("--mark-type", a.mark_type,
                    "MarkType: cutter registration marks");
    cmd->add_option("--mark-offset", a.mark_offset,
                    "BorderOffset: registration marks to layout, mm");
    cmd->add_option("--profile", a.profile, "PrinterProfile GUID");
    cmd->add_option("--profile-type", a.profile_type,
                    "PrinterProfile Type (Embedded, MediaMode, GUID, Path)");
    cmd->add_option("--mode-variant", a.mode_variant, "ModeVariant");
    cmd->add_option("--screen", a.screen, "ScreenType");
    cmd->add_option("--rgb-intent", a.rgb_intent,
                    "RGB intent: perceptual, relative, saturation, absolute");
    cmd->add_option("--cmyk-intent", a.cmyk_intent, "CMYK intent");
    cmd->add_option("--use-embedded-profiles", a.embedded, "true or false")
        ->check(CLI::IsMember({"true", "false"}));
}

// ---- show ------------------------------------------------------------------

void run_show(const std::string& ticket)
{
    try {
        std::cout << job::write_job_xml(job::parse_job_file(ticket));
    } catch (const Error& e) {
        fail(e.what());
    }
}

} // namespace

void add_job_commands(CLI::App& app)
{
    CLI::App* job =
        app.add_subcommand("job", "Check and build Job XML tickets");
    job->require_subcommand(1);

    auto tickets = std::make_shared<std::vector<std::string>>();
    auto files = std::make_shared<bool>(false);
    CLI::App* validate = job->add_subcommand(
        "validate", "Check tickets against the schema and the job rules");
    validate->add_option("tickets", *tickets, "Job XML files")->required();
    validate->add_flag("--files", *files, "Also check the documents exist");
    validate->callback([tickets, files] { run_validate(*tickets, *files); });

    auto args = std::make_shared<NewArgs>();
    CLI::App* make = job->add_subcommand(
        "new", "Build a valid ticket from options (also nest jobs)");
    add_new_options(make, *args);
    make->callback([args] { run_new(*args); });

    auto shown = std::make_shared<std::string>();
    CLI::App* show = job->add_subcommand(
        "show", "Read a ticket and write it back as Job XML v2");
    show->add_option("ticket", *shown, "Job XML file")->required();
    show->callback([shown] { run_show(*shown); });
}

} // namespace ripline::cli
