// SPDX-License-Identifier: AGPL-3.0-or-later
// The driver conformance suite: table checks and jobs in child processes.
#include "plugins/driver_check.hpp"

#include "core/common/log.hpp"
#include "plugins/driver_job.hpp"
#include "plugins/host.hpp"

#include <boost/dll/shared_library.hpp>

#include <csignal>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace ripline::plugins {

namespace {

// A job's settings in the check: ink names, depth, options.
struct CheckJob {
    int bits = 1;
    int inks = 4;
    std::map<std::string, std::string> options;
    bool cuts = false;
    bool bands = true;
};

// The rows of one synthetic sheet: stripes, solids, noise, blanks.
std::vector<std::vector<uint8_t>> make_planes(int inks, size_t stride, int rows,
                                              unsigned seed)
{
    std::mt19937 random(seed);
    std::vector<std::vector<uint8_t>> planes;
    for (int ink = 0; ink < inks; ++ink) {
        std::vector<uint8_t> plane(stride * size_t(rows));
        for (int y = 0; y < rows; ++y) {
            uint8_t* row = plane.data() + size_t(y) * stride;
            int kind = (y / 5 + ink) % 3;
            for (size_t i = 0; i < stride; ++i)
                row[i] = kind == 0 ? 0 : kind == 1 ? 0xff : uint8_t(random());
        }
        planes.push_back(std::move(plane));
    }
    return planes;
}

// One sheet's bands and cut paths through JOB.
void send_sheet(DriverJob& job, const CheckJob& spec, int index)
{
    const int width = 203, height = 61, band_rows = 25;
    size_t stride = (size_t(width) * size_t(spec.bits) + 7) / 8;
    rl_driver_sheet sheet{
        sizeof sheet,       index, width, height, width * 25.4 / 360,
        height * 25.4 / 360};
    job.begin_sheet(sheet);
    auto planes = make_planes(spec.inks, stride, height, unsigned(index));
    for (int y = 0; spec.bands && y < height; y += band_rows) {
        std::vector<const uint8_t*> rows;
        for (const auto& plane : planes)
            rows.push_back(plane.data() + size_t(y) * stride);
        rl_driver_band band{
            sizeof band, y,      std::min(band_rows, height - y),
            width,       stride, rows.data()};
        job.write_band(band);
    }
    if (spec.cuts) {
        rl_driver_point square[] = {{1, 1}, {9, 1}, {9, 4}, {1, 4}};
        rl_driver_point line[] = {{2, 2}, {12, 3}};
        rl_driver_cut_path paths[] = {
            {sizeof(rl_driver_cut_path), "CutContour", 1, 4, square},
            {sizeof(rl_driver_cut_path), "CutContour", 0, 2, line}};
        job.write_cuts(paths, 2);
    }
    job.end_sheet();
}

std::unique_ptr<DriverJob> start_job(const DriverModule& module,
                                     const fs::path& dir, const CheckJob& spec,
                                     Log& log, std::vector<std::string>& names)
{
    names.clear();
    for (int i = 0; i < spec.inks; ++i)
        names.push_back(i < 4 ? std::string(1, "CMYK"[i])
                              : "Ink" + std::to_string(i + 1));
    static thread_local std::vector<const char*> pointers;
    pointers.clear();
    for (const std::string& name : names)
        pointers.push_back(name.c_str());
    rl_driver_job_info info{sizeof info,    "check-job", "driver-check",
                            "check-device", spec.inks,   pointers.data(),
                            spec.bits,      360.0,       360.0};
    return std::make_unique<DriverJob>(module, dir.string(), spec.options, info,
                                       log);
}

// The files of DIR: published ones and hidden leftovers.
void list_files(const fs::path& dir, std::vector<std::string>& published,
                std::vector<std::string>& hidden)
{
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string name = entry.path().filename().string();
        (name[0] == '.' ? hidden : published).push_back(name);
    }
}

// ---- checks; each returns "" when it passes, else what went wrong ----

std::string full_job(const DriverModule& module, const fs::path& dir,
                     const CheckJob& spec, Log& log)
{
    std::vector<std::string> names;
    auto job = start_job(module, dir, spec, log, names);
    send_sheet(*job, spec, 0);
    send_sheet(*job, spec, 1);
    job->finish();
    std::vector<std::string> published, hidden;
    list_files(dir, published, hidden);
    if (published.empty())
        return "the job published no output";
    if (!hidden.empty())
        return "hidden files left after end_job: " + hidden[0];
    for (const std::string& name : published)
        if (fs::file_size(dir / name) == 0)
            return "output " + name + " is empty";
    return "ok: " + std::to_string(published.size()) + " output(s)";
}

std::string aborted_job(const DriverModule& module, const fs::path& dir,
                        const CheckJob& spec, Log& log)
{
    {
        std::vector<std::string> names;
        auto job = start_job(module, dir, spec, log, names);
        send_sheet(*job, spec, 0);
        rl_driver_sheet sheet{sizeof sheet, 1, 203, 61, 14.3, 4.3};
        job->begin_sheet(sheet);
    } // destroyed mid-sheet: abort_job
    std::vector<std::string> published, hidden;
    list_files(dir, published, hidden);
    if (!hidden.empty())
        return "abort_job left " + hidden[0];
    if (!published.empty())
        return "note: abort_job kept " + std::to_string(published.size()) +
               " output(s) of finished sheets";
    return "ok";
}

std::string failing_output(const DriverModule& module, const fs::path& dir,
                           const CheckJob& spec, Log& log)
{
    std::vector<std::string> names;
    auto job = start_job(module, dir, spec, log, names);
    fs::remove_all(dir); // every open_output fails from now on
    try {
        send_sheet(*job, spec, 0);
        job->finish();
    } catch (const std::exception& e) {
        return std::string("ok: failed with \"") + e.what() + "\"";
    }
    return "the job succeeded although no output could be opened";
}

// The driver itself, not the host, must refuse a depth it does not
// declare: call begin_job directly with a host that offers nothing.
std::string refused_depth(const DriverModule& module, const fs::path&,
                          const CheckJob& spec, Log&)
{
    struct Stub {
        std::string error;
    } stub;
    rl_driver_host host{};
    host.size = sizeof host;
    host.user = &stub;
    host.log = [](void*, int, const char*) {};
    host.error = [](void* user, const char* message) {
        static_cast<Stub*>(user)->error = message ? message : "";
    };
    host.open_output = [](void*, const char*, const char**) {
        return static_cast<rl_driver_output*>(nullptr);
    };
    host.write_output = [](void*, rl_driver_output*, const void*, size_t) {
        return 1;
    };
    host.close_output = [](void*, rl_driver_output*, int) { return 1; };
    host.option = [](void*, const char*) {
        return static_cast<const char*>(nullptr);
    };
    host.option_key = [](void*, int) {
        return static_cast<const char*>(nullptr);
    };
    const char* inks[] = {"C", "M", "Y", "K"};
    rl_driver_job_info info{sizeof info,
                            "check-job",
                            "driver-check",
                            "check-device",
                            std::min(spec.inks, 4),
                            inks,
                            spec.bits,
                            360.0,
                            360.0};
    rl_driver_session* session = nullptr;
    if (module.table->begin_job(&host, &info, &session) == 0) {
        if (session)
            module.table->abort_job(session);
        return "accepted " + std::to_string(spec.bits) +
               " bits per dot, which it does not declare";
    }
    if (stub.error.empty())
        return "refused without a message";
    return "ok";
}

// Run CHECK in a child process with a fresh folder; a crash or a hang is
// a failure like any other. Returns the child's verdict line.
std::string isolated(const std::function<std::string(const fs::path&)>& check)
{
    static int counter = 0;
    fs::path dir = fs::temp_directory_path() /
                   ("ripline-driver-check-" + std::to_string(::getpid()) + "-" +
                    std::to_string(++counter));
    fs::create_directories(dir);
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0)
        return "cannot create a pipe";

    pid_t child = ::fork();
    if (child == 0) {
        ::close(pipe_fds[0]);
        ::alarm(60);
        std::string verdict;
        try {
            verdict = check(dir);
        } catch (const std::exception& e) {
            verdict = e.what();
        } catch (...) {
            verdict = "unknown exception";
        }
        ssize_t written = ::write(pipe_fds[1], verdict.data(), verdict.size());
        (void)written;
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    std::string verdict;
    char chunk[512];
    ssize_t n;
    while ((n = ::read(pipe_fds[0], chunk, sizeof chunk)) > 0)
        verdict.append(chunk, size_t(n));
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (WIFSIGNALED(status))
        return "crashed (signal " + std::to_string(WTERMSIG(status)) + ", " +
               ::strsignal(WTERMSIG(status)) + ")";
    if (verdict.empty())  // exit() in the driver, or a sanitizer's report
        return "crashed (the check process exited with status " +
               std::to_string(WEXITSTATUS(status)) + " before reporting)";
    return verdict;
}

// Counts and prints the verdicts.
class Report {
public:
    explicit Report(std::ostream& out) : out_(out) {}

    void line(const std::string& check, const std::string& verdict)
    {
        bool ok = verdict.starts_with("ok") || verdict.starts_with("note");
        failures_ += ok ? 0 : 1;
        ++checks_;
        out_ << (ok ? "ok    " : "FAIL  ") << check;
        std::string detail = verdict.starts_with("ok: ") ? verdict.substr(4)
                             : verdict == "ok"           ? ""
                                                         : verdict;
        if (!detail.empty())
            out_ << ": " << detail;
        out_ << "\n";
    }

    int finish()
    {
        out_ << checks_ << " checks, " << failures_ << " failed\n";
        return failures_;
    }

private:
    std::ostream& out_;
    int checks_ = 0;
    int failures_ = 0;
};

std::string check_strings(const rl_driver& t)
{
    if (!t.description || !*t.description)
        return "no description";
    if (!t.version || !*t.version)
        return "no version";
    if (t.dpi_count < 0 || (t.dpi_count > 0 && !t.dpi_list))
        return "dpi_count without a dpi_list";
    for (int i = 0; i < t.dpi_count; ++i)
        if (t.dpi_list[i] <= 0)
            return "dpi_list holds " + std::to_string(t.dpi_list[i]);
    if ((t.kind & RL_DRIVER_PRINTER) && t.bit_depths == 0)
        return "a printer that declares no bit depth";
    if (t.bit_depths &
        ~((1u << 1) | (1u << 2) | (1u << 4) | (1u << 8) | (1u << 16)))
        return "bit_depths has bits other than 1, 2, 4, 8, 16";
    return "ok: " + std::string(t.id) + " " + t.version + ", ABI " +
           std::to_string(t.abi_major) + "." + std::to_string(t.abi_minor);
}

std::string check_option_descs(const rl_driver& t)
{
    auto descs = option_descs(t);
    for (const rl_driver_option_desc& d : descs) {
        std::string key = d.key ? d.key : "";
        if (key.empty())
            return "an option without a key";
        if (d.type == RL_DRIVER_OPTION_ENUM && (!d.choices || !*d.choices))
            return "enum option " + key + " has no choices";
        bool family = key.ends_with('*');
        std::string value = d.default_value ? d.default_value : "";
        if (family || value.empty())
            continue;
        if (std::string why = check_option_value(d, value); !why.empty())
            return "option " + key + ": default " + why;
    }
    return "ok: " + std::to_string(descs.size()) + " described";
}

// The options set to their declared defaults, families left out.
std::map<std::string, std::string> default_options(const rl_driver& t)
{
    std::map<std::string, std::string> options;
    for (const rl_driver_option_desc& d : option_descs(t)) {
        std::string key = d.key ? d.key : "";
        if (!key.empty() && !key.ends_with('*') && d.default_value &&
            *d.default_value)
            options[key] = d.default_value;
    }
    return options;
}

void run_jobs(const DriverModule& module, Report& report)
{
    const rl_driver& t = *module.table;
    Log log; // the children's log goes nowhere
    auto run = [&](const std::string& name, auto check, CheckJob spec) {
        report.line(name, isolated([&](const fs::path& dir) {
                        return check(module, dir, spec, log);
                    }));
    };

    CheckJob base;
    base.inks = t.max_inks > 0 ? std::min(t.max_inks, 4) : 4;
    base.cuts = cut_callback(t) != nullptr;
    base.bands = (t.kind & RL_DRIVER_PRINTER) != 0;
    if (!base.bands)
        base.bits = 1;
    for (int bits : {1, 2, 4, 8, 16}) {
        if (base.bands && !(t.bit_depths & (1u << bits)))
            continue;
        if (!base.bands && bits != 1)
            continue;
        CheckJob spec = base;
        spec.bits = bits;
        run("job at " + std::to_string(bits) + " bit", full_job, spec);
    }
    int first_bits = 1;
    while (base.bands && first_bits < 16 &&
           !(t.bit_depths & (1u << first_bits)))
        ++first_bits;
    base.bits = first_bits;

    CheckJob defaults = base;
    defaults.options = default_options(t);
    run("job with every option at its default", full_job, defaults);
    run("abort mid-sheet leaves nothing hidden", aborted_job, base);
    run("a failing output fails the job", failing_output, base);
    if (base.bands && !(t.bit_depths & (1u << 4))) {
        CheckJob odd = base;
        odd.bits = 4;
        run("an undeclared bit depth is refused", refused_depth, odd);
    }
}

} // namespace

int run_driver_check(const fs::path& module, std::ostream& report_stream)
{
    Report report(report_stream);
    report_stream << "driver-check " << module.string() << "\n";

    // Load it the way the host does, but this one file only.
    boost::dll::shared_library library;
    const rl_driver* table = nullptr;
    try {
        library.load(module, boost::dll::load_mode::rtld_now |
                                 boost::dll::load_mode::rtld_local);
        if (!library.has(RL_DRIVER_ENTRY_SYMBOL)) {
            report.line("load", "no rl_driver_entry symbol");
            return report.finish();
        }
        table = library.get<const rl_driver*()>(RL_DRIVER_ENTRY_SYMBOL)();
    } catch (const std::exception& e) {
        report.line("load", std::string("cannot load: ") + e.what());
        return report.finish();
    }
    report.line("load", "ok");

    std::string reason = check_table(table);
    report.line("table", reason.empty() ? "ok" : reason);
    if (!reason.empty())
        return report.finish();
    report.line("description, version, capabilities", check_strings(*table));
    report.line("option descriptions", check_option_descs(*table));

    run_jobs(DriverModule{module, table}, report);
    return report.finish();
}

} // namespace ripline::plugins
