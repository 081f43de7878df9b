#pragma once
// The few columns that hold lists and maps, written as JSON text.

#include <map>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/task.h"

namespace spotfarm::store {

std::string ids_to_json(const std::vector<core::WorkerId>& ids);
std::vector<core::WorkerId> ids_from_json(const std::string& text);

std::string counts_to_json(const std::map<core::WorkerId, int>& counts);
std::map<core::WorkerId, int> counts_from_json(const std::string& text);

std::string strings_to_json(const std::vector<std::string>& strings);
std::vector<std::string> strings_from_json(const std::string& text);

std::string results_to_json(const std::vector<core::FrameResult>& results);
std::vector<core::FrameResult> results_from_json(const std::string& text);

}  // namespace spotfarm::store
