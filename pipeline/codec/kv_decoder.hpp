#pragma once
// key=value pairs (logfmt) per frame.

#include "pipeline/codec/decoder.hpp"
#include "pipeline/codec/symbol_cache.hpp"

#include <string>

namespace sluice {

/// Decodes `k=v k2="v 2" k3=1.5 flag` (logfmt): pairs separated by spaces or tabs; a key runs
/// to '=' or a space; a quoted value is a string with \" \\ \n \r \t escapes; an unquoted value
/// runs to the next space and is typed by typed_scalar (`k=` is null); a bare key is true.
/// Errors: an empty key, an unterminated quote, a bad escape, text right after a closing quote.
class KvDecoder final : public Decoder {
public:
    DecodeStatus decode(std::string_view frame, Event& out, std::string& error) override;

private:
    /// Reads a quoted value starting after its opening quote at frame[i]; advances i.
    bool read_quoted(std::string_view frame, std::size_t& i, std::string& error);

    std::string scratch_;
    SymbolCache symbols_;
};

} // namespace sluice
