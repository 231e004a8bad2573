#pragma once
// Events as CSV records.

#include "pipeline/codec/encoder.hpp"

#include <memory>
#include <vector>

namespace sluice {

class Options;

/// Writes the configured columns of each event as one CSV record (a missing or null field is
/// an empty cell), or without columns every field's value in event order. Quotes a cell (with
/// "" for quotes) when it holds the delimiter, a quote, a line break or edge spaces, or when
/// it is a string that would read back as another type ("12", "true", ""). begin() writes the
/// header line when asked for one.
class CsvEncoder final : public Encoder {
public:
    CsvEncoder(std::vector<Symbol> columns, char delimiter, bool header)
        : columns_(std::move(columns)), delimiter_(delimiter), header_(header) {}

    void begin(std::string& out) override;
    void encode(const Event& event, std::string& out) override;

private:
    void append_cell(std::string& out, Value value) const;

    std::vector<Symbol> columns_;
    char delimiter_;
    bool header_;
};

/// Builds a CsvEncoder from the sink options columns, delimiter and header; reports bad ones
/// (header without columns) through options.diagnostics() and returns nullptr.
std::unique_ptr<Encoder> make_csv_encoder(const Options& options);

/// Whether a string written bare would read back as something else through typed_scalar.
bool reads_as_other_type(std::string_view text);

} // namespace sluice
