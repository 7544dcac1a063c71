// SPDX-License-Identifier: AGPL-3.0-or-later
// Drawing a layout preview into an RGB picture, and writing it as PNG.
#include "core/impose/preview.hpp"

#include "core/common/error.hpp"
#include "core/impose/detail.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <png.h>

namespace ripline::impose {

namespace {

struct Rgb {
    std::uint8_t r, g, b;
};

constexpr int gap_px = 12; // grey between stacked sheets
const Rgb background{128, 128, 128};
const Rgb media_white{255, 255, 255};
const Rgb trim_line{20, 20, 20};
const Rgb bleed_line{90, 160, 220};

// Light tints told apart at a glance, one per input.
Rgb tint(int input)
{
    static const Rgb tints[] = {{255, 224, 178}, {200, 230, 201},
                                {187, 222, 251}, {248, 187, 208},
                                {225, 190, 231}, {255, 249, 196}};
    return tints[input % 6];
}

Rgb rgb_from(const Cmyk& c)
{
    auto channel = [&](float ink) {
        double v = 255 * (1 - std::min(1.0f, ink)) * (1 - std::min(1.0f, c.k));
        return static_cast<std::uint8_t>(std::lround(v));
    };
    return {channel(c.c), channel(c.m), channel(c.y)};
}

class Canvas {
public:
    Canvas(Picture& p) : p_(p) {}

    void fill(double x0, double y0, double x1, double y1, Rgb c)
    {
        int ix0 = clamp_x(std::floor(x0)), ix1 = clamp_x(std::ceil(x1));
        int iy0 = clamp_y(std::floor(y0)), iy1 = clamp_y(std::ceil(y1));
        for (int y = iy0; y < iy1; ++y)
            for (int x = ix0; x < ix1; ++x)
                set(x, y, c);
    }

    // A box outline one pixel wide.
    void outline(double x0, double y0, double x1, double y1, Rgb c)
    {
        fill(x0, y0, x1, y0 + 1, c);
        fill(x0, y1 - 1, x1, y1, c);
        fill(x0, y0, x0 + 1, y1, c);
        fill(x1 - 1, y0, x1, y1, c);
    }

    void line(double x0, double y0, double x1, double y1, double width, Rgb c)
    {
        int steps = static_cast<int>(std::ceil(
                        std::max(std::abs(x1 - x0), std::abs(y1 - y0)))) +
                    1;
        double half = std::max(0.5, width / 2);
        for (int i = 0; i <= steps; ++i) {
            double t = double(i) / steps;
            double x = x0 + (x1 - x0) * t, y = y0 + (y1 - y0) * t;
            fill(x - half, y - half, x + half, y + half, c);
        }
    }

    void disc(double cx, double cy, double r, Rgb c)
    {
        r = std::max(r, 1.0);
        for (int y = clamp_y(cy - r); y < clamp_y(cy + r + 1); ++y)
            for (int x = clamp_x(cx - r); x < clamp_x(cx + r + 1); ++x)
                if ((x + 0.5 - cx) * (x + 0.5 - cx) +
                        (y + 0.5 - cy) * (y + 0.5 - cy) <=
                    r * r)
                    set(x, y, c);
    }

private:
    int clamp_x(double x) const
    {
        return static_cast<int>(std::clamp(x, 0.0, double(p_.width)));
    }
    int clamp_y(double y) const
    {
        return static_cast<int>(std::clamp(y, 0.0, double(p_.height)));
    }
    void set(int x, int y, Rgb c)
    {
        std::uint8_t* px = &p_.rgb[(std::size_t(y) * p_.width + x) * 3];
        px[0] = c.r, px[1] = c.g, px[2] = c.b;
    }

    Picture& p_;
};

// Where a sheet lands in the picture: scale and offset.
struct View {
    double scale, left, top;
    double x(double dots) const { return left + dots * scale; }
    double y(double dots) const { return top + dots * scale; }
};

// The trim corner nearest to where the page's own top-left landed.
detail::PointD page_corner(const Placement& p)
{
    const RectD& t = p.trim_dots;
    detail::PointD origin = detail::apply(p.page_to_sheet, 0, 0);
    detail::PointD best{t.x0, t.y0};
    double nearest = 1e300;
    for (double x : {t.x0, t.x1})
        for (double y : {t.y0, t.y1}) {
            double d = std::hypot(x - origin.x, y - origin.y);
            if (d < nearest)
                nearest = d, best = {x, y};
        }
    return best;
}

void draw_placement(Canvas& canvas, const Placement& p, const View& v)
{
    const RectD& t = p.trim_dots;
    const RectD& b = p.clip_dots;
    canvas.fill(v.x(b.x0), v.y(b.y0), v.x(b.x1), v.y(b.y1), tint(p.input));
    if (b.x0 < t.x0 || b.y0 < t.y0)
        canvas.outline(v.x(b.x0), v.y(b.y0), v.x(b.x1), v.y(b.y1), bleed_line);
    canvas.outline(v.x(t.x0), v.y(t.y0), v.x(t.x1), v.y(t.y1), trim_line);

    // A tab in the corner where the page's top-left landed.
    detail::PointD c = page_corner(p);
    double tab = std::max(3.0, std::min(t.width(), t.height()) * v.scale / 8);
    double dx = c.x == t.x0 ? tab : -tab, dy = c.y == t.y0 ? tab : -tab;
    double x = v.x(c.x), y = v.y(c.y);
    canvas.fill(std::min(x, x + dx), std::min(y, y + dy), std::max(x, x + dx),
                std::max(y, y + dy), trim_line);
}

void draw_mark(Canvas& canvas, const Mark& m, const View& v)
{
    Rgb c = rgb_from(m.color);
    switch (m.kind) {
    case Mark::Kind::line:
        canvas.line(v.x(m.x0), v.y(m.y0), v.x(m.x1), v.y(m.y1),
                    m.stroke_dots * v.scale, c);
        break;
    case Mark::Kind::rect:
        canvas.fill(v.x(m.x0), v.y(m.y0), v.x(m.x1), v.y(m.y1), c);
        break;
    case Mark::Kind::disc:
        canvas.disc(v.x(m.x0), v.y(m.y0), m.x1 * v.scale, c);
        break;
    case Mark::Kind::text: {
        // No font here: a bar as long as the text would be.
        double h = std::max(1.0, m.text_dots * v.scale);
        double w = m.text.size() * m.text_dots * 0.6 * v.scale;
        canvas.fill(v.x(m.x0), v.y(m.y0) - h, v.x(m.x0) + w,
                    v.y(m.y0) - h * 0.4, {110, 110, 110});
        break;
    }
    }
}

} // namespace

Picture draw_preview(const std::vector<Sheet>& sheets, int width_px,
                     int max_height_px)
{
    double widest = 1, total = 0;
    for (const Sheet& sheet : sheets) {
        widest = std::max(widest, double(sheet.width_dots));
        total += sheet.height_dots;
    }
    double s = width_px / widest;
    double room = max_height_px - gap_px * (double(sheets.size()) + 1);
    if (total * s > room && total > 0)
        s = std::max(room, 1.0) / total;

    Picture picture;
    picture.width = std::max(1, int(std::ceil(widest * s)) + 2 * gap_px);
    picture.height =
        int(std::ceil(total * s)) + gap_px * (int(sheets.size()) + 1);
    picture.rgb.assign(std::size_t(picture.width) * picture.height * 3,
                       background.r);
    Canvas canvas(picture);
    View v{s, double(gap_px), double(gap_px)};
    for (const Sheet& sheet : sheets) {
        canvas.fill(v.x(0), v.y(0), v.x(sheet.width_dots),
                    v.y(sheet.height_dots), media_white);
        for (const Placement& p : sheet.placements)
            draw_placement(canvas, p, v);
        for (const Mark& m : sheet.marks)
            draw_mark(canvas, m, v);
        v.top += sheet.height_dots * s + gap_px;
    }
    return picture;
}

void write_png(const Picture& picture, const std::filesystem::path& path)
{
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"),
                                               std::fclose);
    if (!file)
        throw Error(RL_ERROR_IO, Stage::impose, "cannot write the preview",
                    path.string());
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr,
                                              nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw Error(RL_ERROR_IO, Stage::impose, "libpng failed writing",
                    path.string());
    }
    png_init_io(png, file.get());
    png_set_IHDR(png, info, picture.width, picture.height, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < picture.height; ++y)
        png_write_row(png, const_cast<png_bytep>(picture.at(0, y)));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    if (std::fflush(file.get()) != 0)
        throw Error(RL_ERROR_IO, Stage::impose, "cannot write the preview",
                    path.string());
}

} // namespace ripline::impose
