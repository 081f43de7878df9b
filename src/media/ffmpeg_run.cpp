#include "media/ffmpeg_run.h"

#include <cstdlib>
#include <vector>

#include "util/subprocess.h"

namespace spotfarm::media {
namespace {

// What ffmpeg said, short: it names the cause first ("Found no DV profile for 32x18") and its
// consequence last ("Error initializing output stream"); lists in between are left out.
std::string said(const std::string& output) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < output.size()) {
        std::size_t end = output.find('\n', begin);
        if (end == std::string::npos) end = output.size();
        if (end > begin) lines.push_back(output.substr(begin, end - begin));
        begin = end + 1;
    }
    if (lines.size() > 4) lines.erase(lines.begin() + 1, lines.end() - 2);
    std::string text;
    for (const auto& line : lines) text += (text.empty() ? "" : " / ") + line;
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
        const std::string words = said(ran->output);
        return util::make_error("ffmpeg failed (" + ran->status.describe() +
                                (words.empty() ? ")" : "): " + words));
    }
    return {};
}

}  // namespace spotfarm::media
