// SPDX-License-Identifier: AGPL-3.0-or-later
// The plugin host: finds driver modules, loads them, checks their ABI.
#pragma once

#include "core/common/log.hpp"

#include <ripline/driver.h>

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ripline::plugins {

// A loaded module: where it came from and its table (owned by the module).
struct DriverModule {
    std::filesystem::path path;
    const rl_driver* table;
};

// Why TABLE cannot be used by this host, or "" when it can: magic, ABI
// major, size, id and the callbacks every driver must have.
std::string check_table(const rl_driver* table);

// The ABI 1.1 parts of a table; empty or NULL when the module predates
// them (its `size` does not reach the field).
decltype(rl_driver::write_cut) cut_callback(const rl_driver& table);
std::span<const rl_driver_option_desc> option_descs(const rl_driver& table);

// Why VALUE is not a valid value for option DESC, or "" when it is.
std::string check_option_value(const rl_driver_option_desc& desc,
                               const std::string& value);

class Host {
public:
    explicit Host(Log& log);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    void add_search_path(const std::filesystem::path& dir);

    // Scan the search paths, then $RIPLINE_DRIVER_PATH (':'-separated),
    // once, for ripline-driver-*.so. A module that does not load or does
    // not match is a warning naming the file and the reason; the others
    // load. The first module of an id wins. Modules stay loaded while the
    // Host lives. Calling load() again does nothing.
    void load();

    const std::vector<DriverModule>& modules() const { return modules_; }

    // The module whose table id is ID, or nullptr.
    const DriverModule* find(std::string_view id) const;

    // The ripline-driver-host executable that runs drivers in a process
    // of their own: $RIPLINE_DRIVER_HOST, else the first search folder
    // (as load() walks them) that holds one, else libexec/ripline/ beside
    // the library's lib folder. Empty when there is none.
    std::filesystem::path driver_host() const;

private:
    std::vector<std::filesystem::path> search_dirs() const;

    struct Library;

    void load_dir(const std::filesystem::path& dir);
    void load_file(const std::filesystem::path& file);

    Log& log_;
    bool loaded_ = false;
    std::vector<std::filesystem::path> search_paths_;
    std::vector<std::unique_ptr<Library>> libraries_;
    std::vector<DriverModule> modules_;
};

} // namespace ripline::plugins
