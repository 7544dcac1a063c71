// SPDX-License-Identifier: AGPL-3.0-or-later
// Content-addressed blob folder; digests and random keys through OpenSSL.
#include "blobs.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace ripline::server {

namespace fs = std::filesystem;

namespace {

std::string to_hex(const unsigned char* bytes, unsigned n) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out(2 * n, '0');
    for (unsigned i = 0; i < n; ++i) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    return out;
}

// A running digest of one algorithm.
class Digest {
public:
    explicit Digest(const EVP_MD* md) : ctx_(EVP_MD_CTX_new()) {
        EVP_DigestInit_ex(ctx_.get(), md, nullptr);
    }
    void update(const void* data, std::size_t n) {
        EVP_DigestUpdate(ctx_.get(), data, n);
    }
    std::string hex() {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned n = 0;
        EVP_DigestFinal_ex(ctx_.get(), out, &n);
        return to_hex(out, n);
    }

private:
    struct Free {
        void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
    };
    std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

// Make FILE durable before it is renamed into place.
void sync_file(const fs::path& file) {
    int fd = ::open(file.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

std::string sha1_hex(std::string_view bytes) {
    Digest digest(EVP_sha1());
    digest.update(bytes.data(), bytes.size());
    return digest.hex();
}

std::string sha256_hex(std::string_view bytes) {
    Digest digest(EVP_sha256());
    digest.update(bytes.data(), bytes.size());
    return digest.hex();
}

std::string random_hex(int n_bytes) {
    std::string bytes(static_cast<std::size_t>(n_bytes), '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()),
                   n_bytes) != 1)
        throw std::runtime_error("blobs: the system random source failed");
    return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()),
                  static_cast<unsigned>(n_bytes));
}

BlobStore::BlobStore(fs::path root) : root_(std::move(root)) {
    fs::create_directories(root_ / "tmp");
}

fs::path BlobStore::path(const std::string& sha1) const {
    if (sha1.size() < 3)
        return root_ / "invalid";
    return root_ / sha1.substr(0, 2) / sha1;
}

bool BlobStore::exists(const std::string& sha1) const {
    return fs::exists(path(sha1));
}

void BlobStore::remove(const std::string& sha1) {
    std::error_code ignored;
    fs::remove(path(sha1), ignored);
}

std::string BlobStore::read(const std::string& sha1) const {
    std::ifstream in(path(sha1), std::ios::binary);
    if (!in)
        throw std::runtime_error("blobs: blob " + sha1 + " is missing");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

fs::path BlobStore::temp_path(const std::string& suffix) const {
    static std::atomic<unsigned long> counter{0};
    return root_ / "tmp" /
           (std::to_string(::getpid()) + "-" + std::to_string(++counter) +
            "-" + random_hex(4) + suffix);
}

BlobInfo BlobStore::put(std::string_view bytes) {
    fs::path temp = temp_path();
    {
        std::ofstream out(temp, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            throw std::runtime_error("blobs: cannot write " + temp.string());
    }
    return put_file(temp);
}

BlobInfo BlobStore::put_file(const fs::path& file) {
    // Hash in chunks: uploads may be far larger than memory.
    Digest digest(EVP_sha1());
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw std::runtime_error("blobs: cannot read " + file.string());
    std::string chunk(1 << 16, '\0');
    BlobInfo info;
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) ||
           in.gcount() > 0) {
        digest.update(chunk.data(), static_cast<std::size_t>(in.gcount()));
        info.size += static_cast<std::uint64_t>(in.gcount());
    }
    info.sha1 = digest.hex();

    // Rename into place: a blob is either complete or absent.
    fs::path target = path(info.sha1);
    if (fs::exists(target)) {
        fs::remove(file);
        return info;
    }
    fs::create_directories(target.parent_path());
    sync_file(file);
    fs::rename(file, target);
    return info;
}

}  // namespace ripline::server
