#pragma once
// The regular expressions of matches(): PCRE2, searched with limits on steps and memory, so
// that no pattern and input can crash the daemon or hold its loop for long. (std::regex, used
// before, recursed once per character and overflowed the stack on a 35 KB input.)

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct pcre2_real_code_8;
struct pcre2_real_match_data_8;
struct pcre2_real_match_context_8;

namespace sluice::expr {

/// A compiled pattern. Syntax: PCRE2 (Perl-compatible) with ECMAScript's escapes (\uHHHH,
/// \xHH), `$` only at the very end, and UTF-8 text.
class Pattern {
public:
    /// Compiles `pattern`, loading PCRE2 the first time. On failure returns nullopt with
    /// `error` saying why and `offset` the byte of the pattern where it went wrong, or npos
    /// when the pattern is not at fault (PCRE2 is missing from this machine). Never throws
    /// except std::bad_alloc.
    static std::optional<Pattern> compile(std::string_view pattern, std::string& error,
                                          std::size_t& offset);

    const pcre2_real_code_8* code() const { return code_.get(); }

private:
    struct Free {
        void operator()(pcre2_real_code_8* code) const;
    };
    std::unique_ptr<pcre2_real_code_8, Free> code_;
};

/// What searches need besides the pattern: PCRE2's match data, which keeps its backtracking
/// memory from one search to the next (so a search in steady state allocates nothing), and the
/// limits. One per evaluation context.
class Matcher {
public:
    /// A search may take this many backtracking steps: a 64 KiB frame (the default largest)
    /// against a pattern like `ERR.*timeout` needs about 65,000.
    static constexpr std::uint32_t kMaxSteps = 1'000'000;
    /// And this much memory for its backtracking state.
    static constexpr std::uint32_t kMaxHeapKiB = 8 * 1024;

    /// The match data is made at the first search: an evaluation context whose expressions
    /// call no matches() never loads PCRE2.
    Matcher() = default;
    ~Matcher();
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;

    /// Sets `found` to whether `pattern` matches anywhere in `text`. Returns nullptr, or why
    /// the search failed (it hit a limit). Never throws. Invalid UTF-8 in `text` never matches
    /// a character and is not an error.
    const char* search(const Pattern& pattern, std::string_view text, bool& found);

private:
    pcre2_real_match_data_8* data_ = nullptr;
    pcre2_real_match_context_8* context_ = nullptr;
};

} // namespace sluice::expr
