#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/pipe_server.hpp"
#include "drivers/runtime/scope.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace sluice;

namespace {

struct TempPath {
    TempPath() {
        char pattern[] = "/tmp/sluice-pipe-XXXXXX";
        dir = mkdtemp(pattern);
    }
    ~TempPath() { std::filesystem::remove_all(dir); }
    std::string file(const char* name) const { return dir + "/" + name; }
    std::string dir;
};

int connect_to(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.data(), path.size());
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// A socket file nobody listens on, as a crashed process leaves it.
void leave_stale_socket(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.data(), path.size());
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    ::close(fd);
}

Task<void> accept_one(PipeServer* server, uid_t* uid, std::string* received) {
    auto client = co_await server->accept();
    *uid = client.uid;
    char buffer[16];
    auto n = co_await client.stream.read(buffer);
    received->assign(buffer, n);
}

Task<void> accept_until_cancelled(PipeServer* server, bool* cancelled) {
    try {
        co_await server->accept();
    } catch (const Cancelled&) {
        *cancelled = true;
    }
}

int bind_error(Scheduler& scheduler, const std::string& path) {
    try {
        PipeServer::bind(scheduler, path, 0660);
    } catch (const IoError& e) {
        return e.code();
    }
    return 0;
}

} // namespace

TEST_CASE("pipe server creates its socket 0660 and removes it on close") {
    TempPath tmp;
    auto path = tmp.file("s.sock");
    Scheduler scheduler;
    auto old_mask = ::umask(0);
    auto server = PipeServer::bind(scheduler, path, 0660);
    ::umask(old_mask);
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK(S_ISSOCK(info.st_mode));
    CHECK((info.st_mode & 0777) == 0660);
    server->close();
    CHECK(::access(path.c_str(), F_OK) != 0);
    server.reset();
    CHECK(scheduler.close());
}

TEST_CASE("pipe server accepts a client and knows its uid") {
    TempPath tmp;
    auto path = tmp.file("s.sock");
    Scheduler scheduler;
    auto server = PipeServer::bind(scheduler, path, 0660);
    uid_t uid = 12345;
    std::string received;
    {
        Scope scope(scheduler);
        scope.spawn(accept_one(server.get(), &uid, &received), "accept");
        int client = connect_to(path);
        REQUIRE(client >= 0);
        REQUIRE(::write(client, "hello", 5) == 5);
        while (scope.active() > 0) {
            scheduler.run_once_nowait();
        }
        ::close(client);
    }
    CHECK(uid == ::geteuid());
    CHECK(received == "hello");
    server.reset();
    CHECK(scheduler.close());
}

TEST_CASE("pipe server replaces a stale socket but not a live one or another file") {
    TempPath tmp;
    Scheduler scheduler;
    auto stale = tmp.file("stale.sock");
    leave_stale_socket(stale);
    auto server = PipeServer::bind(scheduler, stale, 0660);
    int client = connect_to(stale);
    CHECK(client >= 0);
    ::close(client);

    CHECK(bind_error(scheduler, stale) == UV_EADDRINUSE);
    // The refused second server must not have removed the live one's file.
    CHECK(::access(stale.c_str(), F_OK) == 0);

    auto regular = tmp.file("regular");
    ::close(::open(regular.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    CHECK(bind_error(scheduler, regular) == UV_EEXIST);
    CHECK(::access(regular.c_str(), F_OK) == 0);

    CHECK(bind_error(scheduler, tmp.file("no-such-dir/s.sock")) == UV_ENOENT);
    CHECK(bind_error(scheduler, tmp.file(std::string(200, 'x').c_str())) == UV_ENAMETOOLONG);
    server.reset();
    CHECK(scheduler.close());
}

TEST_CASE("closing a pipe server wakes a waiting accept with Cancelled") {
    TempPath tmp;
    Scheduler scheduler;
    auto server = PipeServer::bind(scheduler, tmp.file("s.sock"), 0660);
    bool cancelled = false;
    {
        Scope scope(scheduler);
        scope.spawn(accept_until_cancelled(server.get(), &cancelled), "accept");
        scheduler.run_once_nowait();
        server->close();
        while (scope.active() > 0) {
            scheduler.run_once_nowait();
        }
    }
    CHECK(cancelled);
    server.reset();
    CHECK(scheduler.close());
}
