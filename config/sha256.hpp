#pragma once
// SHA-256 (FIPS 180-4), for the config file's digest in `sluice status`.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

/// Incremental SHA-256. Not for secrets: it makes no effort to be constant-time.
class Sha256 {
public:
    Sha256();
    void update(std::string_view data);
    /// The digest of everything updated so far; the object must not be used afterwards.
    std::array<std::uint8_t, 32> finish();

private:
    void block(const std::uint8_t* data);

    std::array<std::uint32_t, 8> state_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t length_ = 0;
};

/// The SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

} // namespace sluice
