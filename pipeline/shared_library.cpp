#include "pipeline/shared_library.hpp"

#include <dlfcn.h>

namespace sluice {

bool SharedLibrary::open() {
    if (!tried_) {
        tried_ = true;
        // RTLD_LOCAL: the library's symbols stay out of the global scope, where they would meet
        // ours (test programs may link the same library themselves).
        handle_ = dlopen(soname_, RTLD_NOW | RTLD_LOCAL);
        if (handle_ == nullptr) {
            const char* why = dlerror();
            error_ = std::string(what_) + " is not available (" +
                     (why ? why : std::string(soname_) + " not found") + ")";
        }
    }
    return handle_ != nullptr;
}

void* SharedLibrary::symbol(const char* name) {
    return open() ? dlsym(handle_, name) : nullptr;
}

} // namespace sluice
