#include "providers/provider.h"

namespace spotfarm::providers {

std::string_view to_string(WorkerState state) {
    switch (state) {
        case WorkerState::starting:
            return "starting";
        case WorkerState::running:
            return "running";
        case WorkerState::stopping:
            return "stopping";
        case WorkerState::stopped:
            return "stopped";
        case WorkerState::unknown:
            break;
    }
    return "unknown";
}

}  // namespace spotfarm::providers
