// SPDX-License-Identifier: AGPL-3.0-or-later
// Print & cut: a CutContour spot is read as cut paths in sheet dots, is
// never printed, and reaches the hpgl driver's file on the PDF's geometry.
#include "core/raster/cut_paths.hpp"
#include "tests/pipeline/render_fixture.hpp"
#include "tests/support/pdf_writer.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
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

TEST_CASE("a driver that crashes fails the render; the caller renders on")
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
