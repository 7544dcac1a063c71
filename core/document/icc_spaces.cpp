// SPDX-License-Identifier: AGPL-3.0-or-later
// ICC-based colour spaces: finding them, reading their profiles, and
// rewriting them into tagged DeviceN spaces (see icc_spaces.hpp).
//
// MuPDF unwinds with longjmp: the passes that call it create no C++
// object with a destructor inside fz_try; reading profiles (C++) happens
// between them.
#include "core/document/icc_spaces.hpp"

#include "core/common/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>

namespace ripline::document {

namespace {

constexpr char tag_prefix[] = "ripline.icc.";

// One ICCBased array found in the file, and its profile stream.
struct Found {
    pdf_obj* array; // kept
    int stream_num;
    int channels;   // the array's /N
};

bool is_icc_array(fz_context* ctx, pdf_obj* obj)
{
    return pdf_is_array(ctx, obj) && pdf_array_len(ctx, obj) >= 2 &&
           pdf_name_eq(ctx, pdf_array_get(ctx, obj, 0), PDF_NAME(ICCBased));
}

// Record OBJ, or the ICCBased arrays directly inside it, into FOUND.
// Direct objects cannot form cycles, so the descent ends; indirect ones
// are visited by the caller's walk over the cross-reference table.
void collect(fz_context* ctx, pdf_obj* obj, std::vector<Found>& found,
             int depth)
{
    if (depth > 32 || !obj)
        return;
    if (is_icc_array(ctx, obj)) {
        pdf_obj* stream = pdf_array_get(ctx, obj, 1);
        if (pdf_is_indirect(ctx, stream) && pdf_is_stream(ctx, stream))
            found.push_back({pdf_keep_obj(ctx, obj), pdf_to_num(ctx, stream),
                             pdf_dict_get_int(ctx, stream, PDF_NAME(N))});
        return;
    }
    if (pdf_is_array(ctx, obj)) {
        const int n = pdf_array_len(ctx, obj);
        for (int i = 0; i < n; i++) {
            pdf_obj* item = pdf_array_get(ctx, obj, i);
            if (!pdf_is_indirect(ctx, item))
                collect(ctx, item, found, depth + 1);
        }
    } else if (pdf_is_dict(ctx, obj)) {
        const int n = pdf_dict_len(ctx, obj);
        for (int i = 0; i < n; i++) {
            pdf_obj* item = pdf_dict_get_val(ctx, obj, i);
            if (!pdf_is_indirect(ctx, item))
                collect(ctx, item, found, depth + 1);
        }
    }
}

// Every ICCBased array in DOC: each object of the cross-reference table,
// and the direct objects inside it. Objects that fail to load are
// skipped (MuPDF reports them when a page needs them).
void find_icc_arrays(fz_context* ctx, pdf_document* doc,
                     std::vector<Found>& found)
{
    const int count = pdf_xref_len(ctx, doc);
    for (int num = 1; num < count; num++) {
        pdf_obj* obj = nullptr;
        fz_var(obj);
        fz_try(ctx)
        {
            obj = pdf_load_object(ctx, doc, num);
            collect(ctx, obj, found, 0);
        }
        fz_always(ctx) { pdf_drop_obj(ctx, obj); }
        fz_catch(ctx) {}
    }
}

// The bytes of stream NUM, or "" when it cannot be read.
std::string stream_bytes(fz_context* ctx, pdf_document* doc, int num)
{
    fz_buffer* buffer = nullptr;
    fz_var(buffer);
    fz_try(ctx) { buffer = pdf_load_stream_number(ctx, doc, num); }
    fz_catch(ctx) { buffer = nullptr; }
    if (!buffer)
        return {};
    unsigned char* data = nullptr;
    const size_t size = fz_buffer_storage(ctx, buffer, &data);
    std::string bytes(reinterpret_cast<const char*>(data), size);
    fz_drop_buffer(ctx, buffer);
    return bytes;
}

const char* device_space_name(int channels)
{
    switch (channels) {
    case 1: return "DeviceGray";
    case 3: return "DeviceRGB";
    case 4: return "DeviceCMYK";
    default: return nullptr;
    }
}

// An identity Type 4 function over CHANNELS inputs in 0..1, as an
// indirect stream object of DOC.
pdf_obj* identity_function(fz_context* ctx, pdf_document* doc, int channels)
{
    pdf_obj* dict = pdf_new_dict(ctx, doc, 4);
    fz_buffer* program = nullptr;
    pdf_obj* ref = nullptr;
    fz_var(program);
    fz_try(ctx)
    {
        pdf_dict_put_int(ctx, dict, PDF_NAME(FunctionType), 4);
        pdf_obj* domain = pdf_dict_put_array(ctx, dict, PDF_NAME(Domain),
                                             2 * channels);
        pdf_obj* range = pdf_dict_put_array(ctx, dict, PDF_NAME(Range),
                                            2 * channels);
        for (int i = 0; i < channels; i++) {
            pdf_array_push_int(ctx, domain, 0);
            pdf_array_push_int(ctx, domain, 1);
            pdf_array_push_int(ctx, range, 0);
            pdf_array_push_int(ctx, range, 1);
        }
        program = fz_new_buffer_from_shared_data(
            ctx, reinterpret_cast<const unsigned char*>("{}"), 2);
        ref = pdf_add_stream(ctx, doc, program, dict, 0);
    }
    fz_always(ctx)
    {
        fz_drop_buffer(ctx, program);
        pdf_drop_obj(ctx, dict);
    }
    fz_catch(ctx) { fz_rethrow(ctx); }
    return ref;
}

// Turn ARRAY ([/ICCBased stream]) into [/DeviceN names alternate tint].
void rewrite(fz_context* ctx, pdf_document* doc, pdf_obj* array, int index,
             int channels, pdf_obj* tint)
{
    pdf_obj* names = pdf_new_array(ctx, doc, channels);
    fz_try(ctx)
    {
        for (int c = 0; c < channels; c++) {
            char name[48];
            std::snprintf(name, sizeof name, "%s%d.%d", tag_prefix, index,
                          c);
            pdf_array_push_name(ctx, names, name);
        }
        while (pdf_array_len(ctx, array) > 0)
            pdf_array_delete(ctx, array, pdf_array_len(ctx, array) - 1);
        pdf_array_push(ctx, array, PDF_NAME(DeviceN));
        pdf_array_push(ctx, array, names);
        pdf_array_push_name(ctx, array, device_space_name(channels));
        pdf_array_push(ctx, array, tint);
    }
    fz_always(ctx) { pdf_drop_obj(ctx, names); }
    fz_catch(ctx) { fz_rethrow(ctx); }
}

int profile_channels(const color::Profile& profile)
{
    std::optional<color::Space> space = profile.space();
    if (!space || *space == color::Space::lab)
        return 0;
    return color::channels(*space);
}

}  // namespace

std::vector<color::Profile> tag_icc_spaces(
    fz_context* ctx, pdf_document* doc, const std::string& file,
    const std::function<void(const std::string&)>& warn)
{
    std::vector<Found> found;
    find_icc_arrays(ctx, doc, found);

    // Read each profile once; index -1 marks one that is left alone.
    std::vector<color::Profile> profiles;
    std::map<int, int> index_of_stream;
    for (const Found& f : found) {
        if (index_of_stream.count(f.stream_num))
            continue;
        const std::string where =
            file + " (ICC profile, object " + std::to_string(f.stream_num) +
            ")";
        int index = -1;
        try {
            const std::string bytes = stream_bytes(ctx, doc, f.stream_num);
            color::Profile profile =
                color::Profile::from_memory(bytes.data(), bytes.size(), where);
            const int channels = profile_channels(profile);
            if (channels == 0)
                warn(where + ": a Lab or N-colour profile, read in its "
                             "alternate space");
            else if (channels != f.channels)
                warn(where + ": the profile has " + std::to_string(channels) +
                     " channels, the colour space /N " +
                     std::to_string(f.channels) +
                     "; read in its alternate space");
            else {
                index = int(profiles.size());
                profiles.push_back(std::move(profile));
            }
        } catch (const std::exception& e) {
            warn(std::string(e.what()) + "; read in its alternate space");
        }
        index_of_stream[f.stream_num] = index;
    }

    // One identity tint per profile, then the rewrite.
    std::vector<pdf_obj*> tints(profiles.size(), nullptr);
    bool failed = false;
    std::string message;
    fz_try(ctx)
    {
        for (const Found& f : found) {
            const int index = index_of_stream.at(f.stream_num);
            if (index < 0)
                continue;
            if (!tints[index])
                tints[index] = identity_function(ctx, doc, f.channels);
            rewrite(ctx, doc, f.array, index, f.channels, tints[index]);
        }
    }
    fz_catch(ctx)
    {
        failed = true;
        message = fz_caught_message(ctx);
    }
    for (pdf_obj* tint : tints)
        pdf_drop_obj(ctx, tint);
    for (const Found& f : found)
        pdf_drop_obj(ctx, f.array);
    if (failed)
        throw Error(RL_ERROR_BAD_INPUT, Stage::document,
                    "cannot tag its ICC-based colour spaces: " + message,
                    file);
    return profiles;
}

int icc_tag(fz_colorspace* cs)
{
    if (!cs || cs->type != FZ_COLORSPACE_SEPARATION || cs->n < 1)
        return -1;
    const char* name = cs->u.separation.colorant[0];
    const size_t prefix = sizeof tag_prefix - 1;
    if (!name || std::strncmp(name, tag_prefix, prefix) != 0)
        return -1;
    char* end = nullptr;
    const long index = std::strtol(name + prefix, &end, 10);
    if (end == name + prefix || *end != '.' || index < 0)
        return -1;
    return int(index);
}

}  // namespace ripline::document
