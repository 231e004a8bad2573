#include "config/load.hpp"

#include "config/component_build.hpp"
#include "config/graph_check.hpp"
#include "config/limits.hpp"
#include "config/once_check.hpp"
#include "config/section_options.hpp"
#include "config/sha256.hpp"
#include "config/status_socket_path.hpp"
#include "config/suggest.hpp"
#include "config/text_checks.hpp"
#include "config/yaml_reader.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace sluice {
namespace {

struct Section {
    std::string_view key;
    ComponentKind kind;
};

constexpr std::array<Section, 4> kSections = {{{"sources", ComponentKind::source},
                                               {"stages", ComponentKind::stage},
                                               {"sinks", ComponentKind::sink},
                                               {"actuators", ComponentKind::actuator}}};

constexpr std::array<std::string_view, 6> kTopKeys = {"version", "sources",   "stages",
                                                      "sinks",   "actuators", "daemon"};

constexpr std::string_view kExpectedTop =
    "expected a mapping with 'version: 1' and the sections sources, stages, sinks and actuators";

bool is_known_top_key(std::string_view key) {
    // `x-` keys are free for the user, as in Compose files: a place to define &anchors.
    bool known = key.starts_with("x-");
    for (auto top : kTopKeys) {
        known = known || key == top;
    }
    return known;
}

/// Reports unknown top-level keys; returns whether there was one.
bool check_top_keys(const ConfigNode& root, const CheckContext& context) {
    bool unknown = false;
    for (std::size_t i = 0; i < root.size(); ++i) {
        const auto& key = root.keys()[i];
        if (is_known_top_key(key)) {
            continue;
        }
        unknown = true;
        auto match = closest_match(key, kTopKeys);
        context.diagnostics.error(root.items()[i].key_position(),
                                  "unknown key " + quote(key) +
                                      (match ? ", did you mean '" + std::string(*match) + "'?"
                                             : ", expected one of: " + join_list(kTopKeys)));
    }
    return unknown;
}

void check_version(const ConfigNode& root, const CheckContext& context) {
    const auto* version = root.find("version");
    if (!version) {
        context.diagnostics.error(root.position(), "missing 'version', expected 'version: 1' at "
                                                   "the top of the file");
        return;
    }
    if (is_tainted(context.tainted, version->position())) {
        return;
    }
    if (!version->is_scalar() || version->text() != "1") {
        std::string shown =
            version->is_scalar() ? quote(version->text()) : std::string(node_description(*version));
        context.diagnostics.error(version->position(),
                                  "unsupported version " + shown + ", expected 1");
    }
}

DaemonConfig load_daemon(const ConfigNode& root, const CheckContext& context) {
    const auto* written = root.find("daemon");
    Position where = written ? written->key_position() : root.position();
    ConfigNode daemon = ConfigNode::make_mapping(where);
    if (written && written->is_mapping()) {
        daemon = *written;
    } else if (written && !written->is_null() && !is_tainted(context.tainted, where)) {
        context.diagnostics.error(written->position(),
                                  "invalid value for 'daemon' (" +
                                      std::string(node_description(*written)) +
                                      "), expected a mapping of daemon options");
    }
    check_mapping(daemon, {daemon_options()}, "the daemon section", where, context);
    check_resolved_status_socket(daemon, context);
    DaemonConfig out;
    Diagnostics ignored;
    Options options(daemon, ignored); // values were checked above, with their positions
    out.status_socket = options.string("status_socket", out.status_socket);
    out.log_level = options.string("log_level", out.log_level);
    out.shutdown_timeout = options.duration("shutdown_timeout", out.shutdown_timeout);
    return out;
}

void load_section(const ConfigNode& root, const Section& section, const KindRegistry& registry,
                  const CheckContext& context, std::vector<LoadedComponent>& out) {
    const auto* node = root.find(section.key);
    if (!node || node->is_null() || is_tainted(context.tainted, node->position())) {
        return;
    }
    if (!node->is_mapping()) {
        context.diagnostics.error(node->position(), "invalid value for '" +
                                                        std::string(section.key) + "' (" +
                                                        std::string(node_description(*node)) +
                                                        "), expected a mapping of names to " +
                                                        std::string(kind_name(section.kind)) + "s");
        return;
    }
    for (std::size_t i = 0; i < node->size(); ++i) {
        out.push_back(
            load_component(section.kind, node->keys()[i], node->items()[i], registry, context));
    }
}

bool has_source(const std::vector<LoadedComponent>& components) {
    for (const auto& component : components) {
        if (component.config.kind == ComponentKind::source) {
            return true;
        }
    }
    return false;
}

/// Loads every section, builds the components, then checks the graph. `unknown_top_key` says a
/// section name may be misspelt, which would make "no sources" a confusing second error for the
/// same mistake.
std::vector<LoadedComponent> load_components(const ConfigNode& root, const KindRegistry& registry,
                                             const CheckContext& context, std::size_t errors_before,
                                             bool unknown_top_key) {
    std::vector<LoadedComponent> components;
    for (const auto& section : kSections) {
        load_section(root, section, registry, context, components);
    }
    const auto* sources = root.find("sources");
    bool sources_invalid = sources && !sources->is_null() && !sources->is_mapping();
    if (!has_source(components) && !sources_invalid && !unknown_top_key) {
        context.diagnostics.error(sources ? sources->key_position() : root.position(),
                                  "the pipeline has no sources, expected at least one under "
                                  "'sources:'");
    }
    check_uses_once(components, context);
    build_components(components, context);
    check_graph(components, context, context.diagnostics.error_count() != errors_before);
    return components;
}

} // namespace

std::optional<PipelineConfig> load_config_text(std::string_view yaml, const std::string& path,
                                               const KindRegistry& registry,
                                               Diagnostics& diagnostics) {
    std::size_t errors_before = diagnostics.error_count();
    if (!check_text(yaml, diagnostics)) {
        return std::nullopt;
    }
    auto document = read_yaml(yaml, process_environment(), diagnostics);
    if (!document) {
        return std::nullopt;
    }
    CheckContext context{diagnostics, document->tainted};
    const ConfigNode& root = document->root;
    if (!root.is_mapping()) {
        std::string what = root.is_null()
                               ? "the file is empty"
                               : "the top level is " + std::string(node_description(root));
        diagnostics.error(root.position(), what + ", " + std::string(kExpectedTop));
        return std::nullopt;
    }
    bool unknown_top_key = check_top_keys(root, context);
    check_version(root, context);
    PipelineConfig config;
    config.daemon = load_daemon(root, context);
    auto components = load_components(root, registry, context, errors_before, unknown_top_key);
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    for (auto& component : components) {
        config.components.push_back(std::move(component.config));
    }
    config.path = path;
    config.sha256 = sha256_hex(yaml);
    return config;
}

std::optional<PipelineConfig>
load_config_file(const std::string& path, const KindRegistry& registry, Diagnostics& diagnostics) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                         &std::fclose);
    if (!file) {
        diagnostics.error({}, std::string("cannot open the file: ") + std::strerror(errno) +
                                  ", expected a readable YAML file");
        return std::nullopt;
    }
    // Read one byte past the limit so an oversized file is reported without reading it all.
    std::string text;
    char chunk[65536];
    while (text.size() <= config_limits::kMaxFileBytes) {
        std::size_t got = std::fread(chunk, 1, sizeof chunk, file.get());
        text.append(chunk, got);
        if (got < sizeof chunk) {
            break;
        }
    }
    if (std::ferror(file.get())) {
        diagnostics.error({}, std::string("cannot read the file: ") + std::strerror(errno) +
                                  ", expected a readable YAML file");
        return std::nullopt;
    }
    return load_config_text(text, path, registry, diagnostics);
}

} // namespace sluice
