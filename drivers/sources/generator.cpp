#include "drivers/sources/generator.hpp"

#include "drivers/io/fd_stream.hpp"
#include "drivers/runtime/errors.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace sluice {

namespace {

constexpr std::string_view kWaves[] = {"sine", "random_walk", "step", "constant"};

constexpr OptionSpec kOptions[] = {
    {"rate",
     OptionType::number,
     "10",
     "Events per second over all keys; 0 means as fast as the pipeline accepts them.",
     false,
     {},
     0,
     1e9},
    {"count",
     OptionType::integer,
     "0",
     "Stop after this many events (0: never). The daemon exits when every source has ended.",
     false,
     {},
     0,
     9e18},
    {"key_field", OptionType::string, "sensor", "Name of the field that carries the key."},
    {"keys", OptionType::string_list, "[g1]", "Key values, used round-robin."},
    {"seed", OptionType::integer, "1", "Seed of the noise and random walks."},
    {"fields", OptionType::node, "",
     "Simulated fields: name: {waveform: sine|random_walk|step|constant, min, max, period, noise, "
     "step, values}."},
};

// Events per batch when running flat out: amortises the graph call without hurting latency.
constexpr std::uint64_t kMaxBatch = 256;

double number_or(const ConfigNode& node, std::string_view key, double fallback,
                 Diagnostics& diagnostics) {
    const auto* value = node.find(key);
    if (!value) {
        return fallback;
    }
    if (auto parsed = parse_number(value->text())) {
        return *parsed;
    }
    diagnostics.error(value->position(), "invalid value '" + value->text() + "' for '" +
                                             std::string(key) + "', expected a number");
    return fallback;
}

std::optional<GeneratorSource::Field> parse_field(const std::string& name, const ConfigNode& spec,
                                                  Diagnostics& diagnostics) {
    GeneratorSource::Field field{
        intern(name), GeneratorSource::Field::Wave::sine, 0, 100, 60, 0, 1, {}};
    if (!spec.is_mapping()) {
        diagnostics.error(spec.position(), "field '" + name +
                                               "' must be a mapping, expected {waveform: sine, "
                                               "min: 0, max: 100}");
        return std::nullopt;
    }
    for (std::size_t i = 0; i < spec.size(); ++i) {
        static constexpr std::array<std::string_view, 7> known = {
            "waveform", "min", "max", "period", "noise", "step", "values"};
        if (std::find(known.begin(), known.end(), spec.keys()[i]) == known.end()) {
            diagnostics.error(spec.items()[i].key_position(),
                              "unknown key '" + spec.keys()[i] +
                                  "' in generator field, expected one of: waveform, min, max, "
                                  "period, noise, step, values");
        }
    }
    if (const auto* wave = spec.find("waveform")) {
        auto it = std::find(std::begin(kWaves), std::end(kWaves), wave->text());
        if (it == std::end(kWaves)) {
            diagnostics.error(wave->position(), "unknown waveform '" + wave->text() +
                                                    "', expected sine, random_walk, step or "
                                                    "constant");
            return std::nullopt;
        }
        field.wave = static_cast<GeneratorSource::Field::Wave>(it - std::begin(kWaves));
    }
    field.min = number_or(spec, "min", field.min, diagnostics);
    field.max = number_or(spec, "max", field.max, diagnostics);
    field.noise = number_or(spec, "noise", 0, diagnostics);
    field.step = number_or(spec, "step", 1, diagnostics);
    if (const auto* period = spec.find("period")) {
        auto ns = parse_duration(period->text());
        if (!ns || *ns <= 0) {
            diagnostics.error(period->position(), "invalid period '" + period->text() +
                                                      "', expected a duration such as 60s");
        } else {
            field.period_s = static_cast<double>(*ns) / 1e9;
        }
    }
    if (const auto* values = spec.find("values")) {
        for (const auto& item : values->items()) {
            if (auto parsed = parse_number(item.text())) {
                field.values.push_back(*parsed);
            } else {
                diagnostics.error(item.position(),
                                  "invalid step value '" + item.text() + "', expected a number");
            }
        }
    }
    if (field.values.empty()) {
        field.values = {field.min, field.max};
    }
    return field;
}

} // namespace

std::span<const OptionSpec> generator_options() {
    return kOptions;
}

GeneratorSource::GeneratorSource(const ComponentConfig& config)
    : Source(config), source_(intern(config.name)), seq_(intern("seq")) {}

std::unique_ptr<Source> GeneratorSource::make(const ComponentConfig& config,
                                              Diagnostics& diagnostics) {
    std::unique_ptr<GeneratorSource> source(new GeneratorSource(config));
    Options options(config.options, diagnostics);
    source->rate_ = options.number("rate", 10);
    source->count_ = static_cast<std::uint64_t>(options.integer("count", 0));
    source->key_field_ = intern(options.string("key_field", "sensor"));
    source->keys_ = options.strings("keys");
    if (source->keys_.empty()) {
        source->keys_ = {"g1"};
    }
    source->random_.seed(static_cast<std::uint64_t>(options.integer("seed", 1)));
    if (const auto* fields = options.node("fields"); fields && fields->is_mapping()) {
        for (std::size_t i = 0; i < fields->size(); ++i) {
            if (auto field = parse_field(fields->keys()[i], fields->items()[i], diagnostics)) {
                source->fields_.push_back(std::move(*field));
            }
        }
    }
    source->walk_.assign(source->keys_.size() * source->fields_.size(), 0.0);
    for (std::size_t i = 0; i < source->walk_.size(); ++i) {
        const auto& f = source->fields_[i % source->fields_.size()];
        source->walk_[i] = (f.min + f.max) / 2;
    }
    return source;
}

void GeneratorSource::fill(Event& event, std::uint64_t n, Nanos now) {
    auto key_index = n % keys_.size();
    auto per_key_seq = n / keys_.size();
    event.set_ts(now);
    event.set_source(source_);
    event.set(key_field_, Value::string(keys_[key_index]));
    event.set(seq_, Value::integer(static_cast<std::int64_t>(per_key_seq)));
    // Simulated time of this event on its key, so waveforms do not depend on scheduling.
    double t = rate_ > 0 ? static_cast<double>(n) / rate_ : static_cast<double>(n) / 1000.0;
    std::normal_distribution<double> noise(0.0, 1.0);
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const auto& f = fields_[i];
        double value = f.min;
        switch (f.wave) {
        case Field::Wave::sine:
            value = f.min +
                    (f.max - f.min) * (0.5 + 0.5 * std::sin(2 * std::numbers::pi * t / f.period_s +
                                                            static_cast<double>(key_index)));
            break;
        case Field::Wave::random_walk: {
            auto& state = walk_[key_index * fields_.size() + i];
            state = std::clamp(state + f.step * noise(random_), f.min, f.max);
            value = state;
            break;
        }
        case Field::Wave::step: {
            auto phase = static_cast<std::size_t>(t / f.period_s);
            value = f.values[phase % f.values.size()];
            break;
        }
        case Field::Wave::constant:
            value = f.min;
            break;
        }
        if (f.noise > 0) {
            value += f.noise * noise(random_);
        }
        event.set(f.name, Value::number(std::round(value * 1000) / 1000));
    }
}

Task<void> GeneratorSource::run(Scheduler& scheduler, SourceOutput& output) {
    timer_ = std::make_unique<Timer>(scheduler);
    status_.state = ComponentState::running;
    EventBatch batch;
    std::uint64_t produced = 0;
    auto start_ms = scheduler.now_ms();
    while (!stopping_ && (count_ == 0 || produced < count_)) {
        co_await wait_for_room(output);
        if (stopping_) {
            break;
        }
        std::uint64_t due = kMaxBatch;
        if (rate_ > 0) {
            auto elapsed_ms = static_cast<double>(scheduler.now_ms() - start_ms);
            auto owed = static_cast<std::uint64_t>(elapsed_ms * rate_ / 1000.0) + 1;
            due = owed > produced ? std::min(owed - produced, kMaxBatch) : 0;
        }
        if (count_ > 0) {
            due = std::min(due, count_ - produced);
        }
        if (due == 0) {
            // Sleep until the next event is owed.
            auto next_ms = static_cast<double>(produced) * 1000.0 / rate_;
            auto wait = static_cast<std::uint64_t>(
                std::max(1.0, next_ms - static_cast<double>(scheduler.now_ms() - start_ms)));
            co_await timer_->sleep(wait);
            continue;
        }
        auto now = wall_clock_now();
        batch.resize(due);
        for (std::uint64_t i = 0; i < due; ++i) {
            batch[i].clear();
            fill(batch[i], produced + i, now);
        }
        produced += due;
        status_.events_in += due;
        status_.events_out += due;
        status_.last_event = now;
        output.push(batch);
        if (rate_ <= 0) {
            co_await yield_to_loop(scheduler);
        }
    }
    status_.state = ComponentState::stopped;
    timer_->close();
}

void GeneratorSource::stop() {
    stopping_ = true;
    if (timer_) {
        timer_->close();
    }
}

} // namespace sluice
