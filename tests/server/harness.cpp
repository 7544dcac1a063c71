// SPDX-License-Identifier: AGPL-3.0-or-later
// The harness: process control, clients and fixtures for server tests.
#include "harness.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

namespace ripline::server::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ws = beast::websocket;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

nlohmann::json Reply::json() const {
    return nlohmann::json::parse(body, nullptr, false);
}

std::string Reply::message() const {
    auto value = json();
    if (value.is_object() && value.contains("Message"))
        return value["Message"].get<std::string>();
    if (value.is_string())
        return value.get<std::string>();
    return body;
}

std::string guid() {
    static std::mt19937_64 rng{std::random_device{}()};
    char text[40];
    std::uint64_t a = rng(), b = rng();
    std::snprintf(text, sizeof text, "%08x-%04x-4%03x-a%03x-%012llx",
                  unsigned(a >> 32), unsigned((a >> 16) & 0xffff),
                  unsigned(a & 0xfff), unsigned(b >> 52),
                  (unsigned long long)(b & 0xffffffffffffULL));
    return text;
}

std::string server_binary() { return RIPLINE_SERVER_BINARY; }

namespace {

std::string run_capture(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        throw std::runtime_error("cannot run " + command);
    std::string out;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe))
        out += buffer;
    if (::pclose(pipe) != 0)
        throw std::runtime_error(command + " failed: " + out);
    return out;
}

std::string field(const std::string& text, const std::string& name) {
    auto at = text.find(name + ": ");
    if (at == std::string::npos)
        throw std::runtime_error("no " + name + " in: " + text);
    at += name.size() + 2;
    return text.substr(at, text.find('\n', at) - at);
}

Tenant make_tenant(const fs::path& data, const std::string& name) {
    std::string out = run_capture(server_binary() +
                                  " admin create-account " + name +
                                  " --data " + data.string());
    return {field(out, "MisKey"), field(out, "SerialNumber"),
            field(out, "EmbeddedComputerGUID")};
}

unsigned short free_port() {
    asio::io_context ioc;
    tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> extra) {
    char pattern[] = "/tmp/ripline-server-test-XXXXXX";
    data_ = ::mkdtemp(pattern);
    a = make_tenant(data_, "AccountA");
    b = make_tenant(data_, "AccountB");
    std::string out = run_capture(
        server_binary() + " admin add-computer --serial " + a.serial_number +
        " --hardware-hash HW-A-1 --data " + data_.string());
    hardware_rip = field(out, "ComputerGUID");
    hardware = {{"HardwareHash", "HW-A-1"},
                {"SerialNumber", a.serial_number},
                {"ApplicationVersion", "1.0.0"}};

    port_ = free_port();
    std::vector<std::string> args = {
        server_binary(), "--data", data_.string(), "--listen",
        "127.0.0.1:" + std::to_string(port_), "--access-log",
        (data_ / "access.log").string(), "--threads", "2",
        "--hotfolder-poll-ms", "100", "--max-upload-bytes", "4000000",
        "--request-timeout", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
        std::vector<char*> argv;
        for (auto& arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        std::freopen((data_ / "server.log").c_str(), "w", stderr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }

    // Ready once the status call answers.
    for (int i = 0; i < 200; ++i) {
        try {
            if (call("GET", "/api/v2").status == 200)
                return;
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    throw std::runtime_error("ripline-server did not start; see " +
                             (data_ / "server.log").string());
}

ServerProcess::~ServerProcess() {
    stop();
    std::error_code ignored;
    fs::remove_all(data_, ignored);
}

int ServerProcess::stop() {
    if (pid_ <= 0)
        return 0;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::size_t ServerProcess::blob_count() const {
    std::size_t n = 0;
    for (auto& entry : fs::recursive_directory_iterator(data_ / "blobs"))
        if (entry.is_regular_file() &&
            entry.path().parent_path().filename() != "tmp")
            ++n;
    return n;
}

Reply ServerProcess::call(const std::string& method, const std::string& target,
                          const HeaderList& headers, const std::string& body,
                          const std::string& content_type) const {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(20));
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    http::request<http::string_body> request(
        http::string_to_verb(method), target, 11);
    request.set(http::field::host, "127.0.0.1");
    for (auto& [name, value] : headers)
        request.set(name, value);
    if (!content_type.empty())
        request.set(http::field::content_type, content_type);
    request.body() = body;
    request.prepare_payload();

    // The server may refuse a body before it is all sent (413): the
    // answer is still there to read.
    beast::error_code write_error;
    http::write(stream, request, write_error);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::read(stream, buffer, parser);
    auto& response = parser.get();
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return {static_cast<int>(response.result_int()), response.body(),
            std::string(response[http::field::content_type])};
}

Form& Form::part(const std::string& name, const std::string& data,
                 const std::string& type, const std::string& filename) {
    body_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=\"" +
             name + "\"";
    if (!filename.empty())
        body_ += "; filename=\"" + filename + "\"";
    body_ += "\r\nContent-Type: " + type + "\r\n\r\n" + data + "\r\n";
    return *this;
}

struct Notifications::Impl {
    asio::io_context ioc;
    ws::stream<beast::tcp_stream> socket{ioc};
    beast::flat_buffer buffer;
};

Notifications::Notifications(unsigned short port, const std::string& key,
                             const std::string& query)
    : impl_(std::make_unique<Impl>()) {
    auto& lowest = beast::get_lowest_layer(impl_->socket);
    lowest.expires_after(std::chrono::seconds(5));
    lowest.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    impl_->socket.set_option(ws::stream_base::decorator(
        [key](ws::request_type& request) { request.set("MisKey", key); }));
    impl_->socket.handshake("127.0.0.1", "/notifications" + query);
}

Notifications::~Notifications() {
    beast::error_code ec;
    beast::get_lowest_layer(impl_->socket).expires_after(
        std::chrono::seconds(1));
    impl_->socket.close(ws::close_code::normal, ec);
}

void Notifications::send(const nlohmann::json& message) {
    beast::get_lowest_layer(impl_->socket).expires_after(
        std::chrono::seconds(5));
    impl_->socket.write(asio::buffer(message.dump()));
}

nlohmann::json Notifications::next(std::chrono::milliseconds timeout) {
    // Read with a deadline: the async read is abandoned when it passes.
    auto& ioc = impl_->ioc;
    ioc.restart();
    nlohmann::json result;
    bool done = false;
    beast::get_lowest_layer(impl_->socket).expires_never();
    impl_->socket.async_read(impl_->buffer,
                             [&](beast::error_code ec, std::size_t) {
                                 done = true;
                                 if (ec)
                                     return;
                                 result = nlohmann::json::parse(
                                     beast::buffers_to_string(
                                         impl_->buffer.data()),
                                     nullptr, false);
                                 impl_->buffer.consume(impl_->buffer.size());
                             });
    ioc.run_for(timeout);
    if (!done)
        throw std::runtime_error("no notification within the timeout");
    return result;
}

std::string tiny_png() {
    // Signature, IHDR 1x1 RGB, IDAT of one black pixel, IEND.
    auto chunk = [](const std::string& type, const std::string& data) {
        std::string out;
        auto be32 = [&](std::uint32_t v) {
            for (int i = 3; i >= 0; --i)
                out += static_cast<char>((v >> (8 * i)) & 0xff);
        };
        be32(static_cast<std::uint32_t>(data.size()));
        std::string body = type + data;
        out += body;
        be32(static_cast<std::uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                  static_cast<uInt>(body.size()))));
        return out;
    };
    std::string ihdr("\0\0\0\1\0\0\0\1\x08\x02\0\0\0", 13);
    std::string raw("\0\0\0\0", 4);
    uLongf size = compressBound(4);
    std::string idat(size, '\0');
    compress(reinterpret_cast<Bytef*>(idat.data()), &size,
             reinterpret_cast<const Bytef*>(raw.data()), 4);
    idat.resize(size);
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) +
           chunk("IDAT", idat) + chunk("IEND", "");
}

std::string tiny_pdf(int width_pt, int height_pt) {
    return pdf_of_pages({{width_pt, height_pt}});
}

std::string pdf_of_pages(const std::vector<std::pair<int, int>>& sizes_pt) {
    // Objects: catalog, page tree, the shared content, then the pages.
    std::string kids;
    for (std::size_t i = 0; i < sizes_pt.size(); ++i)
        kids += std::to_string(4 + i) + " 0 R ";
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [" + kids + "] /Count " +
            std::to_string(sizes_pt.size()) + " >>",
        "<< /Length 44 >>\nstream\n1 0 0 rg 10 10 50 50 re f 0 0 1 rg\n"
        "endstream"};
    for (auto [width_pt, height_pt] : sizes_pt)
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " +
                          std::to_string(width_pt) + " " +
                          std::to_string(height_pt) +
                          "] /Contents 3 0 R >>");
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) +
           "\n0000000000 65535 f \n";
    for (auto offset : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

Reply add_job(const ServerProcess& s, const Tenant& t, const std::string& xml) {
    return s.call("POST", "/api/v2/job", t.auth(), xml, "application/xml");
}

std::string job_xml(const std::string& job_guid, const std::string& extra,
                    const std::string& file_path) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<Job Version=\"2\" xmlns=\"https://printfactory.cloud/schema/2.0\">"
           "<JobGUID>" + job_guid + "</JobGUID><Name>Test job</Name>"
           "<User>tester</User>" + extra +
           (file_path.empty() ? ""
                              : "<PDFJob><InputJobs>" + file_path +
                                    "</InputJobs></PDFJob>") +
           "</Job>";
}

}  // namespace ripline::server::test
