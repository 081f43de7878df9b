#include "manager/http/response.h"

#include <nlohmann/json.hpp>

namespace spotfarm::manager::http {

Response Response::json(const nlohmann::json& body, int status) {
    Response response;
    response.status = status;
    // Replace invalid UTF-8 instead of throwing: a file name from a worker must not cost a 500.
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

Response Response::empty(int status) {
    Response response;
    response.status = status;
    response.content_type.clear();
    return response;
}

Response Response::text(std::string body, std::string content_type, int status) {
    Response response;
    response.status = status;
    response.content_type = std::move(content_type);
    response.body = std::move(body);
    return response;
}

Response Response::shared(std::shared_ptr<const std::string> bytes, std::string content_type) {
    Response response;
    response.content_type = std::move(content_type);
    response.shared_body = std::move(bytes);
    return response;
}

Response Response::event_stream(std::shared_ptr<EventStream> stream) {
    Response response;
    response.content_type = "text/event-stream; charset=utf-8";
    response.headers.emplace_back("Cache-Control", "no-store");
    // Proxies that buffer answers (nginx) would hold the events back.
    response.headers.emplace_back("X-Accel-Buffering", "no");
    response.stream = std::move(stream);
    return response;
}

Response error_response(int status, std::string_view code, std::string_view message) {
    return Response::json({{"error", message}, {"code", code}}, status);
}

}  // namespace spotfarm::manager::http
