#pragma once
// The UTF-8 byte order mark that Windows programs put at the start of a text file.

#include <cstdint>
#include <string_view>

namespace sluice {

/// Drops a UTF-8 byte order mark (EF BB BF) at the very start of a byte stream, however the
/// reads split it; a BOM anywhere else is data. Holds at most the two bytes of a partial mark.
class LeadingBom {
public:
    /// Takes from the front of `bytes` what belongs to a leading mark. Returns bytes held back
    /// from earlier calls that turned out not to be a mark: they come before what is left of
    /// `bytes`. The returned view is static.
    std::string_view strip(std::string_view& bytes);
    /// The stream ended: the bytes held back (a stream that was only the start of a mark).
    std::string_view finish();
    /// A new stream starts.
    void reset() {
        matched_ = 0;
        decided_ = false;
    }

private:
    std::uint8_t matched_ = 0; // bytes of the mark seen so far
    bool decided_ = false;     // past the start of the stream
};

} // namespace sluice
