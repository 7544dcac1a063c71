// SPDX-License-Identifier: AGPL-3.0-or-later
// Connections: atomic folder outputs, clear folder errors, TCP and stdout.
#include "core/common/error.hpp"
#include "plugins/connection.hpp"
#include "tests/drivers/driver_fixture.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace ripline;
using ripline::test::TempDir;

namespace {

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A one-connection listener on 127.0.0.1 that keeps what it receives.
class Listener {
public:
    Listener()
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address),
                       sizeof address) == 0);
        REQUIRE(::listen(fd_, 1) == 0);
        socklen_t size = sizeof address;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { receive(); });
    }
    ~Listener()
    {
        if (thread_.joinable())
            thread_.join();
        ::close(fd_);
    }
    int port() const { return port_; }

    // Everything received until the peer closed.
    const std::string& wait()
    {
        thread_.join();
        return received_;
    }

private:
    void receive()
    {
        int peer = ::accept(fd_, nullptr, nullptr);
        char chunk[4096];
        ssize_t n;
        while ((n = ::read(peer, chunk, sizeof chunk)) > 0)
            received_.append(chunk, size_t(n));
        ::close(peer);
    }

    int fd_ = -1;
    int port_ = 0;
    std::thread thread_;
    std::string received_;
};

} // namespace

TEST_CASE("connection: a folder output is hidden until it is committed")
{
    TempDir dir("conn");
    auto connection =
        plugins::Connection::open("file://" + dir.path().string());
    auto output = connection->open_output("a.bin");
    output->write("abc", 3);
    CHECK(output->path().parent_path() == dir.path());
    CHECK(output->path().filename().string().starts_with(".a.bin."));
    CHECK(dir.files().size() == 1); // only the hidden part
    output->commit();
    CHECK(dir.files() == std::vector<std::string>{"a.bin"});
    CHECK(read_file(dir.path() / "a.bin") == "abc");

    // A discarded one leaves nothing.
    auto dropped = connection->open_output("b.bin");
    dropped->write("x", 1);
    dropped->discard();
    CHECK(dir.files() == std::vector<std::string>{"a.bin"});
}

TEST_CASE("connection: a folder that cannot be made is an error naming it")
{
    TempDir dir("connbad");
    std::ofstream(dir.path() / "file") << "a file, not a folder";
    std::string uri = (dir.path() / "file" / "out").string();
    try {
        plugins::Connection::open(uri);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.status() == RL_ERROR_IO);
        CHECK(e.stage() == Stage::driver);
        CHECK_THAT(e.what(),
                   Catch::Contains("cannot create output folder " + uri));
    }
    CHECK_THROWS_WITH(plugins::Connection::open("ftp://host/x"),
                      Catch::Contains("ftp://host/x: unknown scheme"));
    CHECK_THROWS_WITH(plugins::Connection::open("tcp://127.0.0.1"),
                      Catch::Contains("has no port"));
}

TEST_CASE("connection: an output name with a folder in it is refused")
{
    CHECK(plugins::check_output_name("a_s001_C.tif").empty());
    CHECK(plugins::check_output_name("../x") ==
          "output name '../x' has a folder in it");
    CHECK(plugins::check_output_name(".hidden") ==
          "output name '.hidden' starts with '.' (hidden)");
}

TEST_CASE("connection: tcp:// sends committed outputs, in order, only them")
{
    Listener listener;
    std::string uri = "tcp://127.0.0.1:" + std::to_string(listener.port());
    {
        auto connection = plugins::Connection::open(uri);
        auto first = connection->open_output("one");
        auto dropped = connection->open_output("two");
        auto last = connection->open_output("three");
        first->write("first;", 6);
        dropped->write("dropped;", 8);
        last->write("last", 4);
        first->commit();
        dropped->discard();
        last->commit();
        connection->finish();
    }
    CHECK(listener.wait() == "first;last");
}

TEST_CASE("connection: tcp:// to a port nobody listens on names the URI")
{
    // Bind a port, then close it, so it is almost surely free.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    std::string uri =
        "tcp://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    CHECK_THROWS_WITH(plugins::Connection::open(uri),
                      Catch::Contains("cannot connect to " + uri));
}

TEST_CASE("connection: stdout receives committed outputs")
{
    TempDir dir("connstdout");
    std::filesystem::path capture = dir.path() / "stdout";

    // Point fd 1 at a file for the length of the test.
    std::fflush(stdout);
    int saved = ::dup(1);
    int file = ::open(capture.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(file, 1);
    ::close(file);
    {
        auto connection = plugins::Connection::open("stdout");
        auto output = connection->open_output("x.rtl");
        output->write("\x1b"
                      "E",
                      2);
        output->commit();
        connection->finish();
    }
    ::dup2(saved, 1);
    ::close(saved);
    CHECK(read_file(capture) == "\x1b"
                                "E");
}

TEST_CASE("connection: file:// URIs decode %XX escapes")
{
    TempDir dir("conn uri");
    std::string escaped = dir.path().string();
    size_t space = escaped.find(' ');
    REQUIRE(space != std::string::npos);
    escaped.replace(space, 1, "%20");
    auto connection = plugins::Connection::open("file://" + escaped);
    auto output = connection->open_output("x");
    output->commit();
    CHECK(std::filesystem::exists(dir.path() / "x"));
}
