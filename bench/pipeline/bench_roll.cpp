// SPDX-License-Identifier: AGPL-3.0-or-later
// bench_roll: a 1.3 m wide roll page at 720 dpi, 1 m and then 10 m long;
// peak memory must come out the same, since bands bound it, not length.
#include "bench/pipeline/bench_common.hpp"
#include "tests/support/pdf_writer.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace ripline::bench;

constexpr double roll_width_mm = 1300;
constexpr double pt_per_mm = 72 / 25.4;

// A page LENGTH_MM long: every 100 mm a row of CMYK and RGB patches, a
// blend across the width, a ring of curves and a hairline grid.
fs::path roll_pdf(const fs::path& dir, double length_mm)
{
    const double w = roll_width_mm * pt_per_mm, h = length_mm * pt_per_mm;
    std::string content;
    char op[256];
    for (double y = 0; y + 100 * pt_per_mm <= h + 1; y += 100 * pt_per_mm) {
        for (int i = 0; i < 12; i++) {
            std::snprintf(op, sizeof op,
                          "%g %g %g %g k %g %g 90 90 re f "
                          "%g %g %g rg %g %g 40 40 re f\n",
                          (i % 4) / 3.0, (i % 3) / 2.0, (i % 5) / 4.0,
                          i == 7 ? 1.0 : 0.0, 20 + i * 300.0, y + 20,
                          i / 11.0, 1 - i / 11.0, 0.5, 150 + i * 300.0,
                          y + 150);
            content += op;
        }
        std::snprintf(op, sizeof op, "q 0 %g %g 60 re W n /Sh0 sh Q\n",
                      y + 200, w);
        content += op;
        std::snprintf(op, sizeof op,
                      "0 0 0 1 K 0.3 w %g %g m %g %g %g %g %g %g c "
                      "%g %g %g %g %g %g c S\n",
                      w / 2 - 80, y + 180, w / 2 - 80, y + 260, w / 2 + 80,
                      y + 260, w / 2 + 80, y + 180, w / 2 + 80, y + 100,
                      w / 2 - 80, y + 100, w / 2 - 80, y + 180);
        content += op;
    }
    ripline::test::PdfWriter pdf;
    pdf.add_page(w, h, content,
                 "<< /Shading << /Sh0 << /ShadingType 2 /ColorSpace "
                 "/DeviceRGB /Coords [0 0 " + std::to_string(w) +
                     " 0] /Function << /FunctionType 2 /Domain [0 1] "
                     "/C0 [0 0.6 1] /C1 [1 0.8 0] /N 1 >> >> >> >>");
    const fs::path file = dir / "roll.pdf";
    pdf.write(file);
    return file;
}

void bm_roll(benchmark::State& state)
{
    const double length_mm = double(state.range(0));
    const double dpi = smoke() ? 36 : 720;
    const fs::path dir = scratch("roll");
    const fs::path job = roll_pdf(dir, length_mm);
    const fs::path device = roll_device(dir, roll_width_mm, dpi);
    rl_render_stats stats{};
    for (auto _ : state)
        stats = render(job, device, dir / "out");
    state.counters["Mpx/s"] = benchmark::Counter(
        stats.dots / 1e6, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["Mpx"] = double(stats.dots) / 1e6;
    state.counters["band_MiB"] = stats.peak_band_bytes / 1048576.0;
    state.counters["peak_rss_MiB"] = peak_rss_mib();
}

}  // namespace

// Short first: peak RSS only grows, so an equal figure after the long
// run shows the long one needed no more memory.
BENCHMARK(bm_roll)->Arg(1000)->Arg(10000)->Iterations(1)
    ->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK_MAIN();
