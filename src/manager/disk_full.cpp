#include "manager/disk_full.h"

#include <cerrno>
#include <cstring>
#include <string_view>

namespace spotfarm::manager {
namespace {

constexpr std::string_view k_prefix = "the manager's disk is full: ";

bool mentions(std::string_view message, int error_number) {
    return message.find(std::strerror(error_number)) != std::string_view::npos;
}

}  // namespace

bool is_disk_full_errno(int error_number) {
    return error_number == ENOSPC || error_number == EDQUOT;
}

util::Error disk_full_error(const std::filesystem::path& folder, int error_number) {
    return util::make_error(std::string(k_prefix) + "cannot write into " + folder.string() + " (" +
                                std::strerror(error_number) +
                                "); free space there, then send again: the upload resumes "
                                "where it stopped",
                            util::ErrorKind::storage);
}

bool is_disk_full(const util::Error& error) {
    // Errors from util's file functions carry the cause only in their text.
    const std::string_view message = error.message;
    return message.starts_with(k_prefix) || mentions(message, ENOSPC) || mentions(message, EDQUOT);
}

}  // namespace spotfarm::manager
