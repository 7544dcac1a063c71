// SPDX-License-Identifier: AGPL-3.0-or-later
// PNG and JPEG row writers; libpng's and libjpeg's longjmp kept inside.
#include "drivers/preview/image_writer.hpp"

#include <csetjmp>
#include <cstdio>
#include <jpeglib.h>
#include <png.h>
#include <stdexcept>

namespace ripline::preview {

namespace {

std::FILE* open_file(const std::string& path)
{
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file)
        throw std::runtime_error("cannot open " + path);
    return file;
}

// ---- PNG ----

struct PngError {
    std::jmp_buf jump;
    char message[256] = "libpng failed";
};

void png_failed(png_structp png, png_const_charp message)
{
    auto* error = static_cast<PngError*>(png_get_error_ptr(png));
    std::snprintf(error->message, sizeof error->message, "libpng: %s", message);
    std::longjmp(error->jump, 1);
}

void png_warned(png_structp, png_const_charp) {}

class PngWriter : public ImageWriter {
public:
    PngWriter(const std::string& path, int width, int height, double dpi)
        : file_(open_file(path))
    {
        png_ = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error_,
                                       png_failed, png_warned);
        info_ = png_ ? png_create_info_struct(png_) : nullptr;
        if (!png_ || !info_ || !header(width, height, dpi)) {
            cleanup();
            throw std::runtime_error(error_.message);
        }
    }
    ~PngWriter() override { cleanup(); }

    void write_row(const uint8_t* rgb) override
    {
        if (setjmp(error_.jump))
            throw std::runtime_error(error_.message);
        png_write_row(png_, rgb);
    }

    void finish() override
    {
        if (setjmp(error_.jump))
            throw std::runtime_error(error_.message);
        png_write_end(png_, info_);
        png_destroy_write_struct(&png_, &info_);
        png_ = nullptr;
        int status = std::fclose(file_);
        file_ = nullptr;
        if (status != 0)
            throw std::runtime_error("cannot write the PNG file");
    }

private:
    bool header(int width, int height, double dpi)
    {
        if (setjmp(error_.jump))
            return false;
        png_init_io(png_, file_);
        png_set_IHDR(png_, info_, png_uint_32(width), png_uint_32(height), 8,
                     PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        auto per_metre = png_uint_32(dpi / 0.0254 + 0.5);
        png_set_pHYs(png_, info_, per_metre, per_metre, PNG_RESOLUTION_METER);
        png_write_info(png_, info_);
        return true;
    }

    void cleanup()
    {
        if (png_)
            png_destroy_write_struct(&png_, info_ ? &info_ : nullptr);
        png_ = nullptr;
        if (file_)
            std::fclose(file_);
        file_ = nullptr;
    }

    std::FILE* file_;
    PngError error_;
    png_structp png_ = nullptr;
    png_infop info_ = nullptr;
};

// ---- JPEG ----

struct JpegError {
    jpeg_error_mgr manager;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX] = "libjpeg failed";
};

void jpeg_failed(j_common_ptr info)
{
    auto* error = reinterpret_cast<JpegError*>(info->err);
    (*info->err->format_message)(info, error->message);
    std::longjmp(error->jump, 1);
}

void jpeg_quiet(j_common_ptr, int) {}

class JpegWriter : public ImageWriter {
public:
    JpegWriter(const std::string& path, int width, int height, double dpi,
               int quality)
        : file_(open_file(path))
    {
        jpeg_.err = jpeg_std_error(&error_.manager);
        error_.manager.error_exit = jpeg_failed;
        error_.manager.emit_message = jpeg_quiet;
        if (!start(width, height, dpi, quality)) {
            cleanup();
            throw std::runtime_error(std::string("libjpeg: ") + error_.message);
        }
    }
    ~JpegWriter() override { cleanup(); }

    void write_row(const uint8_t* rgb) override
    {
        if (setjmp(error_.jump))
            throw std::runtime_error(std::string("libjpeg: ") + error_.message);
        JSAMPROW row = const_cast<JSAMPROW>(rgb);
        jpeg_write_scanlines(&jpeg_, &row, 1);
    }

    void finish() override
    {
        if (setjmp(error_.jump))
            throw std::runtime_error(std::string("libjpeg: ") + error_.message);
        jpeg_finish_compress(&jpeg_);
        jpeg_destroy_compress(&jpeg_);
        created_ = false;
        int status = std::fclose(file_);
        file_ = nullptr;
        if (status != 0)
            throw std::runtime_error("cannot write the JPEG file");
    }

private:
    bool start(int width, int height, double dpi, int quality)
    {
        if (setjmp(error_.jump))
            return false;
        jpeg_create_compress(&jpeg_);
        created_ = true;
        jpeg_stdio_dest(&jpeg_, file_);
        jpeg_.image_width = JDIMENSION(width);
        jpeg_.image_height = JDIMENSION(height);
        jpeg_.input_components = 3;
        jpeg_.in_color_space = JCS_RGB;
        jpeg_set_defaults(&jpeg_);
        jpeg_set_quality(&jpeg_, quality, TRUE);
        jpeg_.density_unit = 1; // dots per inch
        jpeg_.X_density = jpeg_.Y_density = UINT16(dpi + 0.5);
        jpeg_start_compress(&jpeg_, TRUE);
        return true;
    }

    void cleanup()
    {
        if (created_)
            jpeg_destroy_compress(&jpeg_);
        created_ = false;
        if (file_)
            std::fclose(file_);
        file_ = nullptr;
    }

    std::FILE* file_;
    JpegError error_;
    jpeg_compress_struct jpeg_{};
    bool created_ = false;
};

} // namespace

std::unique_ptr<ImageWriter> open_png(const std::string& path, int width,
                                      int height, double dpi)
{
    return std::make_unique<PngWriter>(path, width, height, dpi);
}

std::unique_ptr<ImageWriter> open_jpeg(const std::string& path, int width,
                                       int height, double dpi, int quality)
{
    return std::make_unique<JpegWriter>(path, width, height, dpi, quality);
}

} // namespace ripline::preview
