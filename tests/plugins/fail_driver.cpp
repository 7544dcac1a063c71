// SPDX-License-Identifier: AGPL-3.0-or-later
// A test driver (SDK-built) that fails, or crashes, where its options say.
#include "plugins/sdk/driver_sdk.hpp"

#include <csignal>
#include <cstdlib>
#include <string>

// Built a second time as "crash", which crashes in write_band unasked.
#ifdef CRASH_BY_DEFAULT
#define DRIVER_ID "crash"
#define DEFAULT_FAIL_AT "write_band"
#define DEFAULT_CRASH "true"
#else
#define DRIVER_ID "fail"
#define DEFAULT_FAIL_AT ""
#define DEFAULT_CRASH "false"
#endif

namespace {

using ripline::sdk::Host;

class FailSession {
public:
    FailSession(const Host& host, const rl_driver_job_info&)
        : host_(host), fail_at_(host.option("fail_at", DEFAULT_FAIL_AT)),
          silent_(host.option_bool("silent", false))
    {
        maybe_fail("begin_job");
    }

    void begin_sheet(const rl_driver_sheet& sheet)
    {
        maybe_fail("begin_sheet");
        output_ =
            host_.open_output("sheet" + std::to_string(sheet.index) + ".txt");
    }
    void write_band(const rl_driver_band& band)
    {
        maybe_fail("write_band");
        std::string line = "band " + std::to_string(band.y) + "\n";
        output_.write(line.data(), line.size());
    }
    void write_cut(std::span<const rl_driver_cut_path> paths)
    {
        maybe_fail("write_cut");
        std::string line = "cuts " + std::to_string(paths.size()) + "\n";
        output_.write(line.data(), line.size());
    }
    void end_sheet()
    {
        maybe_fail("end_sheet");
        output_.commit();
    }
    void end_job() { maybe_fail("end_job"); }

private:
    void maybe_fail(const char* step)
    {
        if (fail_at_ != step)
            return;
        if (host_.option("crash", DEFAULT_CRASH) == "true")
            std::raise(SIGSEGV);
        if (host_.option_bool("abort", false))
            std::abort();
        if (host_.option_bool("exit", false))
            std::_Exit(3);
        throw std::runtime_error(
            silent_ ? "" : std::string("failed at ") + step + " on purpose");
    }

    Host host_;
    std::string fail_at_;
    bool silent_;
    ripline::sdk::Output output_;
};

const rl_driver_option_desc fail_options[] = {
    {"fail_at", RL_DRIVER_OPTION_STRING, "", nullptr, "step that fails"},
    {"silent", RL_DRIVER_OPTION_BOOL, "false", nullptr, "fail without text"},
    {"crash", RL_DRIVER_OPTION_BOOL, "false", nullptr, "crash instead"},
    {"abort", RL_DRIVER_OPTION_BOOL, "false", nullptr, "abort() instead"},
    {"exit", RL_DRIVER_OPTION_BOOL, "false", nullptr, "_Exit(3) instead"},
};

} // namespace

extern "C" RL_DRIVER_EXPORT const rl_driver* rl_driver_entry(void)
{
    static const rl_driver table = [] {
        rl_driver t = ripline::sdk::driver_table<FailSession>();
        t.id = DRIVER_ID;
        t.description = "fails where it is told to";
        t.version = "0";
        t.kind = RL_DRIVER_PRINTER | RL_DRIVER_CUTTER;
        t.bit_depths = (1u << 1) | (1u << 2) | (1u << 8);
        t.options = fail_options;
        t.option_count = 5;
        return t;
    }();
    return &table;
}
