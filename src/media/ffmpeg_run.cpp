#include "media/ffmpeg_run.h"

#include <cstdlib>

#include "util/subprocess.h"

namespace spotfarm::media {
namespace {

// ffmpeg's error is in its last lines; the rest is its banner and stream listing.
std::string last_lines(const std::string& output, int count) {
    std::size_t end = output.find_last_not_of("\n ");
    if (end == std::string::npos) return "";
    std::size_t begin = end + 1;
    for (int i = 0; i < count && begin > 0; ++i) {
        begin = output.rfind('\n', begin - 1);
        if (begin == std::string::npos) {
            begin = 0;
            break;
        }
    }
    std::string text = output.substr(begin, end + 1 - begin);
    while (!text.empty() && text.front() == '\n') text.erase(0, 1);
    return text;
}

}  // namespace

std::string ffmpeg_program() {
    const char* env = std::getenv("SPOTFARM_FFMPEG");
    return env != nullptr && *env != '\0' ? env : "ffmpeg";
}

util::Status run_ffmpeg(const std::vector<std::string>& args, std::chrono::seconds timeout) {
    std::vector<std::string> argv = {ffmpeg_program(), "-nostdin", "-hide_banner", "-loglevel",
                                     "error"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto ran = util::run_capture(argv, timeout);
    if (!ran) {
        return util::make_error("cannot run " + argv[0] + ": " + ran.error().message +
                                    " (install Debian's ffmpeg package, or set SPOTFARM_FFMPEG)",
                                util::ErrorKind::unavailable);
    }
    if (!ran->status.success()) {
        std::string said = last_lines(ran->output, 4);
        return util::make_error("ffmpeg failed (" + ran->status.describe() +
                                (said.empty() ? ")" : "): " + said));
    }
    return {};
}

}  // namespace spotfarm::media
