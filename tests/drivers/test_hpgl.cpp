// SPDX-License-Identifier: AGPL-3.0-or-later
// The hpgl driver: parsed back to the same polylines; hp2xx renders it.
#include "drivers/hpgl/hpgl_paths.hpp"
#include "tests/drivers/driver_fixture.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace ripline;
using namespace ripline::test;

namespace {

// One pen-down stroke as a cutter would move.
struct Stroke {
    int pen = 0;
    double speed = 0, force = 0;
    std::vector<hpgl::Point> points; // the PU point, then every PD point
};

// A reader for the HP-GL/2 subset the driver writes.
std::vector<Stroke> read_hpgl(const std::string& text)
{
    std::vector<Stroke> strokes;
    int pen = 0;
    double speed = 0, force = 0;
    hpgl::Point at;
    bool down = false;
    std::stringstream in(text);
    std::string command;
    while (std::getline(in, command, ';')) {
        while (!command.empty() && std::isspace(uint8_t(command[0])))
            command.erase(0, 1);
        if (command.size() < 2)
            continue;
        std::string name = command.substr(0, 2), args = command.substr(2);
        std::vector<long> numbers;
        std::stringstream list(args);
        for (std::string item; std::getline(list, item, ',');)
            numbers.push_back(std::lround(std::stod(item)));
        if (name == "SP")
            pen = int(numbers.at(0));
        else if (name == "VS")
            speed = std::stod(args);
        else if (name == "FS")
            force = std::stod(args);
        else if (name == "PU") {
            down = false;
            if (numbers.size() >= 2)
                at = {numbers[0], numbers[1]};
        } else if (name == "PD") {
            if (!down)
                strokes.push_back({pen, speed, force, {at}});
            down = true;
            for (size_t i = 0; i + 1 < numbers.size(); i += 2) {
                at = {numbers[i], numbers[i + 1]};
                strokes.back().points.push_back(at);
            }
        } else if (name != "IN" && name != "PA") {
            FAIL("unexpected command " << command);
        }
    }
    return strokes;
}

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A cut job of one sheet through the hpgl driver; returns the file text.
std::string cut(const std::vector<rl_driver_cut_path>& paths,
                std::map<std::string, std::string> options, const TempDir& out)
{
    const plugins::DriverModule* module = shipped_drivers().find("hpgl");
    REQUIRE(module != nullptr);
    CapturedLog log;
    JobSpec spec;
    spec.inks = {};
    spec.bits = 1;
    std::vector<const char*> names;
    rl_driver_job_info info = make_info(spec, names);
    plugins::DriverJob job(*module, out.path().string(), options, info,
                           log.log);
    rl_driver_sheet sheet{sizeof sheet, 0, 0, 0, 200.0, 100.0};
    sheet.width_dots = 2835;
    sheet.height_dots = 2835;
    job.begin_sheet(sheet);
    job.write_cuts(paths.data(), int(paths.size()));
    job.end_sheet();
    job.finish();
    return read_file(out.path() / "proof_s001.plt");
}

rl_driver_cut_path path_of(const std::vector<rl_driver_point>& points,
                           bool closed, const char* name = "CutContour")
{
    return {sizeof(rl_driver_cut_path), name, closed ? 1 : 0,
            int(points.size()), points.data()};
}

// PU of a point in mm from the top-left of a 100 mm tall sheet.
hpgl::Point units(rl_driver_point p)
{
    return {std::lround(p.x_mm * 40), std::lround((100.0 - p.y_mm) * 40)};
}

bool near(hpgl::Point a, hpgl::Point b)
{
    return std::labs(a.x - b.x) <= 1 && std::labs(a.y - b.y) <= 1;
}

} // namespace

TEST_CASE("hpgl: polylines come back within one plotter unit, closed exactly")
{
    std::vector<rl_driver_point> square = {
        {10, 10}, {50.01, 10}, {50.01, 40.3}, {10, 40.3}};
    std::vector<rl_driver_point> line = {{150, 80}, {180.5, 90.25}};
    std::vector<rl_driver_cut_path> paths = {path_of(square, true),
                                             path_of(line, false)};
    TempDir out("hpgl");
    std::vector<Stroke> strokes = read_hpgl(cut(paths, {}, out));
    REQUIRE(strokes.size() == 2);

    // The square: 4 corners + the start again, in the same turning order.
    const Stroke& ring = strokes[0];
    REQUIRE(ring.points.size() == 5);
    CHECK(ring.points.front() == ring.points.back());
    size_t start = 0;
    while (start < 4 && !near(ring.points[0], units(square[start])))
        ++start;
    REQUIRE(start < 4);
    for (size_t i = 0; i < 4; ++i)
        CHECK(near(ring.points[i], units(square[(start + i) % 4])));

    // The open line, in either direction.
    const Stroke& open = strokes[1];
    REQUIRE(open.points.size() == 2);
    bool forward = near(open.points[0], units(line[0])) &&
                   near(open.points[1], units(line[1]));
    bool backward = near(open.points[0], units(line[1])) &&
                    near(open.points[1], units(line[0]));
    CHECK((forward || backward));
}

TEST_CASE("hpgl: overcut runs on past the start along the first edge")
{
    std::vector<rl_driver_point> square = {{0, 0}, {20, 0}, {20, 20}, {0, 20}};
    std::vector<rl_driver_cut_path> paths = {path_of(square, true)};
    TempDir out("hpglover");
    std::vector<Stroke> strokes =
        read_hpgl(cut(paths, {{"overcut_mm", "1.5"}}, out));
    REQUIRE(strokes.size() == 1);
    const auto& p = strokes[0].points;
    REQUIRE(p.size() == 6);
    CHECK(p[4] == p[0]);
    double dx = double(p[5].x - p[4].x), dy = double(p[5].y - p[4].y);
    CHECK(std::hypot(dx, dy) == Approx(60).margin(1)); // 1.5 mm
    CHECK(std::labs(p[5].x - p[1].x) + std::labs(p[5].y - p[1].y) ==
          std::labs(p[1].x - p[4].x) + std::labs(p[1].y - p[4].y) - 60);
}

TEST_CASE("hpgl: tools, speed and force come from the device options")
{
    std::vector<rl_driver_point> a = {{0, 0}, {10, 0}, {10, 10}};
    std::vector<rl_driver_point> b = {{30, 0}, {40, 0}};
    std::vector<rl_driver_cut_path> paths = {path_of(a, true, "CutContour"),
                                             path_of(b, false, "crease")};
    TempDir out("hpgltools");
    std::map<std::string, std::string> options = {{"tool.Crease", "crease"},
                                                  {"pen.crease", "5"},
                                                  {"speed_cm_s", "30"},
                                                  {"force.knife", "120"},
                                                  {"force.crease", "300"}};
    std::vector<Stroke> strokes = read_hpgl(cut(paths, options, out));
    REQUIRE(strokes.size() == 2);
    CHECK(strokes[0].pen == 1); // pens in ascending order: knife first
    CHECK(strokes[0].force == 120);
    CHECK(strokes[1].pen == 5);
    CHECK(strokes[1].force == 300);
    CHECK(strokes[1].speed == 30);
}

TEST_CASE("hpgl: nearest ordering travels less than the given order")
{
    // A 6 x 6 grid of small squares in a scrambled order.
    std::vector<std::vector<rl_driver_point>> squares;
    std::mt19937 random(3);
    std::vector<int> cells(36);
    for (int i = 0; i < 36; ++i)
        cells[size_t(i)] = i;
    std::shuffle(cells.begin(), cells.end(), random);
    for (int cell : cells) {
        double x = (cell % 6) * 30.0 + 5, y = (cell / 6) * 15.0 + 5;
        squares.push_back({{x, y}, {x + 8, y}, {x + 8, y + 8}, {x, y + 8}});
    }
    std::vector<rl_driver_cut_path> paths;
    for (const auto& square : squares)
        paths.push_back(path_of(square, true));

    auto travel = [&](const char* order) {
        TempDir out("hpglorder");
        std::vector<hpgl::Path> plotted;
        for (const Stroke& s : read_hpgl(cut(paths, {{"order", order}}, out)))
            plotted.push_back({s.points, true, s.pen, false});
        CHECK(plotted.size() == 36);
        return hpgl::travel_units(plotted);
    };
    double nearest = travel("nearest"), given = travel("none");
    CHECK(nearest < 0.5 * given);
}

TEST_CASE("hpgl: hp2xx renders the cut file")
{
    if (std::system("command -v hp2xx > /dev/null 2>&1") != 0) {
        WARN("hp2xx is not installed (tools/packages.txt lists it)");
        return;
    }
    std::vector<rl_driver_point> square = {
        {10, 10}, {90, 10}, {90, 90}, {10, 90}};
    std::vector<rl_driver_cut_path> paths = {path_of(square, true)};
    TempDir out("hpgl2xx");
    cut(paths, {}, out);
    std::filesystem::path plt = out.path() / "proof_s001.plt";
    std::filesystem::path pbm = out.path() / "render.pbm";
    std::string command = "hp2xx -q -m pbm -d 72 -f " + pbm.string() + " " +
                          plt.string() + " > /dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);

    // A P4 bitmap whose inked pixels outline a square: as tall as wide.
    std::ifstream in(pbm, std::ios::binary);
    std::string magic;
    int width = 0, height = 0;
    in >> magic >> width >> height;
    in.get();
    REQUIRE(magic == "P4");
    std::vector<uint8_t> bits(size_t((width + 7) / 8) * size_t(height));
    in.read(reinterpret_cast<char*>(bits.data()), std::streamsize(bits.size()));
    int left = width, right = -1, top = height, bottom = -1;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            if (bits[size_t(y * ((width + 7) / 8) + x / 8)] &
                (0x80 >> (x % 8))) {
                left = std::min(left, x), right = std::max(right, x);
                top = std::min(top, y), bottom = std::max(bottom, y);
            }
    REQUIRE(right > left);
    CHECK(double(right - left) == Approx(bottom - top).epsilon(0.05));
}
