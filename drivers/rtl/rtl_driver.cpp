// SPDX-License-Identifier: AGPL-3.0-or-later
// The rtl driver: HP-RTL planar raster for wide-format printers.
//
// One file per sheet:
//   ESC%-12345X ESC E                       UEL and reset
//   ESC%0B IN;PS<length>,<width>; ESC%0A    media size in HP-GL/2 units
//   ESC*g#W <format 2 configure raster data> ink count, dpi, levels
//   ESC*r#S ESC*r#T ESC*r1A                 width, height, start raster
//   rows: ESC*b#V <plane> ... ESC*b#W <last plane>, ESC*b#Y for blank rows,
//         ESC*b#M before a row whose compression differs
//   ESC*rC ESC E ESC%-12345X                end raster, reset, UEL
// Planes follow the print mode's ink order; at 2 bits per dot each ink is
// two bit planes, least significant first. Each plane of each row uses
// the smallest of modes 0-3 (the printer keeps one seed row per plane).
#include "drivers/rtl/rtl_encode.hpp"
#include "plugins/sdk/driver_sdk.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using ripline::rtl::Mode;
using ripline::sdk::Host;
using ripline::sdk::Output;

const rl_driver_option_desc rtl_options[] = {
    {"compression", RL_DRIVER_OPTION_ENUM, "auto",
     "auto|none|rle|packbits|delta",
     "auto: the smallest of modes 0-3 per row; otherwise one mode only"},
    {"plot_size", RL_DRIVER_OPTION_BOOL, "true", nullptr,
     "send the media size (HP-GL/2 PS) before the raster"},
};

constexpr double plotter_units_per_mm = 40.0; // 0.025 mm
constexpr size_t flush_bytes = 1 << 18;

unsigned allowed_modes(const std::string& name)
{
    if (name == "auto")
        return 0xf;
    if (name == "none")
        return 1u << 0;
    if (name == "rle")
        return 1u << 1;
    if (name == "packbits")
        return 1u << 2;
    if (name == "delta")
        return 1u << 3;
    throw std::runtime_error("option compression: '" + name +
                             "' is not auto, none, rle, packbits or delta");
}

// For a byte of four 2-bit dots: their low bits and high bits, 4 each.
struct SplitTable {
    std::array<uint8_t, 256> low{}, high{};
    SplitTable()
    {
        for (int b = 0; b < 256; ++b)
            for (int d = 0; d < 4; ++d) {
                int dot = (b >> (6 - 2 * d)) & 3;
                low[b] |= uint8_t((dot & 1) << (3 - d));
                high[b] |= uint8_t((dot >> 1) << (3 - d));
            }
    }
};

class RtlSession {
public:
    RtlSession(const Host& host, const rl_driver_job_info& job)
        : host_(host), job_(job),
          encoder_template_(allowed_modes(host.option("compression", "auto"))),
          plot_size_(host.option_bool("plot_size", true))
    {
        if (job.bits_per_dot != 1 && job.bits_per_dot != 2)
            throw std::runtime_error("rtl writes 1 or 2 bits per dot, not " +
                                     std::to_string(job.bits_per_dot));
        if (job.ink_count < 1 || job.ink_count > 32)
            throw std::runtime_error("rtl takes 1 to 32 inks, not " +
                                     std::to_string(job.ink_count));
        base_name_ = ripline::sdk::file_part(*job.job_name ? job.job_name
                                                             : job.job_id);
    }

    void begin_sheet(const rl_driver_sheet& sheet)
    {
        char number[32];
        std::snprintf(number, sizeof number, "_s%03d.rtl", sheet.index + 1);
        output_ = host_.open_output(base_name_ + number);
        sheet_ = sheet;
        plane_bytes_ = (size_t(sheet.width_dots) + 7) / 8;
        size_t planes = size_t(job_.ink_count * job_.bits_per_dot);
        seeds_.assign(planes, std::vector<uint8_t>(plane_bytes_, 0));
        rows_.assign(planes, std::vector<uint8_t>(plane_bytes_, 0));
        encoder_ = encoder_template_;
        blank_rows_ = 0;
        rows_done_ = 0;
        write_header();
    }

    void write_band(const rl_driver_band& band)
    {
        for (int r = 0; r < band.rows; ++r)
            write_row(band, r);
        flush_if_full();
    }

    void end_sheet()
    {
        blank_rows_ += sheet_.height_dots - rows_done_;
        skip_blank_rows();
        put("\x1b*rC\x1b"
            "E\x1b%-12345X");
        flush();
        output_.commit();
    }

    void end_job() {}

private:
    void put(const std::string& text)
    {
        buffer_.insert(buffer_.end(), text.begin(), text.end());
    }

    void put_command(const char* prefix, long value, char terminator)
    {
        char text[32];
        int n = std::snprintf(text, sizeof text, "\x1b%s%ld%c", prefix, value,
                              terminator);
        buffer_.insert(buffer_.end(), text, text + n);
    }

    void write_header()
    {
        put("\x1b%-12345X\x1b"
            "E");
        if (plot_size_) {
            long length = std::lround(sheet_.height_mm * plotter_units_per_mm);
            long width = std::lround(sheet_.width_mm * plotter_units_per_mm);
            put("\x1b%0BIN;PS" + std::to_string(length) + "," +
                std::to_string(width) + ";\x1b%0A");
        }
        put_command("*t", std::lround(job_.xdpi), 'R');
        write_configure_raster_data();
        put_command("*r", sheet_.width_dots, 'S');
        put_command("*r", sheet_.height_dots, 'T');
        put_command("*b", 0, 'M');
        put("\x1b*r1A");
    }

    // ESC*g#W format 2: per ink its x and y dpi and its number of levels.
    void write_configure_raster_data()
    {
        std::vector<uint8_t> data = {2, uint8_t(job_.ink_count)};
        int levels = 1 << job_.bits_per_dot;
        for (int ink = 0; ink < job_.ink_count; ++ink)
            for (long value : {std::lround(job_.xdpi), std::lround(job_.ydpi),
                               long(levels)}) {
                data.push_back(uint8_t(value >> 8));
                data.push_back(uint8_t(value));
            }
        put_command("*g", long(data.size()), 'W');
        buffer_.insert(buffer_.end(), data.begin(), data.end());
    }

    // Split row R of the band into bit planes; false when all are blank.
    bool split_row(const rl_driver_band& band, int r)
    {
        static const SplitTable split;
        bool any = false;
        for (int ink = 0; ink < job_.ink_count; ++ink) {
            const uint8_t* row = ripline::sdk::band_row(band, ink, r);
            if (job_.bits_per_dot == 1) {
                std::vector<uint8_t>& plane = rows_[size_t(ink)];
                std::copy(row, row + plane_bytes_, plane.begin());
                clear_padding(plane);
                continue;
            }
            std::vector<uint8_t>& low = rows_[size_t(2 * ink)];
            std::vector<uint8_t>& high = rows_[size_t(2 * ink + 1)];
            size_t in_bytes = ripline::sdk::row_bytes(sheet_.width_dots, 2);
            for (size_t i = 0; i < plane_bytes_; ++i) {
                uint8_t a = row[2 * i];
                uint8_t b = 2 * i + 1 < in_bytes ? row[2 * i + 1] : 0;
                low[i] = uint8_t(split.low[a] << 4 | split.low[b]);
                high[i] = uint8_t(split.high[a] << 4 | split.high[b]);
            }
            clear_padding(low);
            clear_padding(high);
        }
        for (const auto& plane : rows_)
            for (uint8_t byte : plane)
                if (byte) {
                    any = true;
                    break;
                }
        return any;
    }

    // Bits past the sheet's width are not dots; never send them.
    void clear_padding(std::vector<uint8_t>& plane) const
    {
        int extra = int(plane_bytes_ * 8) - sheet_.width_dots;
        if (extra > 0)
            plane.back() &= uint8_t(0xff << extra);
    }

    void write_row(const rl_driver_band& band, int r)
    {
        ++rows_done_;
        if (!split_row(band, r)) {
            ++blank_rows_;
            return;
        }
        skip_blank_rows();
        for (size_t p = 0; p < rows_.size(); ++p) {
            Mode mode = encoder_.encode(rows_[p], seeds_[p], data_);
            if (mode != encoder_.current()) {
                put_command("*b", long(mode), 'M');
                encoder_.set_current(mode);
            }
            bool last = p + 1 == rows_.size();
            put_command("*b", long(data_.size()), last ? 'W' : 'V');
            buffer_.insert(buffer_.end(), data_.begin(), data_.end());
            seeds_[p].swap(rows_[p]);
        }
    }

    // ESC*b#Y moves down over blank rows and clears the seed rows.
    void skip_blank_rows()
    {
        if (blank_rows_ == 0)
            return;
        put_command("*b", blank_rows_, 'Y');
        for (auto& seed : seeds_)
            std::fill(seed.begin(), seed.end(), 0);
        blank_rows_ = 0;
    }

    void flush_if_full()
    {
        if (buffer_.size() >= flush_bytes)
            flush();
    }

    void flush()
    {
        output_.write(buffer_.data(), buffer_.size());
        buffer_.clear();
    }

    Host host_;
    const rl_driver_job_info& job_;
    ripline::rtl::RowEncoder encoder_template_;
    ripline::rtl::RowEncoder encoder_;
    bool plot_size_;
    std::string base_name_;
    Output output_;
    rl_driver_sheet sheet_{};
    size_t plane_bytes_ = 0;
    std::vector<std::vector<uint8_t>> seeds_, rows_;
    std::vector<uint8_t> data_, buffer_;
    long blank_rows_ = 0;
    int rows_done_ = 0;
};

} // namespace

extern "C" RL_DRIVER_EXPORT const rl_driver* rl_driver_entry(void)
{
    static const rl_driver table = [] {
        rl_driver t = ripline::sdk::driver_table<RtlSession>();
        t.id = "rtl";
        t.description = "HP-RTL planar raster, modes 0-3 chosen per row";
        t.version = "1.0.0";
        t.kind = RL_DRIVER_PRINTER;
        t.max_inks = 32;
        t.bit_depths = (1u << 1) | (1u << 2);
        t.options = rtl_options;
        t.option_count = int(std::size(rtl_options));
        return t;
    }();
    return &table;
}
