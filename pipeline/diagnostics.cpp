#include "pipeline/diagnostics.hpp"

#include <algorithm>

namespace sluice {

void Diagnostics::error(Position where, std::string message) {
    items_.push_back({Severity::error, where, std::move(message)});
    ++errors_;
}

void Diagnostics::warning(Position where, std::string message) {
    items_.push_back({Severity::warning, where, std::move(message)});
}

std::string Diagnostics::format(const Diagnostic& d) const {
    std::string out = file_;
    if (d.position.line) {
        out += ':' + std::to_string(d.position.line) + ':' + std::to_string(d.position.column);
    }
    out += d.severity == Severity::error ? ": error: " : ": warning: ";
    out += d.message;
    return out;
}

std::string Diagnostics::format_all() const {
    std::vector<const Diagnostic*> sorted;
    for (const auto& d : items_) {
        sorted.push_back(&d);
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
        if (a->position.line != b->position.line) {
            return a->position.line < b->position.line;
        }
        return a->position.column < b->position.column;
    });
    std::string out;
    for (const auto* d : sorted) {
        out += format(*d);
        out += '\n';
    }
    return out;
}

std::string Diagnostics::format_message() const {
    auto out = format_all();
    if (!out.empty()) {
        out.pop_back();
    }
    return out;
}

} // namespace sluice
