#pragma once
// A shared library opened the first time something needs it, for dependencies most
// configurations never use (ZeroMQ, PCRE2): a daemon that does not use them never maps them,
// which keeps an idle daemon small, and runs on machines that lack them.

#include <string>

namespace sluice {

class SharedLibrary {
public:
    /// `soname` as dlopen() takes it (libzmq.so.5); `what` names the library in the error.
    SharedLibrary(const char* soname, const char* what) : soname_(soname), what_(what) {}
    // Never closed: function pointers taken from it may be called until the process exits.
    SharedLibrary(const SharedLibrary&) = delete;
    SharedLibrary& operator=(const SharedLibrary&) = delete;

    /// Opens the library the first time; false when it cannot be opened, with error() saying
    /// why ("PCRE2 is not available (libpcre2-8.so.0: cannot open shared object file...)").
    bool open();
    const std::string& error() const { return error_; }
    /// The address of `name` in the library, or nullptr when the library or the name is
    /// missing.
    void* symbol(const char* name);

private:
    const char* soname_;
    const char* what_;
    void* handle_ = nullptr;
    bool tried_ = false;
    std::string error_;
};

} // namespace sluice
