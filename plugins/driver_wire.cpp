// SPDX-License-Identifier: AGPL-3.0-or-later
// The wire to a driver process: message frames and the band buffer.
#include "plugins/driver_wire.hpp"

#include "core/common/error.hpp"

#include <cerrno>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ripline::plugins::wire {

namespace {

// A frame says its kind and body length; more than this is a broken peer.
constexpr uint32_t max_body_bytes = 1u << 30;

bool send_all(int fd, const void* data, size_t size)
{
    const auto* at = static_cast<const uint8_t*>(data);
    while (size > 0) {
        ssize_t n = ::send(fd, at, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        at += n;
        size -= size_t(n);
    }
    return true;
}

bool receive_all(int fd, void* data, size_t size)
{
    auto* at = static_cast<uint8_t*>(data);
    while (size > 0) {
        ssize_t n = ::recv(fd, at, size, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        at += n;
        size -= size_t(n);
    }
    return true;
}

}  // namespace

void Writer::text(const std::string& s)
{
    u32(uint32_t(s.size()));
    raw(s.data(), s.size());
}

void Writer::raw(const void* data, size_t size)
{
    const auto* p = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + size);
}

void Reader::need(size_t size) const
{
    if (at_ + size > bytes_.size())
        throw std::runtime_error("driver wire: a message ends early");
}

std::string Reader::text()
{
    const uint32_t size = u32();
    need(size);
    std::string s(reinterpret_cast<const char*>(bytes_.data() + at_), size);
    at_ += size;
    return s;
}

bool send(int fd, Kind kind, const Writer& body)
{
    const uint32_t header[2] = {uint32_t(kind),
                                uint32_t(body.bytes().size())};
    return send_all(fd, header, sizeof header) &&
           send_all(fd, body.bytes().data(), body.bytes().size());
}

bool receive(int fd, Kind& kind, std::vector<uint8_t>& body)
{
    uint32_t header[2];
    if (!receive_all(fd, header, sizeof header) ||
        header[1] > max_body_bytes)
        return false;
    kind = Kind(header[0]);
    body.resize(header[1]);
    return receive_all(fd, body.data(), body.size());
}

SharedBuffer::~SharedBuffer()
{
    if (data_)
        ::munmap(data_, size_);
    if (fd_ >= 0)
        ::close(fd_);
}

int SharedBuffer::create()
{
    int fd = ::memfd_create("ripline-band", MFD_CLOEXEC);
    if (fd < 0)
        throw Error(RL_ERROR_IO, Stage::driver,
                    std::string("cannot create the band buffer: ") +
                        std::strerror(errno));
    return fd;
}

uint8_t* SharedBuffer::map(size_t bytes, bool grow)
{
    if (bytes <= size_ && data_)
        return data_;

    // Round up, so a slowly growing band does not remap every time.
    const size_t page = 1u << 20;
    const size_t size = grow ? (bytes + page - 1) / page * page : bytes;
    if (grow && ::ftruncate(fd_, off_t(size)) != 0)
        throw Error(RL_ERROR_NO_MEMORY, Stage::driver,
                    "cannot grow the band buffer to " +
                        std::to_string(size) + " bytes: " +
                        std::strerror(errno));
    if (data_)
        ::munmap(data_, size_);
    data_ = nullptr;
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_,
                     0);
    if (p == MAP_FAILED)
        throw Error(RL_ERROR_NO_MEMORY, Stage::driver,
                    "cannot map the band buffer (" + std::to_string(size) +
                        " bytes): " + std::strerror(errno));
    data_ = static_cast<uint8_t*>(p);
    size_ = size;
    return data_;
}

}  // namespace ripline::plugins::wire
