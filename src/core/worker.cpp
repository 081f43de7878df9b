#include "core/worker.h"

#include "core/enum_names.h"

namespace spotfarm::core {
namespace {

constexpr detail::EnumNames<WorkerStatus, 3> k_names{{"online", "draining", "offline"}};

}  // namespace

std::string_view to_string(WorkerStatus status) {
    return k_names.name(status);
}

std::optional<WorkerStatus> parse_worker_status(std::string_view text) {
    return k_names.parse(text);
}

}  // namespace spotfarm::core
