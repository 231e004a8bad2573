#define PCRE2_CODE_UNIT_WIDTH 8
#include "pipeline/expr/pattern.hpp"

#include <pcre2.h>

#include <new>

namespace sluice::expr {
namespace {

// PCRE2 allocates through the C++ allocator like the rest of the daemon, so its memory shows up
// where the project counts allocations (the tests that check a steady state allocates nothing).
void* allocate(PCRE2_SIZE size, void*) {
    return ::operator new(size, std::nothrow);
}
void release(void* block, void*) {
    ::operator delete(block);
}
pcre2_general_context* allocator() {
    static pcre2_general_context* context =
        pcre2_general_context_create(allocate, release, nullptr);
    return context;
}

} // namespace

void Pattern::Free::operator()(pcre2_code* code) const {
    pcre2_code_free(code);
}

std::optional<Pattern> Pattern::compile(std::string_view pattern, std::string& error,
                                        std::size_t& offset) {
    // ECMAScript's escapes and `[^]`, its `$`, and its idea of a line end for `.`; UTF-8
    // subjects, where bytes that are not well-formed UTF-8 simply match nothing.
    constexpr std::uint32_t kOptions = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX |
                                       PCRE2_ALLOW_EMPTY_CLASS | PCRE2_DOLLAR_ENDONLY |
                                       PCRE2_NEVER_BACKSLASH_C;
    std::unique_ptr<pcre2_compile_context, decltype(&pcre2_compile_context_free)> context(
        pcre2_compile_context_create(allocator()), &pcre2_compile_context_free);
    if (!context) {
        throw std::bad_alloc{};
    }
    pcre2_set_newline(context.get(), PCRE2_NEWLINE_ANY);
    pcre2_set_compile_extra_options(context.get(), PCRE2_EXTRA_ALT_BSUX);
    int code = 0;
    PCRE2_SIZE at = 0;
    auto* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   kOptions, &code, &at, context.get());
    if (!compiled) {
        if (code == PCRE2_ERROR_NOMEMORY) {
            throw std::bad_alloc{};
        }
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(code, message, sizeof message);
        error = reinterpret_cast<const char*>(message);
        offset = at;
        return std::nullopt;
    }
    Pattern out;
    out.code_.reset(compiled);
    return out;
}

Matcher::Matcher() {
    // One pair of offsets: matches() wants only whether there is a match, not the groups.
    data_ = pcre2_match_data_create(1, allocator());
    context_ = pcre2_match_context_create(allocator());
    if (!data_ || !context_) {
        pcre2_match_data_free(data_);
        pcre2_match_context_free(context_);
        throw std::bad_alloc{};
    }
    pcre2_set_match_limit(context_, kMaxSteps);
    pcre2_set_heap_limit(context_, kMaxHeapKiB);
}

Matcher::~Matcher() {
    pcre2_match_data_free(data_);
    pcre2_match_context_free(context_);
}

const char* Matcher::search(const Pattern& pattern, std::string_view text, bool& found) {
    int rc = pcre2_match(pattern.code(), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                         0, data_, context_);
    // 0 is a match whose groups did not fit the one pair of offsets.
    found = rc >= 0;
    if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH) {
        return nullptr;
    }
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
        rc == PCRE2_ERROR_DEPTHLIMIT) {
        return "regular expression too complex for the input";
    }
    if (rc == PCRE2_ERROR_NOMEMORY) {
        return "out of memory for the regular expression search";
    }
    return "regular expression search failed";
}

} // namespace sluice::expr
