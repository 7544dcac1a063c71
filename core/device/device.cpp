// SPDX-License-Identifier: AGPL-3.0-or-later
// Device definitions: JSON in, checked Device out.
#include "core/device/device.hpp"

#include "core/common/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <strings.h>

namespace ripline::device {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Reads fields of one JSON object, naming the file and the field path in
// every error.
class Reader {
public:
    Reader(const json& object, std::string file, std::string where)
        : object_(object), file_(std::move(file)), where_(std::move(where))
    {
        if (!object_.is_object())
            fail("must be an object");
    }

    [[noreturn]] void fail(const std::string& message) const
    {
        throw Error(RL_ERROR_BAD_INPUT, Stage::device,
                    where_ + ": " + message, file_);
    }

    bool has(const char* key) const { return object_.contains(key); }

    const json& get(const char* key) const
    {
        if (!object_.contains(key))
            Reader(object_, file_, field(key)).fail("is required");
        return object_.at(key);
    }

    std::string text(const char* key, const std::string& fallback) const
    {
        if (!has(key))
            return fallback;
        return text(key);
    }

    std::string text(const char* key) const
    {
        const json& value = get(key);
        if (!value.is_string() || value.get<std::string>().empty())
            Reader(object_, file_, field(key)).fail("must be a text");
        return value.get<std::string>();
    }

    double number(const char* key, double fallback, double min,
                  double max) const
    {
        if (!has(key))
            return fallback;
        const json& value = get(key);
        if (!value.is_number() || value.get<double>() < min ||
            value.get<double>() > max)
            Reader(object_, file_, field(key))
                .fail("must be a number from " + format(min) + " to " +
                      format(max));
        return value.get<double>();
    }

    Reader child(const char* key) const
    {
        return Reader(get(key), file_, field(key));
    }

    std::string field(const char* key) const
    {
        return where_.empty() ? key : where_ + "." + key;
    }

private:
    static std::string format(double value)
    {
        std::string text = std::to_string(value);
        text.erase(text.find_last_not_of('0') + 1);
        if (text.back() == '.')
            text.pop_back();
        return text;
    }

    const json& object_;
    std::string file_;
    std::string where_;
};

Media read_media(const Reader& r)
{
    Media media;
    const std::string type = r.text("type");
    if (type != "roll" && type != "sheet")
        Reader(r).fail("type must be \"roll\" or \"sheet\"");
    media.roll = type == "roll";
    media.width_mm = r.number("width_mm", 0, 1, 10000);
    if (media.width_mm == 0)
        r.fail("width_mm is required");
    media.length_mm = r.number("length_mm", 0, 0, 1e6);
    if (!media.roll && media.length_mm == 0)
        r.fail("length_mm is required for sheets");
    media.margin_mm = r.number("margin_mm", 0, 0, media.width_mm / 2);
    return media;
}

// The print mode: a file named relative to the device file, or inline.
color::PrintMode read_print_mode(const json& value, const fs::path& file)
{
    if (value.is_string())
        return color::load_print_mode(file.parent_path() /
                                      value.get<std::string>());
    if (!value.is_object())
        throw Error(RL_ERROR_BAD_INPUT, Stage::device,
                    "print_mode must name a print-mode file or hold one",
                    file.string());
    return color::parse_print_mode(value.dump(), file);
}

json parse_file(const fs::path& file)
{
    std::ifstream in(file);
    if (!in)
        throw Error(RL_ERROR_IO, Stage::device, "cannot read the file",
                    file.string());
    try {
        return json::parse(in);
    } catch (const json::parse_error& e) {
        throw Error(RL_ERROR_BAD_INPUT, Stage::device,
                    std::string("not valid JSON: ") + e.what(),
                    file.string());
    }
}

MarkFamily parse_family(const Reader& r, const std::string& text)
{
    if (text == "none")
        return MarkFamily::none;
    if (text == "discs")
        return MarkFamily::discs;
    if (text == "squares" || text == "opos")
        return MarkFamily::squares;
    if (text == "corners")
        return MarkFamily::corners;
    r.fail("marks must be \"discs\", \"squares\" (or \"opos\"), "
                   "\"corners\" or \"none\", not \"" + text + "\"");
}

std::vector<std::string> read_names(const Reader& r, const json& value)
{
    std::vector<std::string> names;
    if (!value.is_array() || value.empty())
        r.fail("names must be a list of spot names");
    for (const json& name : value) {
        if (!name.is_string() || name.get<std::string>().empty())
            r.fail("names must hold non-empty texts");
        names.push_back(name.get<std::string>());
    }
    return names;
}

// The "cut" object: cut names, registration marks, cutter, mode.
CutSettings read_cut(const Reader& r)
{
    CutSettings cut;
    if (r.has("names"))
        cut.names = read_names(r, r.get("names"));
    cut.marks = parse_family(r, r.text("marks", "none"));
    cut.mark_size_mm = r.number("mark_size_mm", 5, 1, 50);
    cut.mark_offset_mm = r.number("mark_offset_mm", -1, -1, 100);
    if (r.has("barcode")) {
        const json& barcode = r.get("barcode");
        if (!barcode.is_boolean())
            r.fail("barcode must be true or false");
        cut.barcode = barcode.get<bool>();
    }
    cut.cutter = r.text("cutter", "");
    if (r.has("mode"))
        cut.mode = parse_cut_mode(r.text("mode"), r.field("mode"));
    return cut;
}

}  // namespace

CutMode parse_cut_mode(const std::string& text, const std::string& where)
{
    if (text == "print")
        return CutMode::print;
    if (text == "cut")
        return CutMode::cut;
    if (text == "print-and-cut" || text == "print&cut")
        return CutMode::print_and_cut;
    throw Error(RL_ERROR_BAD_INPUT, Stage::device,
                where + ": \"" + text + "\" is not print, cut or "
                "print-and-cut");
}

Device load_device(const fs::path& file)
{
    const json root = parse_file(file);
    Reader r(root, file.string(), "");

    Device device;
    device.file = file;
    device.id = r.text("id");
    device.guid = r.text("guid", "");
    device.name = r.text("name", device.id);
    device.driver = r.text("driver");
    device.connection = r.text("connection", "");
    if (r.has("driver_options")) {
        const json& options = r.get("driver_options");
        if (!options.is_object())
            r.fail("driver_options must be an object");
        for (const auto& [key, value] : options.items())
            device.driver_options[key] =
                value.is_string() ? value.get<std::string>() : value.dump();
    }
    device.media = read_media(r.child("media"));
    device.print_mode = read_print_mode(r.get("print_mode"), file);
    if (r.has("cut")) {
        device.cut = read_cut(r.child("cut"));
    }
    return device;
}

std::vector<Device> load_devices(const fs::path& profile_dir)
{
    std::vector<Device> devices;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(profile_dir / "devices",
                                                    ec))
        if (entry.path().extension() == ".json")
            devices.push_back(load_device(entry.path()));
    std::sort(devices.begin(), devices.end(),
              [](const Device& a, const Device& b) { return a.id < b.id; });
    return devices;
}

Device find_device(const fs::path& profile_dir, const std::string& key)
{
    if (key.size() > 5 && key.ends_with(".json"))
        return load_device(key);

    std::vector<Device> devices = load_devices(profile_dir);
    for (const Device& device : devices)
        if (device.id == key || (!device.guid.empty() &&
                                 strcasecmp(device.guid.c_str(),
                                            key.c_str()) == 0) ||
            strcasecmp(device.name.c_str(), key.c_str()) == 0)
            return device;

    std::string known;
    for (const Device& device : devices)
        known += (known.empty() ? "" : ", ") + device.id;
    throw Error(RL_ERROR_NOT_FOUND, Stage::device,
                "unknown device \"" + key + "\" (known: " +
                    (known.empty() ? "none" : known) + ")",
                (profile_dir / "devices").string());
}

}  // namespace ripline::device
