#include "worker/time_limit.h"

#include <cstdlib>
#include <ctime>

#include "util/subprocess.h"

namespace spotfarm::worker {

namespace {

std::optional<long long> whole_number(const std::string& text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    long long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

util::Result<std::optional<std::chrono::system_clock::time_point>> slurm_time_limit(
    const GetEnv& getenv, const AskSqueue& squeue) {
    using Answer = std::optional<std::chrono::system_clock::time_point>;
    if (auto end = getenv("SLURM_JOB_END_TIME")) {
        if (auto seconds = whole_number(*end); seconds && *seconds > 0)
            return Answer(std::chrono::system_clock::time_point(std::chrono::seconds(*seconds)));
    }
    const auto job = getenv("SLURM_JOB_ID");
    if (!job || job->empty()) return Answer();
    auto said = squeue(*job);
    if (!said) return said.error();
    std::string text = *said;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text == "UNLIMITED" || text == "N/A" || text == "NONE") return Answer();
    std::tm tm{};
    const char* rest = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (rest == nullptr || *rest != '\0') {
        return util::make_error("squeue gave '" + text + "' as the end of Slurm job " + *job +
                                ", not a time");
    }
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm);
    if (t == -1) return util::make_error("cannot read '" + text + "' as a local time");
    return Answer(std::chrono::system_clock::from_time_t(t));
}

util::Result<std::optional<std::chrono::system_clock::time_point>> slurm_time_limit() {
    return slurm_time_limit(
        [](const std::string& name) -> std::optional<std::string> {
            const char* value = std::getenv(name.c_str());
            if (value == nullptr) return std::nullopt;
            return std::string(value);
        },
        [](const std::string& job) -> util::Result<std::string> {
            auto ran = util::run_capture({"squeue", "-h", "-j", job, "-o", "%e"},
                                         std::chrono::seconds(30));
            if (!ran) return ran.error();
            if (!ran->status.success())
                return util::make_error("squeue -j " + job + " failed: " + ran->output);
            return ran->output;
        });
}

}  // namespace spotfarm::worker
