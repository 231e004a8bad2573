#pragma once
// debounce: holds the last event of a key and emits it once the key has been quiet for `for`.

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `debounce`, as data.
std::span<const OptionSpec> debounce_options();

/// Builds a debounce stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_debounce(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
