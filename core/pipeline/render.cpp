// SPDX-License-Identifier: AGPL-3.0-or-later
// render: sheets band by band, bands in parallel, delivered in order.
#include "core/pipeline/render.hpp"

#include "core/color/band_color.hpp"
#include "core/color/engine.hpp"
#include "core/color/planes.hpp"
#include "core/common/units.hpp"
#include "core/impose/impose.hpp"
#include "core/pipeline/band_pool.hpp"
#include "core/pipeline/job_color.hpp"
#include "core/raster/band.hpp"
#include "core/raster/cut_paths.hpp"
#include "core/raster/spot_channels.hpp"
#include "core/screen/screen.hpp"
#include "plugins/driver_job.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>

namespace ripline::pipeline {

namespace {

constexpr size_t band_bytes_target = 16u << 20; // contone CMYK per band

// The colour set-up of one document: its engine (the output intent
// decides where DeviceCMYK lives) and its image profile.
struct DocumentColor {
    std::unique_ptr<color::Engine> engine;
    raster::ColorSetup setup;
};

std::vector<DocumentColor> colour_setups(
    const OpenJob& job, const color::PrintMode& mode,
    const color::Profile& output, const std::filesystem::path& profile_dir,
    raster::ImageCache& images, const std::vector<std::string>& cut_names)
{
    std::vector<DocumentColor> setups(job.documents.size());
    for (size_t i = 0; i < job.documents.size(); i++) {
        const document::Document& doc = *job.documents[i];
        color::EngineOptions options;
        options.output = output;
        options.image_intent = mode.image_intent;
        options.vector_intent = mode.vector_intent;
        options.black_point_compensation = mode.black_point_compensation;
        apply_job_color(job.job, doc, profile_dir, options);
        setups[i].engine = std::make_unique<color::Engine>(options);
        setups[i].setup.engine = setups[i].engine.get();
        setups[i].setup.images = &images;
        setups[i].setup.image_profile =
            doc.image_profile() ? &*doc.image_profile() : nullptr;
        setups[i].setup.icc_profiles = &doc.icc_profiles();
        setups[i].setup.cut_names = cut_names;
    }
    return setups;
}

// Every page's box, and what it paints where the ticket trims white.
std::vector<impose::PageRef> page_refs(OpenJob& job)
{
    const bool trim = job.job.layout.trim_white;
    std::vector<impose::PageRef> pages;
    for (size_t i = 0; i < job.documents.size(); i++) {
        document::Document& doc = *job.documents[i];
        for (int p = 0; p < doc.page_count(); p++) {
            const fz_rect box = doc.page_box(p);
            const fz_rect content = trim ? doc.content_box(p) : fz_rect{};
            pages.push_back({int(i), p, {box.x0, box.y0, box.x1, box.y1},
                             {content.x0, content.y0, content.x1,
                              content.y1}});
        }
    }
    return pages;
}

fz_matrix to_fz(const impose::Affine& m)
{
    return {float(m.a), float(m.b), float(m.c),
            float(m.d), float(m.e), float(m.f)};
}

fz_irect to_irect(const impose::RectD& r)
{
    return {int(std::floor(r.x0)), int(std::floor(r.y0)),
            int(std::ceil(r.x1)), int(std::ceil(r.y1))};
}

// The sheet's placements as the rasteriser wants them, with every page's
// display list built now, on this thread, before the workers start.
std::vector<raster::SheetPlacement>
sheet_placements(const impose::Sheet& sheet, OpenJob& job,
                 const std::vector<DocumentColor>& colors)
{
    std::vector<raster::SheetPlacement> placements;
    for (const impose::Placement& p : sheet.placements) {
        document::Document* doc = job.documents.at(p.input).get();
        doc->display_list(p.page);
        placements.push_back({doc, p.page, &colors.at(p.input).setup,
                              to_fz(p.page_to_sheet),
                              to_irect(p.clip_dots)});
    }
    return placements;
}

// The render's spot colorants, from every page, and the band planes of
// those that print with their own ink (declared to BAND_COLOR).
std::unique_ptr<raster::SpotChannels>
spot_channels(document::Mupdf& mupdf, OpenJob& job,
              const color::PrintMode& mode, color::BandColor& band_color)
{
    fz_context* ctx = mupdf.root();
    std::vector<std::string> names;
    for (const auto& doc : job.documents) {
        for (int p = 0; p < doc->page_count(); p++) {
            fz_display_list* list = doc->display_list(p);
            document::guarded(ctx, RL_ERROR_BAD_INPUT, Stage::raster,
                              "cannot read the spot colours of page " +
                                  std::to_string(p + 1),
                              doc->path().string(), [&] {
                                  raster::collect_colorants(ctx, list,
                                                            names);
                              });
        }
    }
    auto channels = std::make_unique<raster::SpotChannels>(ctx);
    raster::plan_spot_channels(names, mode, band_color, *channels);
    return channels;
}

screen::ScreenSpec screen_spec(const color::PrintMode& mode)
{
    screen::ScreenSpec spec;
    spec.type = mode.screen.type;
    spec.bits = mode.screen.bits;
    spec.lpi = mode.screen.lpi;
    spec.angles_deg = mode.screen.angles_deg;
    spec.dot_shape = mode.screen.dot_shape;
    spec.drop_volumes = mode.screen.drop_volumes;
    spec.ink_types = mode.screen.ink_types;
    return spec;
}

// One sheet's bands: workers render and screen them into pool slots, the
// calling thread hands them to the driver in order.
class SheetRenderer {
public:
    SheetRenderer(document::Mupdf& mupdf,
                  const std::vector<raster::SheetPlacement>& placements,
                  const color::BandColor& band_color, int inks,
                  const raster::SpotChannels& spots,
                  const screen::Screener* screener, BandPool& pool,
                  const impose::Sheet& sheet, int band_height,
                  int threads, int contone_bits,
                  const RenderOptions& options)
        : mupdf_(mupdf), placements_(placements), band_color_(band_color),
          inks_(inks), contone_bits_(contone_bits), spots_(spots),
          screener_(screener),
          pool_(pool), marks_(sheet.marks), width_(sheet.width_dots),
          height_(sheet.height_dots),
          band_height_(band_height),
          bands_((sheet.height_dots + band_height - 1) / band_height),
          window_(std::min<long>(bands_, 2L * threads)), threads_(threads),
          options_(options)
    {
        pool_.reserve(int(std::max<long>(window_, 1)), width_, band_height_,
                      inks_, screener_ ? screener_->bits_per_dot() : 8,
                      spots_.planes(), contone_bits_);
        ready_.assign(bands_, false);
    }

    long bands() const { return bands_; }

    // Run the sheet; DELIVER(band, slot) is called in band order on this
    // thread. Each ink's contone sum is added to SUMS.
    template <class Deliver>
    void run(Deliver&& deliver, std::vector<uint64_t>& sums)
    {
        std::vector<std::thread> workers;
        for (int i = 0; i < std::min<long>(threads_, bands_); i++)
            workers.emplace_back([this] { work(); });
        try {
            for (long band = 0; band < bands_; band++) {
                BandSlot& slot = wait_for(band);
                if (screener_ && screener_->needs_band_order())
                    screen_slot(slot, band);
                for (int i = 0; i < inks_; i++)
                    sums[i] += slot.sums[i];
                deliver(band, slot);
                release(band);
            }
        } catch (...) {
            stop();
            for (std::thread& worker : workers)
                worker.join();
            throw;
        }
        for (std::thread& worker : workers)
            worker.join();
    }

    int rows_of(long band) const
    {
        return std::min<int>(band_height_, height_ - band * band_height_);
    }

private:
    void work()
    {
        fz_context* ctx = nullptr;
        try {
            ctx = mupdf_.clone();
            for (long band; (band = next_band()) >= 0;) {
                render_slot(ctx, pool_.slot(band), band);
                mark_ready(band);
            }
        } catch (...) {
            fail(std::current_exception());
        }
        fz_drop_context(ctx);
    }

    void render_slot(fz_context* ctx, BandSlot& slot, long band)
    {
        const int rows = rows_of(band);
        const int y = int(band * band_height_);
        raster::render_band(ctx, placements_, marks_, width_, y, rows,
                            slot.cmyk.data(), &cookie_, &spots_);

        // Planes of the profile's CMYK and the spots, then the inks.
        uint8_t* process[4];
        std::vector<color::SpotPlane> spots = split_band(slot, rows,
                                                         process);
        const ptrdiff_t stride = ptrdiff_t(slot.contone_stride);
        if (contone_bits_ == 16) {
            std::vector<uint16_t*> wide(4), inks(inks_);
            for (int i = 0; i < 4; i++)
                wide[i] = slot.wide_process[i].data();
            for (int i = 0; i < inks_; i++)
                inks[i] = slot.wide_inks[i].data();
            band_color_.run(process, stride, spots.data(), wide.data(),
                            inks.data(), stride, width_, rows);
            sum_inks(slot, slot.wide_inks, rows);
        } else {
            std::vector<uint8_t*> inks(inks_);
            for (int i = 0; i < inks_; i++)
                inks[i] = slot.inks[i].data();
            band_color_.run(process, stride, spots.data(), inks.data(),
                            stride, width_, rows);
            sum_inks(slot, slot.inks, rows);
        }
        if (screener_ && !screener_->needs_band_order())
            screen_slot(slot, band);
    }

    // The interleaved band into process planes (PROCESS points at them)
    // and spot planes, which are returned.
    std::vector<color::SpotPlane> split_band(BandSlot& slot, int rows,
                                             uint8_t* process[4]) const
    {
        const int planes = spots_.planes();
        const int step = 4 + planes;
        std::vector<uint8_t*> spot_rows(planes);
        for (int r = 0; r < rows; r++) {
            const uint8_t* dots = slot.cmyk.data() + size_t(r) * width_ *
                                                         step;
            const size_t at = r * slot.contone_stride;
            for (int i = 0; i < 4; i++)
                process[i] = slot.process[i].data() + at;
            color::split_planes(dots, step, 4, process, width_);
            for (int i = 0; i < planes; i++)
                spot_rows[i] = slot.spots[i].data() + at;
            if (planes > 0)
                color::split_planes(dots + 4, step, planes,
                                    spot_rows.data(), width_);
        }
        for (int i = 0; i < 4; i++)
            process[i] = slot.process[i].data();
        std::vector<color::SpotPlane> spots(planes);
        for (int i = 0; i < planes; i++)
            spots[i] = {slot.spots[i].data(),
                        ptrdiff_t(slot.contone_stride)};
        return spots;
    }

    // Each ink's sum of contone values over the band, for the coverage.
    // A row sums in 32 bits at 8 bits a sample, in 64 at 16.
    template <typename T>
    void sum_inks(BandSlot& slot, const std::vector<std::vector<T>>& planes,
                  int rows) const
    {
        using RowSum = std::conditional_t<sizeof(T) == 1, uint32_t, uint64_t>;
        for (int i = 0; i < inks_; i++) {
            uint64_t sum = 0;
            for (int r = 0; r < rows; r++) {
                const T* row = planes[i].data() + r * slot.contone_stride;
                RowSum row_sum = 0;
                for (int x = 0; x < width_; x++)
                    row_sum += row[x];
                sum += row_sum;
            }
            slot.sums[i] = sum;
        }
    }

    void screen_slot(BandSlot& slot, long band)
    {
        const int rows = rows_of(band);
        const int y = int(band * band_height_);
        for (int ink = 0; ink < inks_; ink++)
            screener_->screen_plane(ink, slot.inks[ink].data(),
                                    slot.contone_stride, width_, y, rows,
                                    slot.dots[ink].data(),
                                    slot.dots_stride);
    }

    // The next band to render, or -1 when there is none or we stopped.
    // Waits while the window of bands in flight is full.
    long next_band()
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] {
            return stopped_ || next_ >= bands_ ||
                   next_ < delivered_ + window_;
        });
        if (stopped_ || next_ >= bands_)
            return -1;
        return next_++;
    }

    void mark_ready(long band)
    {
        std::lock_guard lock(mutex_);
        ready_[band] = true;
        changed_.notify_all();
    }

    void fail(std::exception_ptr error)
    {
        std::lock_guard lock(mutex_);
        if (!error_)
            error_ = error;
        stopped_ = true;
        cookie_.abort = 1;
        changed_.notify_all();
    }

    BandSlot& wait_for(long band)
    {
        if (options_.cancelled && options_.cancelled())
            throw Error(RL_ERROR_CANCELLED, Stage::pipeline,
                        "the render was cancelled");
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return ready_[band] || error_; });
        if (error_)
            std::rethrow_exception(error_);
        return pool_.slot(band);
    }

    void release(long band)
    {
        std::lock_guard lock(mutex_);
        delivered_ = band + 1;
        changed_.notify_all();
    }

    void stop()
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        cookie_.abort = 1;
        changed_.notify_all();
    }

    document::Mupdf& mupdf_;
    const std::vector<raster::SheetPlacement>& placements_;
    const color::BandColor& band_color_;
    const int inks_;
    const int contone_bits_; // 8, or 16 for a 16-bit contone render
    const raster::SpotChannels& spots_;
    const screen::Screener* screener_;
    BandPool& pool_;
    const std::vector<impose::Mark>& marks_;
    const int width_, height_, band_height_;
    const long bands_, window_;
    const int threads_;
    const RenderOptions& options_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<bool> ready_;
    long next_ = 0, delivered_ = 0;
    bool stopped_ = false;
    std::exception_ptr error_;
    fz_cookie cookie_{};
};

int band_height_for(const RenderOptions& options, int width)
{
    if (options.band_height > 0)
        return options.band_height;
    const size_t rows = band_bytes_target / (size_t(width) * 4);
    return int(std::clamp<size_t>(rows, 16, 256));
}

// The depth of the contone planes: the mode's contone_bits for a contone
// render, which the driver must take; screens always read 8 bits.
int contone_bits_for(const color::PrintMode& mode,
                     const plugins::DriverModule& driver,
                     const RenderOptions& options)
{
    if (!options.contone || mode.contone_bits != 16)
        return 8;
    const rl_driver& t = *driver.table;
    if (t.bit_depths != 0 && !(t.bit_depths & (1u << 16)))
        throw Error(RL_ERROR_UNSUPPORTED, Stage::driver,
                    "print mode field 'contone_bits': a 16-bit contone "
                    "render, but the driver '" + std::string(t.id) +
                        "' does not take 16 bits per dot",
                    mode.file.string());
    return 16;
}

rl_driver_sheet driver_sheet(const impose::Sheet& sheet, int index,
                             const color::PrintMode& mode)
{
    rl_driver_sheet info{};
    info.size = sizeof info;
    info.index = index;
    info.width_dots = sheet.width_dots;
    info.height_dots = sheet.height_dots;
    info.width_mm = sheet.width_dots * units::mm_per_inch / mode.dpi[0];
    info.height_mm = sheet.height_dots * units::mm_per_inch / mode.dpi[1];
    return info;
}

// The planes of SLOT the driver gets, and their STRIDE in bytes: the
// screened dots, or the contone inks at 8 or 16 bits (native order).
std::vector<const uint8_t*> band_planes(const BandSlot& slot, int inks,
                                        bool contone, int contone_bits,
                                        size_t& stride)
{
    std::vector<const uint8_t*> planes(inks);
    for (int i = 0; i < inks; i++)
        planes[i] = !contone ? slot.dots[i].data()
                    : contone_bits == 16
                        ? reinterpret_cast<const uint8_t*>(
                              slot.wide_inks[i].data())
                        : slot.inks[i].data();
    stride = !contone ? slot.dots_stride
                      : slot.contone_stride * size_t(contone_bits / 8);
    return planes;
}

// Cut contours are read to within this of the true curve: well under a
// cutter's step (HP-GL/2: 0.025 mm).
constexpr double cut_tolerance_mm = 0.01;

// The sheet's cut paths, in mm, to a driver that takes them: read from
// the display lists on a clone of the root context, in the frame whose
// top-left is ORIGIN_DOTS (the registration marks', or the sheet's).
void write_cut_paths(document::Mupdf& mupdf,
                     const std::vector<raster::SheetPlacement>& placements,
                     const std::vector<std::string>& cut_names,
                     impose::RectD frame, double xdpi, double ydpi,
                     plugins::DriverStream& output)
{
    fz_context* ctx = mupdf.clone();
    std::vector<raster::CutPath> cuts;
    try {
        cuts = raster::collect_cut_paths(
            ctx, placements, cut_names,
            cut_tolerance_mm * std::min(xdpi, ydpi) / units::mm_per_inch);
    } catch (...) {
        fz_drop_context(ctx);
        throw;
    }
    fz_drop_context(ctx);

    // Dots to mm from the frame's top-left, x across, y along the feed.
    std::vector<std::vector<rl_driver_point>> points(cuts.size());
    std::vector<rl_driver_cut_path> paths(cuts.size());
    for (size_t i = 0; i < cuts.size(); i++) {
        for (const auto& [x, y] : cuts[i].points_dots)
            points[i].push_back(
                {(x - frame.x0) * units::mm_per_inch / xdpi,
                 (y - frame.y0) * units::mm_per_inch / ydpi});
        paths[i] = {sizeof(rl_driver_cut_path), cuts[i].name.c_str(),
                    cuts[i].closed ? 1 : 0, int(points[i].size()),
                    points[i].data()};
    }
    output.write_cuts(paths.data(), int(paths.size()));
}

// The frame cut paths are written in: the registration marks' when the
// sheet has them, else the sheet itself.
impose::RectD cut_frame(const impose::Sheet& sheet)
{
    if (sheet.mark_frame_dots)
        return *sheet.mark_frame_dots;
    return {0, 0, double(sheet.width_dots), double(sheet.height_dots)};
}

// A separate cutter's sheet: the marks' frame, so that a cutter whose
// origin is the bottom-left mark (HP-GL/2: y up from the sheet's bottom)
// finds it at (0, 0).
rl_driver_sheet cutter_sheet(const impose::Sheet& sheet, int index,
                             double xdpi, double ydpi)
{
    const impose::RectD f = cut_frame(sheet);
    rl_driver_sheet info{};
    info.size = sizeof info;
    info.index = index;
    info.width_mm = f.width() * units::mm_per_inch / xdpi;
    info.height_mm = f.height() * units::mm_per_inch / ydpi;
    info.width_dots = std::max(1, int(std::lround(f.width())));
    info.height_dots = std::max(0, int(std::lround(f.height())));
    return info;
}

bool prints(const plugins::DriverModule& driver)
{
    return driver.table->kind & RL_DRIVER_PRINTER;
}

bool cuts(const plugins::DriverModule& driver)
{
    return (driver.table->kind & RL_DRIVER_CUTTER) &&
           plugins::cut_callback(*driver.table);
}

// The job's mode: the render's, the ticket's Print and Cut, the
// device's, or what the device can do (a cutter cuts, a printer-cutter
// or a printer with a cutter does both).
device::CutMode job_mode(const job::Job& job, const device::Device& device,
                         const plugins::DriverModule& driver,
                         const RenderOptions& options)
{
    if (options.mode)
        return *options.mode;

    // A ticket's Print and Cut say what the job is.
    if (!job.ticket_path.empty()) {
        if (!job.print && !job.cut)
            throw Error(RL_ERROR_BAD_INPUT, Stage::job,
                        "Print and Cut are both false: nothing to do",
                        job.ticket_path.string());
        return job.print && job.cut ? device::CutMode::print_and_cut
               : job.cut            ? device::CutMode::cut
                                    : device::CutMode::print;
    }
    if (device.cut.mode)
        return *device.cut.mode;
    if (!prints(driver))
        return device::CutMode::cut;
    return cuts(driver) || !device.cut.cutter.empty()
               ? device::CutMode::print_and_cut
               : device::CutMode::print;
}

// Where each part of the job goes, checked before any output opens.
struct Routes {
    bool print = false;
    bool cut = false;
    const device::Device* cutter = nullptr; // cut target, when separate
    const plugins::DriverModule* cutter_driver = nullptr;
    bool print_takes_cuts = false; // one printer-cutter does both
};

Routes route(const job::Job& job, const device::Device& device,
             const plugins::DriverModule& driver,
             const RenderOptions& options, Log& log)
{
    device::CutMode mode = job_mode(job, device, driver, options);

    // A ticket that asks for print & cut on a plain printer still prints.
    const bool can_cut = cuts(driver) || !device.cut.cutter.empty();
    if (!options.mode && !job.ticket_path.empty() && !can_cut &&
        mode == device::CutMode::print_and_cut) {
        log.warning("job " + job.id + ": the ticket asks to cut, but " +
                    "device \"" + device.id +
                    "\" has no cutter; printing only");
        mode = device::CutMode::print;
    }
    Routes r;
    r.print = mode != device::CutMode::cut;
    r.cut = mode != device::CutMode::print;
    auto refuse = [&](const std::string& why) {
        return Error(RL_ERROR_UNSUPPORTED, Stage::device,
                     "device \"" + device.id + "\" " + why,
                     device.file.string());
    };
    if (r.print && !prints(driver))
        throw refuse("cannot print: driver " + device.driver +
                     " is a cutter (render with mode \"cut\")");
    if (!r.cut)
        return r;
    if (!device.cut.cutter.empty()) {
        if (!options.cutter || !options.cutter_driver)
            throw Error(RL_ERROR_NOT_FOUND, Stage::device,
                        "device \"" + device.id + "\" names the cutter \"" +
                            device.cut.cutter + "\", which was not found",
                        device.file.string());
        if (!cuts(*options.cutter_driver))
            throw refuse("names the cutter \"" + device.cut.cutter +
                         "\", whose driver " + options.cutter->driver +
                         " does not cut");
        r.cutter = options.cutter;
        r.cutter_driver = options.cutter_driver;
        return r;
    }
    if (!cuts(driver))
        throw refuse("cannot cut: driver " + device.driver +
                     " is not a cutter and the device names no cutter");
    if (r.print)
        r.print_takes_cuts = true;
    else {
        r.cutter = &device;
        r.cutter_driver = &driver;
    }
    return r;
}

// The marks the device's cut settings ask for, when the job is cut.
impose::Registration registration_for(const device::Device& device,
                                      const job::Job& job, bool cut)
{
    impose::Registration reg;
    if (!cut)
        return reg;
    using F = impose::Registration::Family;
    switch (device.cut.marks) {
    case device::MarkFamily::none: reg.family = F::none; break;
    case device::MarkFamily::discs: reg.family = F::discs; break;
    case device::MarkFamily::squares: reg.family = F::squares; break;
    case device::MarkFamily::corners: reg.family = F::corners; break;
    }
    reg.size_mm = device.cut.mark_size_mm;
    reg.offset_mm = device.cut.mark_offset_mm;
    if (device.cut.barcode)
        reg.barcode = job.id;
    return reg;
}

// The cutter's job: no inks, the print mode's resolution.
rl_driver_job_info cutter_info(const OpenJob& job, const device::Device& cutter,
                               double xdpi, double ydpi)
{
    rl_driver_job_info info{};
    info.size = sizeof info;
    info.job_id = job.job.id.c_str();
    info.job_name = job.job.name.c_str();
    info.device_id = cutter.id.c_str();
    info.bits_per_dot = 1;
    info.xdpi = xdpi;
    info.ydpi = ydpi;
    return info;
}

}  // namespace

OpenJob open_job(document::Mupdf& mupdf, job::Job job)
{
    OpenJob open;
    for (const job::InputFile& input : job.inputs)
        open.documents.push_back(
            std::make_unique<document::Document>(mupdf, input.path));
    if (open.documents.empty())
        throw Error(RL_ERROR_BAD_INPUT, Stage::job,
                    "the job names no document", job.ticket_path.string());
    open.job = std::move(job);
    return open;
}

namespace {

// A cut-only job: every sheet's cut paths to the cutter, nothing
// rasterised. The documents' display lists are still read for the paths.
RenderStats cut_only(document::Mupdf& mupdf, OpenJob& job,
                     const device::Device& device,
                     const std::vector<impose::Sheet>& sheets,
                     plugins::DriverStream& cutter,
                     const RenderOptions& options)
{
    const double xdpi = device.print_mode.dpi[0];
    const double ydpi = device.print_mode.dpi[1];
    std::vector<DocumentColor> colors(job.documents.size());
    RenderStats stats;
    for (size_t s = 0; s < sheets.size(); s++) {
        if (options.cancelled && options.cancelled())
            throw Error(RL_ERROR_CANCELLED, Stage::pipeline,
                        "the render was cancelled");
        const auto placements = sheet_placements(sheets[s], job, colors);
        cutter.begin_sheet(cutter_sheet(sheets[s], int(s), xdpi, ydpi));
        write_cut_paths(mupdf, placements, device.cut.names,
                        cut_frame(sheets[s]), xdpi, ydpi, cutter);
        cutter.end_sheet();
        stats.sheets++;
        if (options.progress)
            options.progress(int(s), long(s) + 1, long(sheets.size()));
    }
    cutter.finish();
    return stats;
}

}  // namespace

RenderStats render(document::Mupdf& mupdf, OpenJob& job,
                   const device::Device& device,
                   const plugins::DriverModule& driver, Log& log,
                   const RenderOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    const color::PrintMode& mode = device.print_mode;
    const Routes routes = route(job.job, device, driver, options, log);
    // Before any stream opens: the printer must take the contone depth.
    const int contone_bits =
        routes.print ? contone_bits_for(mode, driver, options) : 8;
    const int ink_count = int(mode.inks.size());
    const double xdpi = mode.dpi[0], ydpi = mode.dpi[1];

    // The layout, with the device's registration marks when it is cut.
    impose::Media media = impose::media_for(
        job.job, {device.media.roll, device.media.width_mm,
                  device.media.length_mm, device.media.margin_mm, {}});
    media.registration = registration_for(device, job.job, routes.cut);
    std::vector<impose::Sheet> sheets =
        impose::impose(job.job, page_refs(job), media, xdpi, ydpi);

    // A separate cutter (or a cut-only job) has its own stream.
    std::unique_ptr<plugins::DriverStream> cutter;
    if (routes.cutter) {
        const rl_driver_job_info info =
            cutter_info(job, *routes.cutter, xdpi, ydpi);
        // The device's own driver cuts to the render's output.
        const bool own = routes.cutter == &device;
        const std::string& asked =
            own ? options.output_uri : options.cutter_output_uri;
        const std::string uri =
            asked.empty() ? routes.cutter->connection : asked;
        cutter = plugins::open_driver_stream(
            *routes.cutter_driver, uri, routes.cutter->driver_options, info,
            log, options.isolation, options.driver_host);
    }
    if (!routes.print) {
        RenderStats stats = cut_only(mupdf, job, device, sheets, *cutter,
                                     options);
        stats.seconds = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        log.flush();
        return stats;
    }
    color::check_ink_count(mode, driver.table->max_inks);

    // Everything that can fail on bad set-up fails before the driver
    // opens any output.
    raster::ImageCache images(mupdf.root());
    const color::Profile profile = color::Profile::open(mode.output_profile);
    std::vector<DocumentColor> colors =
        colour_setups(job, mode, profile, options.profile_dir, images,
                      device.cut.names);
    color::BandColor band_color(mode, profile);
    const std::unique_ptr<raster::SpotChannels> spots =
        spot_channels(mupdf, job, mode, band_color);
    for (DocumentColor& color : colors)
        color.setup.spots = spots.get();
    std::unique_ptr<screen::Screener> screener;
    if (!options.contone) {
        screener = screen::Screener::create(screen_spec(mode), ink_count,
                                            xdpi, ydpi, options.profile_dir,
                                            options.simd);
        log.info("screen: " + screener->describe());
    }
    const int bits = screener ? screener->bits_per_dot() : contone_bits;

    std::vector<const char*> ink_names;
    for (const std::string& ink : mode.inks)
        ink_names.push_back(ink.c_str());
    rl_driver_job_info info{};
    info.size = sizeof info;
    info.job_id = job.job.id.c_str();
    info.job_name = job.job.name.c_str();
    info.device_id = device.id.c_str();
    info.ink_count = int(ink_names.size());
    info.ink_names = ink_names.data();
    info.bits_per_dot = bits;
    info.xdpi = xdpi;
    info.ydpi = ydpi;
    const std::string uri =
        options.output_uri.empty() ? device.connection : options.output_uri;
    std::unique_ptr<plugins::DriverStream> output =
        plugins::open_driver_stream(driver, uri, device.driver_options, info,
                                    log, options.isolation,
                                    options.driver_host);

    const int threads =
        options.threads > 0
            ? options.threads
            : int(std::max(1u, std::thread::hardware_concurrency()));
    long total_bands = 0;
    for (const impose::Sheet& sheet : sheets)
        total_bands += (sheet.height_dots +
                        band_height_for(options, sheet.width_dots) - 1) /
                       band_height_for(options, sheet.width_dots);

    RenderStats stats;
    stats.inks = mode.inks;
    std::vector<uint64_t> sums(ink_count, 0);
    BandPool pool;
    long done = 0;
    for (size_t s = 0; s < sheets.size(); s++) {
        const impose::Sheet& sheet = sheets[s];
        const std::vector<raster::SheetPlacement> placements =
            sheet_placements(sheet, job, colors);
        const int band_height = band_height_for(options, sheet.width_dots);
        SheetRenderer renderer(mupdf, placements, band_color, ink_count,
                               *spots, screener.get(), pool, sheet,
                               band_height, threads, contone_bits,
                               options);

        output->begin_sheet(driver_sheet(sheet, int(s), mode));
        if (screener)
            screener->begin_sheet(sheet.width_dots);
        renderer.run(
            [&](long band, BandSlot& slot) {
                rl_driver_band out{};
                out.size = sizeof out;
                out.y = int(band * band_height);
                out.rows = renderer.rows_of(band);
                out.width_dots = sheet.width_dots;
                std::vector<const uint8_t*> planes =
                    band_planes(slot, ink_count, options.contone,
                                contone_bits, out.stride);
                out.planes = planes.data();
                output->write_band(out);
                if (options.progress)
                    options.progress(int(s), ++done, total_bands);
            },
            sums);
        if (routes.print_takes_cuts)
            write_cut_paths(mupdf, placements, device.cut.names,
                            cut_frame(sheet), xdpi, ydpi, *output);
        output->end_sheet();
        if (cutter) {
            cutter->begin_sheet(cutter_sheet(sheet, int(s), xdpi, ydpi));
            write_cut_paths(mupdf, placements, device.cut.names,
                            cut_frame(sheet), xdpi, ydpi, *cutter);
            cutter->end_sheet();
        }
        images.clear(mupdf.root());

        stats.sheets++;
        stats.dots += (long long)sheet.width_dots * sheet.height_dots;
        stats.peak_band_bytes = std::max(stats.peak_band_bytes,
                                         pool.bytes());
    }
    output->finish();
    if (cutter)
        cutter->finish();

    const double full = contone_bits == 16 ? 65535.0 : 255.0;
    for (int i = 0; i < ink_count; i++)
        stats.coverage.push_back(
            stats.dots ? double(sums[i]) / (full * stats.dots) : 0);
    stats.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    log.flush();
    return stats;
}

}  // namespace ripline::pipeline
