// SPDX-License-Identifier: AGPL-3.0-or-later
// Engine: LittleCMS transforms from the document's colour spaces to the
// print mode's output CMYK, shared by all bands of a render.
#pragma once

#include "core/color/intent.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ripline::color {


// The colour spaces a page's colours arrive in, once MuPDF has resolved
// Indexed and Separation spaces to their base.
enum class Space : uint8_t { gray, rgb, cmyk, lab };

int channels(Space space);

// An ICC profile, shared and immutable.
class Profile {
public:
    // Throw Error(RL_ERROR_COLOR, Stage::color) naming the file when it
    // cannot be read or is not an ICC profile LittleCMS accepts.
    static Profile open(const std::filesystem::path& path);
    static Profile from_memory(const void* data, size_t size,
                               const std::string& name);
    static Profile srgb();
    static Profile lab_d50();

    void* handle() const { return handle_.get(); } // a cmsHPROFILE
    const std::string& name() const { return name_; }
    // The profile's colour space as ours; nullopt for N-colour profiles.
    std::optional<Space> space() const;
    bool is_output_cmyk() const;
    // MD5 of the profile's bytes (ICC profile id), to tell two apart.
    const std::array<uint8_t, 16>& id() const { return id_; }

private:
    // Takes ownership of HANDLE, a cmsHPROFILE, and computes its id.
    Profile(void* handle, std::string name);

    std::shared_ptr<void> handle_;
    std::string name_;
    std::array<uint8_t, 16> id_{};
};

// What a piece of content is, for choosing its intent and source
// profile: the job sets images and vector art (fills, strokes, text,
// shadings) apart.
enum class ObjectClass : uint8_t { vector, image };

// The job's choice for one source space and object class. Unset fields
// fall back to the print mode's intent and to the space's default source.
struct SourceRule {
    std::optional<Intent> intent;
    std::optional<Profile> profile;
};

struct EngineOptions {
    Profile output = Profile::srgb(); // must be a CMYK output profile
    // Where DeviceCMYK content is defined: a PDF/X output intent. Unset:
    // DeviceCMYK is already the device's CMYK and passes unchanged.
    std::optional<Profile> cmyk_source;
    Profile rgb_source = Profile::srgb();
    // DeviceGray goes to K alone (black text stays one ink), as print
    // RIPs do; false sends it through a gray profile.
    bool gray_to_k = true;
    Intent vector_intent = Intent::relative; // the print mode's
    Intent image_intent = Intent::perceptual;
    bool black_point_compensation = true;
    // The job's rules, by Space (gray, rgb, cmyk, lab) and ObjectClass.
    std::array<std::array<SourceRule, 2>, 4> rules;
    // Honour ICC profiles the content embeds (ICCBased spaces, profiles
    // in image files); false reads such content in its device space.
    bool use_embedded_profiles = true;

    Intent intent_for(Space space, ObjectClass what) const;
    // The source profile of content of SPACE and class WHAT that embeds
    // EMBEDDED (may be null): the embedded one when honoured, else the
    // PDF/X output intent for CMYK, else the job's, else nullptr (the
    // space's default: sRGB, gray to K, or the device's own CMYK). Gray
    // with gray_to_k and no job profile is nullptr even when tagged.
    const Profile* source_for(Space space, ObjectClass what,
                              const Profile* embedded) const;
};

// A compiled transform to device CMYK; thread-safe to run from many
// threads. Either a LittleCMS transform or one of two exact shortcuts.
class Transform {
public:
    enum class Kind { lcms, cmyk_identity, gray_to_k };

    Transform(Kind kind, void* lcms_transform, int in_channels);
    ~Transform();
    Transform(const Transform&) = delete;
    Transform& operator=(const Transform&) = delete;

    // Convert COUNT pixels of 8-bit interleaved source channels to 8-bit
    // CMYK. No alpha: callers un-premultiply first. Only for transforms
    // from pixel_transform().
    void run(const uint8_t* in, uint8_t* out_cmyk, size_t count) const;
    // The same on floats, in LittleCMS's float ranges (CMYK 0..100).
    void run_float(const float* in, float* out_cmyk, size_t count) const;

    Kind kind() const { return kind_; }
    int in_channels() const { return in_channels_; }

private:
    Kind kind_;
    void* lcms_;
    int in_channels_;
};

// The per-render engine: options, and caches of compiled transforms and
// of converted solid colours. Thread-safe.
class Engine {
public:
    explicit Engine(EngineOptions options);
    ~Engine();

    const EngineOptions& options() const { return options_; }

    // Convert one colour to device CMYK, each channel 0..1. IN holds the
    // space's channels: 0..1 for gray, RGB and CMYK; L 0..100 and a, b
    // -128..127 for Lab.
    // PROFILE, when given, is the colour's source profile.
    void convert_color(Space space, const float* in, float* out_cmyk,
                       Intent intent, const Profile* profile = nullptr) const;

    // The 8-bit pixel transform from SPACE (with its source profile, or
    // PROFILE when the content embeds one) to device CMYK.
    const Transform& pixel_transform(Space space, Intent intent,
                                     const Profile* profile = nullptr) const;

private:
    struct Key {
        Space space;
        Intent intent;
        std::array<uint8_t, 16> profile;
        auto operator<=>(const Key&) const = default;
    };

    std::unique_ptr<Transform> build(Space space, Intent intent,
                                     const Profile* profile,
                                     bool floating) const;
    const Transform& cached(Space space, Intent intent,
                            const Profile* profile, bool floating) const;

    EngineOptions options_;
    void* lcms_context_;
    mutable std::mutex mutex_;
    mutable std::map<std::pair<Key, bool>, std::unique_ptr<Transform>>
        transforms_;
};

}  // namespace ripline::color
