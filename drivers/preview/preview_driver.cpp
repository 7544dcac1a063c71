// SPDX-License-Identifier: AGPL-3.0-or-later
// The preview driver: an RGB PNG or JPEG of each sheet, for thumbnails.
//
// Each output pixel is a box of scale x scale dots; the ink coverage of
// the box (screened dots counted, or contone averaged) filters white
// paper through each ink's colour, multiplied as inks on paper do. Rows
// are encoded as soon as their box is complete, so memory is one output
// row, whatever the sheet's length.
#include "drivers/preview/image_writer.hpp"
#include "plugins/sdk/driver_sdk.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using ripline::sdk::Host;

const rl_driver_option_desc preview_options[] = {
    {"format", RL_DRIVER_OPTION_ENUM, "png", "png|jpeg", "image format"},
    {"max_size_px", RL_DRIVER_OPTION_INT, "512", nullptr,
     "longest side of the image, in pixels"},
    {"quality", RL_DRIVER_OPTION_INT, "85", nullptr, "JPEG quality 1-100"},
    {"ink_color.*", RL_DRIVER_OPTION_STRING, "", nullptr,
     "colour of an ink as #rrggbb, e.g. ink_color.Orange=#f7941d"},
};

using Rgb = std::array<double, 3>; // 0..1 per channel

// Process and common extra inks, by the names print modes give them.
struct KnownInk {
    const char* names; // '|'-separated, lower case
    Rgb rgb;
};
const KnownInk known_inks[] = {
    {"c|cyan", {0.00, 0.68, 0.94}},
    {"m|magenta", {0.93, 0.00, 0.55}},
    {"y|yellow", {1.00, 0.95, 0.00}},
    {"k|black", {0.14, 0.12, 0.13}},
    {"lc|light cyan|lightcyan", {0.55, 0.85, 0.97}},
    {"lm|light magenta|lightmagenta", {0.97, 0.55, 0.80}},
    {"lk|gray|grey|light black", {0.55, 0.55, 0.55}},
    {"o|orange", {0.97, 0.58, 0.11}},
    {"g|green", {0.00, 0.65, 0.32}},
    {"r|red", {0.93, 0.11, 0.14}},
    {"b|blue|violet", {0.18, 0.19, 0.57}},
    {"w|white|v|varnish", {1.00, 1.00, 1.00}},
};

std::string lower(std::string text)
{
    for (char& c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool parse_hex_colour(const std::string& text, Rgb& rgb)
{
    unsigned r, g, b;
    if (text.size() != 7 || text[0] != '#' ||
        std::sscanf(text.c_str() + 1, "%2x%2x%2x", &r, &g, &b) != 3)
        return false;
    rgb = {r / 255.0, g / 255.0, b / 255.0};
    return true;
}

class PreviewSession {
public:
    PreviewSession(const Host& host, const rl_driver_job_info& job)
        : host_(host), job_(job)
    {
        jpeg_ = host.option("format", "png") == "jpeg";
        max_size_px_ = int(host.option_int("max_size_px", 512));
        quality_ = int(host.option_int("quality", 85));
        if (max_size_px_ < 1 || quality_ < 1 || quality_ > 100)
            throw std::runtime_error("max_size_px must be >= 1 and quality "
                                     "1-100");
        if (job.bits_per_dot != 1 && job.bits_per_dot != 2 &&
            job.bits_per_dot != 8)
            throw std::runtime_error("preview reads 1, 2 or 8 bits per dot");
        for (int ink = 0; ink < job.ink_count; ++ink)
            colours_.push_back(colour_of(job.ink_names[ink]));
        base_name_ = ripline::sdk::file_part(*job.job_name ? job.job_name
                                                             : job.job_id);
    }

    void begin_sheet(const rl_driver_sheet& sheet)
    {
        sheet_ = sheet;
        int longest = std::max(sheet.width_dots, sheet.height_dots);
        scale_ = std::max(1, (longest + max_size_px_ - 1) / max_size_px_);
        width_px_ = (sheet.width_dots + scale_ - 1) / scale_;
        height_px_ = std::max(1, (sheet.height_dots + scale_ - 1) / scale_);
        sums_.assign(size_t(width_px_) * colours_.size(), 0.0);
        rgb_.assign(size_t(width_px_) * 3, 255);
        rows_in_box_ = 0;
        rows_px_ = 0;

        char number[32];
        std::snprintf(number, sizeof number, "_s%03d_preview.%s",
                      sheet.index + 1, jpeg_ ? "jpg" : "png");
        output_ = host_.open_output(base_name_ + number);
        double dpi = job_.xdpi / scale_;
        writer_ = jpeg_ ? ripline::preview::open_jpeg(output_.path(), width_px_,
                                                      height_px_, dpi, quality_)
                        : ripline::preview::open_png(output_.path(), width_px_,
                                                     height_px_, dpi);
    }

    void write_band(const rl_driver_band& band)
    {
        for (int r = 0; r < band.rows; ++r) {
            add_row(band, r);
            if (++rows_in_box_ == scale_)
                emit_row();
        }
    }

    void end_sheet()
    {
        if (rows_in_box_ > 0)
            emit_row();
        while (rows_px_ < height_px_)
            emit_row(); // rows never sent are paper
        writer_->finish();
        writer_.reset();
        output_.commit();
    }

    void end_job() {}

private:
    // The ink's colour: the device's ink_color.<name>, else a known ink.
    Rgb colour_of(const std::string& name) const
    {
        std::string key = "ink_color." + name;
        std::string given = host_.option(key.c_str(), "");
        Rgb rgb{0.6, 0.6, 0.6};
        if (!given.empty()) {
            if (!parse_hex_colour(given, rgb))
                throw std::runtime_error("option " + key + ": '" + given +
                                         "' is not #rrggbb");
            return rgb;
        }
        std::string wanted = "|" + lower(name) + "|";
        for (const KnownInk& ink : known_inks)
            if (("|" + std::string(ink.names) + "|").find(wanted) !=
                std::string::npos)
                return ink.rgb;
        host_.warning("ink '" + name +
                      "' has no known colour; shown grey "
                      "(set ink_color." +
                      name + ")");
        return rgb;
    }

    // Add row R's coverage (0..1 per dot) to the boxes of the pixel row.
    void add_row(const rl_driver_band& band, int r)
    {
        int bits = job_.bits_per_dot;
        double full = bits == 8 ? 255.0 : double((1 << bits) - 1);
        for (size_t ink = 0; ink < colours_.size(); ++ink) {
            const uint8_t* row = ripline::sdk::band_row(band, int(ink), r);
            double* sums = sums_.data() + ink * size_t(width_px_);
            for (int x = 0; x < sheet_.width_dots; ++x)
                sums[x / scale_] +=
                    ripline::sdk::dot_value(row, x, bits) / full;
        }
    }

    // Turn the boxes into one RGB row and encode it.
    void emit_row()
    {
        int rows = std::max(rows_in_box_, 1);
        for (int px = 0; px < width_px_; ++px) {
            int cols = std::min(scale_, sheet_.width_dots - px * scale_);
            double area = double(rows) * double(std::max(cols, 1));
            Rgb light{1.0, 1.0, 1.0};
            for (size_t ink = 0; ink < colours_.size(); ++ink) {
                double& sum = sums_[ink * size_t(width_px_) + size_t(px)];
                double coverage = std::min(1.0, sum / area);
                sum = 0;
                for (int c = 0; c < 3; ++c)
                    light[size_t(c)] *=
                        1.0 - coverage * (1.0 - colours_[ink][size_t(c)]);
            }
            for (int c = 0; c < 3; ++c)
                rgb_[size_t(px) * 3 + size_t(c)] =
                    uint8_t(std::lround(light[size_t(c)] * 255.0));
        }
        if (rows_px_ < height_px_)
            writer_->write_row(rgb_.data());
        ++rows_px_;
        rows_in_box_ = 0;
    }

    Host host_;
    const rl_driver_job_info& job_;
    bool jpeg_ = false;
    int max_size_px_ = 512;
    int quality_ = 85;
    std::vector<Rgb> colours_;
    std::string base_name_;
    rl_driver_sheet sheet_{};
    int scale_ = 1, width_px_ = 0, height_px_ = 0;
    int rows_in_box_ = 0, rows_px_ = 0;
    std::vector<double> sums_;
    std::vector<uint8_t> rgb_;
    ripline::sdk::Output output_;
    std::unique_ptr<ripline::preview::ImageWriter> writer_;
};

} // namespace

extern "C" RL_DRIVER_EXPORT const rl_driver* rl_driver_entry(void)
{
    static const rl_driver table = [] {
        rl_driver t = ripline::sdk::driver_table<PreviewSession>();
        t.id = "preview";
        t.description = "RGB PNG or JPEG thumbnail of each sheet";
        t.version = "1.0.0";
        t.kind = RL_DRIVER_PRINTER;
        t.bit_depths = (1u << 1) | (1u << 2) | (1u << 8);
        t.options = preview_options;
        t.option_count = int(std::size(preview_options));
        return t;
    }();
    return &table;
}
