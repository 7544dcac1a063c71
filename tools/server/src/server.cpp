// SPDX-License-Identifier: AGPL-3.0-or-later
// Beast plumbing: accept, read (small bodies in memory, large to disk),
// dispatch to Service, write, keep alive; WebSocket /notifications.
#include "server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <optional>
#include <thread>
#include <type_traits>

namespace ripline::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ws = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Plain = beast::tcp_stream;
using Tls = beast::ssl_stream<beast::tcp_stream>;

namespace {

// Shared by all sessions: the service, limits, the access log.
struct Shared {
    Service& service;
    const Config& config;
    FILE* access_log = nullptr;
    std::atomic<int> requests_in_flight{0};
    std::atomic<bool> stopping{false};
};

double elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - since)
        .count();
}

// One structured line per request.
void log_request(Shared& shared, const Request& request, int status,
                 std::uint64_t bytes, double ms, const std::string& remote) {
    if (!shared.access_log)
        return;
    std::fprintf(shared.access_log,
                 "ts=%s method=%s path=\"%s\" status=%d in=%llu out=%llu "
                 "ms=%.3f remote=%s\n",
                 now_iso().c_str(), request.method.c_str(),
                 request.path.c_str(), status,
                 static_cast<unsigned long long>(request.body_bytes),
                 static_cast<unsigned long long>(bytes), ms, remote.c_str());
}

template <class Fields>
Request to_request(const http::request_header<Fields>& header) {
    Request request;
    request.method = std::string(header.method_string());
    request.target = std::string(header.target());
    auto q = request.target.find('?');
    request.path = request.target.substr(0, q);
    if (q != std::string::npos) {
        std::string_view rest(request.target);
        rest.remove_prefix(q + 1);
        while (!rest.empty()) {
            auto amp = rest.find('&');
            auto pair = rest.substr(0, amp);
            auto eq = pair.find('=');
            request.query[url_decode(pair.substr(0, eq), true)] =
                eq == std::string_view::npos
                    ? ""
                    : url_decode(pair.substr(eq + 1), true);
            if (amp == std::string_view::npos)
                break;
            rest.remove_prefix(amp + 1);
        }
    }
    for (auto& field : header)
        request.headers[std::string(field.name_string())] =
            std::string(field.value());
    return request;
}

template <class Stream>
tcp::socket& socket_of(Stream& stream) {
    return beast::get_lowest_layer(stream).socket();
}

// ---- WebSocket notifications ------------------------------------------

template <class Stream>
class WsSession : public Subscriber,
                  public std::enable_shared_from_this<WsSession<Stream>> {
public:
    WsSession(Shared& shared, Stream&& stream)
        : shared_(shared), ws_(std::move(stream)) {}

    ~WsSession() override { shared_.service.notifier().unsubscribe(this); }

    void start(http::request<http::string_body> upgrade,
               std::set<std::string> topics, std::int64_t resume) {
        beast::get_lowest_layer(ws_).expires_never();
        ws_.set_option(
            ws::stream_base::timeout::suggested(beast::role_type::server));
        // Subscribe before the handshake's answer goes out: a client that
        // changes a job as soon as it is connected must see the event.
        // What arrives meanwhile waits in the queue until the stream is
        // open.
        if (!topics.empty())
            shared_.service.notifier().subscribe(this->shared_from_this(),
                                                 topics, resume);
        ws_.async_accept(upgrade, [self = this->shared_from_this()](
                                      beast::error_code ec) {
            if (ec)
                return;
            self->open_ = true;
            if (!self->queue_.empty())
                self->write();
            self->read();
        });
    }

    void deliver(std::shared_ptr<const std::string> message) override {
        asio::post(ws_.get_executor(),
                   [self = this->shared_from_this(), message] {
                       self->queue_.push_back(message);
                       if (self->open_ && self->queue_.size() == 1)
                           self->write();
                   });
    }

private:
    void read() {
        ws_.async_read(buffer_, [self = this->shared_from_this()](
                                    beast::error_code ec, std::size_t) {
            if (ec)
                return;
            self->on_message(beast::buffers_to_string(self->buffer_.data()));
            self->buffer_.consume(self->buffer_.size());
            self->read();
        });
    }

    // {"Subscribe": ["job", "device"], "ResumeFrom": 42}
    void on_message(const std::string& text) {
        auto message = nlohmann::json::parse(text, nullptr, false);
        std::set<std::string> topics;
        if (message.is_object() && message.contains("Subscribe") &&
            message["Subscribe"].is_array())
            for (auto& topic : message["Subscribe"])
                if (topic.is_string())
                    topics.insert(topic.get<std::string>());
        if (topics.empty()) {
            reply({{"Message", "Expected {\"Subscribe\": [\"job\", "
                               "\"device\"], \"ResumeFrom\": seq}"}});
            return;
        }
        std::int64_t resume = message.value("ResumeFrom", std::int64_t{0});
        shared_.service.notifier().subscribe(this->shared_from_this(), topics,
                                             resume);
        reply({{"Message", "Subscribed"},
               {"Topics", topics},
               {"Seq", last_seq}});
    }

    void reply(const nlohmann::json& body) {
        deliver(std::make_shared<const std::string>(body.dump()));
    }

    void write() {
        ws_.text(true);
        ws_.async_write(asio::buffer(*queue_.front()),
                        [self = this->shared_from_this()](
                            beast::error_code ec, std::size_t) {
                            if (ec)
                                return;
                            self->queue_.pop_front();
                            if (!self->queue_.empty())
                                self->write();
                        });
    }

    Shared& shared_;
    ws::stream<Stream> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    bool open_ = false;  // handshake done: the queue may be written
};

// ---- HTTP sessions ------------------------------------------------------

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    HttpSession(Shared& shared, Stream&& stream)
        : shared_(shared), stream_(std::move(stream)) {
        beast::error_code ec;
        auto endpoint = socket_of(stream_).remote_endpoint(ec);
        if (!ec)
            remote_ = endpoint.address().to_string() + ":" +
                      std::to_string(endpoint.port());
    }

    void start() {
        if constexpr (std::is_same_v<Stream, Tls>) {
            beast::get_lowest_layer(stream_).expires_after(
                std::chrono::seconds(shared_.config.request_timeout_s));
            stream_.async_handshake(
                ssl::stream_base::server,
                [self = this->shared_from_this()](beast::error_code ec) {
                    if (!ec)
                        self->read_header();
                });
        } else {
            read_header();
        }
    }

private:
    void read_header() {
        header_.emplace();
        header_->header_limit(16 << 10);
        header_->body_limit(shared_.config.max_upload_bytes);
        int timeout = served_ ? shared_.config.idle_timeout_s
                              : shared_.config.request_timeout_s;
        beast::get_lowest_layer(stream_).expires_after(
            std::chrono::seconds(timeout));
        http::async_read_header(
            stream_, buffer_, *header_,
            [self = this->shared_from_this()](beast::error_code ec,
                                              std::size_t) {
                self->on_header(ec);
            });
    }

    void on_header(beast::error_code ec) {
        if (ec == http::error::body_limit)
            return refuse(413, "Request body too large: the limit is " +
                                   std::to_string(shared_.config
                                                      .max_upload_bytes) +
                                   " bytes");
        if (ec)
            return close();
        started_ = std::chrono::steady_clock::now();
        auto& header = header_->get();
        if (ws::is_upgrade(header))
            return upgrade();

        // Small bodies are read into memory, large or chunked ones to disk.
        auto length = header_->content_length();
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(
            shared_.config.request_timeout_s +
            static_cast<int>(length.value_or(0) >> 20)));
        bool no_body = !length && !header_->chunked();
        if (no_body || (length && *length <= shared_.config.memory_body_bytes))
            return read_small();
        read_large();
    }

    void read_small() {
        small_.emplace(std::move(*header_));
        http::async_read(stream_, buffer_, *small_,
                         [self = this->shared_from_this()](
                             beast::error_code ec, std::size_t) {
                             if (ec)
                                 return self->on_read_error(ec);
                             auto message = self->small_->release();
                             Request request = to_request(message.base());
                             request.body = std::move(message.body());
                             request.body_bytes = request.body.size();
                             self->keep_alive_ = message.keep_alive();
                             self->dispatch(std::move(request));
                         });
    }

    void read_large() {
        large_.emplace(std::move(*header_));
        large_->body_limit(shared_.config.max_upload_bytes);
        body_path_ = shared_.service.blobs().temp_path(".body");
        beast::error_code ec;
        large_->get().body().open(body_path_.c_str(), beast::file_mode::write,
                                  ec);
        if (ec)
            return refuse(500, "Internal Server Error");
        http::async_read(stream_, buffer_, *large_,
                         [self = this->shared_from_this()](
                             beast::error_code ec, std::size_t) {
                             if (ec)
                                 return self->on_read_error(ec);
                             auto message = self->large_->release();
                             message.body().close();
                             Request request = to_request(message.base());
                             request.body_file = self->body_path_;
                             std::error_code size_ec;
                             request.body_bytes =
                                 std::filesystem::file_size(self->body_path_,
                                                            size_ec);
                             self->keep_alive_ = message.keep_alive();
                             self->dispatch(std::move(request));
                         });
    }

    void on_read_error(beast::error_code ec) {
        drop_body_file();
        if (ec == http::error::body_limit)
            return refuse(413, "Request body too large: the limit is " +
                                   std::to_string(shared_.config
                                                      .max_upload_bytes) +
                                   " bytes");
        if (ec == beast::error::timeout)
            return refuse(408, "The request was not received in time");
        if (ec == http::error::end_of_stream || ec == asio::error::eof)
            return close();
        refuse(400, "This request is not properly formatted");
    }

    // Answer and hang up: the rest of the request cannot be trusted.
    void refuse(int status, const std::string& text) {
        keep_alive_ = false;
        Request request;
        request.method = header_ && header_->is_header_done()
                             ? std::string(header_->get().method_string())
                             : "-";
        write(request, message_response(status, text));
    }

    void dispatch(Request request) {
        ++shared_.requests_in_flight;
        Response response = shared_.service.handle(request);
        --shared_.requests_in_flight;
        drop_body_file();
        write(request, std::move(response));
    }

    void write(const Request& request, Response response) {
        ++served_;
        if (shared_.stopping)
            keep_alive_ = false;
        if (!response.file.empty())
            return write_file(request, std::move(response));
        auto message = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(response.status), 11);
        message->set(http::field::server, "ripline-server");
        message->set(http::field::content_type, response.content_type);
        for (auto& [name, value] : response.headers)
            message->set(name, value);
        message->body() = std::move(response.body);
        message->keep_alive(keep_alive_);
        message->prepare_payload();
        log_request(shared_, request, response.status,
                    message->body().size(), elapsed_ms(started_), remote_);
        send(message);
    }

    void write_file(const Request& request, Response response) {
        auto message = std::make_shared<http::response<http::file_body>>(
            static_cast<http::status>(response.status), 11);
        beast::error_code ec;
        message->body().open(response.file.c_str(), beast::file_mode::scan,
                             ec);
        if (ec)
            return write(request,
                         message_response(500, "Internal Server Error"));
        message->set(http::field::server, "ripline-server");
        message->set(http::field::content_type, response.content_type);
        for (auto& [name, value] : response.headers)
            message->set(name, value);
        message->keep_alive(keep_alive_);
        message->prepare_payload();
        log_request(shared_, request, response.status,
                    message->body().size(), elapsed_ms(started_), remote_);
        send(message);
    }

    template <class Message>
    void send(const std::shared_ptr<Message>& message) {
        beast::get_lowest_layer(stream_).expires_after(
            std::chrono::seconds(shared_.config.request_timeout_s));
        http::async_write(stream_, *message,
                          [self = this->shared_from_this(), message](
                              beast::error_code ec, std::size_t) {
                              if (ec || !self->keep_alive_)
                                  return self->close();
                              self->read_header();
                          });
    }

    void upgrade() {
        // The handshake carries the MisKey; a bad key gets a plain 401.
        small_.emplace(std::move(*header_));
        auto message = small_->release();
        Request request = to_request(message.base());
        auto caller = request.path == "/notifications" ||
                              request.path == "/api/v2/notifications"
                          ? shared_.service.authenticate_mis_key(request)
                          : std::nullopt;
        if (!caller) {
            keep_alive_ = false;
            std::string text = request.header("MisKey").empty()
                                   ? "\"MisKey\" header is required"
                                   : "Invalid MisKey";
            if (request.path != "/notifications" &&
                request.path != "/api/v2/notifications")
                return write(request,
                             message_response(404, "No WebSocket endpoint "
                                                   "at " + request.path));
            return write(request, message_response(401, text));
        }
        std::set<std::string> topics;
        std::string list = request.query.count("topics")
                               ? request.query["topics"]
                               : "";
        for (std::size_t at = 0; !list.empty() && at <= list.size();) {
            auto comma = list.find(',', at);
            topics.insert(list.substr(at, comma - at));
            if (comma == std::string::npos)
                break;
            at = comma + 1;
        }
        std::string resume = request.query.count("resume")
                                 ? request.query["resume"]
                                 : request.header("ResumeFrom");
        log_request(shared_, request, 101, 0, elapsed_ms(started_), remote_);
        auto session =
            std::make_shared<WsSession<Stream>>(shared_, std::move(stream_));
        session->account = caller->account;
        session->start(std::move(message), topics,
                       resume.empty() ? 0 : std::atoll(resume.c_str()));
    }

    void drop_body_file() {
        if (body_path_.empty())
            return;
        std::error_code ignored;
        std::filesystem::remove(body_path_, ignored);
        body_path_.clear();
    }

    void close() {
        drop_body_file();
        beast::error_code ec;
        if constexpr (std::is_same_v<Stream, Tls>) {
            beast::get_lowest_layer(stream_).expires_after(
                std::chrono::seconds(2));
            stream_.async_shutdown(
                [self = this->shared_from_this()](beast::error_code) {});
        } else {
            socket_of(stream_).shutdown(tcp::socket::shutdown_send, ec);
            if (!keep_alive_ && served_ > 0)
                drain(0);
        }
    }

    // After refusing a request, read and discard what the client still
    // sends for a while, so that it gets to read our answer instead of a
    // connection reset.
    void drain(std::size_t so_far) {
        if (so_far > (64u << 20))
            return;
        beast::get_lowest_layer(stream_).expires_after(
            std::chrono::seconds(shared_.config.request_timeout_s));
        auto scratch = std::make_shared<std::array<char, 65536>>();
        beast::get_lowest_layer(stream_).async_read_some(
            asio::buffer(*scratch),
            [self = this->shared_from_this(), scratch,
             so_far](beast::error_code ec, std::size_t n) {
                if (!ec)
                    self->drain(so_far + n);
            });
    }

    Shared& shared_;
    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::empty_body>> header_;
    std::optional<http::request_parser<http::string_body>> small_;
    std::optional<http::request_parser<http::file_body>> large_;
    std::filesystem::path body_path_;
    std::string remote_;
    bool keep_alive_ = true;
    int served_ = 0;
    std::chrono::steady_clock::time_point started_ =
        std::chrono::steady_clock::now();
};

tcp::endpoint parse_listen(const std::string& listen) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        throw std::runtime_error("--listen \"" + listen +
                                 "\": expected HOST:PORT");
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[')
        host = host.substr(1, host.size() - 2);
    beast::error_code ec;
    auto address = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
    if (ec)
        throw std::runtime_error("--listen \"" + listen + "\": \"" + host +
                                 "\" is not an IP address");
    int port = std::atoi(listen.c_str() + colon + 1);
    if (port < 0 || port > 65535)
        throw std::runtime_error("--listen \"" + listen + "\": bad port");
    return {address, static_cast<unsigned short>(port)};
}

}  // namespace

struct HttpServer::Impl {
    Impl(Service& service, const Config& config)
        : shared{service, config},
          threads(config.threads > 0
                      ? config.threads
                      : std::max(1u, std::thread::hardware_concurrency())),
          ioc(threads), acceptor(asio::make_strand(ioc)),
          signals(ioc, SIGINT, SIGTERM), tls(ssl::context::tls_server) {}

    void accept() {
        acceptor.async_accept(
            asio::make_strand(ioc),
            [this](beast::error_code ec, tcp::socket socket) {
                if (ec)
                    return;  // closed by stop()
                socket.set_option(tcp::no_delay(true), ec);
                if (use_tls)
                    std::make_shared<HttpSession<Tls>>(
                        shared, Tls(std::move(socket), tls))
                        ->start();
                else
                    std::make_shared<HttpSession<Plain>>(
                        shared, Plain(std::move(socket)))
                        ->start();
                accept();
            });
    }

    Shared shared;
    int threads;
    asio::io_context ioc;
    tcp::acceptor acceptor;
    asio::signal_set signals;
    ssl::context tls;
    bool use_tls = false;
};

HttpServer::HttpServer(Service& service, const Config& config)
    : impl_(std::make_unique<Impl>(service, config)) {
    if (config.access_log == "-")
        impl_->shared.access_log = stderr;
    else if (config.access_log != "off") {
        impl_->shared.access_log = std::fopen(config.access_log.c_str(), "a");
        if (!impl_->shared.access_log)
            throw std::runtime_error("--access-log: cannot open " +
                                     config.access_log);
    }
    if (!config.tls_cert.empty() || !config.tls_key.empty()) {
        impl_->tls.use_certificate_chain_file(config.tls_cert);
        impl_->tls.use_private_key_file(config.tls_key, ssl::context::pem);
        impl_->use_tls = true;
    }
    auto endpoint = parse_listen(config.listen);
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
}

HttpServer::~HttpServer() {
    auto* log = impl_->shared.access_log;
    if (log && log != stderr)
        std::fclose(log);
}

unsigned short HttpServer::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void HttpServer::run() {
    impl_->signals.async_wait(
        [this](beast::error_code ec, int) {
            if (!ec)
                stop();
        });
    impl_->accept();
    std::vector<std::thread> pool;
    for (int i = 1; i < impl_->threads; ++i)
        pool.emplace_back([this] { impl_->ioc.run(); });
    impl_->ioc.run();
    for (auto& thread : pool)
        thread.join();
}

void HttpServer::stop() {
    // Stop taking connections, give requests in flight a moment, then quit.
    asio::post(impl_->acceptor.get_executor(), [this] {
        impl_->shared.stopping = true;
        beast::error_code ec;
        impl_->acceptor.close(ec);
        std::thread([this] {
            for (int i = 0; i < 50 && impl_->shared.requests_in_flight > 0;
                 ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            impl_->ioc.stop();
        }).detach();
    });
}

}  // namespace ripline::server
