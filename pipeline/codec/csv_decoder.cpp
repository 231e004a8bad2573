#include "pipeline/codec/csv_decoder.hpp"

#include "pipeline/codec/scalar.hpp"
#include "pipeline/options.hpp"

namespace sluice {

CsvDecoder::CsvDecoder(std::vector<Symbol> columns, char delimiter, bool skip_header)
    : configured_(std::move(columns)), columns_(configured_), delimiter_(delimiter),
      skip_header_(skip_header || configured_.empty()), header_pending_(skip_header_) {}

void CsvDecoder::reset() {
    columns_ = configured_;
    header_pending_ = skip_header_;
}

bool CsvDecoder::split(std::string_view frame, std::string& error) {
    cells_.clear();
    scratch_.clear();
    scratch_.reserve(frame.size());
    std::size_t i = 0;
    for (;;) {
        while (i < frame.size() && frame[i] == ' ' && delimiter_ != ' ') {
            ++i;
        }
        if (i < frame.size() && frame[i] == '"') {
            auto start = scratch_.size();
            for (++i;; ++i) {
                auto quote = frame.find('"', i);
                if (quote == std::string_view::npos) {
                    error = "unterminated quoted field";
                    return false;
                }
                scratch_.append(frame, i, quote - i);
                i = quote + 1;
                if (i >= frame.size() || frame[i] != '"') {
                    break;
                }
                scratch_.push_back('"'); // "" inside quotes is one quote
            }
            cells_.push_back({std::string_view(scratch_).substr(start), true});
            while (i < frame.size() && frame[i] == ' ' && delimiter_ != ' ') {
                ++i;
            }
            if (i < frame.size() && frame[i] != delimiter_) {
                error = "unexpected text after a closing quote";
                return false;
            }
        } else {
            auto stop = std::min(frame.find(delimiter_, i), frame.size());
            auto text = frame.substr(i, stop - i);
            while (!text.empty() && text.back() == ' ') {
                text.remove_suffix(1);
            }
            cells_.push_back({text, false});
            i = stop;
        }
        if (i >= frame.size()) {
            return true;
        }
        ++i; // the delimiter; one after the last cell makes an empty last cell
    }
}

DecodeStatus CsvDecoder::read_header(std::string& error) {
    header_pending_ = false;
    if (!configured_.empty()) {
        return DecodeStatus::skip;
    }
    columns_.clear();
    for (const auto& cell : cells_) {
        auto symbol = try_intern(cell.text);
        if (!symbol) {
            error = "too many distinct field names";
            return DecodeStatus::error;
        }
        columns_.push_back(*symbol);
    }
    return DecodeStatus::skip;
}

DecodeStatus CsvDecoder::decode(std::string_view frame, Event& out, std::string& error) {
    if (!frame.empty() && frame.back() == '\r') {
        frame.remove_suffix(1);
    }
    if (frame.find_first_not_of(' ') == std::string_view::npos) {
        return DecodeStatus::skip;
    }
    if (!split(frame, error)) {
        return DecodeStatus::error;
    }
    if (header_pending_) {
        return read_header(error);
    }
    if (cells_.size() > columns_.size()) {
        error = "record has " + std::to_string(cells_.size()) + " fields but there are " +
                std::to_string(columns_.size()) + " columns";
        return DecodeStatus::error;
    }
    for (std::size_t i = 0; i < cells_.size(); ++i) {
        const auto& cell = cells_[i];
        if (columns_[i] == 0) {
            continue; // an empty column name skips the column
        }
        out.set(columns_[i], cell.quoted ? Value::string(cell.text) : typed_scalar(cell.text));
    }
    return DecodeStatus::event;
}

std::string check_delimiter(std::string_view text) {
    if (text.size() != 1 || text == "\"" || text == "\n" || text == "\r") {
        return ", expected one character other than a quote or a line break";
    }
    return {};
}

bool read_delimiter(const Options& options, char& delimiter) {
    auto text = options.checked_string("delimiter", check_delimiter, ",");
    if (!text) {
        return false;
    }
    delimiter = (*text)[0];
    return true;
}

std::unique_ptr<Decoder> make_csv_decoder(const Options& options) {
    char delimiter = ',';
    if (!read_delimiter(options, delimiter)) {
        return nullptr;
    }
    std::vector<Symbol> columns;
    for (const auto& name : options.strings("columns")) {
        columns.push_back(intern(name));
    }
    if (columns.size() == 1 && columns[0] == 0) {
        columns.clear(); // `columns: ""` is no columns, not one skipped column
    }
    return std::make_unique<CsvDecoder>(std::move(columns), delimiter,
                                        options.boolean("header", false));
}

} // namespace sluice
