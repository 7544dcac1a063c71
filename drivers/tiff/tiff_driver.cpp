// SPDX-License-Identifier: AGPL-3.0-or-later
// The tiff driver: one TIFF per ink per sheet, written band by band.
//
// 1 bit per dot is CCITT G4 with MinIsWhite, so a set bit is ink; 2, 8
// and 16 bits are LZW or Deflate (8 and 16 bits with the horizontal
// predictor, which libtiff offers only for 8 bits and more). 16-bit
// contone samples arrive in the host's byte order and are written so;
// libtiff records that order in the file's header. libtiff gathers rows into
// strips of a fixed size and writes each strip as soon as it is full, so
// memory stays one strip per ink however long the sheet is.
#include "plugins/sdk/driver_sdk.hpp"

#include <tiffio.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using ripline::sdk::Host;
using ripline::sdk::Output;

const rl_driver_option_desc tiff_options[] = {
    {"compression", RL_DRIVER_OPTION_ENUM, "auto", "auto|g4|lzw|deflate|none",
     "auto: G4 at 1 bit, Deflate at 2, 8 and 16 bits"},
    {"strip_bytes", RL_DRIVER_OPTION_INT, "65536", nullptr,
     "target size of one uncompressed strip"},
};

// A file name part made of safe characters only.
std::string file_part(const std::string& text)
{
    std::string safe;
    for (char c : text) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        safe += keep ? c : '_';
    }
    if (safe.empty() || safe[0] == '.')
        safe.insert(safe.begin(), '_');
    return safe;
}

// libtiff's messages for one file, kept instead of printed.
struct TiffMessages {
    std::string last;
    static int on_error(TIFF*, void* user, const char* module,
                        const char* format, va_list args)
    {
        char text[512];
        std::vsnprintf(text, sizeof text, format, args);
        static_cast<TiffMessages*>(user)->last =
            std::string(module ? module : "libtiff") + ": " + text;
        return 1;
    }
    static int on_warning(TIFF*, void*, const char*, const char*, va_list)
    {
        return 1;
    }
};

// One ink's file of the current sheet.
struct Plane {
    Output output;
    TIFF* tiff = nullptr;
    TiffMessages messages;
};

class TiffSession {
public:
    TiffSession(const Host& host, const rl_driver_job_info& job)
        : host_(host), job_(job)
    {
        if (job.bits_per_dot != 1 && job.bits_per_dot != 2 &&
            job.bits_per_dot != 8 && job.bits_per_dot != 16)
            throw std::runtime_error(
                "tiff writes 1, 2, 8 or 16 bits per dot, not " +
                std::to_string(job.bits_per_dot));
        if (job.ink_count < 1)
            throw std::runtime_error("a job without inks has nothing to "
                                     "write as TIFF");
        compression_ = pick_compression(host.option("compression", "auto"));
        strip_bytes_ = host.option_int("strip_bytes", 65536);
        base_name_ = file_part(*job.job_name ? job.job_name : job.job_id);
    }
    ~TiffSession() { close_planes(); }

    void begin_sheet(const rl_driver_sheet& sheet)
    {
        sheet_ = sheet;
        row_ = 0;
        row_bytes_ =
            ripline::sdk::row_bytes(sheet.width_dots, job_.bits_per_dot);
        scratch_.assign(row_bytes_, 0);
        planes_ = std::vector<Plane>(size_t(job_.ink_count));
        for (int ink = 0; ink < job_.ink_count; ++ink)
            open_plane(ink);
    }

    void write_band(const rl_driver_band& band)
    {
        for (int ink = 0; ink < job_.ink_count; ++ink)
            for (int r = 0; r < band.rows; ++r)
                write_row(ink, ripline::sdk::band_row(band, ink, r),
                          band.y + r);
        row_ = band.y + band.rows;
    }

    void end_sheet()
    {
        // Rows the host never sent are blank, so the file stays valid.
        if (row_ < sheet_.height_dots)
            host_.warning("sheet " + std::to_string(sheet_.index + 1) +
                          " ended at row " + std::to_string(row_) + " of " +
                          std::to_string(sheet_.height_dots) +
                          "; the rest is left blank");
        std::vector<uint8_t> blank(row_bytes_, 0);
        for (int ink = 0; ink < job_.ink_count; ++ink)
            for (int y = row_; y < sheet_.height_dots; ++y)
                write_row(ink, blank.data(), y);

        for (Plane& plane : planes_) {
            bool flushed = TIFFFlush(plane.tiff) == 1;
            TIFFClose(plane.tiff);
            plane.tiff = nullptr;
            if (!flushed)
                throw std::runtime_error(plane.output.path() + ": " +
                                         plane.messages.last);
            plane.output.commit();
        }
        planes_.clear();
    }

    void end_job() {}

private:
    uint16_t pick_compression(const std::string& name) const
    {
        bool one_bit = job_.bits_per_dot == 1;
        if (name == "auto")
            return one_bit ? COMPRESSION_CCITTFAX4 : COMPRESSION_ADOBE_DEFLATE;
        if (name == "g4" && !one_bit)
            throw std::runtime_error("compression g4 needs 1 bit per dot");
        if (name == "g4")
            return COMPRESSION_CCITTFAX4;
        if (name == "lzw")
            return COMPRESSION_LZW;
        if (name == "deflate")
            return COMPRESSION_ADOBE_DEFLATE;
        if (name == "none")
            return COMPRESSION_NONE;
        throw std::runtime_error("option compression: '" + name +
                                 "' is not auto, g4, lzw, deflate or none");
    }

    void open_plane(int ink)
    {
        char sheet_number[16];
        std::snprintf(sheet_number, sizeof sheet_number, "_s%03d",
                      sheet_.index + 1);
        std::string name = base_name_ + sheet_number + "_" +
                           file_part(job_.ink_names[ink]) + ".tif";
        Plane& plane = planes_[size_t(ink)];
        plane.output = host_.open_output(name);

        TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
        TIFFOpenOptionsSetErrorHandlerExtR(options, TiffMessages::on_error,
                                           &plane.messages);
        TIFFOpenOptionsSetWarningHandlerExtR(options, TiffMessages::on_warning,
                                             &plane.messages);
        plane.tiff = TIFFOpenExt(plane.output.path().c_str(), "w", options);
        TIFFOpenOptionsFree(options);
        if (!plane.tiff)
            throw std::runtime_error("cannot open " + name + ": " +
                                     plane.messages.last);
        set_tags(plane.tiff, ink);
    }

    void set_tags(TIFF* tiff, int ink) const
    {
        TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, uint32_t(sheet_.width_dots));
        TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, uint32_t(sheet_.height_dots));
        TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, uint16_t(job_.bits_per_dot));
        TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, uint16_t(1));
        TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
        TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        TIFFSetField(tiff, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
        TIFFSetField(tiff, TIFFTAG_COMPRESSION, compression_);
        if (job_.bits_per_dot >= 8 &&
            (compression_ == COMPRESSION_LZW ||
             compression_ == COMPRESSION_ADOBE_DEFLATE))
            TIFFSetField(tiff, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
        TIFFSetField(tiff, TIFFTAG_XRESOLUTION, float(job_.xdpi));
        TIFFSetField(tiff, TIFFTAG_YRESOLUTION, float(job_.ydpi));
        TIFFSetField(tiff, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
        long rows = strip_bytes_ / long(std::max<size_t>(row_bytes_, 1));
        TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, uint32_t(std::max(1L, rows)));

        // Say what the file is, for people and for tools.
        std::string description = "ripline job " + std::string(job_.job_name) +
                                  " (" + job_.job_id + "), sheet " +
                                  std::to_string(sheet_.index + 1) + ", ink " +
                                  job_.ink_names[ink];
        TIFFSetField(tiff, TIFFTAG_IMAGEDESCRIPTION, description.c_str());
        TIFFSetField(tiff, TIFFTAG_PAGENAME, job_.ink_names[ink]);
        TIFFSetField(tiff, TIFFTAG_SOFTWARE, "ripline tiff driver");
    }

    // libtiff may encode in place (the predictor does), so pass a copy.
    void write_row(int ink, const uint8_t* row, int y)
    {
        Plane& plane = planes_[size_t(ink)];
        std::memcpy(scratch_.data(), row, row_bytes_);
        if (TIFFWriteScanline(plane.tiff, scratch_.data(), uint32_t(y), 0) != 1)
            throw std::runtime_error(plane.output.path() + ": " +
                                     plane.messages.last);
    }

    void close_planes()
    {
        for (Plane& plane : planes_)
            if (plane.tiff)
                TIFFClose(plane.tiff);
        planes_.clear();
    }

    Host host_;
    const rl_driver_job_info& job_;
    uint16_t compression_ = COMPRESSION_NONE;
    long strip_bytes_ = 65536;
    std::string base_name_;
    rl_driver_sheet sheet_{};
    int row_ = 0;
    size_t row_bytes_ = 0;
    std::vector<uint8_t> scratch_;
    std::vector<Plane> planes_;
};

} // namespace

extern "C" RL_DRIVER_EXPORT const rl_driver* rl_driver_entry(void)
{
    static const rl_driver table = [] {
        rl_driver t = ripline::sdk::driver_table<TiffSession>();
        t.id = "tiff";
        t.description = "one TIFF per ink per sheet (G4, LZW or Deflate)";
        t.version = "1.0.0";
        t.kind = RL_DRIVER_PRINTER;
        t.bit_depths = (1u << 1) | (1u << 2) | (1u << 8) | (1u << 16);
        t.options = tiff_options;
        t.option_count = int(std::size(tiff_options));
        return t;
    }();
    return &table;
}
