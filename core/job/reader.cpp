// SPDX-License-Identifier: AGPL-3.0-or-later
// The model from a <Job> element: one small reader per element.
#include "core/job/reader.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace ripline::job::detail {

namespace {

constexpr int max_copies = 1000000;
constexpr int max_pages = 1000000;

struct Reader {
    const Source& source;
    std::filesystem::path base_dir;
    Job job;
    const xmlNode* imposition = nullptr; // for messages about layouts
    std::vector<const xmlNode*> layouts; // NUp, StepRepeat, Tiling
    std::vector<const xmlNode*> part_nodes;
};

using Handler = void (*)(Reader&, const xmlNode*);

template <typename Fn>
void for_each_element(const xmlNode* parent, Fn fn)
{
    for (const xmlNode* node = parent->children; node; node = node->next)
        if (node->type == XML_ELEMENT_NODE)
            fn(node);
}

// Shorthands for typed element text and attributes.
int int_text(Reader& r, const xmlNode* node, int lo, int hi)
{
    return to_int(r.source, node, text_of(node), tag(node), lo, hi);
}
double number_text(Reader& r, const xmlNode* node)
{
    return to_double(r.source, node, text_of(node), tag(node));
}
bool bool_text(Reader& r, const xmlNode* node)
{
    return to_bool(r.source, node, text_of(node), tag(node));
}
double number_attr(Reader& r, const xmlNode* node, const char* name,
                   double fallback)
{
    if (!has_attr(node, name))
        return fallback;
    return to_double(r.source, node, attr(node, name), tag(node) + "@" + name);
}
int int_attr(Reader& r, const xmlNode* node, const char* name, int fallback,
             int lo, int hi)
{
    if (!has_attr(node, name))
        return fallback;
    return to_int(r.source, node, attr(node, name), tag(node) + "@" + name, lo,
                  hi);
}
bool bool_attr(Reader& r, const xmlNode* node, const char* name, bool fallback)
{
    if (!has_attr(node, name))
        return fallback;
    return to_bool(r.source, node, attr(node, name), tag(node) + "@" + name);
}

// A GUID-valued text; empty is allowed where the element is optional.
std::string guid_text(Reader& r, const xmlNode* node, const std::string& text)
{
    if (!is_guid(text))
        fail(r.source, node,
             tag(node) +
                 ": expected a GUID like "
                 "1b4e28ba-2fa1-11d2-883f-0016d3cca427, found '" +
                 text + "'");
    return text;
}

std::string resolve(const Reader& r, const std::string& text)
{
    std::filesystem::path path(text);
    if (path.is_relative())
        path = r.base_dir / path;
    return path.lexically_normal().string();
}

// --- Identity and routing -------------------------------------------

void read_id(Reader& r, const xmlNode* node)
{
    std::string text = text_of(node);
    // JobGUID wins over the legacy GUID when both are present.
    if (!r.job.id.empty() && name_of(node) == "GUID")
        return;
    r.job.id = guid_text(r, node, text);
}

std::string* string_field(Job& job, const std::string& name)
{
    static const std::map<std::string, std::string Job::*> fields = {
        {"Name", &Job::name},
        {"User", &Job::user},
        {"Producer", &Job::producer},
        {"JobType", &Job::job_type},
        {"PrintDeadline", &Job::print_deadline},
        {"ModeVariant", &Job::mode_variant},
        {"ScreenType", &Job::screen},
    };
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : &(job.*(it->second));
}

void read_string(Reader& r, const xmlNode* node)
{
    *string_field(r.job, name_of(node)) = text_of(node);
}

void read_guid_field(Reader& r, const xmlNode* node)
{
    std::string name = name_of(node);
    std::string value = guid_text(r, node, text_of(node));
    if (name == "DeviceGUID")
        r.job.device_id = value;
    else if (name == "QueueGUID")
        r.job.queue_id = value;
    else
        r.job.nest_group_id = value;
}

// --- Documents --------------------------------------------------------

void read_file_path(Reader& r, const xmlNode* node)
{
    InputFile input;
    std::string text = text_of(node);
    if (text.empty())
        fail(r.source, node, "<FilePath>: expected a file path, found none");
    input.path = resolve(r, text);
    input.copies = int_attr(r, node, "Copies", 1, 1, max_copies);
    if (has_attr(node, "Id"))
        input.document_id = guid_text(r, node, attr(node, "Id"));
    input.name = std::filesystem::path(text).filename().string();
    r.job.inputs.push_back(input);
}

void read_pdf_job(Reader& r, const xmlNode* node)
{
    for_each_element(node, [&](const xmlNode* child) {
        if (name_of(child) == "InputJobs")
            for_each_element(
                child, [&](const xmlNode* file) { read_file_path(r, file); });
    });
}

// Documents/Document: GUID, Name, FilePath, Copies. A document whose GUID
// an input already carries (FilePath@Id) only adds its name.
void read_document(Reader& r, const xmlNode* node)
{
    InputFile doc;
    const xmlNode* path_node = nullptr;
    for_each_element(node, [&](const xmlNode* child) {
        std::string name = name_of(child);
        if (name == "GUID")
            doc.document_id = guid_text(r, child, text_of(child));
        else if (name == "Name")
            doc.name = text_of(child);
        else if (name == "FilePath")
            path_node = child;
        else if (name == "Copies")
            doc.copies = int_text(r, child, 1, max_copies);
    });
    for (InputFile& input : r.job.inputs)
        if (!doc.document_id.empty() && input.document_id == doc.document_id) {
            if (!doc.name.empty())
                input.name = doc.name;
            return;
        }
    if (!path_node)
        fail(r.source, node,
             "<Document>: expected a <FilePath>, or a GUID that a "
             "PDFJob FilePath@Id names");
    doc.path = resolve(r, text_of(path_node));
    if (doc.name.empty())
        doc.name = std::filesystem::path(doc.path).filename().string();
    r.job.inputs.push_back(doc);
}

void read_documents(Reader& r, const xmlNode* node)
{
    for_each_element(node, [&](const xmlNode* doc) { read_document(r, doc); });
}

// --- Imposition -------------------------------------------------------

void read_part_child(Reader& r, Part& part, const xmlNode* child)
{
    std::string name = name_of(child);
    if (name == "GUID")
        part.id = guid_text(r, child, text_of(child));
    else if (name == "OriginalPart")
        part.original_id = guid_text(r, child, text_of(child));
    else if (name == "DocumentGUID")
        part.document_id = guid_text(r, child, text_of(child));
    else if (name == "SourcePage")
        part.source_page = int_text(r, child, 0, max_pages);
    else if (name == "DestinationPage")
        part.destination_page = int_text(r, child, 1, max_pages);
    else if (name == "CopyName")
        part.copy_name = text_of(child);
    else if (name == "Copies")
        part.copies = int_text(r, child, 1, max_copies);
    else if (name == "Rotation")
        part.transform.rotation_deg = number_text(r, child);
    else if (name == "Scale")
        part.transform.scale = number_text(r, child);
    else if (name == "Mirror")
        part.transform.mirror = bool_text(r, child);
    else if (name == "SourceArea")
        part.source_area = RectUnits{number_attr(r, child, "Left", 0),
                                     number_attr(r, child, "Top", 0),
                                     number_attr(r, child, "Right", 0),
                                     number_attr(r, child, "Bottom", 0)};
    else if (name == "Position")
        part.position = PointUnits{number_attr(r, child, "X", 0),
                                   number_attr(r, child, "Y", 0)};
    // The rest (ThumbnailGUID, Side, SrcPageWidth, ...) is PrintFactory
    // bookkeeping the layout does not need.
}

void check_part(Reader& r, const Part& part, const xmlNode* node)
{
    if (part.transform.scale <= 0 || part.transform.scale > 100)
        fail(r.source, node,
             "<Part>/<Scale>: expected a factor in (0, 100], found " +
                 format_number(part.transform.scale));
    if (part.source_area &&
        (part.source_area->width() <= 0 || part.source_area->height() <= 0))
        fail(r.source, node,
             "<Part>/<SourceArea>: expected Right > Left and Bottom > Top");
}

void read_part(Reader& r, const xmlNode* node)
{
    Part part;
    for_each_element(
        node, [&](const xmlNode* child) { read_part_child(r, part, child); });
    check_part(r, part, node);
    if (part.id.empty())
        part.id = new_guid();
    if (part.original_id.empty())
        part.original_id = part.id;
    r.job.parts.push_back(part);
    r.part_nodes.push_back(node);
}

// Parts may nest (groups of parts); the layout takes them flat.
void read_parts(Reader& r, const xmlNode* node)
{
    for_each_element(node, [&](const xmlNode* part) {
        read_part(r, part);
        for_each_element(part, [&](const xmlNode* child) {
            if (name_of(child) == "Parts")
                read_parts(r, child);
        });
    });
}

void read_imposition(Reader& r, const xmlNode* node)
{
    r.imposition = node;
    for_each_element(node, [&](const xmlNode* child) {
        if (name_of(child) == "Parts")
            read_parts(r, child);
    });
}

// --- Layout extensions ----------------------------------------------

void read_grid(Reader& r, const xmlNode* node)
{
    Layout& layout = r.job.layout;
    bool nup = name_of(node) == "NUp";
    layout.kind = nup ? LayoutKind::nup : LayoutKind::step_repeat;
    layout.columns = int_attr(r, node, "Columns", 0, 0, 10000);
    layout.rows = int_attr(r, node, "Rows", 0, 0, 10000);
    layout.gap_x_units = number_attr(r, node, "GapX", 0);
    layout.gap_y_units = number_attr(r, node, "GapY", 0);
    if (layout.gap_x_units < 0 || layout.gap_y_units < 0)
        fail(r.source, node, tag(node) + ": expected gaps >= 0");
    r.layouts.push_back(node);
}

void read_tiling(Reader& r, const xmlNode* node)
{
    Layout& layout = r.job.layout;
    layout.kind = LayoutKind::tile;
    layout.tile_width_units = number_attr(r, node, "Width", 0);
    layout.tile_height_units = number_attr(r, node, "Height", 0);
    layout.tile_overlap_units = number_attr(r, node, "Overlap", 0);
    layout.rotate_alternate_tiles =
        bool_attr(r, node, "RotateAlternate", false);
    layout.equal_tiles = bool_attr(r, node, "Equal", false);
    double smallest = 0;
    for (double side : {layout.tile_width_units, layout.tile_height_units})
        if (side > 0)
            smallest = smallest > 0 ? std::min(smallest, side) : side;
    if (layout.tile_width_units < 0 || layout.tile_height_units < 0)
        fail(r.source, node, "<Tiling>: expected Width and Height >= 0");
    if (layout.tile_overlap_units < 0 ||
        (smallest > 0 && layout.tile_overlap_units >= smallest))
        fail(r.source, node,
             "<Tiling>@Overlap: expected >= 0 and smaller than the tile");
    r.layouts.push_back(node);
}

void read_layout_value(Reader& r, const xmlNode* node)
{
    std::string name = name_of(node);
    Layout& layout = r.job.layout;
    if (name == "Rotation")
        layout.transform.rotation_deg = number_text(r, node);
    else if (name == "Scale")
        layout.transform.scale = number_text(r, node);
    else if (name == "Mirror")
        layout.transform.mirror = bool_text(r, node);
    else if (name == "FitJobToPage")
        layout.fit_to_media = bool_text(r, node);
    else if (name == "Center")
        layout.center = bool_text(r, node);
    else if (name == "TrimWhite")
        layout.trim_white = bool_text(r, node);
    else if (name == "AutoRotate")
        layout.auto_rotate = bool_text(r, node);
    else if (name == "Margins")
        layout.margin_units = number_text(r, node);
    else if (name == "Bleed")
        layout.bleed_units = number_text(r, node);
    if (layout.transform.scale <= 0 || layout.transform.scale > 100)
        fail(r.source, node, "<Scale>: expected a factor in (0, 100]");
    if (name == "Margins" && layout.margin_units < 0)
        fail(r.source, node, "<Margins>: expected a length >= 0");
    if (name == "Bleed" && layout.bleed_units < 0)
        fail(r.source, node, "<Bleed>: expected a length >= 0");
}

void read_media(Reader& r, const xmlNode* node)
{
    MediaRequest media;
    media.width_units = number_attr(r, node, "Width", 0);
    media.height_units = number_attr(r, node, "Height", 0);
    media.roll = bool_attr(r, node, "Roll", media.height_units == 0);
    if (media.width_units <= 0 || media.height_units < 0 ||
        (!media.roll && media.height_units == 0))
        fail(r.source, node,
             "<MediaSize>: expected Width > 0, and Height > 0 for a sheet");
    r.job.media = media;
}

// --- Marks ------------------------------------------------------------

void read_mark(Reader& r, const xmlNode* node)
{
    std::string name = name_of(node);
    Marks& marks = r.job.marks;
    if (name == "MarkType")
        marks.mark_type = int_text(r, node, 0, 1000);
    else if (name == "BorderOffset")
        marks.mark_offset_units = number_text(r, node);
    else if (name == "CropMarks")
        marks.crop_marks = bool_text(r, node);
    else if (name == "BleedMarks")
        marks.bleed_marks = bool_text(r, node);
    else if (name == "JobLabel")
        marks.job_label = bool_text(r, node);
    else if (name == "ColorBar")
        marks.color_bar = bool_text(r, node);
}

// --- Colour -----------------------------------------------------------

Intent intent_from(Reader& r, const xmlNode* node)
{
    static const std::map<std::string, Intent> names = {
        {"Perceptual", Intent::perceptual},
        {"RelativeColorimetric", Intent::relative},
        {"Colorimetric", Intent::relative},
        {"Saturation", Intent::saturation},
        {"AbsoluteColorimetric", Intent::absolute},
    };
    std::string text = text_of(node);
    auto it = names.find(text);
    if (it == names.end())
        fail(r.source, node,
             tag(node) +
                 ": expected Perceptual, RelativeColorimetric, "
                 "Saturation or AbsoluteColorimetric, found '" +
                 text + "'");
    return it->second;
}

IntentPair& space_of(Job& job, const std::string& name)
{
    if (name.rfind("RGB", 0) == 0)
        return job.color.rgb;
    if (name.rfind("CMYK", 0) == 0)
        return job.color.cmyk;
    if (name.rfind("Gray", 0) == 0)
        return job.color.gray;
    return job.color.lab;
}

void read_color(Reader& r, const xmlNode* node)
{
    std::string name = name_of(node);
    if (name == "UseEmbeddedProfiles") {
        r.job.color.use_embedded_profiles = bool_text(r, node);
        return;
    }
    if (name == "UsePDFX3Profile") {
        r.job.color.use_output_intent = bool_text(r, node);
        return;
    }
    if (name == "ReferenceProfile") {
        r.job.color.reference_profile = attr(node, "GUID");
        return;
    }
    IntentPair& pair = space_of(r.job, name);
    bool image = name.find("Image") != std::string::npos;
    if (name.size() > 6 && name.compare(name.size() - 6, 6, "Intent") == 0)
        (image ? pair.image : pair.vector) = intent_from(r, node);
    else
        (image ? pair.image_spec : pair.vector_spec) = text_of(node);
}

// --- Print mode, flags, reporting ------------------------------------

void read_printer_profile(Reader& r, const xmlNode* node)
{
    PrinterProfile profile;
    profile.guid = attr(node, "GUID");
    profile.type = attr(node, "Type");
    profile.text = text_of(node);
    r.job.printer_profile = profile;
}

void read_flag(Reader& r, const xmlNode* node)
{
    (name_of(node) == "Print" ? r.job.print : r.job.cut) = bool_text(r, node);
}

void read_copies(Reader& r, const xmlNode* node)
{
    r.job.copies = int_text(r, node, 1, max_copies);
}

void read_journal(Reader& r, const xmlNode* node)
{
    for_each_element(node, [&](const xmlNode* entry) {
        r.job.journal.push_back(
            {name_of(entry), attr(entry, "Date"), text_of(entry)});
    });
}

void read_statistics(Reader& r, const xmlNode* node)
{
    Statistics stats;
    for_each_element(node, [&](const xmlNode* child) {
        if (name_of(child) != "Summary")
            return;
        stats.efficiency = number_attr(r, child, "Efficiency", 0);
        stats.media_used_width_units = number_attr(r, child, "Width", 0);
        stats.media_used_length_units = number_attr(r, child, "Length", 0);
        stats.sheets = int_attr(r, child, "Sheets", 0, 0, max_pages);
        stats.placements = int_attr(r, child, "Placements", 0, 0, max_copies);
    });
    r.job.statistics = stats;
}

void ignore(Reader&, const xmlNode*) {}

const std::map<std::string, Handler>& handlers()
{
    static const std::map<std::string, Handler> table = [] {
        std::map<std::string, Handler> t;
        for (const char* n : {"JobGUID", "GUID"})
            t[n] = read_id;
        for (const char* n : {"Name", "User", "Producer", "JobType",
                              "PrintDeadline", "ModeVariant", "ScreenType"})
            t[n] = read_string;
        for (const char* n : {"DeviceGUID", "QueueGUID", "NestGroupGUID"})
            t[n] = read_guid_field;
        for (const char* n : {"Print", "Cut"})
            t[n] = read_flag;
        for (const char* n : {"NUp", "StepRepeat"})
            t[n] = read_grid;
        for (const char* n :
             {"Rotation", "Scale", "Mirror", "FitJobToPage", "Center",
              "AutoRotate", "Margins", "Bleed", "TrimWhite"})
            t[n] = read_layout_value;
        for (const char* n : {"MarkType", "BorderOffset", "CropMarks",
                              "BleedMarks", "JobLabel", "ColorBar"})
            t[n] = read_mark;
        for (const char* space : {"RGB", "CMYK", "Gray", "CIELab"})
            for (const char* kind :
                 {"ImageIntent", "VectorIntent", "ImageSpec", "VectorSpec"})
                t[std::string(space) + kind] = read_color;
        t["UseEmbeddedProfiles"] = read_color;
        t["UsePDFX3Profile"] = read_color;
        t["ReferenceProfile"] = read_color;
        t["Copies"] = read_copies;
        t["PDFJob"] = read_pdf_job;
        t["Documents"] = read_documents;
        t["Imposition"] = read_imposition;
        t["Tiling"] = read_tiling;
        t["MediaSize"] = read_media;
        t["PrinterProfile"] = read_printer_profile;
        t["Journal"] = read_journal;
        t["Statistics"] = read_statistics;
        return t;
    }();
    return table;
}

// --- Checks across elements ------------------------------------------

void check_layouts(Reader& r, const xmlNode* root)
{
    if (r.layouts.size() > 1)
        fail(r.source, r.layouts[1],
             tag(r.layouts[1]) + ": the job already has a " +
                 tag(r.layouts[0]) +
                 " layout; expected only one of "
                 "<NUp>, <StepRepeat>, <Tiling>");
    if (!r.layouts.empty() && !r.job.parts.empty())
        fail(r.source, r.layouts[0],
             tag(r.layouts[0]) +
                 ": the job has explicit <Imposition> parts; expected "
                 "either parts or a layout, not both");
    if (r.imposition && r.job.parts.empty())
        fail(r.source, r.imposition,
             "<Imposition>: expected at least one <Part>");
    (void)root;
}

// Every part names a document the job has, or the first one.
void resolve_parts(Reader& r)
{
    for (std::size_t i = 0; i < r.job.parts.size(); ++i) {
        Part& part = r.job.parts[i];
        if (part.document_id.empty())
            continue;
        bool found = false;
        for (std::size_t k = 0; k < r.job.inputs.size() && !found; ++k)
            if (r.job.inputs[k].document_id == part.document_id) {
                part.input = static_cast<int>(k);
                found = true;
            }
        if (!found)
            fail(r.source, r.part_nodes[i],
                 "<Part>/<DocumentGUID>: expected the GUID of a document "
                 "of this job, found '" +
                     part.document_id + "'");
    }
}

void check_job(Reader& r, const xmlNode* root)
{
    if (r.job.id.empty())
        fail(r.source, root,
             "<Job>: expected a <JobGUID> (or the legacy <GUID>)");
    if (r.job.inputs.empty())
        fail(r.source, root,
             "<Job>: expected at least one document: "
             "<PDFJob>/<InputJobs>/<FilePath> or <Documents>/<Document>");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < r.job.parts.size(); ++i)
        if (!ids.insert(r.job.parts[i].id).second)
            fail(r.source, r.part_nodes[i],
                 "<Part>/<GUID>: expected a unique part GUID, '" +
                     r.job.parts[i].id + "' is used twice");
    check_layouts(r, root);
    resolve_parts(r);
}

} // namespace

Job read_job(const xmlNode* root, const std::filesystem::path& base_dir,
             const Source& source)
{
    Reader r{source, base_dir, {}, nullptr, {}, {}};
    r.job.version =
        has_attr(root, "Version")
            ? to_int(source, root, attr(root, "Version"), "<Job>@Version", 1, 2)
            : 1;

    // JobGUID and PDFJob first: a legacy GUID beside the first is
    // ignored, and Documents may name the inputs of the second.
    auto first = [](const std::string& name) {
        return name == "JobGUID" || name == "PDFJob";
    };
    for_each_element(root, [&](const xmlNode* node) {
        if (first(name_of(node)))
            handlers().at(name_of(node))(r, node);
    });
    for_each_element(root, [&](const xmlNode* node) {
        auto it = handlers().find(name_of(node));
        if (it == handlers().end())
            ignore(r, node);
        else if (!first(name_of(node)))
            it->second(r, node);
    });
    check_job(r, root);
    return r.job;
}

} // namespace ripline::job::detail
