#include "pipeline/codec/csv_encoder.hpp"

#include "pipeline/codec/csv_decoder.hpp"
#include "pipeline/codec/scalar.hpp"
#include "pipeline/codec/text_format.hpp"
#include "pipeline/options.hpp"

namespace sluice {

bool reads_as_other_type(std::string_view text) {
    return !typed_scalar(text).is_string();
}

void CsvEncoder::append_cell(std::string& out, Value value) const {
    if (!value.is_string()) {
        append_plain(out, value);
        return;
    }
    auto text = value.as_string();
    bool quote = reads_as_other_type(text) || text.front() == ' ' || text.back() == ' ' ||
                 text.find_first_of("\"\r\n") != std::string_view::npos ||
                 text.find(delimiter_) != std::string_view::npos;
    if (!quote) {
        out.append(text);
        return;
    }
    out.push_back('"');
    for (char c : text) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
}

void CsvEncoder::begin(std::string& out) {
    if (!header_) {
        return;
    }
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (i > 0) {
            out.push_back(delimiter_);
        }
        append_cell(out, Value::string(symbol_name(columns_[i])));
    }
    out.push_back('\n');
}

void CsvEncoder::encode(const Event& event, std::string& out) {
    if (columns_.empty()) {
        for (std::uint32_t i = 0; i < event.size(); ++i) {
            if (i > 0) {
                out.push_back(delimiter_);
            }
            append_cell(out, event.value_at(i));
        }
    } else {
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (i > 0) {
                out.push_back(delimiter_);
            }
            append_cell(out, event.get(columns_[i]));
        }
    }
    out.push_back('\n');
}

std::unique_ptr<Encoder> make_csv_encoder(const Options& options) {
    char delimiter = ',';
    bool ok = read_delimiter(options, delimiter);
    std::vector<Symbol> columns;
    for (const auto& name : options.strings("columns")) {
        if (!name.empty()) {
            columns.push_back(intern(name));
        }
    }
    bool header = options.boolean("header", false);
    if (header && columns.empty()) {
        options.diagnostics().error(options.position("header"),
                                    "header: true needs the columns to write, expected "
                                    "'columns' with the fields in order, or header: false");
        ok = false;
    }
    if (!ok) {
        return nullptr;
    }
    return std::make_unique<CsvEncoder>(std::move(columns), delimiter, header);
}

} // namespace sluice
