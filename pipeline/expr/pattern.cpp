#define PCRE2_CODE_UNIT_WIDTH 8
#include "pipeline/expr/pattern.hpp"

#include "pipeline/shared_library.hpp"

#include <pcre2.h>

#include <new>
#include <type_traits>

namespace sluice::expr {
namespace {

// PCRE2 is opened when the first pattern is compiled rather than linked: linked in, its 400 KB
// (JIT compiler included, which sluice does not use) cost an idle daemon 0.15 MiB of resident
// code that every configuration paid for.
struct Pcre2 {
    decltype(&pcre2_general_context_create) general_context_create;
    decltype(&pcre2_compile_context_create) compile_context_create;
    decltype(&pcre2_compile_context_free) compile_context_free;
    decltype(&pcre2_set_newline) set_newline;
    decltype(&pcre2_set_compile_extra_options) set_compile_extra_options;
    decltype(&pcre2_compile) compile;
    decltype(&pcre2_code_free) code_free;
    decltype(&pcre2_get_error_message) get_error_message;
    decltype(&pcre2_match_data_create) match_data_create;
    decltype(&pcre2_match_data_free) match_data_free;
    decltype(&pcre2_match_context_create) match_context_create;
    decltype(&pcre2_match_context_free) match_context_free;
    decltype(&pcre2_set_match_limit) set_match_limit;
    decltype(&pcre2_set_heap_limit) set_heap_limit;
    decltype(&pcre2_match) match;
    // PCRE2 allocates through the C++ allocator like the rest of the daemon, so its memory
    // shows up where the project counts allocations (tests that check a steady state
    // allocates nothing).
    pcre2_general_context* allocator = nullptr;
};

void* allocate(PCRE2_SIZE size, void*) {
    return ::operator new(size, std::nothrow);
}
void release(void* block, void*) {
    ::operator delete(block);
}

SharedLibrary& library() {
    static SharedLibrary pcre2("libpcre2-8.so.0", "PCRE2");
    return pcre2;
}

/// The library's functions, loaded at the first call; `match` is nullptr when the library or
/// one of them is missing.
const Pcre2& pcre2() {
    static const Pcre2 api = [] {
        Pcre2 p{};
        bool complete = true;
        auto resolve = [&](auto& function, const char* name) {
            function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(
                library().symbol(name));
            complete = complete && function != nullptr;
        };
        resolve(p.general_context_create, "pcre2_general_context_create_8");
        resolve(p.compile_context_create, "pcre2_compile_context_create_8");
        resolve(p.compile_context_free, "pcre2_compile_context_free_8");
        resolve(p.set_newline, "pcre2_set_newline_8");
        resolve(p.set_compile_extra_options, "pcre2_set_compile_extra_options_8");
        resolve(p.compile, "pcre2_compile_8");
        resolve(p.code_free, "pcre2_code_free_8");
        resolve(p.get_error_message, "pcre2_get_error_message_8");
        resolve(p.match_data_create, "pcre2_match_data_create_8");
        resolve(p.match_data_free, "pcre2_match_data_free_8");
        resolve(p.match_context_create, "pcre2_match_context_create_8");
        resolve(p.match_context_free, "pcre2_match_context_free_8");
        resolve(p.set_match_limit, "pcre2_set_match_limit_8");
        resolve(p.set_heap_limit, "pcre2_set_heap_limit_8");
        resolve(p.match, "pcre2_match_8");
        if (!complete) {
            p.match = nullptr; // the mark of an unusable library
        } else {
            p.allocator = p.general_context_create(allocate, release, nullptr);
        }
        return p;
    }();
    return api;
}

} // namespace

// A Pattern exists only once PCRE2 has loaded, and a Matcher has match data only then.
void Pattern::Free::operator()(pcre2_code* code) const {
    pcre2().code_free(code);
}

std::optional<Pattern> Pattern::compile(std::string_view pattern, std::string& error,
                                        std::size_t& offset) {
    const Pcre2* p = &pcre2();
    if (p->match == nullptr) {
        error = library().error().empty()
                    ? "PCRE2 is not available (libpcre2-8.so.0 lacks a function)"
                    : library().error();
        offset = std::string_view::npos;
        return std::nullopt;
    }
    // ECMAScript's escapes and `[^]`, its `$`, and its idea of a line end for `.`; UTF-8
    // subjects, where bytes that are not well-formed UTF-8 simply match nothing.
    constexpr std::uint32_t kOptions = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX |
                                       PCRE2_ALLOW_EMPTY_CLASS | PCRE2_DOLLAR_ENDONLY |
                                       PCRE2_NEVER_BACKSLASH_C;
    std::unique_ptr<pcre2_compile_context, decltype(p->compile_context_free)> context(
        p->compile_context_create(p->allocator), p->compile_context_free);
    if (!context) {
        throw std::bad_alloc{};
    }
    p->set_newline(context.get(), PCRE2_NEWLINE_ANY);
    p->set_compile_extra_options(context.get(), PCRE2_EXTRA_ALT_BSUX);
    int code = 0;
    PCRE2_SIZE at = 0;
    auto* compiled = p->compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                kOptions, &code, &at, context.get());
    if (!compiled) {
        if (code == PCRE2_ERROR_NOMEMORY) {
            throw std::bad_alloc{};
        }
        PCRE2_UCHAR message[256];
        p->get_error_message(code, message, sizeof message);
        error = reinterpret_cast<const char*>(message);
        offset = at;
        return std::nullopt;
    }
    Pattern out;
    out.code_.reset(compiled);
    return out;
}

Matcher::~Matcher() {
    if (data_ != nullptr) {
        pcre2().match_data_free(data_);
        pcre2().match_context_free(context_);
    }
}

const char* Matcher::search(const Pattern& pattern, std::string_view text, bool& found) {
    found = false;
    const auto& p = pcre2();
    if (data_ == nullptr) {
        // One pair of offsets: matches() wants only whether there is a match, not the groups.
        data_ = p.match_data_create(1, p.allocator);
        context_ = p.match_context_create(p.allocator);
        if (data_ == nullptr || context_ == nullptr) {
            p.match_data_free(data_);
            p.match_context_free(context_);
            data_ = nullptr;
            context_ = nullptr;
            return "out of memory for the regular expression search";
        }
        p.set_match_limit(context_, kMaxSteps);
        p.set_heap_limit(context_, kMaxHeapKiB);
    }
    int rc = p.match(pattern.code(), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0,
                     data_, context_);
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
