// SPDX-License-Identifier: AGPL-3.0-or-later
// Connections: folder outputs with atomic publish, raw TCP and stdout.
#include "plugins/connection.hpp"

#include "core/common/error.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace ripline::plugins {

static Error io_error(const std::string& message)
{
    return Error(RL_ERROR_IO, Stage::driver, message);
}

// A suffix no other output of this process or another one is using.
static std::string unique_suffix()
{
    static std::atomic<unsigned long> counter{0};
    return std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

std::string check_output_name(const std::string& name)
{
    if (name.empty())
        return "an output name is empty";
    if (name.find('/') != std::string::npos || name == "..")
        return "output name '" + name + "' has a folder in it";
    if (name[0] == '.')
        return "output name '" + name + "' starts with '.' (hidden)";
    return {};
}

Output::Output(fs::path temp_path, std::string name)
    : path_(std::move(temp_path)), name_(std::move(name))
{
    // Create it now, so the driver gets a file that exists.
    std::FILE* file = std::fopen(path_.c_str(), "wb");
    if (!file)
        throw io_error("cannot create output " + name_ + " in " +
                       path_.parent_path().string() + ": " +
                       std::strerror(errno));
    std::fclose(file);
}

Output::~Output() = default;

void Output::write(const void* data, size_t size)
{
    if (!file_)
        file_ = std::fopen(path_.c_str(), "ab");
    if (!file_ || std::fwrite(data, 1, size, file_) != size)
        throw io_error("cannot write " + path_.string() + ": " +
                       std::strerror(errno));
}

void Output::close_file()
{
    if (!file_)
        return;
    bool failed = std::ferror(file_) != 0;
    failed |= std::fclose(file_) != 0;
    file_ = nullptr;
    if (failed)
        throw io_error("cannot write " + path_.string() + ": " +
                       std::strerror(errno));
}

void Output::discard() noexcept
{
    if (file_)
        std::fclose(file_);
    file_ = nullptr;
    std::error_code ec;
    fs::remove(path_, ec);
}

namespace {

// ---- file:// and plain folders ----

class FolderOutput : public Output {
public:
    FolderOutput(const fs::path& dir, const std::string& name)
        : Output(dir / ("." + name + "." + unique_suffix() + ".part"), name),
          final_(dir / name)
    {
    }
    ~FolderOutput() override { discard(); }

    void commit() override
    {
        close_file();
        std::error_code ec;
        fs::rename(path_, final_, ec);
        if (ec)
            throw io_error("cannot publish " + final_.string() + ": " +
                           ec.message());
        path_.clear();
    }

    void discard() noexcept override
    {
        if (!path_.empty())
            Output::discard();
        path_.clear();
    }

private:
    fs::path final_;
};

class FolderConnection : public Connection {
public:
    FolderConnection(std::string uri, fs::path dir)
        : Connection(std::move(uri)), dir_(std::move(dir))
    {
        std::error_code ec;
        fs::create_directories(dir_, ec);
        if (ec)
            throw io_error("cannot create output folder " + dir_.string() +
                           " (" + uri_ + "): " + ec.message());
        probe();
    }

    std::unique_ptr<Output> open_output(const std::string& name) override
    {
        return std::make_unique<FolderOutput>(dir_, name);
    }

private:
    // Fail at the start of the job, not after the first sheet.
    void probe()
    {
        fs::path test = dir_ / (".ripline-probe-" + unique_suffix());
        std::FILE* file = std::fopen(test.c_str(), "wb");
        if (!file)
            throw io_error("output folder " + dir_.string() + " (" + uri_ +
                           ") is not writable: " + std::strerror(errno));
        std::fclose(file);
        std::error_code ec;
        fs::remove(test, ec);
    }

    fs::path dir_;
};

// ---- tcp:// and stdout: outputs spooled locally, sent when committed ----

using Sink = std::function<void(const char* data, size_t size)>;

class SpoolOutput : public Output {
public:
    SpoolOutput(const std::string& name, Sink& sink)
        : Output(fs::temp_directory_path() /
                     ("ripline-" + unique_suffix() + ".part"),
                 name),
          sink_(sink)
    {
    }
    ~SpoolOutput() override { discard(); }

    void commit() override
    {
        close_file();
        std::ifstream in(path_, std::ios::binary);
        std::vector<char> chunk(1 << 16);
        while (in) {
            in.read(chunk.data(), std::streamsize(chunk.size()));
            if (in.gcount() > 0)
                sink_(chunk.data(), size_t(in.gcount()));
        }
        Output::discard();
    }

private:
    Sink& sink_;
};

// Write all of DATA to FD, or throw naming WHAT.
void write_all(int fd, const char* data, size_t size, const std::string& what)
{
    while (size > 0) {
        ssize_t n = fd == 1 ? ::write(fd, data, size)
                            : ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw io_error("cannot send to " + what + ": " +
                           std::strerror(errno));
        data += n;
        size -= size_t(n);
    }
}

class StdoutConnection : public Connection {
public:
    explicit StdoutConnection(std::string uri) : Connection(std::move(uri))
    {
        sink_ = [this](const char* data, size_t size) {
            write_all(1, data, size, uri_);
        };
    }

    std::unique_ptr<Output> open_output(const std::string& name) override
    {
        return std::make_unique<SpoolOutput>(name, sink_);
    }

private:
    Sink sink_;
};

class TcpConnection : public Connection {
public:
    TcpConnection(std::string uri, const std::string& host,
                  const std::string& port)
        : Connection(std::move(uri))
    {
        connect_to(host, port);
        sink_ = [this](const char* data, size_t size) {
            write_all(fd_, data, size, uri_);
        };
    }
    ~TcpConnection() override
    {
        if (fd_ >= 0)
            ::close(fd_);
    }

    std::unique_ptr<Output> open_output(const std::string& name) override
    {
        return std::make_unique<SpoolOutput>(name, sink_);
    }

    // The printer takes the end of the stream as the end of the job.
    void finish() override
    {
        if (fd_ < 0)
            return;
        ::shutdown(fd_, SHUT_WR);
        int status = ::close(fd_);
        fd_ = -1;
        if (status != 0)
            throw io_error("cannot close " + uri_ + ": " +
                           std::strerror(errno));
    }

private:
    // Connect FD to A, giving up after connect_timeout_ms; a printer
    // that is switched off must not hang the job for minutes.
    static bool connect_within(int fd, const addrinfo* a, std::string& reason)
    {
        constexpr int connect_timeout_ms = 10000;
        int flags = ::fcntl(fd, F_GETFL, 0);
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        int status = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (status != 0 && errno == EINPROGRESS) {
            pollfd wait{fd, POLLOUT, 0};
            status = ::poll(&wait, 1, connect_timeout_ms);
            if (status == 0) {
                reason = "no answer within 10 s";
                return false;
            }
            int error = 0;
            socklen_t size = sizeof error;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
            errno = error;
            status = error == 0 ? 0 : -1;
        }
        if (status != 0) {
            reason = std::strerror(errno);
            return false;
        }
        ::fcntl(fd, F_SETFL, flags);
        return true;
    }

    void connect_to(const std::string& host, const std::string& port)
    {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        int status = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
        if (status != 0)
            throw io_error("cannot resolve " + uri_ + ": " +
                           ::gai_strerror(status));
        std::string reason = "no address";
        for (addrinfo* a = found; a && fd_ < 0; a = a->ai_next) {
            int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
            if (fd >= 0 && connect_within(fd, a, reason)) {
                fd_ = fd;
                break;
            }
            if (fd < 0)
                reason = std::strerror(errno);
            if (fd >= 0)
                ::close(fd);
        }
        ::freeaddrinfo(found);
        if (fd_ < 0)
            throw io_error("cannot connect to " + uri_ + ": " + reason);
    }

    int fd_ = -1;
    Sink sink_;
};

std::unique_ptr<Connection> open_tcp(const std::string& uri)
{
    // tcp://host:port, or tcp://[v6 address]:port
    std::string rest = uri.substr(6);
    while (!rest.empty() && rest.back() == '/')
        rest.pop_back();
    size_t colon = rest.rfind(':');
    if (colon == std::string::npos || colon + 1 == rest.size())
        throw io_error("connection " + uri + " has no port (tcp://host:port)");
    std::string host = rest.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return std::make_unique<TcpConnection>(uri, host, rest.substr(colon + 1));
}

// "file:///a/b", "file://localhost/a/b" -> "/a/b", with %XX decoded.
fs::path folder_of_file_uri(const std::string& uri)
{
    std::string rest = uri.substr(7);
    if (rest.starts_with("localhost/"))
        rest = rest.substr(9);
    if (rest.empty() || rest[0] != '/')
        throw io_error("connection " + uri +
                       " is not a local folder (file:///dir)");
    std::string decoded;
    for (size_t i = 0; i < rest.size(); ++i) {
        unsigned byte = 0;
        if (rest[i] == '%' && i + 2 < rest.size() &&
            std::sscanf(rest.c_str() + i + 1, "%2x", &byte) == 1) {
            decoded += char(byte);
            i += 2;
        } else {
            decoded += rest[i];
        }
    }
    return decoded;
}

} // namespace

Connection::~Connection() = default;

std::unique_ptr<Connection> Connection::open(const std::string& uri)
{
    if (uri.empty())
        throw io_error("the device has no output connection");
    if (uri == "stdout" || uri == "stdout:")
        return std::make_unique<StdoutConnection>(uri);
    if (uri.starts_with("tcp://"))
        return open_tcp(uri);
    if (uri.starts_with("file://"))
        return std::make_unique<FolderConnection>(uri, folder_of_file_uri(uri));
    if (uri.find("://") != std::string::npos)
        throw io_error("connection " + uri +
                       ": unknown scheme (file://, "
                       "tcp:// and stdout are known)");
    return std::make_unique<FolderConnection>(uri, fs::path(uri));
}

} // namespace ripline::plugins
