// SPDX-License-Identifier: AGPL-3.0-or-later
// BlobStore: content-addressed files named by their SHA-1, written atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace ripline::server {

struct BlobInfo {
    std::string sha1;  // upper-case hex, as the API's checksums
    std::uint64_t size = 0;
};

class BlobStore {
public:
    explicit BlobStore(std::filesystem::path root);

    // Store BYTES; an existing blob with the same content is kept as is.
    BlobInfo put(std::string_view bytes);

    // Move FILE into the store (it is consumed), hashing it on the way.
    BlobInfo put_file(const std::filesystem::path& file);

    std::filesystem::path path(const std::string& sha1) const;
    bool exists(const std::string& sha1) const;
    void remove(const std::string& sha1);
    std::string read(const std::string& sha1) const;

    // A fresh path in the store's scratch folder (same file system).
    std::filesystem::path temp_path(const std::string& suffix = "") const;

private:
    std::filesystem::path root_;
};

// Upper-case hex SHA-1 of BYTES.
std::string sha1_hex(std::string_view bytes);

// Upper-case hex SHA-256 of BYTES (MIS keys are stored as this).
std::string sha256_hex(std::string_view bytes);

// Random upper-case hex of N_BYTES bytes from the system's CSPRNG.
std::string random_hex(int n_bytes);

}  // namespace ripline::server
