#pragma once
// The yaml-cpp event handler that builds a ConfigNode tree (internal to yaml_reader.cpp).

#include "config/yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice {

/// Thrown from an event callback to stop parsing once a fatal problem is reported.
struct StopParsing {};

class TreeBuilder final : public YAML::EventHandler {
public:
    /// `text` is what yaml-cpp parses (its marks index it); it must outlive the builder.
    TreeBuilder(std::string_view text, const EnvLookup& env, Diagnostics& diagnostics);

    void OnDocumentStart(const YAML::Mark& mark) override;
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override;
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override;
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override;
    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value style) override;
    void OnSequenceEnd() override;
    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value style) override;
    void OnMapEnd() override;

    YamlDocument take() { return {std::move(root_), std::move(tainted_)}; }

private:
    struct Frame {
        ConfigNode node;
        YAML::anchor_t anchor = 0;
        std::size_t nodes_at_start = 0;
        std::size_t bytes_at_start = 0;
        bool has_key = false;
        bool skip_value = false;
        bool key_is_merge = false; // a plain `<<` key
        std::string key;
        Position key_position;
        std::unordered_map<std::string, std::uint32_t> seen; // key -> line
        std::vector<ConfigNode> merges;                      // values of `<<` keys
    };
    struct Anchored {
        ConfigNode node;
        std::size_t nodes = 0;
        std::size_t bytes = 0;
    };

    void start_collection(ConfigNode node, const std::string& tag, YAML::anchor_t anchor);
    void end_collection();
    void add(ConfigNode node, YAML::anchor_t anchor, std::size_t nodes, std::size_t bytes);
    void add_to_mapping(Frame& frame, ConfigNode node);
    void add_merge(Frame& frame, ConfigNode value);
    void apply_merges(Frame& frame);
    void count(std::size_t nodes, std::size_t bytes, Position where);
    bool written_null_at(int pos, std::string_view& word) const;
    void check_tag(const std::string& tag, Position where, bool scalar, bool& quoted);

    std::string_view text_;
    const EnvLookup& env_;
    Diagnostics& diagnostics_;
    std::vector<Frame> stack_;
    std::unordered_map<YAML::anchor_t, Anchored> anchors_;
    ConfigNode root_;
    TaintedPositions tainted_;
    std::size_t nodes_ = 0;
    std::size_t bytes_ = 0;
};

} // namespace sluice
