#include "drivers/runtime/address.hpp"

#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/scheduler.hpp"
#include "drivers/runtime/wait_slot.hpp"
#include "pipeline/value_checks.hpp"

#include <charconv>
#include <cstring>
#include <netinet/in.h>

#include <uv.h>

namespace sluice {

// The config loader checks socket paths against this limit.
static_assert(sizeof(sockaddr_un::sun_path) == kMaxSocketPathBytes + 1);

std::string HostPort::text() const {
    auto port_text = std::to_string(port);
    if (host.find(':') != std::string::npos) {
        return "[" + host + "]:" + port_text;
    }
    return host + ":" + port_text;
}

std::optional<HostPort> parse_host_port(std::string_view text, std::string& error) {
    error = "expected host:port such as 127.0.0.1:9000, [::1]:9000 or :9000";
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == text.size()) {
        return std::nullopt;
    }
    HostPort out;
    auto host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return std::nullopt; // a bare IPv6 address needs brackets
    }
    auto port = text.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
        return std::nullopt;
    }
    out.host = std::string(host);
    out.port = static_cast<std::uint16_t>(value);
    error.clear();
    return out;
}

std::uint16_t SocketAddress::port() const {
    if (storage.ss_family == AF_INET) {
        return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
    }
    if (storage.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
    }
    return 0;
}

namespace {

bool numeric_address(const HostPort& where, SocketAddress& out) {
    auto host = where.host.empty() ? std::string("0.0.0.0") : where.host;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
    if (uv_ip4_addr(host.c_str(), where.port, v4) == 0) {
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    return uv_ip6_addr(host.c_str(), where.port, v6) == 0;
}

/// A getaddrinfo request; freed in its callback, which detaches it from a vanished waiter.
struct ResolveRequest {
    uv_getaddrinfo_t req{};
    WaitSlot* waiter = nullptr;
    Scheduler* scheduler = nullptr;
    SocketAddress* out = nullptr;
};

struct ResolveAwaiter {
    Scheduler& scheduler;
    const HostPort& where;
    SocketAddress& out;
    ResolveRequest* request = nullptr;
    WaitSlot slot{};

    ResolveAwaiter(Scheduler& s, const HostPort& w, SocketAddress& o)
        : scheduler(s), where(w), out(o) {}
    ResolveAwaiter(const ResolveAwaiter&) = delete;
    ~ResolveAwaiter() {
        if (slot.registered && request) {
            request->waiter = nullptr;
            request->out = nullptr;
        }
    }
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) {
        request = new ResolveRequest{};
        request->waiter = &slot;
        request->scheduler = &scheduler;
        request->out = &out;
        request->req.data = request;
        slot.handle = handle;
        slot.registered = true;
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        auto port = std::to_string(where.port);
        int status = uv_getaddrinfo(scheduler.loop(), &request->req, &on_resolved,
                                    where.host.c_str(), port.c_str(), &hints);
        if (status < 0) {
            delete request;
            request = nullptr;
            slot.registered = false;
            slot.status = status;
            scheduler.schedule(handle);
        }
    }
    void await_resume() const { throw_if_error(static_cast<int>(slot.status), "resolve"); }

    static void on_resolved(uv_getaddrinfo_t* req, int status, addrinfo* result) {
        auto* request = static_cast<ResolveRequest*>(req->data);
        if (status == 0 && result && request->out) {
            std::memcpy(&request->out->storage, result->ai_addr, result->ai_addrlen);
        }
        if (status == 0 && !result) {
            status = UV_EAI_NONAME;
        }
        uv_freeaddrinfo(result);
        if (auto* slot = request->waiter) {
            slot->registered = false;
            slot->status = status;
            request->scheduler->schedule(slot->handle);
        }
        delete request;
    }
};

} // namespace

Task<SocketAddress> resolve(Scheduler& scheduler, HostPort where) {
    SocketAddress out;
    if (!numeric_address(where, out)) {
        try {
            co_await ResolveAwaiter{scheduler, where, out};
        } catch (const IoError& e) {
            throw IoError("resolve " + where.host, e.code());
        }
    }
    co_return out;
}

std::uint16_t bound_port(int fd) {
    SocketAddress address;
    socklen_t length = sizeof(address.storage);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address.storage), &length) != 0) {
        return 0;
    }
    return address.port();
}

sockaddr_un unix_socket_address(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() > kMaxSocketPathBytes) {
        throw IoError("socket path '" + path + "' is empty or longer than " +
                          std::to_string(kMaxSocketPathBytes) + " bytes",
                      UV_ENAMETOOLONG);
    }
    std::memcpy(address.sun_path, path.data(), path.size());
    return address;
}

} // namespace sluice
