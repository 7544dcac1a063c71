// SPDX-License-Identifier: AGPL-3.0-or-later
// The job model: what a PrintFactory-style Job XML ticket asks for.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripline::job {

// One document to open, as PDFJob/InputJobs/FilePath or Documents/Document
// names it. `path` is resolved against the ticket's folder.
struct InputFile {
    std::string path;
    int copies = 1;
    std::string document_id; // FilePath@Id or Document/GUID; may be empty
    std::string name;        // Document/Name; defaults to the file name
};

// A rectangle in Job XML units (1/18 inch), PrintFactory's Left/Top/
// Right/Bottom, origin top-left, y down.
struct RectUnits {
    double left = 0, top = 0, right = 0, bottom = 0;
    double width() const { return right - left; }
    double height() const { return bottom - top; }
};

struct PointUnits {
    double x = 0, y = 0;
};

// How a page or part is turned, sized and flipped on the media (ours).
struct Transform {
    double rotation_deg = 0; // counter-clockwise as seen on the print
    double scale = 1;        // 1 = 100 %
    bool mirror = false;     // flip left-right (for back-lit films)
};

// Imposition/Parts/Part: one placed copy of one source page.
struct Part {
    std::string id;           // GUID
    std::string original_id;  // OriginalPart; defaults to id
    std::string document_id;  // DocumentGUID; empty = the first input
    int input = 0;            // index into Job::inputs, resolved at parse
    int source_page = 0;      // 0-based page of the document
    int destination_page = 1; // 1-based sheet of the output
    std::optional<RectUnits> source_area; // crop of the page, in units
    std::optional<PointUnits> position;   // top-left on the sheet, units
    Transform transform;
    int copies = 1;        // our extension: repeat this part
    std::string copy_name; // CopyName, e.g. "Copy #1"
};

// What layout the impose stage builds when the ticket has no Parts.
enum class LayoutKind { single, nup, step_repeat, tile };

// Our layout extensions, in PrintFactory's naming style. Lengths in units.
struct Layout {
    LayoutKind kind = LayoutKind::single;
    int columns = 0, rows = 0; // NUp / StepRepeat; 0 = as many as fit
    double gap_x_units = 0, gap_y_units = 0; // StepRepeat gaps
    double bleed_units = 0;                  // page area beyond the trim, kept
    double tile_width_units = 0, tile_height_units = 0; // Tiling panels
    double tile_overlap_units = 0;
    bool rotate_alternate_tiles = false; // 180 degrees every other tile
    bool equal_tiles = false;            // share the page out in equal tiles
    Transform transform;                 // applied to every page
    bool fit_to_media = false;           // FitJobToPage
    bool center = false;                 // centre the layout across the media
    bool trim_white = false;  // crop each page to its painted content
    bool auto_rotate = false; // turn a page 90 degrees to save media
    double margin_units = -1; // Margins; < 0 = the media's own
};

// The marks around the layout (ours, and PrintFactory's MarkType for
// the cutter's registration marks).
struct Marks {
    bool crop_marks = false;
    bool bleed_marks = false;
    bool job_label = false;
    bool color_bar = false;
    int mark_type = -1;             // MarkType; -1 = no registration marks
    double mark_offset_units = 4.5; // BorderOffset: marks to layout
};

enum class Intent { none, perceptual, relative, saturation, absolute };

// Colour settings per source colour space, image and vector apart.
struct IntentPair {
    Intent image = Intent::none;
    Intent vector = Intent::none;
    std::string image_spec;  // ...ImageSpec: input profile, may be ""
    std::string vector_spec; // ...VectorSpec
};

struct ColorSettings {
    IntentPair rgb, cmyk, gray, lab;
    std::optional<bool> use_embedded_profiles;
    // UsePDFX3Profile: a PDF/X output intent defines DeviceCMYK (unset:
    // yes).
    std::optional<bool> use_output_intent;
    std::string reference_profile; // ReferenceProfile@GUID
};

// PrinterProfile: which print mode (PMM) renders the job.
struct PrinterProfile {
    std::string guid;
    std::string type; // Embedded | MediaMode | GUID | Path
    std::string text; // the node's text: a path, or hex for Embedded
};

// MediaSize (ours in this form): media the ticket asks for, in units.
struct MediaRequest {
    double width_units = 0, height_units = 0; // height 0 = roll length
    bool roll = true;
};

// One line of the journal the writer appends after processing.
struct JournalEntry {
    std::string kind; // Creation, RIP, Print, Cut, ...
    std::string date; // ISO 8601 UTC
    std::string message;
};

struct Statistics {
    double efficiency = 0; // 0..1 of the used media covered
    double media_used_width_units = 0, media_used_length_units = 0;
    int sheets = 0, placements = 0;
};

struct Job {
    int version = 2; // Job@Version; 1 for the legacy GUID form
    std::string id;  // JobGUID (v2) or GUID (v1)
    std::string name;
    std::string user;
    std::string producer;
    std::string job_type;       // JobType (v1), e.g. "Regular"
    std::string device_id;      // DeviceGUID, may be empty
    std::string queue_id;       // QueueGUID, may be empty
    std::string nest_group_id;  // NestGroupGUID (nest jobs)
    std::string print_deadline; // PrintDeadline, ISO 8601
    bool print = true;
    bool cut = false;
    int copies = 1;                    // Job-level Copies
    std::vector<InputFile> inputs;     // PDFJob/InputJobs/FilePath, Documents
    std::filesystem::path ticket_path; // "" when built from a plain PDF

    std::optional<PrinterProfile> printer_profile;
    std::string mode_variant;
    std::string screen; // ScreenType: a screen name; "" = the mode's
    ColorSettings color;
    std::optional<MediaRequest> media;
    std::vector<Part> parts; // explicit Imposition; empty = Layout
    Layout layout;
    Marks marks;
    std::vector<JournalEntry> journal;
    std::optional<Statistics> statistics;
};

// Parse and validate a ticket (XSD, then semantic checks). FilePaths are
// relative to the ticket's folder. Throws ripline::Error(RL_ERROR_BAD_INPUT,
// Stage::job, msg, file, line); a missing file is RL_ERROR_IO.
Job parse_job_file(const std::filesystem::path& path);
Job parse_job_xml(std::string_view xml, const std::filesystem::path& base_dir,
                  const std::string& name_for_errors);

// A one-document job for a plain PDF or image path (id: a fresh GUID).
Job job_for_file(const std::filesystem::path& document);

// Checks that need the documents opened: every part's page exists.
// page_counts[i] is the page count of Job::inputs[i].
void check_pages(const Job& job, const std::vector<int>& page_counts);

// Write the job as Job XML v2 (journal and statistics included).
std::string write_job_xml(const Job& job);

// The XSD the parser validates against (profiles/schemas/job.xsd).
std::string_view job_schema();

// GUIDs: a fresh random one, and whether text is one (8-4-4-4-12 hex,
// optionally in braces).
std::string new_guid();
bool is_guid(std::string_view text);

// Limits on what the parser accepts.
inline constexpr std::size_t max_ticket_bytes = 8u << 20; // 8 MiB
inline constexpr int max_ticket_depth = 32;

// Job XML units <-> millimetres.
constexpr double mm_from_units(double units)
{
    return units * 25.4 / 18.0;
}
constexpr double units_from_mm(double mm)
{
    return mm * 18.0 / 25.4;
}

} // namespace ripline::job
