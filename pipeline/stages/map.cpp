#include "pipeline/stages/map.hpp"

#include "pipeline/stages/stage_support.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"set", OptionType::string_map, "",
     "Field -> expression, applied in file order; each sees the fields set before it."},
    {"rename", OptionType::string_map, "", "Old field name -> new field name."},
    {"drop", OptionType::string_list, "", "Fields to remove."},
    {"keep", OptionType::string_list, "", "Fields to keep; every other field is removed."},
};

struct Assignment {
    Symbol field;
    Expression value;
};

/// Applies, in this order: set, rename, drop, keep. So `keep` names fields by their final
/// names, and a `set` field can be renamed or dropped in the same stage.
class Map final : public InPlaceStage {
public:
    Map(std::vector<Assignment> set, std::vector<std::pair<Symbol, Symbol>> rename,
        std::vector<Symbol> drop, std::optional<std::vector<Symbol>> keep)
        : set_(std::move(set)), rename_(std::move(rename)), drop_(std::move(drop)),
          keep_(std::move(keep)) {}

    std::size_t process_in_place(std::span<Event> batch, Nanos now) override {
        ctx_.now = now;
        return compact(batch, [this](Event& event) { return apply(event); });
    }

private:
    bool apply(Event& event) {
        for (const auto& a : set_) {
            auto v = a.value.eval(event, ctx_);
            if (!v) {
                note_error(counters_, ctx_.error);
                return false;
            }
            // A string result may view this same event; Event::set copes with that.
            event.set(a.field, *v);
        }
        for (const auto& [from, to] : rename_) {
            event.rename(from, to);
        }
        for (auto field : drop_) {
            event.erase(field);
        }
        if (keep_) {
            for (auto i = event.size(); i-- > 0;) {
                auto name = event.name_at(i);
                if (std::find(keep_->begin(), keep_->end(), name) == keep_->end()) {
                    event.erase(name);
                }
            }
        }
        return true;
    }

    std::vector<Assignment> set_;
    std::vector<std::pair<Symbol, Symbol>> rename_;
    std::vector<Symbol> drop_;
    std::optional<std::vector<Symbol>> keep_;
    EvalContext ctx_;
};

std::vector<Symbol> field_list(const ComponentConfig& config, std::string_view key,
                               Diagnostics& diagnostics) {
    std::vector<Symbol> out;
    const auto* node = config.options.find(key);
    if (!node || node->is_null()) {
        return out;
    }
    if (node->is_mapping()) {
        diagnostics.error(node->position(), "invalid value for '" + std::string(key) +
                                                "', expected a list of field names");
        return out;
    }
    for (const auto& name : Options(config.options, diagnostics).strings(key)) {
        if (name.empty()) {
            diagnostics.error(node->position(), "'" + std::string(key) + "' names an empty field");
        }
        out.push_back(intern(name));
    }
    return out;
}

} // namespace

std::span<const OptionSpec> map_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_map(const ComponentConfig& config, Diagnostics& diagnostics) {
    auto errors = diagnostics.error_count();
    std::vector<Assignment> set;
    if (const auto* node = mapping_option(config, "set", false, diagnostics)) {
        for (std::size_t i = 0; i < node->size(); ++i) {
            if (auto value = compile_expression(node->items()[i], diagnostics)) {
                set.push_back({intern(node->keys()[i]), std::move(*value)});
            }
        }
    }
    std::vector<std::pair<Symbol, Symbol>> rename;
    if (const auto* node = mapping_option(config, "rename", false, diagnostics)) {
        for (std::size_t i = 0; i < node->size(); ++i) {
            const auto& to = node->items()[i];
            if (!to.is_scalar() || to.text().empty()) {
                diagnostics.error(to.position(),
                                  "expected the new name of '" + node->keys()[i] + "'");
                continue;
            }
            rename.emplace_back(intern(node->keys()[i]), intern(to.text()));
        }
    }
    auto drop = field_list(config, "drop", diagnostics);
    std::optional<std::vector<Symbol>> keep;
    if (const auto* node = config.options.find("keep"); node && !node->is_null()) {
        keep = field_list(config, "keep", diagnostics);
    }
    if (diagnostics.error_count() != errors) {
        return nullptr;
    }
    return std::make_unique<Map>(std::move(set), std::move(rename), std::move(drop),
                                 std::move(keep));
}

} // namespace sluice
