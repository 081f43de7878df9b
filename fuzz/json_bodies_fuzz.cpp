// Every JSON body the API accepts, read the way the manager reads it: the request reader
// (JsonReader), then the parser of the body's route, chosen by the first byte. A body may be
// anything a client sends: none may crash the manager or take it down with deep nesting.

#include <nlohmann/json.hpp>

#include "fuzz_input.h"
#include "manager/farm_json.h"
#include "manager/http/json_reader.h"
#include "protocol/job_submission.h"
#include "protocol/protocol.h"

namespace {

using namespace spotfarm;

// Runs the route parser `which` picks on a body that read as JSON.
void parse_as(std::uint8_t which, const nlohmann::json& body) {
    switch (which % 12) {
        case 0:
            (void)protocol::from_json<protocol::JobSubmission>(body);
            break;
        case 1:
            (void)manager::job_spec_from_json(body);
            break;
        case 2:
            (void)manager::worker_info_from_json(body);
            break;
        case 3:
            (void)manager::progress_from_json(body);
            break;
        case 4:
            (void)manager::frame_results_from_json(body);
            break;
        case 5:
            (void)manager::failure_from_json(body);
            break;
        case 6:
            (void)protocol::from_json<protocol::RegisterRequest>(body);
            break;
        case 7:
            (void)protocol::from_json<protocol::ClaimRequest>(body);
            break;
        case 8:
            (void)protocol::from_json<protocol::CompleteReport>(body);
            break;
        case 9:
            (void)protocol::from_json<protocol::FailReport>(body);
            break;
        case 10:
            (void)protocol::from_json<protocol::ProgressReport>(body);
            break;
        default:
            (void)protocol::from_json<protocol::Assignment>(body);
            break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view body = fuzz::as_text(data + 1, size - 1);
    manager::http::JsonReader reader(body);
    if (!reader.ok()) {
        (void)reader.error();  // the 400 answer is written without trouble
        return 0;
    }
    parse_as(data[0], reader.object());
    (void)reader.object().dump();  // what a handler echoes or stores
    return 0;
}
