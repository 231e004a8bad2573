// `sluice check --print`: the effective configuration written back as YAML.
#include "config/load.hpp"
#include "config/suggest.hpp"

#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>

#include <array>

namespace sluice {
namespace {

/// Doubles each `$` that the loader would read as the start of a reference or an escape, so
/// that the printed file loads back to the same text.
std::string escape_dollars(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        out += text[i];
        char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if (text[i] == '$' && (next == '{' || next == '$')) {
            out += '$';
        }
    }
    return out;
}

void emit_entry(YAML::Emitter& out, const ConfigNode& mapping, std::size_t i);

bool all_scalars(const ConfigNode& node) {
    for (const auto& item : node.items()) {
        if (!item.is_scalar()) {
            return false;
        }
    }
    return true;
}

void emit(YAML::Emitter& out, const ConfigNode& node) {
    switch (node.kind()) {
    case ConfigNode::Kind::null:
        out << YAML::Null;
        break;
    case ConfigNode::Kind::scalar:
        if (node.quoted()) {
            out << YAML::DoubleQuoted;
        }
        out << escape_dollars(node.text());
        break;
    case ConfigNode::Kind::sequence:
        if (all_scalars(node) || node.size() == 0) {
            out << YAML::Flow;
        }
        out << YAML::BeginSeq;
        for (const auto& item : node.items()) {
            emit(out, item);
        }
        out << YAML::EndSeq;
        break;
    case ConfigNode::Kind::mapping:
        if (node.size() == 0) {
            out << YAML::Flow;
        }
        out << YAML::BeginMap;
        for (std::size_t i = 0; i < node.size(); ++i) {
            emit_entry(out, node, i);
        }
        out << YAML::EndMap;
        break;
    }
}

void emit_entry(YAML::Emitter& out, const ConfigNode& mapping, std::size_t i) {
    out << YAML::Key << escape_dollars(mapping.keys()[i]) << YAML::Value;
    emit(out, mapping.items()[i]);
}

void emit_daemon(YAML::Emitter& out, const DaemonConfig& daemon) {
    out << YAML::Key << "daemon" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "status_socket" << YAML::Value << escape_dollars(daemon.status_socket);
    out << YAML::Key << "log_level" << YAML::Value << daemon.log_level;
    out << YAML::Key << "shutdown_timeout" << YAML::Value
        << format_duration(daemon.shutdown_timeout);
    out << YAML::EndMap;
}

} // namespace

std::string print_config(const PipelineConfig& config) {
    struct Section {
        const char* key;
        ComponentKind kind;
    };
    static constexpr std::array<Section, 4> kSections = {{{"sources", ComponentKind::source},
                                                          {"stages", ComponentKind::stage},
                                                          {"sinks", ComponentKind::sink},
                                                          {"actuators", ComponentKind::actuator}}};
    YAML::Emitter out;
    out.SetIndent(2);
    if (!config.path.empty()) {
        out << YAML::Comment("effective configuration of " + printable(config.path));
    }
    out << YAML::BeginMap;
    out << YAML::Key << "version" << YAML::Value << 1;
    emit_daemon(out, config.daemon);
    for (const auto& section : kSections) {
        bool any = false;
        for (const auto& component : config.components) {
            if (component.kind != section.kind) {
                continue;
            }
            if (!any) {
                out << YAML::Key << section.key << YAML::Value << YAML::BeginMap;
                any = true;
            }
            out << YAML::Key << component.name << YAML::Value;
            emit(out, component.options);
        }
        if (any) {
            out << YAML::EndMap;
        }
    }
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace sluice
