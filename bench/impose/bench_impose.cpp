// SPDX-License-Identifier: AGPL-3.0-or-later
// Benchmarks of the job and impose stages: parsing a ticket with many
// parts, and laying out step and repeat and flowed parts.
#include "core/impose/impose.hpp"
#include "core/job/job.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>

using namespace ripline;

namespace {

bool smoke()
{
    const char* env = std::getenv("RIPLINE_BENCH_SMOKE");
    return env && *env == '1';
}

// A ticket with `count` positioned parts on one document.
std::string ticket_with_parts(int count)
{
    std::string xml = "<Job Version=\"2\"><JobGUID>" + job::new_guid() +
                      "</JobGUID><PDFJob><InputJobs><FilePath>a.pdf"
                      "</FilePath></InputJobs></PDFJob><Imposition><Parts>";
    for (int i = 0; i < count; ++i)
        xml += "<Part><GUID>" + job::new_guid() +
               "</GUID><SourcePage>0"
               "</SourcePage><Position X=\"" +
               std::to_string(i % 40 * 18) + "\" Y=\"" +
               std::to_string(i / 40 * 18) + "\"/></Part>";
    return xml + "</Parts></Imposition></Job>";
}

void parse_ticket(benchmark::State& state)
{
    std::string xml = ticket_with_parts(int(state.range(0)));
    for (auto _ : state) {
        job::Job j = job::parse_job_xml(xml, "/", "bench.xml");
        benchmark::DoNotOptimize(j.parts.data());
    }
    state.SetBytesProcessed(state.iterations() * xml.size());
}
BENCHMARK(parse_ticket)->Arg(100)->Arg(smoke() ? 200 : 10000);

void step_and_repeat(benchmark::State& state)
{
    job::Job j = job::job_for_file("/data/label.pdf");
    j.layout.kind = job::LayoutKind::step_repeat;
    j.layout.gap_x_units = j.layout.gap_y_units = 1;
    j.marks.crop_marks = true;
    double length_mm = smoke() ? 300 : 5000;
    std::vector<impose::PageRef> pages = {{0, 0, {0, 0, 72, 36}}};
    impose::Media roll{true, 1300, length_mm, 5};
    std::size_t placed = 0;
    for (auto _ : state) {
        auto sheets = impose::impose(j, pages, roll, 720, 720);
        placed = sheets[0].placements.size();
        benchmark::DoNotOptimize(sheets.data());
    }
    state.counters["placements"] = double(placed);
    state.SetItemsProcessed(state.iterations() * placed);
}
BENCHMARK(step_and_repeat);

void flowed_parts(benchmark::State& state)
{
    job::Job j = job::job_for_file("/data/sticker.pdf");
    job::Part part;
    part.id = part.original_id = job::new_guid();
    part.copies = smoke() ? 50 : int(state.range(0));
    j.parts = {part};
    std::vector<impose::PageRef> pages = {{0, 0, {0, 0, 144, 100}}};
    impose::Media sheet{false, 1000, 700, 5};
    for (auto _ : state) {
        auto sheets = impose::impose(j, pages, sheet, 720, 720);
        benchmark::DoNotOptimize(sheets.data());
    }
    state.SetItemsProcessed(state.iterations() * part.copies);
}
BENCHMARK(flowed_parts)->Arg(10000);

} // namespace

BENCHMARK_MAIN();
