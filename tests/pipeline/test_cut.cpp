// SPDX-License-Identifier: AGPL-3.0-or-later
// Print & cut: a CutContour spot is read as cut paths in sheet dots, is
// never printed, and reaches the hpgl driver's file on the PDF's geometry.
#include "core/raster/cut_paths.hpp"
#include "tests/pipeline/render_fixture.hpp"
#include "tests/support/pdf_writer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

using namespace ripline;
using namespace ripline::test;
namespace fs = std::filesystem;

namespace {

// The page: 144 x 144 pt of CMYK artwork; in CutContour a rectangle
// (20, 30)-(80, 70) and a circle of radius 20 about (100, 100); a line
// in another spot, Spot1, that is printed. PDF coordinates, y up.
constexpr double page_pt = 144;
constexpr double circle_x = 100, circle_y = 100, circle_r = 20;
const std::array<std::array<double, 2>, 4> rect_pt = {
    {{20, 30}, {80, 30}, {80, 70}, {20, 70}}};

void write_cut_pdf(const fs::path& file)
{
    const std::string spot =
        "/DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] "
        "/C1 [0 1 0 0] /N 1 >>]";
    const std::string resources =
        "<< /ColorSpace << /CS1 [/Separation /CutContour " + spot +
        " /CS2 [/Separation /Spot1 " + spot + " >> >>";
    // A circle as four Béziers, k = 0.5523 r.
    const std::string circle =
        "120 100 m 120 111.046 111.046 120 100 120 c "
        "88.954 120 80 111.046 80 100 c 80 88.954 88.954 80 100 80 c "
        "111.046 80 120 88.954 120 100 c h S ";
    PdfWriter pdf;
    pdf.add_page(page_pt, page_pt,
                 "q 0.2 0.4 0.6 0.1 k 0 0 144 144 re f Q "
                 "q /CS1 CS 1 SCN 2 w 20 30 60 40 re S " + circle + "Q "
                 "q /CS2 CS 1 SCN 2 w 10 10 m 50 50 l S Q",
                 resources);
    pdf.write(file);
}

double distance(double x0, double y0, double x1, double y1)
{
    return std::hypot(x1 - x0, y1 - y0);
}

// A pen-down stroke of an HP-GL/2 file, in plotter units.
using Stroke = std::vector<std::array<double, 2>>;

// The PU/PD moves of the HP-GL/2 subset the hpgl driver writes.
std::vector<Stroke> read_strokes(const std::string& text)
{
    std::vector<Stroke> strokes;
    std::array<double, 2> at{};
    bool down = false;
    std::stringstream in(text);
    for (std::string command; std::getline(in, command, ';');) {
        while (!command.empty() && std::isspace(uint8_t(command[0])))
            command.erase(0, 1);
        if (command.size() < 2)
            continue;
        const std::string name = command.substr(0, 2);
        std::vector<double> numbers;
        std::stringstream list(command.substr(2));
        for (std::string item; std::getline(list, item, ',');)
            numbers.push_back(std::stod(item));
        if (name == "PU") {
            down = false;
            if (numbers.size() >= 2)
                at = {numbers[0], numbers[1]};
        } else if (name == "PD") {
            if (!down)
                strokes.push_back({at});
            down = true;
            for (size_t i = 0; i + 1 < numbers.size(); i += 2) {
                at = {numbers[i], numbers[i + 1]};
                strokes.back().push_back(at);
            }
        }
    }
    return strokes;
}

}  // namespace

TEST_CASE("cut paths come out in sheet dots through the placement")
{
    RenderFixture f;
    const fs::path file = f.dir() / "cut.pdf";
    write_cut_pdf(file);

    Log log;
    document::Mupdf mupdf(log, 64u << 20);
    document::Document doc(mupdf, file);
    // Page space is y down from the top; the sheet scales by 2 and moves
    // the page to (10, 20) dots.
    const fz_matrix m = {2, 0, 0, 2, 10, 20};
    auto dots = [&](double x_pt, double y_pt) {
        return std::array<double, 2>{m.a * x_pt + m.e,
                                     m.d * (page_pt - y_pt) + m.f};
    };
    raster::SheetPlacement placement;
    placement.document = &doc;
    placement.page_to_sheet = m;
    placement.clip = {0, 0, 400, 400};

    fz_context* ctx = mupdf.clone();
    std::vector<raster::CutPath> cuts;
    try {
        cuts = raster::collect_cut_paths(ctx, {placement},
                                         {"cutcontour", "Thru-cut"}, 0.05);
    } catch (...) {
        fz_drop_context(ctx);
        throw;
    }
    fz_drop_context(ctx);

    // The rectangle, then the circle; the Spot1 line is not a cut.
    REQUIRE(cuts.size() == 2);
    const raster::CutPath& rect = cuts[0];
    CHECK(rect.name == "CutContour");
    CHECK(rect.closed);
    REQUIRE(rect.points_dots.size() == 4);
    for (size_t i = 0; i < 4; i++) {
        const auto want = dots(rect_pt[i][0], rect_pt[i][1]);
        INFO("corner " << i << ": " << rect.points_dots[i].first << ", "
                       << rect.points_dots[i].second);
        CHECK(distance(rect.points_dots[i].first, rect.points_dots[i].second,
                       want[0], want[1]) <= 1);
    }

    // Every vertex and every chord's middle lies on the circle.
    const raster::CutPath& circle = cuts[1];
    CHECK(circle.closed);
    CHECK(circle.points_dots.size() > 16);
    const auto centre = dots(circle_x, circle_y);
    const double r_dots = circle_r * m.a;
    const auto first = dots(circle_x + circle_r, circle_y);
    CHECK(distance(circle.points_dots[0].first, circle.points_dots[0].second,
                   first[0], first[1]) <= 1);
    const auto& pts = circle.points_dots;
    for (size_t i = 0; i < pts.size(); i++) {
        const auto& a = pts[i];
        const auto& b = pts[(i + 1) % pts.size()];
        CHECK(std::abs(distance(a.first, a.second, centre[0], centre[1]) -
                       r_dots) <= 1);
        CHECK(std::abs(distance((a.first + b.first) / 2,
                                (a.second + b.second) / 2, centre[0],
                                centre[1]) -
                       r_dots) <= 0.1);
    }
}

TEST_CASE("the contone print has no ink on the cut contour")
{
    RenderFixture f;
    const fs::path file = f.dir() / "cut.pdf";
    write_cut_pdf(file);
    const fs::path out = f.dir() / "out";
    const rl_status status = f.render(file, f.device(50.8, 50.8, 72), out,
                                      {{"contone", "1"}});
    INFO(f.last_error());
    REQUIRE(status == RL_OK);
    std::array<TiffPlane, 4> planes;
    const char* inks[] = {"C", "M", "Y", "K"};
    for (int i = 0; i < 4; i++)
        planes[i] = f.plane(out, 1, inks[i]);

    // The artwork, unchanged under the 2 pt strokes of the rectangle's
    // left and bottom edges and of the circle's right and top.
    const int artwork[] = {51, 102, 153, 26};
    const int on_contour[][2] = {{19, 94}, {20, 94}, {50, 113}, {50, 114},
                                 {119, 44}, {120, 44}, {100, 23}, {100, 24}};
    for (const auto& p : on_contour)
        for (int i = 0; i < 4; i++) {
            INFO("dot " << p[0] << ", " << p[1] << " ink " << inks[i]);
            CHECK(std::abs(planes[i].at(p[0], p[1]) - artwork[i]) <= 1);
        }

    // The test can tell: the same spot under another name is printed.
    CHECK(planes[1].at(30, 113) == 255);
    CHECK(planes[0].at(30, 113) == 0);
}

TEST_CASE("the hpgl driver gets the cut contour in plotter units")
{
    RenderFixture f;
    const fs::path file = f.dir() / "cut.pdf";
    write_cut_pdf(file);
    const fs::path out = f.dir() / "out";
    const fs::path device =
        f.device(50.8, 50.8, 72, "hpgl", R"({"order": "none"})");
    const rl_status status = f.render(file, device, out, {{"contone", "1"}});
    INFO(f.last_error());
    REQUIRE(status == RL_OK);

    std::string plt;
    for (const std::string& name : list_files(out))
        if (name.ends_with("_s001.plt"))
            plt = read_bytes(out / name);
    INFO(plt);
    REQUIRE(!plt.empty());
    const std::vector<Stroke> strokes = read_strokes(plt);
    REQUIRE(strokes.size() == 2);

    // 40 units a mm, y up from the media's bottom edge: PDF's own frame.
    const double units_per_pt = 40 * 25.4 / 72;
    auto units = [&](double x_pt, double y_pt) {
        return std::array<double, 2>{x_pt * units_per_pt,
                                     y_pt * units_per_pt};
    };

    // The rectangle, closed exactly.
    const Stroke& rect = strokes[0];
    REQUIRE(rect.size() == 5);
    for (size_t i = 0; i < 5; i++) {
        const auto want = units(rect_pt[i % 4][0], rect_pt[i % 4][1]);
        INFO("point " << i << ": " << rect[i][0] << ", " << rect[i][1]);
        CHECK(std::abs(rect[i][0] - want[0]) <= 1);
        CHECK(std::abs(rect[i][1] - want[1]) <= 1);
    }

    // The circle: closed exactly, its points within one unit of the
    // curve; its chords within the render's 0.4 units (0.01 mm) plus the
    // rounding of their ends.
    const Stroke& circle = strokes[1];
    REQUIRE(circle.size() > 16);
    CHECK(circle.front() == circle.back());
    const auto centre = units(circle_x, circle_y);
    const double r_units = circle_r * units_per_pt;
    for (size_t i = 0; i + 1 < circle.size(); i++) {
        const auto& a = circle[i];
        const auto& b = circle[i + 1];
        CHECK(std::abs(distance(a[0], a[1], centre[0], centre[1]) -
                       r_units) <= 1);
        CHECK(std::abs(distance((a[0] + b[0]) / 2, (a[1] + b[1]) / 2,
                                centre[0], centre[1]) -
                       r_units) <= 1.2);
    }
}

TEST_CASE("a driver that crashes fails the render and the caller renders on")
{
    RenderFixture f;
    const fs::path file = f.dir() / "cut.pdf";
    write_cut_pdf(file);
    const fs::path out = f.dir() / "out";

    // The crash driver raises SIGSEGV in its first write_band.
    rl_status status = f.render(file, f.device(50.8, 50.8, 72, "crash", "{}"),
                                out);
    CHECK(status == RL_ERROR_DRIVER);
    CHECK_THAT(f.last_error(),
               Catch::StartsWith("driver: crash: the driver process crashed "
                                 "with signal 11 (Segmentation fault) in "
                                 "write_band of sheet 1"));
    for (const std::string& name : list_files(out))
        CHECK(name[0] != '.');

    // An error a driver returns is its own sentence.
    status = f.render(file,
                      f.device(50.8, 50.8, 72, "fail",
                               R"({"fail_at": "end_sheet"})"),
                      out);
    CHECK(status == RL_ERROR_DRIVER);
    CHECK(f.last_error() == "driver: fail: failed at end_sheet on purpose");

    // The same context renders the next job.
    status = f.render(file, f.device(50.8, 50.8, 72), out);
    INFO(f.last_error());
    CHECK(status == RL_OK);
}

// ---- print & cut: registration marks, routing -------------------------

namespace {

// The page: a cyan square (20, 30)-(80, 70) pt, and a CutContour
// rectangle on its edges, hairline. The print shows the square, never
// the contour; the cut file has the contour.
void write_registration_pdf(const fs::path& file)
{
    const std::string resources =
        "<< /ColorSpace << /CS1 [/Separation /CutContour /DeviceCMYK "
        "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 1 0 0] "
        "/N 1 >>] >> >>";
    PdfWriter pdf;
    pdf.add_page(page_pt, page_pt,
                 "q 1 0 0 0 k 20 30 60 40 re f Q "
                 "q /CS1 CS 1 SCN 0.1 w 20 30 60 40 re S Q",
                 resources);
    pdf.write(file);
}

// Add "cut" settings (JSON) to a device file the fixture wrote, and a
// connection.
void set_cut(const fs::path& device, const std::string& cut_json)
{
    std::string text = read_bytes(device);
    const size_t brace = text.rfind('}');
    text.insert(brace, ", \"cut\": " + cut_json);
    std::ofstream(device) << text;
}

// A cutter device beside DEVICE: the hpgl driver, id ID.
fs::path write_cutter(const fs::path& beside, const std::string& id)
{
    const fs::path file = beside.parent_path() / (id + ".json");
    std::string text = read_bytes(beside);
    // Same media and mode; another id and driver.
    const size_t id_at = text.find("\"id\"");
    const size_t id_end = text.find(',', id_at);
    text.replace(id_at, id_end - id_at, "\"id\": \"" + id + "\"");
    const size_t drv = text.find("\"driver\"");
    const size_t drv_end = text.find(',', drv);
    text.replace(drv, drv_end - drv, "\"driver\": \"hpgl\"");
    const size_t opts = text.find("\"driver_options\"");
    if (opts != std::string::npos) {
        const size_t opts_end = text.find('}', opts);
        text.replace(opts, opts_end + 1 - opts,
                     "\"driver_options\": {\"order\": \"none\"}");
    }
    std::ofstream(file) << text;
    return file;
}

struct Blob {
    double x = 0, y = 0; // centre, dots (pixel centres at +0.5)
    int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
    long count = 0;
};

// The 8-connected blobs of PLANE above half ink.
std::vector<Blob> blobs(const TiffPlane& plane)
{
    std::vector<int> seen(plane.values.size(), 0);
    std::vector<Blob> found;
    for (uint32_t start = 0; start < plane.values.size(); start++) {
        if (seen[start] || plane.values[start] < 128)
            continue;
        Blob b;
        std::vector<uint32_t> stack{start};
        seen[start] = 1;
        while (!stack.empty()) {
            const uint32_t at = stack.back();
            stack.pop_back();
            const int x = int(at % plane.width), y = int(at / plane.width);
            b.x += x + 0.5, b.y += y + 0.5, b.count++;
            b.x0 = std::min(b.x0, x), b.y0 = std::min(b.y0, y);
            b.x1 = std::max(b.x1, x), b.y1 = std::max(b.y1, y);
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    const int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= int(plane.width) ||
                        ny >= int(plane.height))
                        continue;
                    const uint32_t n = uint32_t(ny) * plane.width + nx;
                    if (!seen[n] && plane.values[n] >= 128) {
                        seen[n] = 1;
                        stack.push_back(n);
                    }
                }
        }
        b.x /= double(b.count), b.y /= double(b.count);
        found.push_back(b);
    }
    return found;
}

std::string only_file(const fs::path& dir, const std::string& suffix)
{
    for (const std::string& name : list_files(dir))
        if (name.ends_with(suffix))
            return read_bytes(dir / name);
    return {};
}

}  // namespace

TEST_CASE("print & cut: the print has the marks and the artwork, the cut "
          "file the contour, in the frame of the same marks")
{
    const char* family = GENERATE("squares", "discs");
    INFO("marks: " << family);
    RenderFixture f;
    const fs::path file = f.dir() / "registration.pdf";
    write_registration_pdf(file);
    const double dpi = 200;
    const fs::path device = f.device(110, 100, dpi);
    set_cut(device, std::string(R"({"marks": ")") + family +
                        R"(", "mark_size_mm": 5, "mark_offset_mm": 4,
                          "cutter": "test-cutter", "names": ["cutcontour"]})");
    write_cutter(device, "test-cutter");
    const fs::path out = f.dir() / "print", cut_out = f.dir() / "cut";
    const rl_status status =
        f.render(file, device, out,
                 {{"contone", "1"}, {"cutter_output", cut_out.string()}});
    INFO(f.last_error());
    REQUIRE(status == RL_OK);

    // The print: cyan artwork, no contour (it is magenta: M stays empty),
    // and four marks in K, 5 mm across.
    const TiffPlane cyan = f.plane(out, 1, "C");
    const TiffPlane magenta = f.plane(out, 1, "M");
    const TiffPlane black = f.plane(out, 1, "K");
    CHECK(magenta.coverage() == 0);
    const std::vector<Blob> art = blobs(cyan);
    REQUIRE(art.size() == 1);
    std::vector<Blob> marks;
    const double mark_dots = 5 / 25.4 * dpi;
    for (const Blob& b : blobs(black))
        if (std::abs(b.x1 - b.x0 + 1 - mark_dots) <= 2 &&
            std::abs(b.y1 - b.y0 + 1 - mark_dots) <= 2)
            marks.push_back(b);
    REQUIRE(marks.size() == 4);
    const Blob origin = *std::min_element(
        marks.begin(), marks.end(), [](const Blob& a, const Blob& b) {
            return a.x - a.y < b.x - b.y; // the bottom-left one
        });

    // The cut file: the contour, in plotter units from the bottom-left
    // mark's centre, y up. The artwork's corners, measured in the print
    // from the same mark, land on it within a dot and a unit.
    const std::string plt = only_file(cut_out, "_s001.plt");
    REQUIRE(!plt.empty());
    const std::vector<Stroke> strokes = read_strokes(plt);
    REQUIRE(strokes.size() == 1);
    REQUIRE(strokes[0].size() == 5);
    const double units_per_dot = 40 * 25.4 / dpi;
    const std::array<std::array<double, 2>, 4> corners = {
        {{double(art[0].x0), double(art[0].y1 + 1)},
         {double(art[0].x1 + 1), double(art[0].y1 + 1)},
         {double(art[0].x1 + 1), double(art[0].y0)},
         {double(art[0].x0), double(art[0].y0)}}};
    for (const auto& corner : corners) {
        const double u = (corner[0] - origin.x) * units_per_dot;
        const double v = (origin.y - corner[1]) * units_per_dot;
        double best = 1e9;
        for (const auto& p : strokes[0])
            best = std::min(best, distance(p[0], p[1], u, v));
        INFO("corner at " << u << ", " << v << " units");
        CHECK(best <= units_per_dot + 1);
    }
}

TEST_CASE("routing: print only, cut only and print & cut")
{
    RenderFixture f;
    const fs::path file = f.dir() / "registration.pdf";
    write_registration_pdf(file);
    const fs::path device = f.device(110, 100, 72);
    set_cut(device, R"({"marks": "corners", "cutter": "routing-cutter"})");
    write_cutter(device, "routing-cutter");
    auto run = [&](const char* mode, const fs::path& out,
                   const fs::path& cut_out) {
        std::map<std::string, std::string> options{
            {"contone", "1"}, {"cutter_output", cut_out.string()}};
        if (*mode)
            options["mode"] = mode;
        return f.render(file, device, out, options);
    };

    // Print only: the print, no marks (K is empty), no cut file.
    REQUIRE(run("print", f.dir() / "p1", f.dir() / "c1") == RL_OK);
    CHECK(f.plane(f.dir() / "p1", 1, "K").coverage() == 0);
    CHECK(list_files(f.dir() / "c1").empty());

    // Cut only: the cut file and nothing printed.
    rl_render_stats stats{};
    stats.size = sizeof stats;
    REQUIRE(f.render(file, device, f.dir() / "p2",
                     {{"mode", "cut"},
                      {"cutter_output", (f.dir() / "c2").string()}},
                     &stats) == RL_OK);
    CHECK(list_files(f.dir() / "p2").empty());
    CHECK(stats.sheets == 1);
    CHECK(stats.dots == 0);
    const std::string cut_only = only_file(f.dir() / "c2", "_s001.plt");
    CHECK(read_strokes(cut_only).size() == 1);

    // Print & cut (the device's default, as it names a cutter): the
    // print with its L marks, and the same cut file as cut only.
    REQUIRE(run("", f.dir() / "p3", f.dir() / "c3") == RL_OK);
    CHECK(f.plane(f.dir() / "p3", 1, "K").coverage() > 0);
    CHECK(only_file(f.dir() / "c3", "_s001.plt") == cut_only);
}

TEST_CASE("routing: one printer-cutter takes bands and cuts, and a device that "
          "cannot do the mode says so")
{
    RenderFixture f;
    const fs::path file = f.dir() / "registration.pdf";
    write_registration_pdf(file);

    // The fail driver prints and cuts; it logs "cuts N" per sheet.
    const fs::path both = f.device(110, 100, 72, "fail", "{}");
    set_cut(both, R"({"marks": "discs"})");
    const fs::path out = f.dir() / "both";
    REQUIRE(f.render(file, both, out, {{"contone", "1"}}) == RL_OK);
    const std::string sheet = read_bytes(out / "sheet0.txt");
    CHECK_THAT(sheet, Catch::Contains("band 0") && Catch::Contains("cuts 1"));

    // A printer that names no cutter cannot cut.
    const fs::path printer = f.device(110, 100, 72);
    CHECK(f.render(file, printer, f.dir() / "x", {{"mode", "cut"}}) ==
          RL_ERROR_UNSUPPORTED);
    CHECK_THAT(f.last_error(), Catch::Contains("cannot cut: driver tiff is "
                                               "not a cutter"));

    // A cutter cannot print.
    const fs::path cutter = f.device(110, 100, 72, "hpgl", "{}");
    CHECK(f.render(file, cutter, f.dir() / "y", {{"mode", "print"}}) ==
          RL_ERROR_UNSUPPORTED);
    CHECK_THAT(f.last_error(), Catch::Contains("cannot print"));

    // A cutter that is not there, and a bad mode.
    set_cut(printer, R"({"cutter": "nowhere"})");
    CHECK(f.render(file, printer, f.dir() / "z") == RL_ERROR_NOT_FOUND);
    CHECK_THAT(f.last_error(), Catch::Contains("nowhere"));
    CHECK(f.render(file, cutter, f.dir() / "w", {{"mode", "both"}}) ==
          RL_ERROR_INVALID_ARGUMENT);
}

TEST_CASE("the printed barcode reads back as the job id in zbarimg")
{
    if (std::system("command -v zbarimg > /dev/null 2>&1") != 0) {
        WARN("zbarimg (zbar-tools) is not installed: check skipped");
        return;
    }
    RenderFixture f;
    const fs::path file = f.dir() / "registration.pdf";
    write_registration_pdf(file);
    const fs::path device = f.device(230, 100, 150);
    set_cut(device, R"({"marks": "squares", "barcode": true,
                        "mode": "print-and-cut", "cutter": "bar-cutter"})");
    write_cutter(device, "bar-cutter");
    const fs::path out = f.dir() / "print";
    REQUIRE(f.render(file, device, out,
                     {{"cutter_output", (f.dir() / "cut").string()}}) ==
            RL_OK);

    // The job id, as the tiff driver writes it in ImageDescription.
    fs::path k;
    for (const std::string& name : list_files(out))
        if (name.ends_with("_s001_K.tif"))
            k = out / name;
    const std::string tiff = read_bytes(k);
    const size_t open = tiff.find('(', tiff.find("ripline job "));
    const std::string id = tiff.substr(open + 1, 36);
    std::string upper = id;
    for (char& c : upper)
        c = char(std::toupper(static_cast<unsigned char>(c)));

    // zbarimg reads the screened 1-bit K plane.
    const fs::path text = f.dir() / "barcode.txt";
    const std::string command = "zbarimg -q --raw '" + k.string() + "' > '" +
                                text.string() + "' 2> /dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
    std::string read = read_bytes(text);
    while (!read.empty() && std::isspace(uint8_t(read.back())))
        read.pop_back();
    CHECK(read == upper);
}

TEST_CASE("routing: a ticket's Print and Cut choose the mode")
{
    RenderFixture f;
    const fs::path file = f.dir() / "registration.pdf";
    write_registration_pdf(file);
    const fs::path device = f.device(110, 100, 72);
    set_cut(device, R"({"marks": "discs", "cutter": "ticket-cutter"})");
    write_cutter(device, "ticket-cutter");
    auto ticket = [&](const char* print, const char* cut) {
        const fs::path job = f.dir() / "ticket.xml";
        std::ofstream(job) << R"(<?xml version="1.0"?>
<Job Version="2"><JobGUID>3f2504e0-4f89-41d3-9a0c-0305e82c3301</JobGUID>
<Name>ticket</Name><Print>)" << print << "</Print><Cut>" << cut
                           << "</Cut><PDFJob><InputJobs><FilePath>"
                           << file.string()
                           << "</FilePath></InputJobs></PDFJob></Job>";
        return job;
    };
    auto run = [&](const fs::path& job, const char* tag) {
        return f.render(job, device, f.dir() / (std::string("p") + tag),
                        {{"cutter_output",
                          (f.dir() / (std::string("c") + tag)).string()}});
    };

    // Cut only: a cut file, no print.
    REQUIRE(run(ticket("false", "true"), "1") == RL_OK);
    CHECK(list_files(f.dir() / "p1").empty());
    CHECK(list_files(f.dir() / "c1").size() == 1);

    // Print only, although the device names a cutter.
    REQUIRE(run(ticket("true", "false"), "2") == RL_OK);
    CHECK(list_files(f.dir() / "p2").size() == 4);
    CHECK(list_files(f.dir() / "c2").empty());

    // Print & cut on a printer without a cutter prints, with a warning.
    const fs::path printer = f.device(110, 100, 72);
    REQUIRE(f.render(ticket("true", "true"), printer, f.dir() / "p4") ==
            RL_OK);
    CHECK(list_files(f.dir() / "p4").size() == 4);

    // Neither is an error naming the ticket.
    CHECK(run(ticket("false", "false"), "3") == RL_ERROR_BAD_INPUT);
    CHECK_THAT(f.last_error(), Catch::Contains("ticket.xml") &&
                                   Catch::Contains("Print and Cut are both "
                                                   "false"));
}
