// SPDX-License-Identifier: AGPL-3.0-or-later
// The C++ driver SDK: write a driver as a class, get the C table for free.
//
// Header-only, and it depends on nothing but include/ripline/driver.h and
// the standard library, so a driver module never links the core. A driver
// writes a Session class:
//
//   class MySession {
//   public:
//       MySession(const ripline::sdk::Host& host,
//                 const rl_driver_job_info& job);   // begin_job
//       void begin_sheet(const rl_driver_sheet& sheet);
//       void write_band(const rl_driver_band& band);  // printers
//       void write_cut(std::span<const rl_driver_cut_path> paths); // cutters
//       void end_sheet();
//       void end_job();    // commit the outputs
//   };                     // the destructor discards what is not committed
//
// and exports  ripline::sdk::driver_table<MySession>()  with its id and
// capabilities filled in. An exception thrown by a Session becomes the
// callback's error message; nothing crosses the C boundary.
#pragma once

#include <ripline/driver.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ripline::sdk {

// A failure whose message the host already has (it failed a host call).
class HostFailure : public std::exception {
public:
    const char* what() const noexcept override { return "host call failed"; }
};

class Host;

// One output opened through the host; discarded unless commit() is called.
class Output {
public:
    Output() = default;
    Output(const rl_driver_host* host, rl_driver_output* output,
           const char* path)
        : host_(host), output_(output), path_(path ? path : "")
    {
    }
    Output(Output&& other) noexcept { *this = std::move(other); }
    Output& operator=(Output&& other) noexcept
    {
        discard();
        host_ = std::exchange(other.host_, nullptr);
        output_ = std::exchange(other.output_, nullptr);
        path_ = std::move(other.path_);
        return *this;
    }
    ~Output() { discard(); }

    bool is_open() const { return output_ != nullptr; }

    // The local file to write with any library (libtiff, libpng, ...).
    const std::string& path() const { return path_; }

    // Append bytes; for formats written as a stream.
    void write(const void* data, size_t size)
    {
        if (host_->write_output(host_->user, output_, data, size) != 0)
            throw HostFailure();
    }

    // Publish the output under its name.
    void commit()
    {
        int status = host_->close_output(host_->user, output_, 1);
        output_ = nullptr;
        if (status != 0)
            throw HostFailure();
    }

    // Throw the output away; safe to call twice.
    void discard() noexcept
    {
        if (output_)
            host_->close_output(host_->user, output_, 0);
        output_ = nullptr;
    }

private:
    const rl_driver_host* host_ = nullptr;
    rl_driver_output* output_ = nullptr;
    std::string path_;
};

// The host as a driver sees it: log, options, outputs.
class Host {
public:
    explicit Host(const rl_driver_host* host) : host_(host) {}

    void log(int level, const std::string& message) const
    {
        host_->log(host_->user, level, message.c_str());
    }
    void info(const std::string& m) const { log(RL_DRIVER_LOG_INFO, m); }
    void warning(const std::string& m) const { log(RL_DRIVER_LOG_WARNING, m); }

    // The device's value for KEY, or FALLBACK when it has none.
    std::string option(const char* key, const std::string& fallback) const
    {
        const char* value = host_->option(host_->user, key);
        return value ? value : fallback;
    }

    // The keys of every device option (empty with an ABI 1.0 host).
    std::vector<std::string> option_keys() const
    {
        std::vector<std::string> keys;
        if (host_->size <
            offsetof(rl_driver_host, option_key) + sizeof(host_->option_key))
            return keys;
        for (int i = 0;; ++i) {
            const char* key = host_->option_key(host_->user, i);
            if (!key)
                return keys;
            keys.emplace_back(key);
        }
    }

    // A numeric option; a value that is not a number is an error.
    double option_number(const char* key, double fallback) const
    {
        const char* value = host_->option(host_->user, key);
        if (!value)
            return fallback;
        char* end = nullptr;
        double number = std::strtod(value, &end);
        if (end == value || *end != '\0')
            throw std::runtime_error(std::string("option ") + key + ": '" +
                                     value + "' is not a number");
        return number;
    }

    long option_int(const char* key, long fallback) const
    {
        const char* value = host_->option(host_->user, key);
        if (!value)
            return fallback;
        char* end = nullptr;
        long number = std::strtol(value, &end, 10);
        if (end == value || *end != '\0')
            throw std::runtime_error(std::string("option ") + key + ": '" +
                                     value + "' is not an integer");
        return number;
    }

    bool option_bool(const char* key, bool fallback) const
    {
        std::string value = option(key, fallback ? "true" : "false");
        if (value == "true" || value == "1" || value == "yes")
            return true;
        if (value == "false" || value == "0" || value == "no")
            return false;
        throw std::runtime_error(std::string("option ") + key + ": '" + value +
                                 "' is not true or false");
    }

    // Open output NAME; a host failure is already reported, so it throws
    // HostFailure rather than a message of its own.
    Output open_output(const std::string& name) const
    {
        const char* path = nullptr;
        rl_driver_output* output =
            host_->open_output(host_->user, name.c_str(), &path);
        if (!output)
            throw HostFailure();
        return Output(host_, output, path);
    }

    void report(const char* message) const
    {
        host_->error(host_->user, message);
    }

private:
    const rl_driver_host* host_;
};

// TEXT as a part of an output file name: ASCII letters, digits, '-' and
// '_' kept, anything else '_', never empty.
inline std::string file_part(const std::string& text)
{
    std::string safe;
    for (char c : text) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
        safe += keep ? c : '_';
    }
    return safe.empty() ? "_" : safe;
}

// Row R of plane P of a band.
inline const uint8_t* band_row(const rl_driver_band& band, int plane, int r)
{
    return band.planes[plane] + size_t(r) * band.stride;
}

// The value of dot X in a packed row of BITS-bit dots, MSB first; at 16
// bits a dot is a uint16_t in the host's byte order.
inline unsigned dot_value(const uint8_t* row, int x, int bits)
{
    uint16_t wide = 0;
    switch (bits) {
    case 1:
        return (row[x >> 3] >> (7 - (x & 7))) & 1u;
    case 2:
        return (row[x >> 2] >> (6 - 2 * (x & 3))) & 3u;
    case 4:
        return (row[x >> 1] >> (4 - 4 * (x & 1))) & 15u;
    case 16:
        std::memcpy(&wide, row + 2 * size_t(x), sizeof wide);
        return wide;
    default:
        return row[x];
    }
}

// Bytes in one packed row of WIDTH_DOTS dots at BITS per dot.
inline size_t row_bytes(int width_dots, int bits)
{
    return (size_t(width_dots) * size_t(bits) + 7) / 8;
}

namespace detail {

// What a session pointer is to the host: the host next to the session.
template <class Session>
struct Holder {
    Host host;
    Session session;
    Holder(const rl_driver_host* h, const rl_driver_job_info& job)
        : host(h), session(host, job)
    {
    }
};

template <class Session>
Holder<Session>* holder(rl_driver_session* session)
{
    return reinterpret_cast<Holder<Session>*>(session);
}

// Run STEP; turn any exception into the host's error and a status of 1.
template <class Step>
int guarded(const Host& host, Step&& step) noexcept
{
    try {
        step();
        return 0;
    } catch (const HostFailure&) {
        return 1;
    } catch (const std::exception& e) {
        host.report(e.what());
    } catch (...) {
        host.report("unknown exception in the driver");
    }
    return 1;
}

template <class Session>
struct Trampolines {
    static int begin_job(const rl_driver_host* host,
                         const rl_driver_job_info* job,
                         rl_driver_session** out) noexcept
    {
        Host reporter(host);
        return guarded(reporter, [&] {
            auto* made = new Holder<Session>(host, *job);
            *out = reinterpret_cast<rl_driver_session*>(made);
        });
    }
    static int begin_sheet(rl_driver_session* s,
                           const rl_driver_sheet* sheet) noexcept
    {
        auto* h = holder<Session>(s);
        return guarded(h->host, [&] { h->session.begin_sheet(*sheet); });
    }
    static int write_band(rl_driver_session* s,
                          const rl_driver_band* band) noexcept
    {
        auto* h = holder<Session>(s);
        return guarded(h->host, [&] { h->session.write_band(*band); });
    }
    static int write_cut(rl_driver_session* s, const rl_driver_cut_path* p,
                         int count) noexcept
    {
        auto* h = holder<Session>(s);
        return guarded(h->host, [&] {
            h->session.write_cut(std::span(p, size_t(count)));
        });
    }
    static int end_sheet(rl_driver_session* s) noexcept
    {
        auto* h = holder<Session>(s);
        return guarded(h->host, [&] { h->session.end_sheet(); });
    }
    static int end_job(rl_driver_session* s) noexcept
    {
        auto* h = holder<Session>(s);
        int status = guarded(h->host, [&] { h->session.end_job(); });
        delete h;
        return status;
    }
    static void abort_job(rl_driver_session* s) noexcept
    {
        delete holder<Session>(s);
    }
};

} // namespace detail

// A table with the ABI header and the callbacks of SESSION filled in; the
// driver sets id, description, version, kind and capabilities.
template <class Session>
rl_driver driver_table()
{
    using T = detail::Trampolines<Session>;
    rl_driver table{};
    table.magic = RL_DRIVER_MAGIC;
    table.abi_major = RL_DRIVER_ABI_MAJOR;
    table.abi_minor = RL_DRIVER_ABI_MINOR;
    table.size = sizeof(rl_driver);
    table.begin_job = T::begin_job;
    table.begin_sheet = T::begin_sheet;
    table.end_sheet = T::end_sheet;
    table.end_job = T::end_job;
    table.abort_job = T::abort_job;

    // Only what the session implements: a cutter has no write_band.
    if constexpr (requires(Session & s, const rl_driver_band& b) {
                      s.write_band(b);
                  })
        table.write_band = T::write_band;
    if constexpr (requires(Session & s, std::span<const rl_driver_cut_path> p) {
                      s.write_cut(p);
                  })
        table.write_cut = T::write_cut;
    return table;
}

} // namespace ripline::sdk
