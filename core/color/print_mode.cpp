// SPDX-License-Identifier: AGPL-3.0-or-later
// PrintMode: the JSON reader and every check a mode passes before use.
#include "core/color/print_mode.hpp"

#include "core/common/error.hpp"

#include <lcms2.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

namespace ripline::color {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Reads one print-mode file; every complaint names the file and the
// field as a JSON path (`ink_limits.total_pct`).
class Reader {
public:
    explicit Reader(fs::path file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& what,
                           rl_status status = RL_ERROR_BAD_INPUT) const
    {
        throw Error(status, Stage::color,
                    "print mode field '" + field + "': " + what,
                    file_.string());
    }

    const json& need(const json& object, const std::string& key,
                     const std::string& field) const
    {
        auto it = object.find(key);
        if (it == object.end())
            fail(field, "is missing");
        return *it;
    }

    double number(const json& value, const std::string& field, double lo,
                  double hi) const
    {
        if (!value.is_number())
            fail(field, "must be a number");
        double v = value.get<double>();
        if (!(v >= lo && v <= hi)) {
            std::ostringstream text;
            text << v << " is outside " << lo << ".." << hi;
            fail(field, text.str());
        }
        return v;
    }

    int integer(const json& value, const std::string& field, int lo,
                int hi) const
    {
        if (!value.is_number_integer())
            fail(field, "must be a whole number");
        return int(number(value, field, lo, hi));
    }

    std::string text(const json& value, const std::string& field) const
    {
        if (!value.is_string() || value.get<std::string>().empty())
            fail(field, "must be a non-empty string");
        return value.get<std::string>();
    }

    const fs::path& file() const { return file_; }

private:
    fs::path file_;
};

uint64_t fnv1a(const std::string& bytes)
{
    uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned char c : bytes)
        hash = (hash ^ c) * 0x100000001b3ull;
    return hash;
}

Intent parse_mode_intent(const Reader& r, const json& value,
                             const std::string& field)
{
    static const std::pair<const char*, Intent> names[] = {
        {"perceptual", Intent::perceptual},
        {"relative", Intent::relative},
        {"saturation", Intent::saturation},
        {"absolute", Intent::absolute}};
    std::string name = r.text(value, field);
    for (auto& [n, intent] : names)
        if (name == n)
            return intent;
    r.fail(field, "'" + name + "' is not perceptual, relative, saturation "
                  "or absolute");
}

// Points [[x_pct, y], ...] with x strictly increasing from 0 to 100.
void read_points(const Reader& r, const json& value, const std::string& field,
                 std::vector<double>& xs, std::vector<double>& ys,
                 double y_lo, double y_hi)
{
    if (!value.is_array() || value.size() < 2)
        r.fail(field, "needs at least two [input %, value] points");
    for (size_t i = 0; i < value.size(); ++i) {
        std::string at = field + "[" + std::to_string(i) + "]";
        if (!value[i].is_array() || value[i].size() != 2)
            r.fail(at, "must be a pair [input %, value]");
        double x = r.number(value[i][0], at + "[0]", 0, 100);
        if (!xs.empty() && x / 100 <= xs.back())
            r.fail(at + "[0]", "inputs must rise strictly (non-monotonic)");
        xs.push_back(x / 100);
        ys.push_back(r.number(value[i][1], at + "[1]", y_lo, y_hi));
    }
    if (xs.front() != 0 || xs.back() != 1)
        r.fail(field, "inputs must run from 0 to 100 %");
}

// A linearisation from measured patches: the ink's response normalised
// to 0..1, then inverted so equal steps in give equal steps of density
// (or of L* from the paper).
Curve read_linearization(const Reader& r, const json& value,
                         const std::string& field)
{
    std::string measure = r.text(r.need(value, "measure", field + ".measure"),
                                 field + ".measure");
    bool lstar = measure == "lstar";
    if (!lstar && measure != "density")
        r.fail(field + ".measure", "'" + measure + "' is not density or "
                                   "lstar");
    std::vector<double> xs, ys;
    std::string pf = field + ".patches";
    read_points(r, r.need(value, "patches", pf), pf, xs, ys, lstar ? 0 : -1,
                lstar ? 100 : 10);

    // Normalise: 0 at the paper, 1 at full ink; it must rise strictly.
    double first = ys.front(), last = ys.back();
    for (size_t i = 0; i < ys.size(); ++i) {
        ys[i] = (ys[i] - first) / (last - first);
        if (i > 0 && !(ys[i] > ys[i - 1]))
            r.fail(pf + "[" + std::to_string(i) + "][1]",
                   lstar ? "L* must fall strictly as ink rises "
                           "(non-monotonic)"
                         : "density must rise strictly as ink rises "
                           "(non-monotonic)");
    }
    return Curve(xs, ys, Curve::Shape::monotone_cubic).inverse();
}

// Open the output profile and check it can take the mode's intents.
int check_profile(const Reader& r, const fs::path& path,
                  const std::vector<Intent>& intents)
{
    const std::string field = "output_profile";
    if (!fs::exists(path))
        r.fail(field, "'" + path.string() + "' does not exist", RL_ERROR_IO);
    cmsHPROFILE profile = cmsOpenProfileFromFile(path.string().c_str(), "r");
    if (!profile)
        r.fail(field, "'" + path.string() + "' is not an ICC profile "
                      "LittleCMS can read", RL_ERROR_COLOR);
    std::unique_ptr<void, int (*)(void*)> owner(profile, cmsCloseProfile);
    if (cmsGetDeviceClass(profile) != cmsSigOutputClass)
        r.fail(field, "'" + path.string() + "' is not an output profile",
               RL_ERROR_COLOR);
    int channels = int(cmsChannelsOf(cmsGetColorSpace(profile)));

    // A truncated or damaged profile opens lazily and fails here.
    cmsHPROFILE lab = cmsCreateLab4Profile(nullptr);
    for (Intent intent : intents) {
        cmsHTRANSFORM t = cmsCreateTransform(
            lab, TYPE_Lab_DBL, profile,
            FLOAT_SH(1) | CHANNELS_SH(channels) | BYTES_SH(0),
            cmsUInt32Number(intent), cmsFLAGS_NOCACHE);
        if (!t) {
            cmsCloseProfile(lab);
            r.fail(field, "'" + path.string() + "' gives no "
                          + intent_name(intent) + " transform (damaged or "
                          "unsupported profile)", RL_ERROR_COLOR);
        }
        cmsDeleteTransform(t);
    }
    cmsCloseProfile(lab);
    return channels;
}

}  // namespace

const char* intent_name(Intent intent)
{
    switch (intent) {
    case Intent::perceptual: return "perceptual";
    case Intent::relative: return "relative";
    case Intent::saturation: return "saturation";
    case Intent::absolute: return "absolute";
    }
    return "unknown";
}

int PrintMode::ink_index(const std::string& ink) const
{
    auto it = std::find(inks.begin(), inks.end(), ink);
    return it == inks.end() ? -1 : int(it - inks.begin());
}

namespace {

void read_basics(const Reader& r, const json& doc, PrintMode& mode)
{
    std::string format = r.text(r.need(doc, "format", "format"), "format");
    if (format != "ripline.print-mode")
        r.fail("format", "'" + format + "' is not ripline.print-mode");
    int version = r.integer(r.need(doc, "version", "version"), "version", 1,
                            1000);
    if (version != 1)
        r.fail("version", std::to_string(version) + " is newer than this "
                          "reader (1)", RL_ERROR_UNSUPPORTED);
    mode.name = r.text(r.need(doc, "name", "name"), "name");

    const json& dpi = r.need(doc, "dpi", "dpi");
    if (dpi.is_array() && dpi.size() == 2) {
        mode.dpi[0] = r.integer(dpi[0], "dpi[0]", 1, 9600);
        mode.dpi[1] = r.integer(dpi[1], "dpi[1]", 1, 9600);
    } else {
        mode.dpi[0] = mode.dpi[1] = r.integer(dpi, "dpi", 1, 9600);
    }
    mode.bits_per_dot = r.integer(r.need(doc, "bits_per_dot", "bits_per_dot"),
                                  "bits_per_dot", 1, 2);
    if (doc.contains("drop_sizes_pl")) {
        const json& drops = doc["drop_sizes_pl"];
        if (!drops.is_array()
            || int(drops.size()) != (1 << mode.bits_per_dot) - 1)
            r.fail("drop_sizes_pl", "needs one size per level: "
                   + std::to_string((1 << mode.bits_per_dot) - 1));
        for (size_t i = 0; i < drops.size(); ++i)
            mode.drop_sizes_pl.push_back(r.number(
                drops[i], "drop_sizes_pl[" + std::to_string(i) + "]", 0.1,
                1000));
    }
    if (doc.contains("contone_bits")) {
        mode.contone_bits = r.integer(doc["contone_bits"], "contone_bits", 8,
                                      16);
        if (mode.contone_bits != 8 && mode.contone_bits != 16)
            r.fail("contone_bits", "must be 8 or 16");
    }
}

// Inks, the output profile and which profile channel feeds which ink.
void read_inks(const Reader& r, const json& doc, PrintMode& mode)
{
    const json& inks = r.need(doc, "inks", "inks");
    if (!inks.is_array() || inks.empty())
        r.fail("inks", "must list the ink names in channel order");
    if (int(inks.size()) > max_inks)
        r.fail("inks", std::to_string(inks.size()) + " inks, more than the "
               + std::to_string(max_inks) + " allowed");
    for (size_t i = 0; i < inks.size(); ++i) {
        std::string name = r.text(inks[i], "inks[" + std::to_string(i) + "]");
        if (mode.ink_index(name) >= 0)
            r.fail("inks[" + std::to_string(i) + "]", "'" + name
                   + "' is listed twice");
        mode.inks.push_back(name);
    }
    mode.roles.assign(mode.inks.size(), InkRole::spot);

    std::string profile = r.text(r.need(doc, "output_profile",
                                        "output_profile"), "output_profile");
    mode.output_profile = fs::absolute(r.file()).parent_path() / profile;
    mode.output_profile = mode.output_profile.lexically_normal();

    // The profile's channels, C M Y K unless the mode names them.
    std::vector<std::string> channels = {"C", "M", "Y", "K"};
    if (doc.contains("profile_channels")) {
        channels.clear();
        const json& list = doc["profile_channels"];
        if (!list.is_array() || list.empty())
            r.fail("profile_channels", "must list ink names");
        for (size_t i = 0; i < list.size(); ++i)
            channels.push_back(r.text(list[i], "profile_channels["
                                                   + std::to_string(i) + "]"));
    }
    for (size_t i = 0; i < channels.size(); ++i) {
        int ink = mode.ink_index(channels[i]);
        if (ink < 0)
            r.fail("profile_channels", "'" + channels[i] + "' is not in "
                   "inks");
        mode.profile_inks.push_back(ink);
        mode.roles[ink] = InkRole::process;
    }
}

void read_intents(const Reader& r, const json& doc, PrintMode& mode)
{
    if (doc.contains("intents")) {
        const json& intents = doc["intents"];
        if (intents.contains("image"))
            mode.image_intent = parse_mode_intent(r, intents["image"],
                                                  "intents.image");
        if (intents.contains("vector"))
            mode.vector_intent = parse_mode_intent(r, intents["vector"],
                                                   "intents.vector");
    }
    if (doc.contains("black_point_compensation")) {
        if (!doc["black_point_compensation"].is_boolean())
            r.fail("black_point_compensation", "must be true or false");
        mode.black_point_compensation = doc["black_point_compensation"];
    }
}

void read_limits(const Reader& r, const json& doc, PrintMode& mode)
{
    mode.limits.assign(mode.inks.size(), 1.0);
    if (!doc.contains("ink_limits"))
        return;
    const json& limits = doc["ink_limits"];
    if (limits.contains("total_pct"))
        mode.total_limit = r.number(limits["total_pct"],
                                    "ink_limits.total_pct", 0, 400) / 100;
    if (!limits.contains("channels_pct"))
        return;
    for (auto& [ink, value] : limits["channels_pct"].items()) {
        std::string field = "ink_limits.channels_pct." + ink;
        int index = mode.ink_index(ink);
        if (index < 0)
            r.fail(field, "'" + ink + "' is not in inks");
        mode.limits[index] = r.number(value, field, 0, 400) / 100;
    }
}

void read_curves(const Reader& r, const json& doc, PrintMode& mode)
{
    mode.linearization.assign(mode.inks.size(), Curve());
    if (doc.contains("linearization")) {
        for (auto& [ink, value] : doc["linearization"].items()) {
            std::string field = "linearization." + ink;
            int index = mode.ink_index(ink);
            if (index < 0)
                r.fail(field, "'" + ink + "' is not in inks");
            mode.linearization[index] = read_linearization(r, value, field);
        }
    }
    if (!doc.contains("light_inks"))
        return;
    const json& splits = doc["light_inks"];
    if (!splits.is_array())
        r.fail("light_inks", "must be a list of splits");
    for (size_t i = 0; i < splits.size(); ++i) {
        std::string field = "light_inks[" + std::to_string(i) + "]";
        LightSplit split;
        for (const char* key : {"dark", "light"}) {
            std::string f = field + "." + key;
            int ink = mode.ink_index(r.text(r.need(splits[i], key, f), f));
            if (ink < 0)
                r.fail(f, "names an ink that is not in inks");
            (key[0] == 'd' ? split.dark_ink : split.light_ink) = ink;
        }
        if (mode.roles[split.dark_ink] != InkRole::process)
            r.fail(field + ".dark", "must be a channel of the output "
                                    "profile");
        if (mode.roles[split.light_ink] != InkRole::spot)
            r.fail(field + ".light", "is already used by another rule");
        mode.roles[split.light_ink] = InkRole::light;

        std::vector<double> xs, ys, lx, ly;
        std::string df = field + ".dark_curve", lf = field + ".light_curve";
        read_points(r, r.need(splits[i], "dark_curve", df), df, xs, ys, 0,
                    100);
        read_points(r, r.need(splits[i], "light_curve", lf), lf, lx, ly, 0,
                    100);
        for (size_t k = 1; k < ys.size(); ++k)
            if (ys[k] < ys[k - 1])
                r.fail(df + "[" + std::to_string(k) + "][1]",
                       "the dark ink must not fall as input rises "
                       "(non-monotonic)");
        if (ys.front() != 0 || ly.front() != 0)
            r.fail(field, "both curves must give 0 at input 0");
        for (double& y : ys) y /= 100;
        for (double& y : ly) y /= 100;
        split.dark = Curve(xs, ys, Curve::Shape::linear);
        split.light = Curve(lx, ly, Curve::Shape::linear);
        mode.light_splits.push_back(std::move(split));
    }
}

LayerRule read_layer(const Reader& r, const json& doc, const char* key,
                     InkRole role, PrintMode& mode)
{
    LayerRule rule;
    if (!doc.contains(key))
        return rule;
    const json& value = doc[key];
    std::string field = key;
    std::string ink = r.text(r.need(value, "ink", field + ".ink"),
                             field + ".ink");
    rule.ink = mode.ink_index(ink);
    if (rule.ink < 0)
        r.fail(field + ".ink", "'" + ink + "' is not in inks");
    if (mode.roles[rule.ink] != InkRole::spot)
        r.fail(field + ".ink", "'" + ink + "' is already used by another "
                                          "rule");
    mode.roles[rule.ink] = role;

    static const std::pair<const char*, LayerSource> sources[] = {
        {"flood", LayerSource::flood},
        {"under_colour", LayerSource::under_colour},
        {"spot", LayerSource::spot}};
    std::string source = r.text(r.need(value, "source", field + ".source"),
                                field + ".source");
    auto it = std::find_if(std::begin(sources), std::end(sources),
                           [&](auto& s) { return source == s.first; });
    if (it == std::end(sources))
        r.fail(field + ".source", "'" + source + "' is not flood, "
                                  "under_colour or spot");
    rule.source = it->second;
    if (rule.source == LayerSource::spot)
        rule.spot = r.text(r.need(value, "spot", field + ".spot"),
                           field + ".spot");
    if (value.contains("amount_pct"))
        rule.amount = r.number(value["amount_pct"], field + ".amount_pct", 0,
                               400) / 100;
    if (value.contains("threshold_pct"))
        rule.threshold = r.number(value["threshold_pct"],
                                  field + ".threshold_pct", 0, 100) / 100;
    if (value.contains("choke_dots"))
        rule.choke_dots = r.integer(value["choke_dots"],
                                    field + ".choke_dots", 0, 64);
    if (value.contains("spread_dots"))
        rule.spread_dots = r.integer(value["spread_dots"],
                                     field + ".spread_dots", 0, 64);
    if (rule.choke_dots && rule.spread_dots)
        r.fail(field, "choke_dots and spread_dots cannot both be set");
    return rule;
}

bool known_screen(const std::string& type)
{
    return type.empty() || type == "bluenoise" || type == "am"
           || type == "fs" || type == "jarvis";
}

std::vector<double> read_numbers(const Reader& r, const json& v,
                                 const std::string& field, double lo,
                                 double hi)
{
    if (!v.is_array())
        r.fail(field, "must be a list of numbers");
    std::vector<double> out;
    for (size_t i = 0; i < v.size(); ++i)
        out.push_back(r.number(v[i], field + "[" + std::to_string(i) + "]",
                               lo, hi));
    return out;
}

// The screen, checked as core/screen will check it, so that a bad field
// stops the mode at load time.
void read_screen(const Reader& r, const json& doc, PrintMode& mode)
{
    ScreenFields& s = mode.screen;
    s.bits = mode.bits_per_dot;
    if (s.bits == 2)
        s.drop_volumes = mode.drop_sizes_pl;
    if (doc.contains("screen")) {
        const json& v = doc["screen"];
        if (v.contains("type"))
            s.type = r.text(v["type"], "screen.type");
        if (v.contains("bits"))
            s.bits = r.integer(v["bits"], "screen.bits", 1, 2);
        if (v.contains("lpi"))
            s.lpi = r.number(v["lpi"], "screen.lpi", 0, 1000);
        if (v.contains("dot_shape"))
            s.dot_shape = r.text(v["dot_shape"], "screen.dot_shape");
        if (v.contains("angles_deg"))
            s.angles_deg = read_numbers(r, v["angles_deg"],
                                        "screen.angles_deg", -360, 360);
        if (v.contains("drop_volumes"))
            s.drop_volumes = read_numbers(r, v["drop_volumes"],
                                          "screen.drop_volumes", 1e-6, 1e6);
        if (v.contains("ink_types")) {
            const json& types = v["ink_types"];
            if (!types.is_array())
                r.fail("screen.ink_types", "must be a list of screen types");
            for (size_t i = 0; i < types.size(); ++i) {
                if (!types[i].is_string())
                    r.fail("screen.ink_types[" + std::to_string(i) + "]",
                           "must be a string");
                s.ink_types.push_back(types[i].get<std::string>());
            }
        }
    }
    if (s.bits != mode.bits_per_dot)
        r.fail("screen.bits", "differs from bits_per_dot");
    if (!known_screen(s.type) || s.type.empty())
        r.fail("screen.type", "'" + s.type + "' is not bluenoise, am, fs "
                              "or jarvis");
    for (size_t i = 0; i < s.ink_types.size(); ++i)
        if (!known_screen(s.ink_types[i]))
            r.fail("screen.ink_types[" + std::to_string(i) + "]",
                   "'" + s.ink_types[i] + "' is not a screen type");
    if (s.ink_types.size() > mode.inks.size())
        r.fail("screen.ink_types", "has more entries than inks");
    if (s.dot_shape != "round" && s.dot_shape != "elliptical")
        r.fail("screen.dot_shape", "'" + s.dot_shape + "' is not round or "
                                   "elliptical");
    if (!s.drop_volumes.empty()
        && (s.bits != 2 || s.drop_volumes.size() != 3))
        r.fail("screen.drop_volumes", "needs 3 volumes, and bits 2");
    for (size_t i = 1; i < s.drop_volumes.size(); ++i)
        if (!(s.drop_volumes[i] > s.drop_volumes[i - 1]))
            r.fail("screen.drop_volumes", "must rise strictly");
}

// The spot table: inline, or a file beside the mode; every ink it names
// must be one of the mode's.
void read_spots(const Reader& r, const json& doc, PrintMode& mode)
{
    if (!doc.contains("spots"))
        return;
    const json& value = doc["spots"];
    if (value.is_string()) {
        fs::path path = fs::absolute(r.file()).parent_path()
                        / value.get<std::string>();
        mode.spots = load_spot_table(path.lexically_normal());
        return;
    }
    mode.spots = parse_spot_table(value, r.file(), "spots");
    const auto& entries = mode.spots.entries();
    for (size_t i = 0; i < entries.size(); ++i)
        if (entries[i].action == SpotAction::ink
            && mode.ink_index(entries[i].ink) < 0)
            r.fail("spots.entries[" + std::to_string(i) + "].ink",
                   "'" + entries[i].ink + "' is not in inks");
}

}  // namespace

PrintMode parse_print_mode(const std::string& json_text, const fs::path& file)
{
    Reader r(file);
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error(RL_ERROR_BAD_INPUT, Stage::color,
                    std::string("print mode is not JSON: ") + e.what(),
                    file.string());
    }
    if (!doc.is_object())
        r.fail("(top)", "must be a JSON object");

    PrintMode mode;
    mode.file = file;
    mode.fingerprint = fnv1a(json_text);
    try {
        read_basics(r, doc, mode);
        read_inks(r, doc, mode);
        read_intents(r, doc, mode);
        read_limits(r, doc, mode);
        read_curves(r, doc, mode);
        mode.white = read_layer(r, doc, "white", InkRole::white, mode);
        mode.varnish = read_layer(r, doc, "varnish", InkRole::varnish, mode);
        read_screen(r, doc, mode);
        read_spots(r, doc, mode);
    } catch (const json::exception& e) {
        // A value of a type no check above expected.
        throw Error(RL_ERROR_BAD_INPUT, Stage::color,
                    std::string("print mode has a value of the wrong "
                                "type: ") + e.what(),
                    file.string());
    }

    int channels = check_profile(r, mode.output_profile,
                                 {mode.image_intent, mode.vector_intent});
    if (channels != int(mode.profile_inks.size()))
        r.fail("profile_channels", "the profile has "
               + std::to_string(channels) + " channels, the mode names "
               + std::to_string(mode.profile_inks.size()));
    return mode;
}

PrintMode load_print_mode(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(RL_ERROR_IO, Stage::color, "cannot read the print mode",
                    path.string());
    std::stringstream bytes;
    bytes << in.rdbuf();
    return parse_print_mode(bytes.str(), path);
}

void check_ink_count(const PrintMode& mode, int driver_max_inks)
{
    if (driver_max_inks > 0 && int(mode.inks.size()) > driver_max_inks)
        throw Error(RL_ERROR_UNSUPPORTED, Stage::color,
                    "print mode field 'inks': "
                        + std::to_string(mode.inks.size())
                        + " inks, the driver takes at most "
                        + std::to_string(driver_max_inks),
                    mode.file.string());
}

}  // namespace ripline::color
