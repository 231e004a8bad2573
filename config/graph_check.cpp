#include "config/graph_check.hpp"

#include "config/suggest.hpp"

#include <unordered_map>

namespace sluice {
namespace {

struct Node {
    LoadedComponent* component = nullptr;
    std::vector<int> producers; // per input, the index it resolved to, or -1
    bool read = false;
};

class GraphChecker {
public:
    GraphChecker(std::vector<LoadedComponent>& components, const CheckContext& context)
        : context_(context) {
        for (auto& component : components) {
            Node node;
            node.component = &component;
            nodes_.push_back(std::move(node));
        }
    }

    void run(bool file_has_errors) {
        std::size_t errors_before = context_.diagnostics.error_count();
        index_names();
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            resolve_inputs(i);
        }
        find_cycles();
        if (!file_has_errors && context_.diagnostics.error_count() == errors_before) {
            warn_unread();
        }
    }

private:
    void error(Position where, std::string message) {
        context_.diagnostics.error(where, std::move(message));
    }

    const ComponentConfig& config(std::size_t i) const { return nodes_[i].component->config; }

    void index_names() {
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            const auto& c = config(i);
            auto [found, inserted] = by_name_.emplace(c.name, static_cast<int>(i));
            if (!inserted) {
                const auto& first = config(static_cast<std::size_t>(found->second));
                error(c.position, "name " + quote(c.name) + " is already used by the " +
                                      std::string(kind_name(first.kind)) + " at line " +
                                      std::to_string(first.position.line) +
                                      ", expected a unique name per component");
            }
            names_.push_back(c.name);
        }
    }

    int resolve(const InputRef& ref) {
        auto found = by_name_.find(ref.component);
        if (found == by_name_.end() && by_name_.count(ref.text())) {
            return -1; // names a component whose invalid name (with a dot) is reported already
        }
        if (found == by_name_.end()) {
            error(ref.position, "input " + quote(ref.text()) + " names no component" +
                                    did_you_mean(ref.component, views_of(names_)) +
                                    ", expected the name of a source or stage");
            return -1;
        }
        auto index = static_cast<std::size_t>(found->second);
        const auto& producer = config(index);
        if (producer.kind == ComponentKind::sink || producer.kind == ComponentKind::actuator) {
            error(ref.position, "input " + quote(ref.text()) + " names " +
                                    describe(producer.kind, producer.name) +
                                    ", expected a source or stage (sinks produce no events)");
            return -1;
        }
        nodes_[index].read = true;
        check_output(ref, nodes_[index]);
        return found->second;
    }

    void check_output(const InputRef& ref, const Node& producer) {
        const auto& c = producer.component->config;
        const auto& outputs = producer.component->outputs;
        if (c.kind == ComponentKind::stage && !producer.component->built) {
            return; // its own errors are reported; its outputs are unknown
        }
        std::vector<std::string> full;
        for (const auto& output : outputs) {
            full.push_back(c.name + "." + output);
        }
        if (ref.output.empty()) {
            if (!full.empty()) {
                error(ref.position, describe(c.kind, c.name) + " has named outputs, expected " +
                                        "one of: " + join_list(views_of(full)));
            }
            return;
        }
        for (const auto& output : outputs) {
            if (output == ref.output) {
                return;
            }
        }
        std::string expected = full.empty() ? quote(c.name) + " (it has no named outputs)"
                                            : "one of: " + join_list(views_of(full));
        error(ref.position, describe(c.kind, c.name) + " has no output " + quote(ref.output) +
                                did_you_mean(ref.output, views_of(outputs)) + ", expected " +
                                expected);
    }

    void resolve_inputs(std::size_t i) {
        const auto& c = config(i);
        const ConfigNode* written = c.options.find("inputs");
        if (written && written->is_sequence() && written->size() == 0) {
            error(written->position(), describe(c.kind, c.name) +
                                           " has no inputs, expected at least one source or "
                                           "stage");
        }
        std::unordered_map<std::string, std::uint32_t> seen;
        for (const auto& ref : c.inputs) {
            auto [first, inserted] = seen.emplace(ref.text(), ref.position.line);
            if (!inserted) {
                error(ref.position,
                      "input " + quote(ref.text()) + " is listed twice (first at line " +
                          std::to_string(first->second) + "), expected each input once");
                nodes_[i].producers.push_back(-1);
                continue;
            }
            nodes_[i].producers.push_back(resolve(ref));
        }
    }

    void find_cycles();
    void report_cycle(const std::vector<std::size_t>& path, std::size_t from, const InputRef& ref);
    void warn_unread();

    const CheckContext& context_;
    std::vector<Node> nodes_;
    std::vector<std::string> names_;
    std::unordered_map<std::string, int> by_name_;
};

void GraphChecker::find_cycles() {
    // Iterative depth-first search along inputs, so a long chain of stages cannot overflow the
    // stack. A back edge to a node on the current path closes a cycle.
    enum class Color { white, grey, black };
    std::vector<Color> color(nodes_.size(), Color::white);
    struct Step {
        std::size_t node;
        std::size_t next_input;
    };
    for (std::size_t start = 0; start < nodes_.size(); ++start) {
        if (color[start] != Color::white) {
            continue;
        }
        std::vector<Step> stack{{start, 0}};
        std::vector<std::size_t> path{start};
        color[start] = Color::grey;
        while (!stack.empty()) {
            auto& step = stack.back();
            const auto& producers = nodes_[step.node].producers;
            if (step.next_input == producers.size()) {
                color[step.node] = Color::black;
                stack.pop_back();
                path.pop_back();
                continue;
            }
            std::size_t input = step.next_input++;
            int target = producers[input];
            if (target < 0) {
                continue;
            }
            auto next = static_cast<std::size_t>(target);
            if (color[next] == Color::grey) {
                report_cycle(path, next, config(step.node).inputs[input]);
            } else if (color[next] == Color::white) {
                color[next] = Color::grey;
                stack.push_back({next, 0});
                path.push_back(next);
            }
        }
    }
}

void GraphChecker::report_cycle(const std::vector<std::size_t>& path, std::size_t from,
                                const InputRef& ref) {
    // `path` runs against the flow of events (each node reads the next); print it with the flow.
    std::size_t begin = 0;
    while (path[begin] != from) {
        ++begin;
    }
    std::string cycle = printable(config(from).name);
    for (std::size_t k = path.size() - 1; k > begin; --k) {
        cycle += " -> " + printable(config(path[k]).name);
    }
    cycle += " -> " + printable(config(from).name);
    error(ref.position, "inputs form a cycle: " + cycle +
                            ", expected events to flow from sources to sinks without loops");
}

void GraphChecker::warn_unread() {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const auto& c = config(i);
        bool producer = c.kind == ComponentKind::source || c.kind == ComponentKind::stage;
        if (producer && !nodes_[i].read) {
            context_.diagnostics.warning(c.position, describe(c.kind, c.name) +
                                                         " is not read by any stage, sink or "
                                                         "actuator");
        }
    }
}

} // namespace

void check_graph(std::vector<LoadedComponent>& components, const CheckContext& context,
                 bool file_has_errors) {
    GraphChecker(components, context).run(file_has_errors);
}

} // namespace sluice
