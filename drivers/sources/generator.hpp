#pragma once
// generator: simulated sensors, for the demo, tests and benchmarks.

#include "drivers/runtime/timer.hpp"
#include "drivers/source.hpp"

#include <memory>
#include <random>
#include <vector>

namespace sluice {

std::span<const OptionSpec> generator_options();

/// Emits `rate` events per second (0: as fast as the pipeline takes them), round-robin over
/// `keys`, each with the key field, a per-key `seq`, and the configured simulated fields.
/// Values are a function of the event's sequence number and `seed`, not of the wall clock, so a
/// run with `count:` is reproducible.
class GeneratorSource : public Source {
public:
    static std::unique_ptr<Source> make(const ComponentConfig& config, Diagnostics& diagnostics);

    Task<void> run(Scheduler& scheduler, SourceOutput& output) override;
    void stop() override;

    struct Field {
        Symbol name;
        enum class Wave { sine, random_walk, step, constant } wave;
        double min, max;
        double period_s;
        double noise;
        double step;
        std::vector<double> values; // step waveform
    };

private:
    explicit GeneratorSource(const ComponentConfig& config);
    void fill(Event& event, std::uint64_t n, Nanos now);

    double rate_ = 10;
    std::uint64_t count_ = 0; // 0: unlimited
    Symbol key_field_ = 0;
    std::vector<std::string> keys_;
    std::vector<Field> fields_;
    std::vector<double> walk_; // random-walk state per key and field
    std::mt19937_64 random_;
    Symbol source_ = 0;
    Symbol seq_ = 0;
    std::unique_ptr<Timer> timer_;
    bool stopping_ = false;
};

} // namespace sluice
