#include "pipeline/stages/route.hpp"

#include "pipeline/stages/stage_support.hpp"

#include <string>
#include <vector>

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"routes", OptionType::string_map, "",
     "Route name -> condition. Consumers name a route as STAGE.NAME; events that match no "
     "route go to STAGE._unmatched; an event goes to every route it matches.",
     true},
};

constexpr std::string_view kUnmatched = "_unmatched";

/// An event goes to every route whose condition it matches (as Vector's route does), in file
/// order, and to `_unmatched` when it matches none.
class Route final : public Stage {
public:
    Route(std::vector<std::string> names, std::vector<Expression> conditions)
        : names_(std::move(names)), conditions_(std::move(conditions)),
          matched_(conditions_.size()) {
        names_.emplace_back(kUnmatched);
    }

    void process(std::span<Event> batch, Emitter& out, Nanos now) override {
        ctx_.now = now;
        auto unmatched = static_cast<std::uint32_t>(conditions_.size());
        for (auto& event : batch) {
            // Decide every route first: an evaluation error drops the event from all of them.
            std::uint32_t last = unmatched;
            if (!match(event, last)) {
                continue;
            }
            for (std::uint32_t port = 0; port < last; ++port) {
                if (matched_[port]) {
                    out.emit_copy(event, port);
                }
            }
            out.emit(std::move(event), last);
        }
    }

    std::vector<std::string> output_names() const override { return names_; }

private:
    /// Fills matched_; `last` becomes the last matching port, or stays _unmatched's port.
    bool match(const Event& event, std::uint32_t& last) {
        for (std::uint32_t port = 0; port < conditions_.size(); ++port) {
            auto hit = conditions_[port].test(event, ctx_);
            if (!hit) {
                note_error(counters_, ctx_.error);
                return false;
            }
            matched_[port] = *hit ? 1 : 0;
            if (*hit) {
                last = port;
            }
        }
        return true;
    }

    std::vector<std::string> names_;
    std::vector<Expression> conditions_;
    std::vector<char> matched_;
    EvalContext ctx_;
};

} // namespace

std::span<const OptionSpec> route_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_route(const ComponentConfig& config, Diagnostics& diagnostics) {
    auto errors = diagnostics.error_count();
    const auto* routes = mapping_option(config, "routes", true, diagnostics);
    std::vector<std::string> names;
    std::vector<Expression> conditions;
    if (routes && routes->size() == 0) {
        diagnostics.error(routes->position(), "'routes' needs at least one route");
    }
    for (std::size_t i = 0; routes && i < routes->size(); ++i) {
        const auto& name = routes->keys()[i];
        auto where = routes->items()[i].key_position();
        if (name.empty() || name == kUnmatched || name.find('.') != std::string::npos) {
            diagnostics.error(where, "invalid route name '" + name +
                                         "': it must be non-empty, contain no '.', and not be "
                                         "_unmatched");
        }
        if (auto condition = compile_condition(routes->items()[i], diagnostics)) {
            names.push_back(name);
            conditions.push_back(std::move(*condition));
        }
    }
    if (diagnostics.error_count() != errors) {
        return nullptr;
    }
    return std::make_unique<Route>(std::move(names), std::move(conditions));
}

} // namespace sluice
