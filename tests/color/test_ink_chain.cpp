// SPDX-License-Identifier: AGPL-3.0-or-later
// The ink chain: split, linearisation, hue-preserving limits and layers
// give what the print mode asks, on pixels and on bands.
#include "core/color/ink_chain.hpp"
#include "core/color/layer_shape.hpp"

#include "color_test_util.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace ripline::color;
using nlohmann::json;

namespace {

// A CMYK mode with no curves, the limits given, and optional extras.
PrintMode plain_mode(double total_pct, const std::string& name,
                     const std::function<void(json&)>& extra = {})
{
    json doc = test::read_json(test::mode_path("cmyk-720.json"));
    doc.erase("linearization");
    doc["ink_limits"] = {{"total_pct", total_pct}};
    if (extra)
        extra(doc);
    return load_print_mode(test::scratch_mode(doc, name));
}

}  // namespace

TEST_CASE("with no curves and no limit the chain passes CMYK through")
{
    InkChain chain(plain_mode(400, "identity"));
    float in[4] = {0.1f, 0.5f, 0.9f, 0.3f}, out[4];
    chain.map_pixel(in, out);
    for (int i = 0; i < 4; ++i)
        CHECK(out[i] == Approx(in[i]).margin(1e-6));
}

TEST_CASE("only a chain that changes nothing takes the copying path")
{
    InkChain identity(plain_mode(400, "identity-band"));
    CHECK(identity.is_identity());
    CHECK_FALSE(InkChain(plain_mode(300, "limited")).is_identity());
    CHECK_FALSE(InkChain(load_print_mode(test::mode_path("cmyk-720.json")))
                    .is_identity());

    // The copy is what the kernel would give: the band comes out as it
    // went in.
    std::vector<uint8_t> in(4 * 64), out(4 * 64);
    for (size_t i = 0; i < in.size(); ++i)
        in[i] = uint8_t(i * 37);
    const uint8_t* ins[4] = {&in[0], &in[64], &in[128], &in[192]};
    uint8_t* outs[4] = {&out[0], &out[64], &out[128], &out[192]};
    identity.apply(ins, 16, outs, 16, 16, 4);
    CHECK(in == out);
}

TEST_CASE("ink limits cap the total and keep the hue")
{
    PrintMode mode = plain_mode(240, "tac240", [](json& d) {
        d["ink_limits"]["channels_pct"] = {{"Y", 70}, {"K", 90}};
    });
    InkChain chain(mode);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(0, 1);
    for (int n = 0; n < 20000; ++n) {
        float in[4] = {u(rng), u(rng), u(rng), u(rng)}, out[4];
        chain.map_pixel(in, out);
        float total = out[0] + out[1] + out[2] + out[3];
        REQUIRE(total <= 2.4f + 1e-4f);
        REQUIRE(out[2] <= 0.7f + 1e-5f);
        REQUIRE(out[3] <= 0.9f + 1e-5f);
        // Black is kept (up to its own limit); chromatic ratios stay.
        REQUIRE(out[3] == Approx(std::min(in[3], 0.9f)).margin(1e-5));
        if (out[0] > 0.01f)
            REQUIRE(out[1] / out[0] == Approx(in[1] / in[0]).epsilon(1e-3));
        // Under the limits nothing changes.
        if (in[0] + in[1] + in[2] + in[3] < 2.3f && in[2] < 0.69f
            && in[3] < 0.89f)
            REQUIRE(out[0] == Approx(in[0]).margin(1e-6));
    }
}

TEST_CASE("black over the total is cut alone")
{
    InkChain chain(plain_mode(50, "tac50"));
    float in[4] = {0.5f, 0.5f, 0.5f, 0.8f}, out[4];
    chain.map_pixel(in, out);
    CHECK(out[0] == 0.0f);
    CHECK(out[3] == Approx(0.5f));
}

TEST_CASE("the light-ink split follows its curves, then its linearisation")
{
    PrintMode mode = load_print_mode(test::mode_path("cmykcm-6ink.json"));
    InkChain chain(mode);
    const LightSplit& cyan = mode.light_splits[0];
    for (float x : {0.0f, 0.1f, 0.2f, 0.4f, 0.6f, 0.85f, 1.0f}) {
        float in[4] = {x, 0, 0, 0}, out[6];
        chain.map_pixel(in, out);
        CHECK(out[0] == Approx(cyan.dark(x)).margin(1e-5));
        CHECK(out[4] == Approx(mode.linearization[4](cyan.light(x)))
                            .margin(1e-5));
    }
    // Light cyan is capped at 90 % and, over the cap, C and c shrink
    // together (C = 32 % and c = 80 % * lin at 40 % input).
    float in[4] = {0.4f, 0, 0, 0}, out[6];
    chain.map_pixel(in, out);
    CHECK(out[4] <= 0.9f + 1e-6f);
}

TEST_CASE("linearisation makes the measured response straight")
{
    // Response normalised from the shipped cyan density patches: at
    // input x the corrected ink x' prints density fraction lin^-1...
    PrintMode mode = load_print_mode(test::mode_path("cmyk-720.json"));
    const std::vector<std::pair<double, double>> patches = {
        {0, 0.06}, {0.10, 0.22}, {0.25, 0.45}, {0.5, 0.82},
        {0.75, 1.18}, {1.0, 1.45}};
    for (auto [x, density] : patches) {
        double want = (density - 0.06) / (1.45 - 0.06);
        // The correction maps the wanted fraction back to this patch.
        CHECK(mode.linearization[0](want) == Approx(x).margin(2e-3));
    }
}

TEST_CASE("band apply matches the pixel reference within one step")
{
    PrintMode mode = load_print_mode(test::mode_path("cmykcm-6ink.json"));
    InkChain chain(mode);
    const int width = 257, rows = 3;
    std::vector<uint8_t> in(4 * width * rows), out(6 * width * rows);
    std::mt19937 rng(3);
    for (auto& v : in)
        v = uint8_t(rng());
    const uint8_t* in_planes[4];
    uint8_t* out_planes[6];
    for (int c = 0; c < 4; ++c)
        in_planes[c] = &in[c * width * rows];
    for (int c = 0; c < 6; ++c)
        out_planes[c] = &out[c * width * rows];
    chain.apply(in_planes, width, out_planes, width, width, rows);
    int worst = 0;
    for (int i = 0; i < width * rows; ++i) {
        float px[4], ref[6];
        for (int c = 0; c < 4; ++c)
            px[c] = in_planes[c][i] / 255.0f;
        chain.map_pixel(px, ref);
        for (int c = 0; c < 6; ++c)
            worst = std::max(worst, std::abs(int(out_planes[c][i])
                                             - int(ref[c] * 255 + 0.5f)));
    }
    CHECK(worst <= 1);
}

TEST_CASE("white goes under the art, choked; flood fills")
{
    PrintMode mode =
        load_print_mode(test::mode_path("cmyk-white-varnish.json"));
    InkChain chain(mode);
    CHECK(chain.halo_rows() == 2);

    // A 10 x 10 magenta square in a 20 x 20 band.
    const int n = 20;
    std::vector<uint8_t> in(4 * n * n, 0), out(6 * n * n, 99);
    for (int y = 5; y < 15; ++y)
        for (int x = 5; x < 15; ++x)
            in[1 * n * n + y * n + x] = 200;
    const uint8_t* in_planes[4];
    uint8_t* out_planes[6];
    for (int c = 0; c < 4; ++c)
        in_planes[c] = &in[c * n * n];
    for (int c = 0; c < 6; ++c)
        out_planes[c] = &out[c * n * n];
    chain.apply(in_planes, n, out_planes, n, n, n);
    chain.shape_layers(out_planes, n, n, n);
    const uint8_t* white = out_planes[4];
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) {
            bool inside = x >= 7 && x < 13 && y >= 7 && y < 13;
            INFO("x " << x << " y " << y);
            REQUIRE(white[y * n + x] == (inside ? 255 : 0));
        }
    // Varnish comes from a spot, so the chain leaves it empty.
    CHECK(out_planes[5][0] == 0);

    PrintMode flood = plain_mode(300, "flood", [](json& d) {
        d["inks"].push_back("W");
        d["white"] = {{"ink", "W"}, {"source", "flood"},
                      {"amount_pct", 50}};
    });
    float px[4] = {0, 0, 0, 0}, inks[5];
    InkChain(flood).map_pixel(px, inks);
    CHECK(inks[4] == Approx(0.5f));
}

TEST_CASE("spread grows a layer by its size in dots")
{
    std::vector<uint8_t> plane(9 * 9, 0);
    plane[4 * 9 + 4] = 255;
    morph_plane(plane.data(), 9, 9, 9, 2, true);
    int count = 0;
    for (uint8_t v : plane)
        count += v == 255;
    CHECK(count == 25);
    morph_plane(plane.data(), 9, 9, 9, 2, false);
    CHECK(plane[4 * 9 + 4] == 255);
    CHECK(plane[4 * 9 + 5] == 0);
}
