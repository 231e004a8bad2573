#pragma once
// Events as JSON lines.

#include "pipeline/codec/encoder.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

/// Writes each event as one JSON object on one line: fields in event order, dotted names as flat
/// keys ("room.temp", not nested objects), doubles in their shortest round-trip form with ".0"
/// on whole numbers, non-finite doubles as null. The event's ts and source are not written.
class JsonEncoder final : public Encoder {
public:
    void encode(const Event& event, std::string& out) override;

private:
    std::size_t key_bound(std::uint32_t index, Symbol name) const;
    char* write_key(char* out, std::uint32_t index, Symbol name);
    void encode_large(const Event& event, std::string& out);

    // The quoted, escaped `"name":` of the i-th field of the previous events, by position:
    // same-shaped events then skip the name lookup and escaping.
    // Keys whose text is longer than kRoom are written afresh each time.
    struct CachedKey {
        static constexpr std::size_t kRoom = 48;
        Symbol name = 0;
        std::uint32_t length = 0;
        char text[kRoom] = {};
    };
    std::vector<CachedKey> keys_;
};

} // namespace sluice
