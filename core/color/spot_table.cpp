// SPDX-License-Identifier: AGPL-3.0-or-later
// Spot colours: reading the table, and planning and compositing planes.
#include "core/color/spot_table.hpp"

#include "core/color/engine.hpp"
#include "core/color/print_mode.hpp"
#include "core/common/error.hpp"

#include <lcms2.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>

namespace ripline::color {

namespace {

using nlohmann::json;

const char* const default_cut_names[] = {
    "CutContour", "Cut", "CutLine", "ThruCut", "ThroughCut", "KissCut",
    "DieCut", "Crease", "Perf", "Perforation", "Score"};

[[noreturn]] void fail(const std::filesystem::path& file,
                       const std::string& field, const std::string& what)
{
    throw Error(RL_ERROR_BAD_INPUT, Stage::color,
                "spot table field '" + field + "': " + what, file.string());
}

std::string need_text(const json& v, const std::filesystem::path& file,
                      const std::string& field)
{
    if (!v.is_string() || v.get<std::string>().empty())
        fail(file, field, "must be a non-empty string");
    return v.get<std::string>();
}

SpotEntry read_entry(const json& v, const std::filesystem::path& file,
                     const std::string& field)
{
    if (!v.is_object() || !v.contains("name"))
        fail(file, field + ".name", "is missing");
    SpotEntry e;
    e.name = need_text(v["name"], file, field + ".name");
    int kinds = int(v.contains("ink")) + int(v.contains("lab"))
                + int(v.contains("ignore"));
    if (kinds != 1)
        fail(file, field, "needs exactly one of ink, lab or ignore");
    if (v.contains("ink")) {
        e.action = SpotAction::ink;
        e.ink = need_text(v["ink"], file, field + ".ink");
    } else if (v.contains("lab")) {
        const json& lab = v["lab"];
        if (!lab.is_array() || lab.size() != 3 || !lab[0].is_number()
            || !lab[1].is_number() || !lab[2].is_number())
            fail(file, field + ".lab", "must be [L*, a*, b*]");
        e.action = SpotAction::process;
        e.lab = {lab[0].get<double>(), lab[1].get<double>(),
                 lab[2].get<double>()};
        if (e.lab[0] < 0 || e.lab[0] > 100 || std::abs(e.lab[1]) > 128
            || std::abs(e.lab[2]) > 128)
            fail(file, field + ".lab", "is outside L* 0..100, a* b* "
                                       "-128..128");
    } else {
        e.action = SpotAction::ignore;
    }
    if (v.contains("amount_pct")) {
        const json& a = v["amount_pct"];
        if (!a.is_number() || a.get<double>() < 0 || a.get<double>() > 100)
            fail(file, field + ".amount_pct", "must be 0..100");
        e.amount = a.get<double>() / 100;
    }
    return e;
}

uint8_t to_byte(double fraction)
{
    return uint8_t(std::lround(std::clamp(fraction, 0.0, 1.0) * 255));
}

uint16_t to_sample16(double fraction)
{
    return uint16_t(std::lround(std::clamp(fraction, 0.0, 1.0) * 65535));
}

// The tint table of PLAN at the depth of the ink plane it fills.
const std::array<uint8_t, 256>& tint_table(const SpotPlan& plan, uint8_t*)
{
    return plan.ink_tint;
}

const std::array<uint16_t, 256>& tint_table(const SpotPlan& plan, uint16_t*)
{
    return plan.ink_tint16;
}

}  // namespace

std::string spot_key(const std::string& name)
{
    std::string key;
    for (unsigned char c : name)
        if (!std::isspace(c) && c != '-' && c != '_')
            key += char(std::tolower(c));
    return key;
}

// ---- the table ---------------------------------------------------------

SpotTable::SpotTable()
{
    set_cut_names({std::begin(default_cut_names),
                   std::end(default_cut_names)});
}

const SpotEntry* SpotTable::find(const std::string& name) const
{
    std::string key = spot_key(name);
    for (const SpotEntry& e : entries_)
        if (spot_key(e.name) == key)
            return &e;
    return nullptr;
}

bool SpotTable::is_cut(const std::string& name) const
{
    std::string key = spot_key(name);
    return std::find(cut_keys_.begin(), cut_keys_.end(), key)
           != cut_keys_.end();
}

void SpotTable::add(SpotEntry entry)
{
    entries_.push_back(std::move(entry));
}

void SpotTable::set_cut_names(std::vector<std::string> names)
{
    cut_names_ = std::move(names);
    cut_keys_.clear();
    for (const std::string& n : cut_names_)
        cut_keys_.push_back(spot_key(n));
}

SpotTable parse_spot_table(const json& value,
                           const std::filesystem::path& file,
                           const std::string& field)
{
    if (!value.is_object())
        fail(file, field, "must be an object");
    SpotTable table;
    if (value.contains("cut_names")) {
        const json& names = value["cut_names"];
        if (!names.is_array())
            fail(file, field + ".cut_names", "must be a list of names");
        std::vector<std::string> list;
        for (size_t i = 0; i < names.size(); ++i)
            list.push_back(need_text(names[i], file, field + ".cut_names["
                                                         + std::to_string(i)
                                                         + "]"));
        table.set_cut_names(std::move(list));
    }
    if (!value.contains("entries"))
        return table;
    const json& entries = value["entries"];
    if (!entries.is_array())
        fail(file, field + ".entries", "must be a list");
    for (size_t i = 0; i < entries.size(); ++i) {
        std::string at = field + ".entries[" + std::to_string(i) + "]";
        SpotEntry e = read_entry(entries[i], file, at);
        if (table.find(e.name))
            fail(file, at + ".name", "'" + e.name + "' is listed twice");
        table.add(std::move(e));
    }
    return table;
}

SpotTable load_spot_table(const std::filesystem::path& path)
{
    std::ifstream in(path);
    if (!in)
        throw Error(RL_ERROR_IO, Stage::color, "cannot read the spot table",
                    path.string());
    json doc;
    try {
        doc = json::parse(in);
    } catch (const json::exception& e) {
        throw Error(RL_ERROR_BAD_INPUT, Stage::color,
                    std::string("spot table is not JSON: ") + e.what(),
                    path.string());
    }
    if (!doc.is_object() || !doc.contains("format")
        || doc["format"] != "ripline.spot-table")
        fail(path, "format", "must be ripline.spot-table");
    try {
        return parse_spot_table(doc, path, "spots");
    } catch (const json::exception& e) {
        throw Error(RL_ERROR_BAD_INPUT, Stage::color,
                    std::string("spot table has a value of the wrong "
                                "type: ") + e.what(),
                    path.string());
    }
}

// ---- plans -------------------------------------------------------------

SpotMapper::SpotMapper(SpotTable table, const PrintMode& mode,
                       const Profile& output)
    : table_(std::move(table)), inks_(mode.inks),
      linearization_(mode.linearization)
{
    const LayerRule* rules[2] = {&mode.white, &mode.varnish};
    for (int k = 0; k < 2; ++k)
        if (rules[k]->ink >= 0 && rules[k]->source == LayerSource::spot)
            layers_[k] = {spot_key(rules[k]->spot), rules[k]->ink,
                          std::min(rules[k]->amount, 1.0)};

    // Lab to the output channels, relative colorimetric, no BPC: a spot
    // is a measured colour on this media.
    lab_profile_ = cmsCreateLab4Profile(nullptr);
    cmsUInt32Number out_fmt =
        cmsFormatterForColorspaceOfProfile(output.handle(), 4, TRUE);
    channels_ = int(T_CHANNELS(out_fmt));
    transform_ = cmsCreateTransform(lab_profile_, TYPE_Lab_DBL,
                                    output.handle(), out_fmt,
                                    INTENT_RELATIVE_COLORIMETRIC,
                                    cmsFLAGS_NOCACHE);
    if (!transform_) {
        cmsCloseProfile(lab_profile_);
        throw Error(RL_ERROR_COLOR, Stage::color,
                    "LittleCMS cannot build the Lab transform for spot "
                    "colours", output.name());
    }
}

SpotMapper::~SpotMapper()
{
    cmsDeleteTransform(transform_);
    cmsCloseProfile(lab_profile_);
}

SpotPlan SpotMapper::ink_plan(int ink, double amount) const
{
    SpotPlan plan;
    plan.action = SpotAction::ink;
    plan.ink = ink;
    for (int t = 0; t < 256; ++t) {
        const double fraction = linearization_[ink](t / 255.0 * amount);
        plan.ink_tint[t] = to_byte(fraction);
        plan.ink_tint16[t] = to_sample16(fraction);
    }
    return plan;
}

SpotPlan SpotMapper::plan(const std::string& name,
                          std::optional<std::array<double, 3>> alternate_lab)
    const
{
    std::string key = spot_key(name);
    for (const LayerSpot& layer : layers_)
        if (layer.ink >= 0 && layer.key == key)
            return ink_plan(layer.ink, layer.amount);

    SpotPlan plan;
    if (const SpotEntry* e = table_.find(name)) {
        plan.action = e->action;
        if (e->action == SpotAction::ink) {
            auto it = std::find(inks_.begin(), inks_.end(), e->ink);
            if (it != inks_.end())
                return ink_plan(int(it - inks_.begin()), e->amount);
            // The table names an ink this mode lacks: use the alternate.
            plan.action = SpotAction::alternate;
        } else if (e->action == SpotAction::process) {
            plan.channels = channels_;
            plan.process_tint = process_ramp(e->lab);
            return plan;
        } else {
            return plan;
        }
    } else if (table_.is_cut(name)) {
        plan.action = SpotAction::cut;
        return plan;
    }

    plan.action = SpotAction::alternate;
    if (alternate_lab) {
        plan.channels = channels_;
        plan.process_tint = process_ramp(*alternate_lab);
    }
    return plan;
}

// Tints between the media white and the full colour mix as areas do
// (Murray-Davies): linearly in XYZ, then through the output profile.
std::vector<uint8_t> SpotMapper::process_ramp(
    const std::array<double, 3>& lab) const
{
    cmsCIELab full{lab[0], lab[1], lab[2]};
    cmsCIEXYZ paper = *cmsD50_XYZ(), ink;
    cmsLab2XYZ(cmsD50_XYZ(), &ink, &full);
    std::vector<cmsCIELab> ramp(256);
    for (int t = 0; t < 256; ++t) {
        double f = t / 255.0;
        cmsCIEXYZ mix{paper.X + f * (ink.X - paper.X),
                      paper.Y + f * (ink.Y - paper.Y),
                      paper.Z + f * (ink.Z - paper.Z)};
        cmsXYZ2Lab(cmsD50_XYZ(), &ramp[t], &mix);
    }
    std::vector<float> out(256 * size_t(channels_));
    cmsDoTransform(transform_, ramp.data(), out.data(), 256);
    std::vector<uint8_t> bytes(out.size());
    for (size_t i = 0; i < out.size(); ++i)
        bytes[i] = to_byte(out[i] / 100.0);
    // Tint 0 is no ink at all, whatever the profile makes of paper.
    std::fill(bytes.begin(), bytes.begin() + channels_, 0);
    return bytes;
}

void SpotMapper::compose_process(const SpotPlan& plan, const uint8_t* spot,
                                 uint8_t* const* process, size_t count)
{
    for (int c = 0; c < plan.channels; ++c) {
        uint8_t* p = process[c];
        for (size_t i = 0; i < count; ++i) {
            unsigned s = plan.process_tint[spot[i] * plan.channels + c];
            unsigned v = p[i];
            // 1 - (1 - v)(1 - s), in bytes and rounded.
            p[i] = uint8_t(v + s - (v * s + 127) / 255);
        }
    }
}

template <typename T>
void SpotMapper::add_to_ink(const SpotPlan& plan, const uint8_t* spot,
                            T* ink, size_t count)
{
    const auto& tint = tint_table(plan, ink);
    const int full = sizeof(T) == 1 ? 255 : 65535;
    for (size_t i = 0; i < count; ++i)
        ink[i] = T(std::min(full, ink[i] + tint[spot[i]]));
}

template void SpotMapper::add_to_ink(const SpotPlan&, const uint8_t*,
                                     uint8_t*, size_t);
template void SpotMapper::add_to_ink(const SpotPlan&, const uint8_t*,
                                     uint16_t*, size_t);

}  // namespace ripline::color
