#include "pipeline/stages/filter.hpp"

#include "pipeline/stages/stage_support.hpp"

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"condition", OptionType::expression, "", "Events for which this is true pass.", true},
};

class Filter final : public InPlaceStage {
public:
    explicit Filter(Expression condition) : condition_(std::move(condition)) {}

    std::size_t process_in_place(std::span<Event> batch, Nanos now) override {
        ctx_.now = now;
        return compact(batch, [this](const Event& event) {
            auto pass = condition_.test(event, ctx_);
            if (!pass) {
                note_error(counters_, ctx_.error);
                return false;
            }
            if (!*pass) {
                ++counters_.dropped;
            }
            return *pass;
        });
    }

private:
    Expression condition_;
    EvalContext ctx_;
};

} // namespace

std::span<const OptionSpec> filter_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_filter(const ComponentConfig& config, Diagnostics& diagnostics) {
    auto condition =
        compile_option(config, "condition", true, diagnostics, ExpressionUse::condition);
    if (!condition) {
        return nullptr;
    }
    return std::make_unique<Filter>(std::move(*condition));
}

} // namespace sluice
