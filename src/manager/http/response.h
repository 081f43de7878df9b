#pragma once
// What a handler answers: a status, a body and its type, and the one shape of every API error.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace spotfarm::manager::http {

class EventStream;

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;  // besides type and length
    std::string body;
    // Sent instead of `body` when set, without a copy: one read-only buffer for many answers
    // (a program that every worker downloads). Held until the last byte is written.
    std::shared_ptr<const std::string> shared_body;
    bool close = false;  // close the connection once this is sent
    // Set: the body is this stream's bytes, sent as they come, and the connection ends with it.
    std::shared_ptr<EventStream> stream;

    static Response json(const nlohmann::json& body, int status = 200);
    static Response empty(int status = 204);
    static Response text(std::string body, std::string content_type = "text/plain; charset=utf-8",
                         int status = 200);
    // `bytes` as the body, shared and not copied.
    static Response shared(std::shared_ptr<const std::string> bytes, std::string content_type);
    // Server-sent events from `stream` (text/event-stream, never cached).
    static Response event_stream(std::shared_ptr<EventStream> stream);
};

// Every error of the API: `{"error": message, "code": code}`, where message tells a person what
// went wrong and what to do, and code is a stable snake_case name for programs.
Response error_response(int status, std::string_view code, std::string_view message);

}  // namespace spotfarm::manager::http
