// SPDX-License-Identifier: AGPL-3.0-or-later
// The wire between a render and its driver process: framed messages on a
// socket, band rows in shared memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ripline::plugins::wire {

// What a message is. The render sends the stream calls; the driver
// process answers each with `reply`, after any `log` and `output` lines.
enum class Kind : uint32_t {
    job = 1,       // module path, URI, options, job info
    sheet = 2,     // rl_driver_sheet
    band = 3,      // rl_driver_band; its planes are in shared memory
    cuts = 4,      // rl_driver_cut_path list
    end_sheet = 5,
    finish = 6,
    reply = 16,    // status 0, or an Error's status, stage, text, file
    log = 17,      // level and text
    output = 18,   // a hidden output opened (1) or closed (0), its path
};

// A message body being written: numbers in host order (both ends are
// the same machine), strings with their length first.
class Writer {
public:
    void u32(uint32_t v) { raw(&v, sizeof v); }
    void i32(int32_t v) { raw(&v, sizeof v); }
    void u64(uint64_t v) { raw(&v, sizeof v); }
    void f64(double v) { raw(&v, sizeof v); }
    void text(const std::string& s);
    void raw(const void* data, size_t size);

    const std::vector<uint8_t>& bytes() const { return bytes_; }

private:
    std::vector<uint8_t> bytes_;
};

// A message body being read; throws std::runtime_error past its end.
class Reader {
public:
    explicit Reader(const std::vector<uint8_t>& bytes) : bytes_(bytes) {}

    uint32_t u32() { return take<uint32_t>(); }
    int32_t i32() { return take<int32_t>(); }
    uint64_t u64() { return take<uint64_t>(); }
    double f64() { return take<double>(); }
    std::string text();

private:
    template <class T> T take()
    {
        T v;
        need(sizeof v);
        std::memcpy(&v, bytes_.data() + at_, sizeof v);
        at_ += sizeof v;
        return v;
    }
    void need(size_t size) const;

    const std::vector<uint8_t>& bytes_;
    size_t at_ = 0;
};

// Send one message on FD. False when the other end is gone (no SIGPIPE).
bool send(int fd, Kind kind, const Writer& body);

// Receive one message from FD. False on end of file or a broken frame.
bool receive(int fd, Kind& kind, std::vector<uint8_t>& body);

// Shared memory both ends map, grown by the render as bands need.
class SharedBuffer {
public:
    SharedBuffer() = default;
    explicit SharedBuffer(int fd) : fd_(fd) {}
    ~SharedBuffer();
    SharedBuffer(const SharedBuffer&) = delete;
    SharedBuffer& operator=(const SharedBuffer&) = delete;

    // A new anonymous file (the render's side); throws Error on failure.
    static int create();

    // Make it at least BYTES long: GROW resizes the file (the render),
    // otherwise the mapping follows a file the other end grew.
    uint8_t* map(size_t bytes, bool grow);

    int fd() const { return fd_; }
    size_t size() const { return size_; }

private:
    int fd_ = -1;
    uint8_t* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace ripline::plugins::wire
