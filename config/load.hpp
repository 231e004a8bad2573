#pragma once
// The configuration layer's public API: YAML file -> PipelineConfig, with every problem
// reported as FILE:LINE:COL, plus the effective-config printer and the generated reference.

#include "config/kind_registry.hpp"
#include "pipeline/diagnostics.hpp"
#include "pipeline/pipeline_config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace sluice {

/// Reads and loads the file at `path` (see load_config_text). A file that cannot be read, or is
/// larger than 4 MiB, is reported without a position. Construct `diagnostics` with the file
/// name so messages read "FILE:LINE:COL: error: ...". Never throws except std::bad_alloc.
std::optional<PipelineConfig>
load_config_file(const std::string& path, const KindRegistry& registry, Diagnostics& diagnostics);

/// Loads the configuration `yaml` that was read from `path`: checks every key and value
/// against `registry` and the section tables, substitutes ${VAR}s from the process
/// environment, fills in defaults, builds each stage once (with its factory, which compiles its
/// expressions) to check the wiring, and checks the graph. Reports every problem it finds, not
/// only the first. Returns nullopt when it reported an error; warnings alone still return the
/// config. Never throws except std::bad_alloc.
std::optional<PipelineConfig> load_config_text(std::string_view yaml, const std::string& path,
                                               const KindRegistry& registry,
                                               Diagnostics& diagnostics);

/// The effective configuration as YAML (`sluice check --print`): defaults filled in, ${VAR}s
/// substituted (a `$` that would start a reference is written `$$`), sections in file order.
/// Loading the output gives the same configuration.
std::string print_config(const PipelineConfig& config);

/// The Markdown of the generated part of docs/config.md: the daemon section, the options
/// common to each section, and a table per component type in `registry`.
std::string config_reference_markdown(const KindRegistry& registry);

} // namespace sluice
