#include "daemon/status_socket.hpp"

#include "daemon/json.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"

#include <algorithm>
#include <array>
#include <unistd.h>

namespace sluice {

namespace {

constexpr std::uint64_t kSweepIntervalMs = 1000;

std::string error_reply(std::string_view message) {
    std::string out;
    JsonWriter(out)
        .begin_object()
        .key("ok")
        .boolean(false)
        .key("error")
        .string(message)
        .end_object();
    return out;
}

void ignore_failure(const std::string&, std::exception_ptr) {
    // A client that hangs up mid-reply is its own business; the daemon goes on.
}

struct Request {
    std::string cmd;
    std::string component;
    std::uint64_t limit = 0;
    std::string error;
};

Request parse_request(std::string_view line) {
    Request request;
    auto root = parse_json(line, request.error, 4);
    if (!root) {
        return request;
    }
    const auto* cmd = root->find("cmd");
    if (!root->is_object() || !cmd || !cmd->is_string()) {
        request.error = "expected a JSON object with a \"cmd\" string";
        return request;
    }
    request.cmd = cmd->as_string();
    if (const auto* component = root->find("component"); component && component->is_string()) {
        request.component = component->as_string();
    } else if (request.cmd == "tap") {
        request.error = "tap: expected a \"component\" string naming a source, a stage or a "
                        "stage's output (stage.output)";
        return request;
    }
    if (const auto* limit = root->find("limit"); limit && !limit->is_null()) {
        if (!limit->is_number() || limit->as_double() < 0 ||
            limit->as_double() != static_cast<double>(limit->as_uint())) {
            request.error = "\"limit\" must be a whole number of events, 0 for no limit";
        }
        request.limit = limit->as_uint();
    }
    return request;
}

bool may_reload(uid_t peer) {
    return peer == 0 || peer == ::geteuid();
}

} // namespace

struct StatusServer::Session {
    explicit Session(PipeClient client) : stream(std::move(client.stream)), uid(client.uid) {}

    Stream stream;
    uid_t uid;
    std::string input;  // bytes read and not yet consumed
    std::string line;   // the request being handled
    std::string output; // the reply being written
    std::array<char, 4096> chunk{};
    std::uint64_t deadline_ms = 0; // loop time by which a read or write must finish; 0: none
    std::shared_ptr<TapSession> tap;
};

StatusServer::StatusServer(Scheduler& scheduler, StatusHandler& handler)
    : scheduler_(scheduler), handler_(handler), sweep_timer_(scheduler),
      sessions_changed_(scheduler), tasks_(scheduler, ignore_failure) {}

StatusServer::~StatusServer() {
    close();
}

void StatusServer::start(const std::string& path) {
    server_ = PipeServer::bind(scheduler_, path, 0660);
    tasks_.spawn(accept_loop(), "status socket");
    tasks_.spawn(sweep(), "status socket timeouts");
}

void StatusServer::close() {
    if (closed_) {
        return;
    }
    closed_ = true;
    if (server_) {
        server_->close();
    }
    sweep_timer_.close();
    sessions_changed_.notify();
    for (const auto& session : sessions_) {
        if (session->tap) {
            session->tap->finish();
        }
        session->stream.close();
    }
}

Task<void> StatusServer::join() {
    co_await tasks_.join();
}

std::vector<TapRow> StatusServer::taps() const {
    std::vector<TapRow> rows;
    for (const auto& session : sessions_) {
        if (session->tap) {
            rows.push_back(
                {session->tap->component(), session->tap->sent(), session->tap->dropped()});
        }
    }
    return rows;
}

std::uint64_t StatusServer::tap_events_dropped() const {
    auto total = ended_taps_dropped_;
    for (const auto& session : sessions_) {
        total += session->tap ? session->tap->dropped() : 0;
    }
    return total;
}

Task<void> StatusServer::accept_loop() {
    RateLimitedLog accept_errors;
    while (!closed_) {
        try {
            auto client = co_await server_->accept();
            auto session = std::make_shared<Session>(std::move(client));
            sessions_.push_back(session);
            sessions_changed_.notify();
            tasks_.spawn(serve(session), "status client");
        } catch (const Cancelled&) {
            break;
        } catch (const std::exception& e) {
            // Out of file descriptors, typically: the client waits in the backlog meanwhile.
            accept_errors.write(LogLevel::warn, "status socket", e.what());
        }
    }
}

Task<void> StatusServer::sweep() {
    // Runs only while there are clients, so an idle daemon has no timer wake-ups from here.
    try {
        while (!closed_) {
            if (sessions_.empty()) {
                co_await sessions_changed_.wait();
                continue;
            }
            co_await sweep_timer_.sleep(kSweepIntervalMs);
            auto now = scheduler_.now_ms();
            for (const auto& session : sessions_) {
                if (session->deadline_ms != 0 && now >= session->deadline_ms) {
                    session->stream.close();
                }
            }
        }
    } catch (const Cancelled&) {
    }
}

void StatusServer::forget(const std::shared_ptr<Session>& session) {
    std::erase(sessions_, session);
}

Task<StatusServer::ReadResult> StatusServer::read_request(std::shared_ptr<Session> session) {
    while (true) {
        auto newline = session->input.find('\n');
        if (newline != std::string::npos) {
            if (newline > kMaxRequest) {
                co_return ReadResult::too_large;
            }
            session->line.assign(session->input, 0, newline);
            session->input.erase(0, newline + 1);
            co_return ReadResult::line;
        }
        if (session->input.size() > kMaxRequest) {
            co_return ReadResult::too_large;
        }
        auto n = co_await session->stream.read(session->chunk);
        if (n == 0) {
            // A last request without its newline still counts (`printf ... | socat`).
            session->line = std::move(session->input);
            session->input.clear();
            co_return session->line.empty() ? ReadResult::end : ReadResult::line;
        }
        session->input.append(session->chunk.data(), n);
    }
}

Task<void> StatusServer::send(std::shared_ptr<Session> session, std::string reply) {
    session->output = std::move(reply);
    session->output.push_back('\n');
    session->deadline_ms = scheduler_.now_ms() + kTimeoutMs;
    co_await session->stream.write(session->output);
    session->deadline_ms = 0;
}

std::string StatusServer::answer(const Session& session, const std::string& command) {
    if (command == "status") {
        return handler_.status_json();
    }
    if (command == "metrics") {
        std::string out;
        JsonWriter(out)
            .begin_object()
            .key("ok")
            .boolean(true)
            .key("text")
            .string(handler_.metrics_text())
            .end_object();
        return out;
    }
    if (command == "reload") {
        if (!may_reload(session.uid)) {
            return error_reply("reload refused: only root or the daemon's own user (uid " +
                               std::to_string(::geteuid()) + ") may reload; you are uid " +
                               std::to_string(session.uid));
        }
        return handler_.reload();
    }
    return error_reply("unknown cmd '" + command + "', expected status, metrics, tap or reload");
}

Task<void> StatusServer::serve(std::shared_ptr<Session> session) {
    // Replies are built in locals before co_await: GCC 12 mishandles some temporaries that
    // live across a suspension point.
    try {
        bool refused = sessions_.size() > kMaxClients;
        if (refused) {
            auto reply = error_reply("too many status clients, try again later");
            co_await send(session, std::move(reply));
        }
        while (!closed_ && !refused) {
            session->deadline_ms = scheduler_.now_ms() + kTimeoutMs;
            auto result = co_await read_request(session);
            session->deadline_ms = 0;
            if (result == ReadResult::end) {
                break;
            }
            if (result == ReadResult::too_large) {
                auto reply = error_reply("request refused: longer than " +
                                         std::to_string(kMaxRequest) + " bytes");
                co_await send(session, std::move(reply));
                break;
            }
            if (session->line.find_first_not_of(" \t\r") == std::string::npos) {
                continue;
            }
            auto request = parse_request(session->line);
            if (request.error.empty() && request.cmd == "tap") {
                co_await run_tap(session, std::move(request.component), request.limit);
                break;
            }
            auto reply =
                request.error.empty() ? answer(*session, request.cmd) : error_reply(request.error);
            co_await send(session, std::move(reply));
        }
    } catch (const std::exception&) {
        // The client hung up, timed out, or the server is closing.
    }
    session->stream.close();
    forget(session);
}

Task<void> StatusServer::run_tap(std::shared_ptr<Session> session, std::string component,
                                 std::uint64_t limit) {
    auto tap = std::make_shared<TapSession>(scheduler_, std::move(component), limit);
    std::string error = "the daemon is stopping";
    if (closed_ || !handler_.add_tap(tap.get(), error)) {
        auto reply = error_reply("tap: " + error);
        co_await send(session, std::move(reply));
        co_return;
    }
    session->tap = tap;
    // Detaches the tap however the pump ends, so the graph never calls a dead observer.
    struct Detach {
        StatusServer& server;
        Session& session;
        ~Detach() { server.end_tap(session); }
    } detach{*this, *session};
    tasks_.spawn(watch_hangup(session), "status tap reader");
    co_await tap->pump(&session->stream, &session->deadline_ms, kTimeoutMs);
}

void StatusServer::end_tap(Session& session) {
    handler_.remove_tap(session.tap.get());
    ended_taps_dropped_ += session.tap->dropped();
    if (session.tap->dropped() > 0) {
        log_info("status socket", "tap on " + session.tap->component() + " dropped " +
                                      std::to_string(session.tap->dropped()) +
                                      " events its client read too slowly");
    }
    session.tap.reset();
}

Task<void> StatusServer::watch_hangup(std::shared_ptr<Session> session) {
    // A tap client only reads; its end of stream (or any error) ends the tap even while no
    // events flow, so a gone client does not hold its session open.
    try {
        while (co_await session->stream.read(session->chunk) > 0) {
        }
    } catch (const std::exception&) {
    }
    if (session->tap) {
        session->tap->finish();
    }
}

} // namespace sluice
