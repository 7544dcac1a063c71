// SPDX-License-Identifier: AGPL-3.0-or-later
// The plugin host: module discovery, loading with Boost.DLL, ABI checks.
#include "plugins/host.hpp"

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <system_error>

#include <dlfcn.h>

namespace fs = std::filesystem;

namespace ripline::plugins {

struct Host::Library {
    boost::dll::shared_library library;
};

// True when a table of the module's `size` holds the field at OFFSET.
static bool covers(const rl_driver& table, size_t offset, size_t bytes)
{
    return table.size >= offset + bytes;
}

decltype(rl_driver::write_cut) cut_callback(const rl_driver& table)
{
    if (!covers(table, offsetof(rl_driver, write_cut), sizeof(table.write_cut)))
        return nullptr;
    return table.write_cut;
}

std::span<const rl_driver_option_desc> option_descs(const rl_driver& table)
{
    if (!covers(table, offsetof(rl_driver, option_count), sizeof(int)) ||
        !table.options || table.option_count <= 0)
        return {};
    return {table.options, size_t(table.option_count)};
}

static bool valid_id(const char* id)
{
    if (!id || !*id)
        return false;
    return std::all_of(id, id + std::char_traits<char>::length(id), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '_';
    });
}

std::string check_table(const rl_driver* table)
{
    if (!table)
        return "rl_driver_entry() returned NULL";
    if (table->magic != RL_DRIVER_MAGIC)
        return "bad magic number (not a ripline driver table)";
    if (table->abi_major != RL_DRIVER_ABI_MAJOR)
        return "ABI major " + std::to_string(table->abi_major) +
               ", this host speaks " + std::to_string(RL_DRIVER_ABI_MAJOR);
    if (table->size < RL_DRIVER_SIZE_1_0)
        return "table size " + std::to_string(table->size) +
               " is smaller than ABI 1.0's " +
               std::to_string(RL_DRIVER_SIZE_1_0);
    if (!valid_id(table->id))
        return "driver id missing or not made of [a-z0-9_-]";
    if (!table->begin_job || !table->begin_sheet || !table->end_sheet ||
        !table->end_job || !table->abort_job)
        return "a required callback is NULL";
    if ((table->kind & (RL_DRIVER_PRINTER | RL_DRIVER_CUTTER)) == 0)
        return "kind is neither printer nor cutter";
    if ((table->kind & RL_DRIVER_PRINTER) && !table->write_band)
        return "a printer driver without write_band";
    if ((table->kind & RL_DRIVER_CUTTER) && !cut_callback(*table))
        return "a cutter driver without write_cut";
    return {};
}

static bool parses_as(const std::string& value, int type)
{
    char* end = nullptr;
    switch (type) {
    case RL_DRIVER_OPTION_INT:
        std::strtol(value.c_str(), &end, 10);
        return !value.empty() && *end == '\0';
    case RL_DRIVER_OPTION_NUMBER:
        std::strtod(value.c_str(), &end);
        return !value.empty() && *end == '\0';
    case RL_DRIVER_OPTION_BOOL:
        return value == "true" || value == "false" || value == "1" ||
               value == "0" || value == "yes" || value == "no";
    default:
        return true;
    }
}

static bool is_choice(const std::string& value, const char* choices)
{
    std::string_view rest = choices ? choices : "";
    while (!rest.empty()) {
        size_t bar = rest.find('|');
        if (rest.substr(0, bar) == value)
            return true;
        if (bar == std::string_view::npos)
            break;
        rest.remove_prefix(bar + 1);
    }
    return false;
}

std::string check_option_value(const rl_driver_option_desc& desc,
                               const std::string& value)
{
    static const char* const type_names[] = {"a string", "an integer",
                                             "a number", "true or false"};
    if (desc.type == RL_DRIVER_OPTION_ENUM) {
        if (is_choice(value, desc.choices))
            return {};
        return "'" + value + "' is not one of " +
               (desc.choices ? desc.choices : "(no choices)");
    }
    if (desc.type < RL_DRIVER_OPTION_STRING ||
        desc.type > RL_DRIVER_OPTION_BOOL)
        return "unknown option type " + std::to_string(desc.type);
    if (!parses_as(value, desc.type))
        return "'" + value + "' is not " + type_names[desc.type];
    return {};
}

Host::Host(Log& log) : log_(log) {}

// Tables point into the libraries, so modules go before libraries.
Host::~Host()
{
    modules_.clear();
    libraries_.clear();
}

void Host::add_search_path(const fs::path& dir)
{
    search_paths_.push_back(dir);
}

void Host::load()
{
    if (loaded_)
        return;
    loaded_ = true;
    for (const fs::path& dir : search_dirs())
        load_dir(dir);
}

// The caller's folders first, then the environment's.
std::vector<fs::path> Host::search_dirs() const
{
    std::vector<fs::path> dirs = search_paths_;
    if (const char* env = std::getenv("RIPLINE_DRIVER_PATH")) {
        std::string_view rest = env;
        while (!rest.empty()) {
            size_t colon = rest.find(':');
            if (colon != 0)
                dirs.emplace_back(rest.substr(0, colon));
            if (colon == std::string_view::npos)
                break;
            rest.remove_prefix(colon + 1);
        }
    }
    return dirs;
}

static constexpr const char* driver_host_name = "ripline-driver-host";

// LIBDIR/../libexec/ripline/ of the file this code was linked into.
static fs::path installed_driver_host()
{
    Dl_info info{};
    if (!::dladdr(reinterpret_cast<void*>(&installed_driver_host), &info) ||
        !info.dli_fname)
        return {};
    fs::path lib = fs::path(info.dli_fname).parent_path();
    return lib.parent_path() / "libexec" / "ripline" / driver_host_name;
}

fs::path Host::driver_host() const
{
    std::error_code ec;
    if (const char* env = std::getenv("RIPLINE_DRIVER_HOST"); env && *env)
        return env;
    for (const fs::path& dir : search_dirs())
        if (fs::is_regular_file(dir / driver_host_name, ec))
            return dir / driver_host_name;
    fs::path installed = installed_driver_host();
    if (!installed.empty() && fs::is_regular_file(installed, ec))
        return installed;
    return {};
}

static bool is_module_name(const fs::path& file)
{
    std::string name = file.filename().string();
    return name.starts_with("ripline-driver-") && name.ends_with(".so");
}

void Host::load_dir(const fs::path& dir)
{
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
        log_.debug("plugins: search path " + dir.string() + ": " +
                   ec.message());
        return;
    }

    // Sorted, so which module wins an id does not depend on the disk.
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : it)
        if (is_module_name(entry.path()))
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files)
        load_file(file);
}

void Host::load_file(const fs::path& file)
{
    auto library = std::make_unique<Library>();
    const rl_driver* table = nullptr;

    // Load, find the entry point and ask it for the table.
    try {
        library->library.load(file, boost::dll::load_mode::rtld_now |
                                        boost::dll::load_mode::rtld_local);
        if (!library->library.has(RL_DRIVER_ENTRY_SYMBOL)) {
            log_.warning("plugins: " + file.string() + ": no " +
                         RL_DRIVER_ENTRY_SYMBOL + " symbol; module skipped");
            return;
        }
        table =
            library->library.get<const rl_driver*()>(RL_DRIVER_ENTRY_SYMBOL)();
    } catch (const std::exception& e) {
        log_.warning("plugins: " + file.string() +
                     ": cannot load: " + e.what() + "; module skipped");
        return;
    }

    // Refuse what this host cannot drive, and ids already taken.
    if (std::string reason = check_table(table); !reason.empty()) {
        log_.warning("plugins: " + file.string() + ": " + reason +
                     "; module skipped");
        return;
    }
    if (const DriverModule* first = find(table->id)) {
        log_.warning("plugins: " + file.string() + ": driver id '" + table->id +
                     "' is already loaded from " + first->path.string() +
                     "; module skipped");
        return;
    }
    libraries_.push_back(std::move(library));
    modules_.push_back({file, table});
    log_.info("plugins: driver " + std::string(table->id) + " " +
              (table->version ? table->version : "") + " loaded from " +
              file.string());
}

const DriverModule* Host::find(std::string_view id) const
{
    for (const DriverModule& module : modules_)
        if (id == module.table->id)
            return &module;
    return nullptr;
}

} // namespace ripline::plugins
