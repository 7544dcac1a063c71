// SPDX-License-Identifier: AGPL-3.0-or-later
// read_image_profile: the ICC profile inside a JPEG, PNG or TIFF file.
#include "core/document/document.hpp"

#include <png.h>
#include <tiffio.h>

#include <cstring>
#include <fstream>
#include <map>

namespace ripline::document {

namespace {

std::vector<uint8_t> read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in),
            std::istreambuf_iterator<char>()};
}

// JPEG carries the profile in APP2 segments "ICC_PROFILE\0" + sequence
// number + count, to be joined in sequence order.
std::vector<uint8_t> jpeg_profile(const std::vector<uint8_t>& file)
{
    static const char tag[] = "ICC_PROFILE";
    std::map<int, std::vector<uint8_t>> chunks;
    size_t pos = 2;
    while (pos + 4 <= file.size() && file[pos] == 0xFF) {
        const int marker = file[pos + 1];
        const size_t length = (file[pos + 2] << 8) | file[pos + 3];
        if (marker == 0xDA || length < 2 || pos + 2 + length > file.size())
            break; // start of scan: no more metadata
        const uint8_t* body = &file[pos + 4];
        const size_t body_size = length - 2;
        if (marker == 0xE2 && body_size > 14 &&
            std::memcmp(body, tag, sizeof tag) == 0)
            chunks[body[12]].assign(body + 14, body + body_size);
        pos += 2 + length;
    }
    std::vector<uint8_t> profile;
    for (const auto& [sequence, chunk] : chunks)
        profile.insert(profile.end(), chunk.begin(), chunk.end());
    return profile;
}

std::vector<uint8_t> png_profile(const std::filesystem::path& path)
{
    std::vector<uint8_t> profile;
    FILE* file = std::fopen(path.c_str(), "rb");
    if (!file)
        return profile;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr,
                                             nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (info && !setjmp(png_jmpbuf(png))) {
        png_init_io(png, file);
        png_read_info(png, info);
        png_charp name = nullptr;
        int compression = 0;
        png_bytep data = nullptr;
        png_uint_32 size = 0;
        if (png_get_iCCP(png, info, &name, &compression, &data, &size))
            profile.assign(data, data + size);
    }
    png_destroy_read_struct(&png, &info, nullptr);
    std::fclose(file);
    return profile;
}

std::vector<uint8_t> tiff_profile(const std::filesystem::path& path)
{
    std::vector<uint8_t> profile;
    TIFFSetWarningHandler(nullptr);
    TIFF* tiff = TIFFOpen(path.c_str(), "r");
    if (!tiff)
        return profile;
    uint32_t size = 0;
    void* data = nullptr;
    if (TIFFGetField(tiff, TIFFTAG_ICCPROFILE, &size, &data) && size)
        profile.assign(static_cast<uint8_t*>(data),
                       static_cast<uint8_t*>(data) + size);
    TIFFClose(tiff);
    return profile;
}

}  // namespace

std::optional<color::Profile> read_image_profile(
    const std::filesystem::path& path)
{
    const std::vector<uint8_t> head = read_file(path);
    std::vector<uint8_t> profile;
    if (head.size() > 4 && head[0] == 0xFF && head[1] == 0xD8)
        profile = jpeg_profile(head);
    else if (head.size() > 8 && std::memcmp(head.data(), "\x89PNG", 4) == 0)
        profile = png_profile(path);
    else if (head.size() > 4 && (std::memcmp(head.data(), "II*", 3) == 0 ||
                                 std::memcmp(head.data(), "MM\0*", 4) == 0))
        profile = tiff_profile(path);
    if (profile.empty())
        return std::nullopt;
    return color::Profile::from_memory(profile.data(), profile.size(),
                                       path.string() + " (embedded profile)");
}

}  // namespace ripline::document
