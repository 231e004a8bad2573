#include "config/kind_registry.hpp"

namespace sluice {
namespace {

ComponentKind spec_kind_for(ComponentKind kind) {
    return kind == ComponentKind::actuator ? ComponentKind::sink : kind;
}

} // namespace

void KindRegistry::add(const KindSpec& spec) {
    for (auto& existing : specs_) {
        if (existing.kind == spec.kind && existing.type == spec.type) {
            existing = spec;
            return;
        }
    }
    specs_.push_back(spec);
}

void KindRegistry::add(std::span<const KindSpec> specs) {
    for (const auto& spec : specs) {
        add(spec);
    }
}

const KindSpec* KindRegistry::find(ComponentKind kind, std::string_view type) const {
    ComponentKind wanted = spec_kind_for(kind);
    for (const auto& spec : specs_) {
        if (spec.kind == wanted && spec.type == type) {
            return &spec;
        }
    }
    return nullptr;
}

std::vector<const KindSpec*> KindRegistry::all(ComponentKind kind) const {
    ComponentKind wanted = spec_kind_for(kind);
    std::vector<const KindSpec*> out;
    for (const auto& spec : specs_) {
        if (spec.kind == wanted) {
            out.push_back(&spec);
        }
    }
    return out;
}

std::vector<std::string_view> KindRegistry::type_names(ComponentKind kind) const {
    std::vector<std::string_view> out;
    for (const auto* spec : all(kind)) {
        out.push_back(spec->type);
    }
    return out;
}

} // namespace sluice
