// SPDX-License-Identifier: AGPL-3.0-or-later
// Connections: where a device's outputs go (a folder, a socket, stdout).
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace ripline::plugins {

// One output being written: a hidden local file until it is committed.
class Output {
public:
    virtual ~Output();

    // The local, seekable file the driver writes.
    const std::filesystem::path& path() const { return path_; }

    // Append bytes (for drivers that stream rather than write the file).
    void write(const void* data, size_t size);

    // Publish under the output's name; throws ripline::Error on failure.
    virtual void commit() = 0;

    // Throw it away; never throws.
    virtual void discard() noexcept;

protected:
    Output(std::filesystem::path temp_path, std::string name);
    void close_file();

    std::filesystem::path path_;
    std::string name_;
    std::FILE* file_ = nullptr;
};

// A device's output URI, opened once per job.
//   file:///dir or a plain path: each output is a file in the folder,
//     written as a hidden ".NAME.*.part" and renamed when committed.
//   tcp://host:port: one raw socket per job (port 9100 style); each
//     committed output is sent on it in order.
//   stdout: each committed output is written to standard output.
// Throws ripline::Error(RL_ERROR_IO, Stage::driver, ...) naming the URI
// when the folder cannot be created or written, or the socket connected.
class Connection {
public:
    static std::unique_ptr<Connection> open(const std::string& uri);
    virtual ~Connection();

    const std::string& uri() const { return uri_; }

    // A new output called NAME (a file name without folders).
    virtual std::unique_ptr<Output> open_output(const std::string& name) = 0;

    // Everything is sent: close sockets and report a failure to do so.
    virtual void finish() {}

protected:
    explicit Connection(std::string uri) : uri_(std::move(uri)) {}

    std::string uri_;
};

// Why NAME cannot name an output ("" when it can): empty, hidden, or with
// a folder in it.
std::string check_output_name(const std::string& name);

} // namespace ripline::plugins
