// SPDX-License-Identifier: AGPL-3.0-or-later
// Engine: profiles, transforms and their caches over LittleCMS.
#include "core/color/engine.hpp"

#include "core/common/error.hpp"

#include <lcms2.h>

#include <algorithm>
#include <cstring>
#include <fstream>

namespace ripline::color {

namespace {

[[noreturn]] void fail(const std::string& message, const std::string& file)
{
    throw Error(RL_ERROR_COLOR, Stage::color, message, file);
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return text;
}

cmsUInt32Number format_8(Space space)
{
    switch (space) {
    case Space::gray: return TYPE_GRAY_8;
    case Space::rgb: return TYPE_RGB_8;
    case Space::cmyk: return TYPE_CMYK_8;
    case Space::lab: return TYPE_Lab_8;
    }
    return 0;
}

cmsUInt32Number format_float(Space space)
{
    switch (space) {
    case Space::gray: return TYPE_GRAY_FLT;
    case Space::rgb: return TYPE_RGB_FLT;
    case Space::cmyk: return TYPE_CMYK_FLT;
    case Space::lab: return TYPE_Lab_FLT;
    }
    return 0;
}

// A gray source with sRGB's white and a 2.2 gamma, for DeviceGray when
// it is colour managed rather than sent to K.
cmsHPROFILE new_gray_profile(cmsContext context)
{
    cmsToneCurve* gamma = cmsBuildGamma(context, 2.2);
    cmsHPROFILE profile =
        cmsCreateGrayProfileTHR(context, cmsD50_xyY(), gamma);
    cmsFreeToneCurve(gamma);
    return profile;
}

}  // namespace

// ---- intents and spaces ------------------------------------------------

std::optional<Intent> parse_intent(const std::string& name)
{
    const std::string key = lower(name);
    if (key == "perceptual")
        return Intent::perceptual;
    if (key == "relative" || key == "relativecolorimetric")
        return Intent::relative;
    if (key == "saturation")
        return Intent::saturation;
    if (key == "absolute" || key == "absolutecolorimetric")
        return Intent::absolute;
    return std::nullopt;
}

int channels(Space space)
{
    switch (space) {
    case Space::gray: return 1;
    case Space::rgb: return 3;
    case Space::cmyk: return 4;
    case Space::lab: return 3;
    }
    return 0;
}

// ---- Profile -----------------------------------------------------------

Profile Profile::open(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail("cannot read the ICC profile", path.string());
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    return from_memory(bytes.data(), bytes.size(), path.string());
}

Profile Profile::from_memory(const void* data, size_t size,
                             const std::string& name)
{
    if (size < 128)
        fail("not an ICC profile (" + std::to_string(size) + " bytes)",
             name);
    cmsHPROFILE handle =
        cmsOpenProfileFromMem(data, static_cast<cmsUInt32Number>(size));
    if (!handle)
        fail("LittleCMS cannot parse this ICC profile", name);
    return Profile(handle, name);
}

Profile Profile::srgb()
{
    static const Profile profile(cmsCreate_sRGBProfile(), "sRGB");
    return profile;
}

Profile Profile::lab_d50()
{
    static const Profile profile(cmsCreateLab4Profile(cmsD50_xyY()),
                                 "Lab D50");
    return profile;
}

Profile::Profile(void* handle, std::string name)
    : handle_(handle, [](void* h) { cmsCloseProfile(h); }),
      name_(std::move(name))
{
    cmsMD5computeID(handle);
    cmsGetHeaderProfileID(handle, id_.data());
}

std::optional<Space> Profile::space() const
{
    switch (cmsGetColorSpace(handle_.get())) {
    case cmsSigGrayData: return Space::gray;
    case cmsSigRgbData: return Space::rgb;
    case cmsSigCmykData: return Space::cmyk;
    case cmsSigLabData: return Space::lab;
    default: return std::nullopt;
    }
}

bool Profile::is_output_cmyk() const
{
    return space() == Space::cmyk &&
           cmsIsIntentSupported(handle_.get(), INTENT_RELATIVE_COLORIMETRIC,
                                LCMS_USED_AS_OUTPUT);
}

// ---- Transform ---------------------------------------------------------

Transform::Transform(Kind kind, void* lcms_transform, int in_channels)
    : kind_(kind), lcms_(lcms_transform), in_channels_(in_channels)
{
}

Transform::~Transform()
{
    if (lcms_)
        cmsDeleteTransform(lcms_);
}

void Transform::run(const uint8_t* in, uint8_t* out, size_t count) const
{
    switch (kind_) {
    case Kind::cmyk_identity:
        std::memcpy(out, in, count * 4);
        return;
    case Kind::gray_to_k:
        for (size_t i = 0; i < count; i++) {
            out[4 * i + 0] = out[4 * i + 1] = out[4 * i + 2] = 0;
            out[4 * i + 3] = static_cast<uint8_t>(255 - in[i]);
        }
        return;
    case Kind::lcms:
        cmsDoTransform(lcms_, in, out, static_cast<cmsUInt32Number>(count));
        return;
    }
}

void Transform::run_float(const float* in, float* out, size_t count) const
{
    switch (kind_) {
    case Kind::cmyk_identity:
        std::memcpy(out, in, count * 4 * sizeof(float));
        return;
    case Kind::gray_to_k:
        for (size_t i = 0; i < count; i++) {
            out[4 * i + 0] = out[4 * i + 1] = out[4 * i + 2] = 0;
            out[4 * i + 3] = 100.0f - in[i] * 100.0f;
        }
        return;
    case Kind::lcms:
        cmsDoTransform(lcms_, in, out, static_cast<cmsUInt32Number>(count));
        return;
    }
}

// ---- EngineOptions -----------------------------------------------------

Intent EngineOptions::intent_for(Space space, ObjectClass what) const
{
    const SourceRule& rule = rules[size_t(space)][size_t(what)];
    if (rule.intent)
        return *rule.intent;
    return what == ObjectClass::image ? image_intent : vector_intent;
}

const Profile* EngineOptions::source_for(Space space, ObjectClass what,
                                         const Profile* embedded) const
{
    const SourceRule& rule = rules[size_t(space)][size_t(what)];
    // Gray stays one ink, tagged or not, unless the job manages it.
    if (space == Space::gray && gray_to_k && !rule.profile)
        return nullptr;
    if (embedded && use_embedded_profiles)
        return embedded;
    if (space == Space::cmyk && cmyk_source)
        return &*cmyk_source;
    return rule.profile ? &*rule.profile : nullptr;
}

// ---- Engine ------------------------------------------------------------

Engine::Engine(EngineOptions options)
    : options_(std::move(options)), lcms_context_(cmsCreateContext(nullptr,
                                                                   nullptr))
{
    if (!options_.output.is_output_cmyk())
        fail("the output profile is not a CMYK output profile",
             options_.output.name());
}

Engine::~Engine()
{
    transforms_.clear();
    cmsDeleteContext(static_cast<cmsContext>(lcms_context_));
}

std::unique_ptr<Transform> Engine::build(Space space, Intent intent,
                                         const Profile* profile,
                                         bool floating) const
{
    const Profile& output = options_.output;
    const int n = channels(space);

    // DeviceGray to K, and CMYK already in the device's space, are exact.
    if (space == Space::gray && !profile && options_.gray_to_k)
        return std::make_unique<Transform>(Transform::Kind::gray_to_k,
                                           nullptr, n);
    // PROFILE comes from EngineOptions::source_for, which has already
    // chosen between embedded, output intent, ticket and default.
    const Profile* source = profile;
    if (space == Space::cmyk && (!source || source->id() == output.id()))
        return std::make_unique<Transform>(Transform::Kind::cmyk_identity,
                                           nullptr, n);

    // Everything else goes through LittleCMS. Its profiles read their
    // tags lazily and are not safe to read from two threads at once, and
    // engines of one render share profiles: building is serialised.
    static std::mutex building;
    std::lock_guard lock(building);
    auto context = static_cast<cmsContext>(lcms_context_);
    cmsHPROFILE gray = nullptr;
    cmsHPROFILE source_handle = nullptr;
    if (source)
        source_handle = source->handle();
    else if (space == Space::rgb)
        source_handle = options_.rgb_source.handle();
    else if (space == Space::lab)
        source_handle = Profile::lab_d50().handle();
    else
        source_handle = gray = new_gray_profile(context);

    cmsUInt32Number flags = cmsFLAGS_NOCACHE | cmsFLAGS_HIGHRESPRECALC;
    if (options_.black_point_compensation)
        flags |= cmsFLAGS_BLACKPOINTCOMPENSATION;
    cmsUInt32Number in_format = floating ? format_float(space)
                                         : format_8(space);
    cmsUInt32Number out_format = floating ? TYPE_CMYK_FLT : TYPE_CMYK_8;
    cmsHTRANSFORM transform = cmsCreateTransformTHR(
        context, source_handle, in_format, output.handle(), out_format,
        static_cast<cmsUInt32Number>(intent), flags);
    if (gray)
        cmsCloseProfile(gray);
    if (!transform)
        fail("LittleCMS cannot build a transform from " +
                 (source ? source->name() : std::string("the default source")) +
                 " to this profile",
             output.name());
    return std::make_unique<Transform>(Transform::Kind::lcms, transform, n);
}

const Transform& Engine::cached(Space space, Intent intent,
                                const Profile* profile, bool floating) const
{
    Key key{space, intent, profile ? profile->id()
                                   : std::array<uint8_t, 16>{}};
    std::lock_guard lock(mutex_);
    auto& slot = transforms_[{key, floating}];
    if (!slot)
        slot = build(space, intent, profile, floating);
    return *slot;
}

const Transform& Engine::pixel_transform(Space space, Intent intent,
                                         const Profile* profile) const
{
    return cached(space, intent, profile, false);
}

void Engine::convert_color(Space space, const float* in, float* out,
                           Intent intent, const Profile* profile) const
{
    // LittleCMS takes CMYK floats as percentages.
    float source[4];
    const int n = channels(space);
    for (int i = 0; i < n; i++)
        source[i] = space == Space::cmyk ? in[i] * 100.0f : in[i];

    float result[4];
    cached(space, intent, profile, true).run_float(source, result, 1);
    for (int i = 0; i < 4; i++)
        out[i] = std::clamp(result[i] / 100.0f, 0.0f, 1.0f);
}

}  // namespace ripline::color
