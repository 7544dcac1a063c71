// SPDX-License-Identifier: AGPL-3.0-or-later
// Nesting files: the instance formats we read, the solution, report, SVG.
#include "core/nest/io.hpp"

#include "core/common/error.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

namespace ripline::nest {

using nlohmann::json;

namespace {

struct Reader {
    const std::string& file;

    [[noreturn]] void fail(const std::string& where,
                           const std::string& what) const
    {
        throw Error(RL_ERROR_BAD_INPUT, Stage::nest, where + ": " + what,
                    file);
    }

    const json& field(const json& j, const char* key,
                      const std::string& where) const
    {
        if (!j.is_object() || !j.contains(key))
            fail(where, std::string("missing \"") + key + "\"");
        return j.at(key);
    }

    double number(const json& j, const char* key,
                  const std::string& where) const
    {
        const json& v = field(j, key, where);
        if (!v.is_number())
            fail(where + "." + key, "must be a number");
        return v.get<double>();
    }

    double number_or(const json& j, const char* key, double fallback,
                     const std::string& where) const
    {
        if (!j.is_object() || !j.contains(key) || j.at(key).is_null())
            return fallback;
        return number(j, key, where);
    }

    double positive(const json& j, const char* key,
                    const std::string& where) const
    {
        double v = number(j, key, where);
        if (!(v > 0))
            fail(where + "." + key, "must be more than 0");
        return v;
    }

    // A whole number of at least `least` (`fallback` when missing).
    int whole_or(const json& j, const char* key, int fallback, int least,
                 const std::string& where) const
    {
        double v = number_or(j, key, fallback, where);
        if (v != std::floor(v) || v < least || v > 1e6)
            fail(where + "." + key, "must be a whole number from " +
                                        std::to_string(least) + " to 1000000");
        return static_cast<int>(v);
    }

    int count(const json& j, const char* key, const std::string& where) const
    {
        field(j, key, where);
        return whole_or(j, key, 1, 1, where);
    }

    std::string text(const json& j, const char* key,
                     const std::string& where) const
    {
        const json& v = field(j, key, where);
        if (!v.is_string())
            fail(where + "." + key, "must be a string");
        return v.get<std::string>();
    }

    std::vector<double> degrees(const json& list,
                                const std::string& where) const
    {
        if (!list.is_array())
            fail(where, "must be a list of degrees");
        std::vector<double> out;
        for (size_t k = 0; k < list.size(); ++k) {
            if (!list[k].is_number())
                fail(where + "[" + std::to_string(k) + "]",
                     "must be a number of degrees");
            out.push_back(list[k].get<double>());
        }
        return out;
    }

    Ring ring(const json& j, const std::string& where, bool swap) const
    {
        if (!j.is_array() || j.size() < 3)
            fail(where, "a ring needs at least three [x, y] points");
        Ring out;
        for (size_t i = 0; i < j.size(); ++i) {
            const json& p = j[i];
            if (!p.is_array() || p.size() != 2 || !p[0].is_number() ||
                !p[1].is_number())
                fail(where + "[" + std::to_string(i) + "]",
                     "a point must be [x, y]");
            double x = p[0].get<double>(), y = p[1].get<double>();
            out.push_back(swap ? Point{y, x} : Point{x, y});
        }
        return out;
    }
};

Ring rectangle(double x, double y, double w, double h)
{
    return {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
}

// jagua-rs shapes: simple_polygon, polygon {outer, inner}, rectangle.
Shape strip_shape(const Reader& r, const json& j, const std::string& where)
{
    std::string type = r.text(j, "type", where);
    const json& data = r.field(j, "data", where);
    Shape s;
    if (type == "simple_polygon") {
        s.outer = r.ring(data, where + ".data", true);
    } else if (type == "polygon") {
        s.outer = r.ring(r.field(data, "outer", where), where + ".outer",
                         true);
        if (data.contains("inner"))
            for (const json& hole : data.at("inner"))
                s.holes.push_back(r.ring(hole, where + ".inner", true));
    } else if (type == "rectangle") {
        // Swapped axes: x_min becomes y, width becomes the height.
        s.outer = rectangle(r.number(data, "y_min", where),
                            r.number(data, "x_min", where),
                            r.positive(data, "height", where),
                            r.positive(data, "width", where));
    } else {
        r.fail(where + ".type", "shape type '" + type + "' is not supported");
    }
    return s;
}

Instance read_strip(const Reader& r, const json& j)
{
    Instance in;
    in.format = Format::strip_json;
    in.swapped_axes = true;
    in.problem.name = j.value("name", std::string("strip"));
    in.problem.media.width = r.number(j, "strip_height", "instance");
    const json& items = r.field(j, "items", "instance");
    for (size_t i = 0; i < items.size(); ++i) {
        const json& it = items[i];
        std::string where = "items[" + std::to_string(i) + "]";
        Part part;
        part.id = it.contains("id") ? it.at("id").dump() : std::to_string(i);
        part.quantity = r.count(it, "demand", where);
        part.outline = strip_shape(r, r.field(it, "shape", where),
                                   where + ".shape");

        // A mirror turns rotations the other way.
        part.rotations_deg.clear();
        if (it.contains("allowed_orientations"))
            for (double a : r.degrees(it.at("allowed_orientations"),
                                      where + ".allowed_orientations"))
                part.rotations_deg.push_back(std::fmod(360.0 - a, 360.0));
        in.problem.parts.push_back(std::move(part));
    }
    return in;
}

Instance read_rect(const Reader& r, const json& j)
{
    Instance in;
    in.format = Format::rect_json;
    in.problem.name = j.value("Name", std::string("rectangles"));
    const json& objects = r.field(j, "Objects", "instance");
    if (!objects.is_array() || objects.empty())
        r.fail("Objects", "needs one object, the strip");
    in.problem.media.width = r.number(objects[0], "Length", "Objects[0]");
    const json& items = r.field(j, "Items", "instance");
    for (size_t i = 0; i < items.size(); ++i) {
        std::string where = "Items[" + std::to_string(i) + "]";
        Part part;
        part.id = std::to_string(i);
        part.quantity = r.count(items[i], "Demand", where);
        part.outline.outer =
            rectangle(0, 0, r.positive(items[i], "Length", where),
                      r.positive(items[i], "Height", where));
        part.rotations_deg = {0, 90};
        in.problem.parts.push_back(std::move(part));
    }
    return in;
}

std::vector<double> rotations_of(const Reader& r, const json& part,
                                 const std::string& where)
{
    if (!part.contains("rotations"))
        return {0};
    const json& v = part.at("rotations");
    if (v.is_string() && v.get<std::string>() == "any")
        return {};
    if (!v.is_array())
        r.fail(where + ".rotations", "must be a list of degrees or \"any\"");
    return r.degrees(v, where + ".rotations");
}

Part list_part(const Reader& r, const json& j, size_t index)
{
    std::string where = "parts[" + std::to_string(index) + "]";
    Part part;
    part.id = j.value("id", std::to_string(index));
    part.quantity = r.whole_or(j, "quantity", 1, 1, where);
    if (j.contains("outline")) {
        part.outline.outer = r.ring(j.at("outline"), where + ".outline",
                                    false);
        for (const json& hole : j.value("holes", json::array()))
            part.outline.holes.push_back(r.ring(hole, where + ".holes",
                                                false));
    } else {
        part.outline.outer = rectangle(0, 0, r.positive(j, "width_mm", where),
                                       r.positive(j, "height_mm", where));
    }
    part.rotations_deg = rotations_of(r, j, where);
    part.group = j.value("group", std::string());
    for (const json& pin : j.value("pins", json::array())) {
        Pin p;
        p.pose.translation = {r.number(pin, "x_mm", where + ".pins"),
                              r.number(pin, "y_mm", where + ".pins")};
        p.pose.rotation_deg = r.number_or(pin, "rotation", 0, where);
        p.sheet = r.whole_or(pin, "sheet", 0, 0, where + ".pins");
        part.pins.push_back(p);
    }
    if (static_cast<int>(part.pins.size()) > part.quantity)
        r.fail(where + ".pins", "more pins than the quantity");
    return part;
}

Mode mode_of(const Reader& r, const std::string& text)
{
    if (text == "auto")
        return Mode::automatic;
    if (text == "rectangular")
        return Mode::rectangular;
    if (text == "true_shape")
        return Mode::true_shape;
    r.fail("mode", "must be auto, rectangular or true_shape");
}

Instance read_list(const Reader& r, const json& j)
{
    Instance in;
    in.problem.name = j.value("name", std::string("nest"));
    const json& media = r.field(j, "media", "instance");
    std::string kind = media.value("kind", std::string("roll"));
    if (kind != "roll" && kind != "sheet")
        r.fail("media.kind", "must be roll or sheet");
    Media& m = in.problem.media;
    m.kind = kind == "roll" ? Media::Kind::roll : Media::Kind::sheet;
    m.width = r.number(media, "width_mm", "media");
    m.length = kind == "roll"
                   ? r.number_or(media, "max_length_mm", 0, "media")
                   : r.number(media, "length_mm", "media");
    m.max_sheets = r.whole_or(media, "max_sheets", 0, 0, "media");
    in.options.spacing = r.number_or(j, "spacing_mm", 0, "instance");
    in.options.margin = r.number_or(j, "margin_mm", 0, "instance");
    in.options.bleed = r.number_or(j, "bleed_mm", 0, "instance");
    in.options.mode = mode_of(r, j.value("mode", std::string("auto")));
    in.options.part_in_part = j.value("part_in_part", false);
    const json& parts = r.field(j, "parts", "instance");
    for (size_t i = 0; i < parts.size(); ++i)
        in.problem.parts.push_back(list_part(r, parts[i], i));
    return in;
}

}  // namespace

Instance parse_instance(const std::string& text, const std::string& name)
{
    Reader r{name};
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        r.fail("json", e.what());
    }
    try {
        Instance in = j.contains("strip_height") ? read_strip(r, j)
                      : j.contains("Objects")    ? read_rect(r, j)
                      : j.contains("parts")      ? read_list(r, j)
                                                 : Instance{};
        if (in.problem.parts.empty())
            r.fail("instance", "not a strip, rectangle or parts-list file");
        in.file = name;
        return in;
    } catch (const json::exception& e) {
        r.fail("instance", e.what());
    }
}

Instance read_instance(const std::string& path)
{
    std::ifstream file(path);
    if (!file)
        throw Error(RL_ERROR_IO, Stage::nest, "cannot open the file", path);
    std::stringstream text;
    text << file.rdbuf();
    return parse_instance(text.str(), path);
}

Pose instance_pose(const Instance& instance, const Pose& pose)
{
    if (!instance.swapped_axes)
        return pose;
    double deg = std::fmod(360.0 - pose.rotation_deg, 360.0);
    return {deg, {pose.translation.y, pose.translation.x}};
}

static json json_point(Point p) { return json::array({p.x, p.y}); }

std::string solution_json(const Instance& instance, const NestResult& result)
{
    json items = json::array();
    for (const Placement& p : result.placements) {
        Pose pose = instance_pose(instance, p.pose);
        json id = json::parse(instance.format == Format::strip_json
                                  ? p.part_id
                                  : json(p.part_id).dump());
        items.push_back({{"id", id},
                         {"copy", p.copy},
                         {"sheet", p.sheet},
                         {"rotation", pose.rotation_deg},
                         {"translation", json_point(pose.translation)}});
    }
    json unplaced = json::array();
    for (const Unplaced& u : result.unplaced)
        unplaced.push_back(
            {{"id", instance.problem.parts[size_t(u.part_index)].id},
             {"copy", u.copy},
             {"reason", u.reason}});
    json out = {{"name", instance.problem.name},
                {"width", instance.problem.media.width},
                {"length", result.used_length},
                {"sheets", result.sheet_count},
                {"density", result.efficiency},
                {"engine", result.engine},
                {"seconds", result.seconds},
                {"placed_items", items},
                {"unplaced_items", unplaced}};
    if (instance.swapped_axes)
        out["axes"] = "length along x, width along y";
    else
        out["axes"] = "width along x, length along y";
    return out.dump(1) + "\n";
}

std::string nest_report(const Instance& instance, const NestResult& result)
{
    std::ostringstream out;
    const Media& m = instance.problem.media;
    out << "nest " << instance.problem.name << " (" << result.engine
        << " engine)\n";
    out << "  media: " << (m.kind == Media::Kind::roll ? "roll" : "sheets")
        << " " << m.width << " wide\n";
    out << "  placed: " << result.placements.size() << ", unplaced: "
        << result.unplaced.size() << "\n";
    if (m.kind == Media::Kind::roll)
        out << "  used length: " << result.used_length << "\n";
    else
        out << "  sheets: " << result.sheet_count << "\n";
    out << "  density: " << result.efficiency * 100 << " %\n";
    out << "  search: " << result.evaluations << " layouts in "
        << result.seconds << " s, seed " << instance.options.seed << "\n";
    // What the search was given: only a count of layouts repeats.
    const NestOptions& o = instance.options;
    out << "  budget: ";
    if (o.time_limit_s > 0 && o.max_evaluations > 0)
        out << o.time_limit_s << " s or " << o.max_evaluations << " layouts";
    else if (o.time_limit_s > 0)
        out << o.time_limit_s << " s";
    else if (o.max_evaluations > 0)
        out << o.max_evaluations << " layouts, the same nest on any machine";
    else
        out << "none: the constructive start alone";
    out << "\n";
    out << unplaced_lines(instance, result);
    return out.str();
}

std::string unplaced_lines(const Instance& instance, const NestResult& result)
{
    std::ostringstream out;
    for (const Unplaced& u : result.unplaced)
        out << "  not placed: '"
            << instance.problem.parts[size_t(u.part_index)].id << "' copy "
            << u.copy << ": " << u.reason << "\n";
    return out.str();
}

static std::string svg_path(const Ring& ring, bool swap, double dy)
{
    std::ostringstream d;
    for (size_t i = 0; i < ring.size(); ++i) {
        Point p = ring[i];
        double x = swap ? p.y : p.x, y = (swap ? p.x : p.y) + dy;
        d << (i == 0 ? "M" : "L") << x << "," << y << " ";
    }
    d << "Z";
    return d.str();
}

std::string nest_svg(const Instance& instance, const NestResult& result)
{
    const Media& m = instance.problem.media;
    bool roll = m.kind == Media::Kind::roll;
    double sheet_len = roll ? std::max(result.used_length, 1e-9) : m.length;
    int sheets = std::max(1, result.sheet_count);
    double gap = 0.05 * m.width;
    double along = sheets * sheet_len + (sheets - 1) * gap;
    bool swap = instance.swapped_axes;
    double w = swap ? along : m.width, h = swap ? m.width : along;
    double stroke = 0.002 * std::max(w, h);

    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << w
        << " " << h << "\">\n";
    for (int s = 0; s < sheets; ++s) {
        Ring media{{0, 0}, {m.width, 0}, {m.width, sheet_len},
                   {0, sheet_len}};
        svg << "<path d=\"" << svg_path(media, swap, s * (sheet_len + gap))
            << "\" fill=\"#eeeeee\" stroke=\"#555555\" stroke-width=\""
            << stroke << "\"/>\n";
    }
    for (const Placement& p : result.placements) {
        const Part& part = instance.problem.parts[size_t(p.part_index)];
        Ring ring = placed_outline(part, p.pose);
        svg << "<path d=\""
            << svg_path(ring, swap, p.sheet * (sheet_len + gap))
            << "\" fill=\"#7fa7d6\" stroke=\"#1f3f6f\" stroke-width=\""
            << stroke << "\"><title>" << part.id << " #" << p.copy
            << "</title></path>\n";
    }
    svg << "<text x=\"" << stroke * 4 << "\" y=\"" << stroke * 12
        << "\" font-size=\"" << stroke * 10 << "\">" << instance.problem.name
        << " density " << result.efficiency * 100 << " %</text>\n";
    svg << "</svg>\n";
    return svg.str();
}

void write_text_file(const std::string& path, const std::string& text)
{
    std::ofstream file(path);
    file << text;
    if (!file)
        throw Error(RL_ERROR_IO, Stage::nest, "cannot write the file", path);
}

}  // namespace ripline::nest
