#pragma once
// One CSV record per frame.

#include "pipeline/codec/decoder.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

class Options;

/// Decodes one CSV record (RFC 4180 quoting: "a ""b"" c") per frame into fields named by the
/// configured columns, or by the stream's first record when none are configured (that header
/// is read again after reset()). Unquoted cells are trimmed of spaces and typed by
/// typed_scalar (an empty cell is null); quoted cells are always strings. A record with fewer
/// cells than columns sets only those it has; one with more is an error. A column whose name
/// is empty is skipped.
class CsvDecoder final : public Decoder {
public:
    CsvDecoder(std::vector<Symbol> columns, char delimiter, bool skip_header);

    DecodeStatus decode(std::string_view frame, Event& out, std::string& error) override;
    void reset() override;

private:
    struct Cell {
        std::string_view text;
        bool quoted;
    };
    /// Splits `frame` into cells_; returns false and sets `error` on bad quoting.
    bool split(std::string_view frame, std::string& error);
    DecodeStatus read_header(std::string& error);

    std::vector<Symbol> configured_;
    std::vector<Symbol> columns_;
    char delimiter_;
    bool skip_header_;
    bool header_pending_;
    std::vector<Cell> cells_;
    std::string scratch_; // unescaped quoted cells; reserved to the frame size so views hold
};

/// Builds a CsvDecoder from the source options columns, delimiter and header; reports bad ones
/// through options.diagnostics() and returns nullptr.
std::unique_ptr<Decoder> make_csv_decoder(const Options& options);

/// The check of the `delimiter` option (OptionSpec::check): one byte, not a quote or a line
/// break.
std::string check_delimiter(std::string_view text);

/// Reads the one-byte `delimiter` option; reports anything else as check_delimiter() does.
bool read_delimiter(const Options& options, char& delimiter);

} // namespace sluice
