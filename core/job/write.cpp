// SPDX-License-Identifier: AGPL-3.0-or-later
// Writing the model back as Job XML v2, journal and statistics included.
#include "core/job/job.hpp"
#include "core/job/xml_util.hpp"

#include <libxml/tree.h>

namespace ripline::job {

using detail::format_number;

namespace {

const xmlChar* x(const char* text)
{
    return reinterpret_cast<const xmlChar*>(text);
}

xmlNode* add(xmlNode* parent, const char* name, const std::string& text = {})
{
    return xmlNewTextChild(parent, nullptr, x(name),
                           text.empty() ? nullptr : x(text.c_str()));
}

void add_if(xmlNode* parent, const char* name, const std::string& text)
{
    if (!text.empty())
        add(parent, name, text);
}

void set(xmlNode* node, const char* name, const std::string& value)
{
    xmlSetProp(node, x(name), x(value.c_str()));
}

const char* bool_text(bool value)
{
    return value ? "true" : "false";
}

void write_identity(xmlNode* root, const Job& job)
{
    add(root, "JobGUID", job.id);
    add_if(root, "Name", job.name);
    add_if(root, "User", job.user);
    add_if(root, "Producer", job.producer);
    add_if(root, "JobType", job.job_type);
    add_if(root, "DeviceGUID", job.device_id);
    add_if(root, "QueueGUID", job.queue_id);
    add_if(root, "NestGroupGUID", job.nest_group_id);
    add_if(root, "PrintDeadline", job.print_deadline);
    add(root, "Print", bool_text(job.print));
    add(root, "Cut", bool_text(job.cut));
    if (job.copies != 1)
        add(root, "Copies", std::to_string(job.copies));
}

// Inputs go to PDFJob with their document id; names that differ from the
// file name go to Documents so that they survive the round trip.
void write_inputs(xmlNode* root, const Job& job)
{
    xmlNode* inputs = add(add(root, "PDFJob"), "InputJobs");
    xmlNode* documents = nullptr;
    for (const InputFile& input : job.inputs) {
        xmlNode* file = add(inputs, "FilePath", input.path);
        if (input.copies != 1)
            set(file, "Copies", std::to_string(input.copies));
        if (!input.document_id.empty())
            set(file, "Id", input.document_id);
        std::string file_name =
            std::filesystem::path(input.path).filename().string();
        if (input.document_id.empty() || input.name == file_name)
            continue;
        if (!documents)
            documents = add(root, "Documents");
        xmlNode* doc = add(documents, "Document");
        add(doc, "GUID", input.document_id);
        add(doc, "Name", input.name);
    }
}

void write_transform(xmlNode* node, const Transform& t)
{
    if (t.rotation_deg != 0)
        add(node, "Rotation", format_number(t.rotation_deg));
    if (t.scale != 1)
        add(node, "Scale", format_number(t.scale));
    if (t.mirror)
        add(node, "Mirror", "true");
}

void write_part(xmlNode* parts, const Part& part)
{
    xmlNode* node = add(parts, "Part");
    add(node, "GUID", part.id);
    if (part.original_id != part.id)
        add(node, "OriginalPart", part.original_id);
    add_if(node, "DocumentGUID", part.document_id);
    add(node, "SourcePage", std::to_string(part.source_page));
    add(node, "DestinationPage", std::to_string(part.destination_page));
    if (part.source_area) {
        xmlNode* area = add(node, "SourceArea");
        set(area, "Left", format_number(part.source_area->left));
        set(area, "Top", format_number(part.source_area->top));
        set(area, "Right", format_number(part.source_area->right));
        set(area, "Bottom", format_number(part.source_area->bottom));
    }
    if (part.position) {
        xmlNode* position = add(node, "Position");
        set(position, "X", format_number(part.position->x));
        set(position, "Y", format_number(part.position->y));
    }
    add_if(node, "CopyName", part.copy_name);
    write_transform(node, part.transform);
    if (part.copies != 1)
        add(node, "Copies", std::to_string(part.copies));
}

void write_grid(xmlNode* root, const Layout& layout)
{
    const char* name = layout.kind == LayoutKind::nup ? "NUp" : "StepRepeat";
    xmlNode* node = add(root, name);
    if (layout.columns)
        set(node, "Columns", std::to_string(layout.columns));
    if (layout.rows)
        set(node, "Rows", std::to_string(layout.rows));
    if (layout.gap_x_units)
        set(node, "GapX", format_number(layout.gap_x_units));
    if (layout.gap_y_units)
        set(node, "GapY", format_number(layout.gap_y_units));
}

void write_tiling(xmlNode* root, const Layout& layout)
{
    xmlNode* node = add(root, "Tiling");
    if (layout.tile_width_units)
        set(node, "Width", format_number(layout.tile_width_units));
    if (layout.tile_height_units)
        set(node, "Height", format_number(layout.tile_height_units));
    if (layout.tile_overlap_units)
        set(node, "Overlap", format_number(layout.tile_overlap_units));
    if (layout.rotate_alternate_tiles)
        set(node, "RotateAlternate", "true");
    if (layout.equal_tiles)
        set(node, "Equal", "true");
}

void write_layout(xmlNode* root, const Job& job)
{
    if (!job.parts.empty()) {
        xmlNode* parts = add(add(root, "Imposition"), "Parts");
        for (const Part& part : job.parts)
            write_part(parts, part);
    }
    const Layout& layout = job.layout;
    if (layout.kind == LayoutKind::nup ||
        layout.kind == LayoutKind::step_repeat)
        write_grid(root, layout);
    else if (layout.kind == LayoutKind::tile)
        write_tiling(root, layout);
    write_transform(root, layout.transform);
    if (layout.fit_to_media)
        add(root, "FitJobToPage", "true");
    if (layout.center)
        add(root, "Center", "true");
    if (layout.trim_white)
        add(root, "TrimWhite", "true");
    if (layout.auto_rotate)
        add(root, "AutoRotate", "true");
    if (layout.margin_units >= 0)
        add(root, "Margins", format_number(layout.margin_units));
    if (layout.bleed_units > 0)
        add(root, "Bleed", format_number(layout.bleed_units));
}

void write_media(xmlNode* root, const Job& job)
{
    if (!job.media)
        return;
    xmlNode* node = add(root, "MediaSize");
    set(node, "Width", format_number(job.media->width_units));
    if (job.media->height_units > 0)
        set(node, "Height", format_number(job.media->height_units));
    set(node, "Roll", bool_text(job.media->roll));
}

void write_marks(xmlNode* root, const Marks& marks)
{
    if (marks.mark_type >= 0) {
        add(root, "MarkType", std::to_string(marks.mark_type));
        add(root, "BorderOffset", format_number(marks.mark_offset_units));
    }
    if (marks.crop_marks)
        add(root, "CropMarks", "true");
    if (marks.bleed_marks)
        add(root, "BleedMarks", "true");
    if (marks.job_label)
        add(root, "JobLabel", "true");
    if (marks.color_bar)
        add(root, "ColorBar", "true");
}

const char* intent_name(Intent intent)
{
    switch (intent) {
    case Intent::perceptual:
        return "Perceptual";
    case Intent::relative:
        return "RelativeColorimetric";
    case Intent::saturation:
        return "Saturation";
    case Intent::absolute:
        return "AbsoluteColorimetric";
    case Intent::none:
        break;
    }
    return "";
}

void write_pair(xmlNode* root, const std::string& space, const IntentPair& p)
{
    add_if(root, (space + "ImageIntent").c_str(), intent_name(p.image));
    add_if(root, (space + "VectorIntent").c_str(), intent_name(p.vector));
    if (space != "CIELab") {
        add_if(root, (space + "ImageSpec").c_str(), p.image_spec);
        add_if(root, (space + "VectorSpec").c_str(), p.vector_spec);
    }
}

void write_print_mode(xmlNode* root, const Job& job)
{
    if (job.printer_profile) {
        xmlNode* node = add(root, "PrinterProfile", job.printer_profile->text);
        set(node, "GUID", job.printer_profile->guid);
        if (!job.printer_profile->type.empty())
            set(node, "Type", job.printer_profile->type);
    }
    add_if(root, "ModeVariant", job.mode_variant);
    add_if(root, "ScreenType", job.screen);
    const ColorSettings& color = job.color;
    if (color.use_embedded_profiles)
        add(root, "UseEmbeddedProfiles",
            bool_text(*color.use_embedded_profiles));
    if (color.use_output_intent)
        add(root, "UsePDFX3Profile", bool_text(*color.use_output_intent));
    if (!color.reference_profile.empty())
        set(add(root, "ReferenceProfile"), "GUID", color.reference_profile);
    write_pair(root, "RGB", color.rgb);
    write_pair(root, "CMYK", color.cmyk);
    write_pair(root, "Gray", color.gray);
    write_pair(root, "CIELab", color.lab);
}

void write_reporting(xmlNode* root, const Job& job)
{
    if (!job.journal.empty()) {
        xmlNode* journal = add(root, "Journal");
        for (const JournalEntry& entry : job.journal) {
            xmlNode* node = add(journal, entry.kind.c_str(), entry.message);
            if (!entry.date.empty())
                set(node, "Date", entry.date);
        }
    }
    if (!job.statistics)
        return;
    const Statistics& s = *job.statistics;
    xmlNode* summary = add(add(root, "Statistics"), "Summary");
    set(summary, "Efficiency", format_number(s.efficiency));
    set(summary, "Width", format_number(s.media_used_width_units));
    set(summary, "Length", format_number(s.media_used_length_units));
    set(summary, "Sheets", std::to_string(s.sheets));
    set(summary, "Placements", std::to_string(s.placements));
}

} // namespace

std::string write_job_xml(const Job& job)
{
    xmlDoc* doc = xmlNewDoc(x("1.0"));
    xmlNode* root = xmlNewNode(nullptr, x("Job"));
    xmlDocSetRootElement(doc, root);
    set(root, "Version", "2");

    // The order follows docs/job-xml.md; readers accept any order.
    write_identity(root, job);
    write_inputs(root, job);
    write_media(root, job);
    write_layout(root, job);
    write_print_mode(root, job);
    write_marks(root, job.marks);
    write_reporting(root, job);

    xmlChar* text = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc, &text, &size, "UTF-8", 1);
    std::string out(reinterpret_cast<char*>(text), size);
    xmlFree(text);
    xmlFreeDoc(doc);
    return out;
}

} // namespace ripline::job
