// SPDX-License-Identifier: AGPL-3.0-or-later
// Spot paint: spot colours resolved to band channels for the draw device.
//
// MuPDF unwinds with longjmp: no C++ object with a destructor lives
// across a MuPDF call here, and engine exceptions become fz_throw.
#include "core/raster/spot_paint.hpp"

#include "core/raster/spot_channels.hpp"

#include <lcms2.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace ripline::raster {

namespace {

const char* const process_names[4] = {"Cyan", "Magenta", "Yellow", "Black"};

// The base colour of a paint space: its CMYK channels, or none.
void eval_process(fz_context*, void*, const float* s, int, float* d, int dn)
{
    for (int i = 0; i < dn; i++)
        d[i] = i < 4 ? s[i] : 0;
}

void eval_planes_only(fz_context*, void*, const float*, int, float* d,
                      int dn)
{
    std::fill(d, d + dn, 0.0f);
}

void drop_nothing(fz_context*, void*) {}

// How colorant I of CS paints; FOUND receives its entry, if any.
ColorantUse use_of(fz_context* ctx, const ColorSetup& setup,
                   fz_colorspace* cs, int i, const SpotColorant** found)
{
    const char* name = fz_colorspace_colorant(ctx, cs, i);
    *found = setup.spots ? setup.spots->find(name) : nullptr;
    if (!name || !strcmp(name, "None"))
        return ColorantUse::skip;
    return *found ? (*found)->use : ColorantUse::alternate;
}

bool has_cut_colorant(fz_context* ctx, const ColorSetup& setup,
                      fz_colorspace* cs)
{
    for (int i = 0; i < cs->n; i++)
        if (is_cut_name(setup, fz_colorspace_colorant(ctx, cs, i)))
            return true;
    return false;
}

fz_colorspace* spot_space_of(fz_colorspace* cs)
{
    if (cs && cs->type == FZ_COLORSPACE_INDEXED)
        cs = cs->u.indexed.base;
    return cs && cs->type == FZ_COLORSPACE_SEPARATION ? cs : nullptr;
}

// The Lab colour of a spot at TINT: ink area mixing with the paper as
// light does (Murray-Davies), linearly in XYZ from the D50 white.
void lab_at_tint(const std::array<float, 3>& full, float tint, float out[3])
{
    const cmsCIELab ink_lab{full[0], full[1], full[2]};
    cmsCIEXYZ ink, mix;
    cmsLab2XYZ(cmsD50_XYZ(), &ink, &ink_lab);
    const cmsCIEXYZ& paper = *cmsD50_XYZ();
    const double t = std::clamp(double(tint), 0.0, 1.0);
    mix.X = paper.X + t * (ink.X - paper.X);
    mix.Y = paper.Y + t * (ink.Y - paper.Y);
    mix.Z = paper.Z + t * (ink.Z - paper.Z);
    cmsCIELab lab;
    cmsXYZ2Lab(cmsD50_XYZ(), &lab, &mix);
    out[0] = float(lab.L);
    out[1] = float(lab.a);
    out[2] = float(lab.b);
}

// A spot's Lab colour at TINT in device CMYK, relative colorimetric (a
// spot is a colour on this media); false with MESSAGE when it threw.
bool lab_cmyk(const ColorSetup& setup, const SpotColorant& spot, float tint,
              float cmyk[4], char* message, size_t size)
{
    float lab[3];
    lab_at_tint(spot.lab, tint, lab);
    try {
        setup.engine->convert_color(color::Space::lab, lab, cmyk,
                                    color::Intent::relative);
        return true;
    } catch (const std::exception& e) {
        std::snprintf(message, size, "spot colour '%s': %s",
                      spot.name.c_str(), e.what());
        return false;
    }
}

// Two process colours printed one over the other.
float overprint(float a, float b)
{
    return 1 - (1 - a) * (1 - b);
}

}  // namespace

// ---- paint spaces ------------------------------------------------------

fz_colorspace* PaintSpaces::get(fz_context* ctx, const SpotChannels& spots,
                                uint64_t channels)
{
    for (int i = 0; i < count; i++)
        if (entries[i].channels == channels)
            return entries[i].cs;
    if (count == capacity) {
        fz_drop_colorspace(ctx, entries[0].cs);
        std::memmove(entries, entries + 1, sizeof(Entry) * (capacity - 1));
        count--;
    }

    // Colorants: the process names MuPDF's device CMYK uses, then the
    // planes' separation names, so MuPDF maps each one to its channel.
    const bool process = channels & 1;
    int n = 0;
    const char* names[FZ_MAX_COLORS];
    if (process)
        for (const char* name : process_names)
            names[n++] = name;
    for (int p = 0; p < spots.planes(); p++)
        if (channels & (uint64_t(1) << (1 + p)))
            names[n++] = spots.plane_names()[p].c_str();

    fz_colorspace* cs = fz_new_colorspace(ctx, FZ_COLORSPACE_SEPARATION, 0,
                                          n, "ripline band channels");
    cs->u.separation.base = fz_keep_colorspace(ctx, fz_device_cmyk(ctx));
    cs->u.separation.eval = process ? eval_process : eval_planes_only;
    cs->u.separation.drop = drop_nothing;
    cs->u.separation.tint = nullptr;
    fz_try(ctx)
    {
        for (int i = 0; i < n; i++)
            fz_colorspace_name_colorant(ctx, cs, i, names[i]);
    }
    fz_catch(ctx)
    {
        fz_drop_colorspace(ctx, cs);
        fz_rethrow(ctx);
    }
    entries[count++] = {channels, cs};
    return cs;
}

void PaintSpaces::drop(fz_context* ctx)
{
    for (int i = 0; i < count; i++)
        fz_drop_colorspace(ctx, entries[i].cs);
    count = 0;
}

// ---- solid colours -----------------------------------------------------

bool is_spot_space(const SpotChannels* spots, fz_colorspace* cs)
{
    cs = spot_space_of(cs);
    if (!spots || !cs)
        return false;
    for (int i = 0; i < cs->n; i++) {
        const SpotColorant* c = spots->find(cs->u.separation.colorant[i]);
        if (c && c->use != ColorantUse::alternate)
            return true;
    }
    return false;
}

bool has_alternate_part(const ColorSetup& setup, fz_colorspace* cs)
{
    cs = spot_space_of(cs);
    for (int i = 0; cs && i < cs->n; i++) {
        const char* name = cs->u.separation.colorant[i];
        const SpotColorant* c = setup.spots->find(name);
        if (name && strcmp(name, "None") &&
            (!c || c->use == ColorantUse::alternate))
            return true;
    }
    return false;
}

namespace {

// The process part of a colour in the spot space CS, as inks 0..1, from
// its alternate colorants through ALTERNATE (the others at 0) and its
// Lab colorants through the engine; false when it paints no process.
bool process_part(fz_context* ctx, const ColorSetup& setup,
                  fz_colorspace* cs, const float* v, fz_color_params params,
                  AlternateToCmyk alternate, void* arg, float process[4])
{
    bool painted = false;
    std::fill(process, process + 4, 0.0f);
    if (has_alternate_part(setup, cs)) {
        float rest[FZ_MAX_COLORS];
        for (int i = 0; i < cs->n; i++) {
            const SpotColorant* c;
            const ColorantUse use = use_of(ctx, setup, cs, i, &c);
            rest[i] = use == ColorantUse::alternate ? v[i] : 0;
        }
        if (!alternate(ctx, arg, cs, rest, params, process))
            fz_throw(ctx, FZ_ERROR_GENERIC,
                     "cannot colour-manage the alternate of %s",
                     fz_colorspace_name(ctx, cs));
        painted = true;
    }

    // Lab colorants print over it, as inks do.
    char message[512];
    for (int i = 0; i < cs->n; i++) {
        const SpotColorant* c;
        if (use_of(ctx, setup, cs, i, &c) != ColorantUse::lab)
            continue;
        float cmyk[4];
        if (!lab_cmyk(setup, *c, v[i], cmyk, message, sizeof message))
            fz_throw(ctx, FZ_ERROR_GENERIC, "%s", message);
        for (int k = 0; k < 4; k++)
            process[k] = overprint(process[k], cmyk[k]);
        painted = true;
    }
    return painted;
}

}  // namespace

void resolve_spot_solid(fz_context* ctx, const ColorSetup& setup,
                        PaintSpaces& spaces, fz_colorspace* cs,
                        const float* in, fz_color_params params,
                        AlternateToCmyk alternate, void* arg,
                        SpotSolid& out)
{
    float v[FZ_MAX_COLORS];
    std::memcpy(v, in, sizeof(float) * std::min(cs->n, int(FZ_MAX_COLORS)));
    if (cs->type == FZ_COLORSPACE_INDEXED) {
        float base[FZ_MAX_COLORS];
        fz_convert_color(ctx, cs, v, cs->u.indexed.base, base, nullptr,
                         params);
        cs = cs->u.indexed.base;
        std::memcpy(v, base, sizeof(float) * cs->n);
    }
    out.cs = nullptr;
    if (has_cut_colorant(ctx, setup, cs))
        return;

    // The channels painted: process (bit 0) and each plane's tint.
    float process[4];
    uint64_t channels =
        process_part(ctx, setup, cs, v, params, alternate, arg, process);
    float tints[FZ_MAX_COLORS] = {};
    for (int i = 0; i < cs->n; i++) {
        const SpotColorant* c;
        if (use_of(ctx, setup, cs, i, &c) != ColorantUse::plane)
            continue;
        tints[c->plane] = v[i];
        channels |= uint64_t(1) << (1 + c->plane);
    }
    if (channels == 0)
        return;

    // Process alone is plain device CMYK; overprint mode (OPM) belongs
    // to DeviceCMYK sources, so it is off for this one.
    out.params = params;
    if (channels == 1) {
        out.cs = fz_device_cmyk(ctx);
        std::memcpy(out.values, process, sizeof process);
        out.params.opm = 0;
        return;
    }
    out.cs = spaces.get(ctx, *setup.spots, channels);
    int n = 0;
    if (channels & 1)
        for (float p : process)
            out.values[n++] = p;
    for (int p = 0; p < setup.spots->planes(); p++)
        if (channels & (uint64_t(1) << (1 + p)))
            out.values[n++] = tints[p];
}

// ---- images ------------------------------------------------------------

fz_pixmap* alternate_part(fz_context* ctx, const ColorSetup& setup,
                          fz_pixmap* source)
{
    fz_pixmap* copy = fz_clone_pixmap(ctx, source);
    const int n = source->n - source->alpha;
    bool keep[FZ_MAX_COLORS];
    for (int c = 0; c < n; c++) {
        const SpotColorant* found;
        keep[c] = use_of(ctx, setup, source->colorspace, c, &found) ==
                  ColorantUse::alternate;
    }
    for (int y = 0; y < copy->h; y++) {
        uint8_t* row = copy->samples + y * copy->stride;
        for (int x = 0; x < copy->w; x++)
            for (int c = 0; c < n; c++)
                if (!keep[c])
                    row[x * copy->n + c] = 0;
    }
    return copy;
}

fz_pixmap* spot_pixmap(fz_context* ctx, const ColorSetup& setup,
                       PaintSpaces& spaces, fz_pixmap* source,
                       fz_pixmap* alternate_cmyk)
{
    const SpotChannels& spots = *setup.spots;
    fz_colorspace* cs = source->colorspace;
    const int n = source->n - source->alpha;

    // Each colorant's use; Lab ones as a CMYK table over the 256 tints.
    int plane[FZ_MAX_COLORS];
    int lab_count = 0, lab_channel[FZ_MAX_COLORS];
    uint8_t(*lab_table)[256][4] = static_cast<uint8_t(*)[256][4]>(
        fz_malloc(ctx, sizeof(uint8_t[256][4]) * std::max(n, 1)));
    char message[512] = "";
    bool ok = true;
    for (int c = 0; c < n && ok; c++) {
        const SpotColorant* found;
        const ColorantUse use = use_of(ctx, setup, cs, c, &found);
        plane[c] = use == ColorantUse::plane ? found->plane : -1;
        if (use != ColorantUse::lab)
            continue;
        for (int t = 0; t < 256 && ok; t++) {
            float cmyk[4];
            ok = lab_cmyk(setup, *found, t / 255.0f, cmyk, message,
                          sizeof message);
            for (int k = 0; k < 4; k++)
                lab_table[lab_count][t][k] =
                    uint8_t(std::lround(std::clamp(cmyk[k], 0.0f, 1.0f) *
                                        255));
        }
        lab_channel[lab_count++] = c;
    }
    if (!ok) {
        fz_free(ctx, lab_table);
        fz_throw(ctx, FZ_ERROR_GENERIC, "%s", message);
    }

    // The channels the image paints, and where each plane goes in them.
    uint64_t channels = alternate_cmyk || lab_count ? 1 : 0;
    for (int c = 0; c < n; c++)
        if (plane[c] >= 0)
            channels |= uint64_t(1) << (1 + plane[c]);
    int slot[FZ_MAX_COLORS];
    int next = channels & 1 ? 4 : 0;
    for (int p = 0; p < spots.planes(); p++)
        slot[p] = channels & (uint64_t(1) << (1 + p)) ? next++ : -1;

    fz_pixmap* out = nullptr;
    fz_try(ctx)
    {
        fz_colorspace* paint = spots.planes() > 0
                                   ? spaces.get(ctx, spots, channels)
                                   : fz_device_cmyk(ctx);
        out = fz_new_pixmap(ctx, paint, source->w, source->h, nullptr,
                            source->alpha);
        out->x = source->x;
        out->y = source->y;
        fz_clear_pixmap(ctx, out);
    }
    fz_catch(ctx)
    {
        fz_free(ctx, lab_table);
        fz_rethrow(ctx);
    }

    // Process from the alternate, Lab overprinted, planes copied.
    for (int y = 0; y < source->h; y++) {
        const uint8_t* src = source->samples + y * source->stride;
        uint8_t* dst = out->samples + y * out->stride;
        const uint8_t* alt =
            alternate_cmyk
                ? alternate_cmyk->samples + y * alternate_cmyk->stride
                : nullptr;
        for (int x = 0; x < source->w; x++) {
            const uint8_t* s = src + x * source->n;
            uint8_t* d = dst + x * out->n;
            if (alt)
                std::memcpy(d, alt + x * alternate_cmyk->n, 4);
            for (int l = 0; l < lab_count; l++) {
                const uint8_t* q = lab_table[l][s[lab_channel[l]]];
                for (int k = 0; k < 4; k++)
                    d[k] = uint8_t(d[k] + q[k] - (d[k] * q[k] + 127) / 255);
            }
            for (int c = 0; c < n; c++)
                if (plane[c] >= 0)
                    d[slot[plane[c]]] = s[c];
            if (source->alpha)
                d[out->n - 1] = s[n];
        }
    }
    fz_free(ctx, lab_table);
    return out;
}

}  // namespace ripline::raster
