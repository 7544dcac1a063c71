// SPDX-License-Identifier: AGPL-3.0-or-later
// DriverJob: the host side of the driver ABI (callbacks, outputs, errors).
#include "plugins/driver_job.hpp"

#include "core/common/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

// The opaque output handle of driver.h: one host output.
struct rl_driver_output {
    std::unique_ptr<ripline::plugins::Output> output;
    std::string path;
};

namespace ripline::plugins {

struct DriverJob::State {
    Log& log;
    std::string driver_id;
    std::unique_ptr<Connection> connection;
    std::map<std::string, std::string> options;
    std::vector<std::unique_ptr<rl_driver_output>> outputs;
    std::string last_error;
    OutputObserver observer;
    rl_driver_host host{};

    // The job info and the strings it points to, owned here.
    std::string job_id, job_name, device_id;
    std::vector<std::string> ink_names;
    std::vector<const char*> ink_pointers;
    rl_driver_job_info info{};

    State(Log& l, std::string id) : log(l), driver_id(std::move(id)) {}

    // Close and forget OUTPUT; false (and last_error) when commit fails.
    bool close(rl_driver_output* output, bool commit) noexcept;
    void discard_all() noexcept;
};

namespace {

// The message of E without the "driver: " stage prefix, which the job's
// own error adds again.
std::string plain_message(const std::exception& e)
{
    std::string text = e.what();
    std::string prefix = std::string(stage_name(Stage::driver)) + ": ";
    if (dynamic_cast<const Error*>(&e) && text.starts_with(prefix))
        text.erase(0, prefix.size());
    return text;
}

DriverJob::State* state_of(void* user)
{
    return static_cast<DriverJob::State*>(user);
}

void host_log(void* user, int level, const char* message)
{
    auto* state = state_of(user);
    level = std::clamp(level, 0, 3);
    std::string line =
        "driver " + state->driver_id + ": " + (message ? message : "");
    try {
        if (level == RL_DRIVER_LOG_WARNING)
            state->log.warning(line);
        else
            state->log.write(rl_log_level(level), line);
    } catch (...) {
        // A log sink that throws must not unwind into the driver.
    }
}

void host_error(void* user, const char* message)
{
    try {
        state_of(user)->last_error = message ? message : "";
    } catch (...) {
    }
}

rl_driver_output* host_open_output(void* user, const char* name,
                                   const char** path)
{
    auto* state = state_of(user);
    try {
        std::string file = name ? name : "";
        if (std::string reason = check_output_name(file); !reason.empty()) {
            state->last_error = reason;
            return nullptr;
        }
        auto output = std::make_unique<rl_driver_output>();
        output->output = state->connection->open_output(file);
        output->path = output->output->path().string();
        if (path)
            *path = output->path.c_str();
        if (state->observer)
            state->observer(output->path, true);
        state->outputs.push_back(std::move(output));
        return state->outputs.back().get();
    } catch (const std::exception& e) {
        state->last_error = plain_message(e);
    } catch (...) {
        state->last_error = "cannot open output";
    }
    return nullptr;
}

int host_write_output(void* user, rl_driver_output* output, const void* data,
                      size_t size)
{
    auto* state = state_of(user);
    try {
        output->output->write(data, size);
        return 0;
    } catch (const std::exception& e) {
        state->last_error = plain_message(e);
    } catch (...) {
        state->last_error = "cannot write output";
    }
    return 1;
}

int host_close_output(void* user, rl_driver_output* output, int commit)
{
    return state_of(user)->close(output, commit != 0) ? 0 : 1;
}

const char* host_option(void* user, const char* key)
{
    auto* state = state_of(user);
    auto found = state->options.find(key ? key : "");
    return found == state->options.end() ? nullptr : found->second.c_str();
}

const char* host_option_key(void* user, int index)
{
    auto* state = state_of(user);
    if (index < 0 || size_t(index) >= state->options.size())
        return nullptr;
    return std::next(state->options.begin(), index)->first.c_str();
}

} // namespace

bool DriverJob::State::close(rl_driver_output* output, bool commit) noexcept
{
    auto found = std::find_if(outputs.begin(), outputs.end(),
                              [&](const auto& o) { return o.get() == output; });
    if (found == outputs.end()) {
        last_error = "close_output on an output that is not open";
        return false;
    }
    bool ok = true;
    try {
        if (commit)
            output->output->commit();
        else
            output->output->discard();
    } catch (const std::exception& e) {
        last_error = plain_message(e);
        ok = false;
    }
    if (observer)
        observer(output->path, false);
    outputs.erase(found);
    return ok;
}

void DriverJob::State::discard_all() noexcept
{
    for (auto& output : outputs) {
        output->output->discard();
        if (observer)
            observer(output->path, false);
    }
    outputs.clear();
}

// Copy INFO into STATE so it outlives the caller's strings.
static void copy_info(DriverJob::State& state, const rl_driver_job_info& info)
{
    state.job_id = info.job_id ? info.job_id : "";
    state.job_name = info.job_name ? info.job_name : "";
    state.device_id = info.device_id ? info.device_id : "";
    for (int i = 0; i < info.ink_count; ++i)
        state.ink_names.emplace_back(info.ink_names[i] ? info.ink_names[i]
                                                       : "");
    for (const std::string& name : state.ink_names)
        state.ink_pointers.push_back(name.c_str());
    state.info = info;
    state.info.size = sizeof(rl_driver_job_info);
    state.info.job_id = state.job_id.c_str();
    state.info.job_name = state.job_name.c_str();
    state.info.device_id = state.device_id.c_str();
    state.info.ink_names = state.ink_pointers.data();
}

DriverJob::DriverJob(const DriverModule& module, const std::string& output_uri,
                     const std::map<std::string, std::string>& options,
                     const rl_driver_job_info& info, Log& log,
                     OutputObserver observer)
    : module_(module), log_(log),
      state_(std::make_unique<State>(log, module.table->id))
{
    state_->options = options;
    state_->observer = std::move(observer);
    check_options();
    check_capabilities(info);
    copy_info(*state_, info);
    state_->connection = Connection::open(output_uri);

    // The host table the driver calls back through.
    rl_driver_host& host = state_->host;
    host.size = sizeof(rl_driver_host);
    host.user = state_.get();
    host.log = host_log;
    host.error = host_error;
    host.open_output = host_open_output;
    host.write_output = host_write_output;
    host.close_output = host_close_output;
    host.option = host_option;
    host.option_key = host_option_key;

    rl_driver_session* session = nullptr;
    int status = module.table->begin_job(&host, &state_->info, &session);
    if (status == 0 && !session) {
        state_->last_error = "begin_job succeeded without a session";
        status = 1;
    }
    if (status != 0) {
        state_->discard_all();
        call("begin_job", status);
    }
    session_ = session;
}

DriverJob::~DriverJob()
{
    if (!finished_)
        abort();
}

void DriverJob::abort() noexcept
{
    if (session_)
        module_.table->abort_job(session_);
    session_ = nullptr;
    state_->discard_all();
}

static std::string depth_list(uint32_t depths)
{
    std::string list;
    for (int bits = 1; bits < 32; ++bits)
        if (depths & (1u << bits))
            list += (list.empty() ? "" : ", ") + std::to_string(bits);
    return list;
}

// A job the driver says it cannot take fails here, before any output.
void DriverJob::check_capabilities(const rl_driver_job_info& info) const
{
    const rl_driver& t = *module_.table;
    const std::string& id = state_->driver_id;
    auto refuse = [&](const std::string& why) {
        return Error(RL_ERROR_UNSUPPORTED, Stage::driver, id + ": " + why);
    };
    // A cutter-only driver gets no bands, so its inks do not matter.
    bool prints = info.ink_count > 0 && (t.kind & RL_DRIVER_PRINTER);
    if (prints && t.bit_depths != 0 &&
        (info.bits_per_dot <= 0 || info.bits_per_dot >= 32 ||
         !(t.bit_depths & (1u << info.bits_per_dot))))
        throw refuse(std::to_string(info.bits_per_dot) +
                     " bits per dot is not one of " + depth_list(t.bit_depths));
    if (prints && t.max_inks > 0 && info.ink_count > t.max_inks)
        throw refuse(std::to_string(info.ink_count) + " inks, at most " +
                     std::to_string(t.max_inks));
    if (prints && t.dpi_count > 0 && t.dpi_list) {
        bool listed = false;
        for (int i = 0; i < t.dpi_count; ++i)
            listed |= t.dpi_list[i] == int(std::lround(info.xdpi));
        if (!listed)
            throw refuse(std::to_string(std::lround(info.xdpi)) +
                         " dpi is not in the driver's dpi list");
    }
}

// Media larger than the driver's limits (ABI 1.1) fails the sheet.
void DriverJob::check_media(const rl_driver_sheet& sheet) const
{
    const rl_driver& t = *module_.table;
    if (t.size < offsetof(rl_driver, max_length_mm) + sizeof(double))
        return;
    auto too_big = [&](const char* what, double mm, double limit) {
        if (limit > 0 && mm > limit + 1e-6)
            throw Error(RL_ERROR_UNSUPPORTED, Stage::driver,
                        state_->driver_id + ": sheet " +
                            std::to_string(sheet.index + 1) + " is " +
                            std::to_string(mm) + " mm " + what +
                            ", the device takes " + std::to_string(limit));
    };
    too_big("wide", sheet.width_mm, t.max_width_mm);
    too_big("long", sheet.height_mm, t.max_length_mm);
}

// Unknown keys are worth a warning; a bad value fails the job now.
void DriverJob::check_options()
{
    auto descs = option_descs(*module_.table);
    if (descs.empty())
        return;
    for (const auto& [key, value] : state_->options) {
        const rl_driver_option_desc* match = nullptr;
        for (const rl_driver_option_desc& desc : descs) {
            std::string_view k = desc.key ? desc.key : "";
            bool family =
                k.ends_with('*') && key.starts_with(k.substr(0, k.size() - 1));
            if (k == key || family)
                match = &desc;
        }
        if (!match) {
            log_.warning("driver " + state_->driver_id + ": device option '" +
                         key + "' is not one the driver reads");
            continue;
        }
        if (std::string why = check_option_value(*match, value); !why.empty())
            throw Error(RL_ERROR_DRIVER, Stage::driver,
                        state_->driver_id + ": option " + key + ": " + why);
    }
}

// A non-zero STATUS fails the job with the driver's own message.
void DriverJob::call(const char* step, int status)
{
    if (status == 0)
        return;
    std::string message = state_->last_error;
    if (message.empty())
        message = std::string(step) + " failed (status " +
                  std::to_string(status) + ") without saying why";
    abort();
    finished_ = true;
    throw Error(RL_ERROR_DRIVER, Stage::driver,
                state_->driver_id + ": " + message);
}

static Error misuse(const std::string& message)
{
    return Error(RL_ERROR_INTERNAL, Stage::driver, message);
}

void DriverJob::begin_sheet(const rl_driver_sheet& sheet)
{
    if (!session_ || in_sheet_)
        throw misuse("begin_sheet while a sheet is open or the job is over");
    if (sheet.width_dots <= 0 || sheet.height_dots < 0)
        throw misuse("sheet " + std::to_string(sheet.index) + " is " +
                     std::to_string(sheet.width_dots) + " x " +
                     std::to_string(sheet.height_dots) + " dots");
    check_media(sheet);
    sheet_ = sheet;
    sheet_.size = sizeof(rl_driver_sheet);
    in_sheet_ = true;
    next_row_ = 0;
    cuts_written_ = false;
    call("begin_sheet", module_.table->begin_sheet(session_, &sheet_));
}

void DriverJob::write_band(const rl_driver_band& band)
{
    if (!in_sheet_ || cuts_written_)
        throw misuse("write_band outside a sheet or after its cut paths");
    if (band.y != next_row_ || band.rows <= 0 ||
        band.y + band.rows > sheet_.height_dots ||
        band.width_dots != sheet_.width_dots)
        throw misuse("band at row " + std::to_string(band.y) + " (" +
                     std::to_string(band.rows) + " rows) does not follow row " +
                     std::to_string(next_row_) + " of a sheet " +
                     std::to_string(sheet_.width_dots) + " dots wide");
    next_row_ += band.rows;
    if (!module_.table->write_band)
        return;
    rl_driver_band copy = band;
    copy.size = sizeof(rl_driver_band);
    call("write_band", module_.table->write_band(session_, &copy));
}

void DriverJob::write_cuts(const rl_driver_cut_path* paths, int path_count)
{
    if (!in_sheet_ || cuts_written_)
        throw misuse("write_cuts outside a sheet or twice for one sheet");
    cuts_written_ = true;
    auto write_cut = cut_callback(*module_.table);
    if (!write_cut || path_count <= 0)
        return;
    call("write_cut", write_cut(session_, paths, path_count));
}

void DriverJob::end_sheet()
{
    if (!in_sheet_)
        throw misuse("end_sheet without begin_sheet");
    in_sheet_ = false;
    call("end_sheet", module_.table->end_sheet(session_));
}

void DriverJob::finish()
{
    if (!session_ || in_sheet_)
        throw misuse("finish with a sheet open or the job already over");

    // end_job frees the session whatever it returns.
    rl_driver_session* session = std::exchange(session_, nullptr);
    call("end_job", module_.table->end_job(session));
    if (!state_->outputs.empty()) {
        log_.warning("driver " + state_->driver_id + ": " +
                     std::to_string(state_->outputs.size()) +
                     " output(s) left open at end_job were discarded");
        state_->discard_all();
    }
    try {
        state_->connection->finish();
    } catch (...) {
        finished_ = true;
        throw;
    }
    finished_ = true;
}

} // namespace ripline::plugins
