#include "blender/log_patterns.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <tuple>
#include <utility>

#include "util/ascii.h"

namespace spotfarm::blender {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::string_view skip_spaces(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    return s;
}

bool contains(std::string_view s, std::string_view part) {
    return s.find(part) != std::string_view::npos;
}

template <std::size_t N>
bool contains_any(std::string_view s, const std::array<std::string_view, N>& parts) {
    return std::any_of(parts.begin(), parts.end(),
                       [&](std::string_view p) { return contains(s, p); });
}

// `word` in `s` with no letter or digit touching it on either side.
bool contains_word(std::string_view s, std::string_view word) {
    for (std::size_t pos = s.find(word); pos != std::string_view::npos;
         pos = s.find(word, pos + 1)) {
        const bool left = pos == 0 || !is_alnum(s[pos - 1]);
        const std::size_t end = pos + word.size();
        const bool right = end >= s.size() || !is_alnum(s[end]);
        if (left && right) return true;
    }
    return false;
}

// Reads an unsigned int at the start of `s`, advancing past it.
std::optional<int> read_int(std::string_view& s) {
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || value < 0) return std::nullopt;
    s.remove_prefix(static_cast<std::size_t>(end - s.data()));
    return value;
}

// Reads a duration at the start of `s` (1 to 3 ':'-separated groups, the last with an optional
// fraction), advancing past it.
std::optional<double> read_time(std::string_view& s) {
    std::string_view rest = s;
    double total = 0;
    for (int group = 0; group < 3; ++group) {
        std::size_t digits = 0;
        while (digits < rest.size() && is_digit(rest[digits])) ++digits;
        if (digits == 0) return std::nullopt;
        std::size_t length = digits;
        if (length < rest.size() && rest[length] == '.') {
            ++length;
            while (length < rest.size() && is_digit(rest[length])) ++length;
        }
        double value = 0;
        auto [end, ec] = std::from_chars(rest.data(), rest.data() + length, value);
        if (ec != std::errc()) return std::nullopt;
        total = total * 60 + value;
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        const bool fraction = length > digits;
        if (fraction || rest.empty() || rest.front() != ':' || rest.size() < 2 ||
            !is_digit(rest[1])) {
            break;
        }
        rest.remove_prefix(1);
    }
    s = rest;
    return total;
}

// The duration right after `key` (spaces allowed between), searching from `from`.
std::optional<double> time_after(std::string_view line, std::string_view key,
                                 std::size_t from = 0) {
    const std::size_t pos = line.find(key, from);
    if (pos == std::string_view::npos) return std::nullopt;
    std::string_view rest = skip_spaces(line.substr(pos + key.size()));
    return read_time(rest);
}

// "a/b" or "a / b" at the start of `s`.
std::optional<std::pair<int, int>> read_fraction(std::string_view& s) {
    std::string_view rest = s;
    auto done = read_int(rest);
    if (!done) return std::nullopt;
    rest = skip_spaces(rest);
    if (rest.empty() || rest.front() != '/') return std::nullopt;
    rest = skip_spaces(rest.substr(1));
    auto total = read_int(rest);
    if (!total) return std::nullopt;
    s = rest;
    return std::pair{*done, *total};
}

// Megabytes in "10.83M", "1.2G", "512K" at the start of `s`.
std::optional<double> read_memory_mb(std::string_view s) {
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc()) return std::nullopt;
    const std::size_t used = static_cast<std::size_t>(end - s.data());
    const char unit = used < s.size() ? s[used] : 'M';
    switch (unit) {
        case 'K':
            return value / 1024;
        case 'G':
            return value * 1024;
        case 'T':
            return value * 1024 * 1024;
        default:
            return value;
    }
}

void read_samples(std::string_view line, ProgressEvent& event) {
    // Cycles: "Sample 16/64" (the last one wins: 2.9x wrote "Path Tracing Tile 3/4, Sample 8/64").
    constexpr std::string_view cycles = "Sample ";
    for (std::size_t pos = line.find(cycles); pos != std::string_view::npos;
         pos = line.find(cycles, pos + 1)) {
        std::string_view rest = line.substr(pos + cycles.size());
        if (auto f = read_fraction(rest)) std::tie(event.sample, event.samples_total) = *f;
    }
    // Eevee: "Rendering 25 / 64 samples".
    constexpr std::string_view eevee = "Rendering ";
    for (std::size_t pos = line.find(eevee); pos != std::string_view::npos;
         pos = line.find(eevee, pos + 1)) {
        std::string_view rest = line.substr(pos + eevee.size());
        auto f = read_fraction(rest);
        if (f && skip_spaces(rest).substr(0, 7) == "samples") {
            std::tie(event.sample, event.samples_total) = *f;
        }
    }
}

// Error lines that do not mean a failed render.
constexpr std::array<std::string_view, 1> k_harmless_errors = {"Not freed memory blocks"};

constexpr std::array<std::string_view, 5> k_gpu_backends = {"CUDA", "OPTIX", "HIP", "METAL",
                                                            "ONEAPI"};

// Names CUDA, OptiX, HIP, Metal or oneAPI as a word, in any case.
bool names_gpu_backend(std::string_view text) {
    const std::string up = util::to_upper(text);
    return std::any_of(k_gpu_backends.begin(), k_gpu_backends.end(),
                       [&](std::string_view backend) { return contains_word(up, backend); });
}

bool is_gpu_error(std::string_view message) {
    const std::string low = util::to_lower(message);
    return names_gpu_backend(message) || contains_word(message, "GPU") ||
           contains_any(low, std::array<std::string_view, 3>{"cycles device", "out of gpu memory",
                                                             "illegal address"});
}

// A line without "Error:" that still reports a GPU failure ("CUDA error: Out of memory ...").
bool is_raw_gpu_error(std::string_view line) {
    const std::string low = util::to_lower(line);
    if (contains_any(
            low, std::array<std::string_view, 2>{"found no cycles device", "out of gpu memory"})) {
        return true;
    }
    return names_gpu_backend(line) &&
           contains_any(low, std::array<std::string_view, 2>{"error", "failed"});
}

// The text after a severity tag: "Error: text" anywhere, or a leading "ERROR text" (CLOG).
std::optional<std::string_view> after_tag(std::string_view line, std::string_view tag,
                                          std::string_view clog_tag) {
    if (const std::size_t pos = line.find(tag); pos != std::string_view::npos) {
        return util::trim(line.substr(pos + tag.size()));
    }
    const std::string_view body = skip_spaces(line);
    if (body.substr(0, clog_tag.size()) == clog_tag &&
        (body.size() == clog_tag.size() || body[clog_tag.size()] == ' ' ||
         body[clog_tag.size()] == ':')) {
        std::string_view rest = body.substr(clog_tag.size());
        if (!rest.empty() && rest.front() == ':') rest.remove_prefix(1);
        return util::trim(rest);
    }
    return std::nullopt;
}

}  // namespace

const char* to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::generic:
            return "generic";
        case ErrorKind::cannot_save:
            return "cannot_save";
        case ErrorKind::python_traceback:
            return "python_traceback";
        case ErrorKind::gpu:
            return "gpu";
        case ErrorKind::missing_file:
            return "missing_file";
        case ErrorKind::denoiser:
            return "denoiser";
        case ErrorKind::corrupt_file:
            return "corrupt_file";
    }
    return "generic";
}

std::optional<double> parse_blender_time(std::string_view text) {
    std::string_view rest = util::trim(text);
    auto seconds = read_time(rest);
    if (!seconds || !rest.empty()) return std::nullopt;
    return seconds;
}

std::string_view strip_log_prefix(std::string_view line) {
    std::string_view rest = skip_spaces(line);
    const std::string_view clock = rest;
    if (!read_time(rest) || rest.size() == clock.size() ||
        clock.substr(0, clock.size() - rest.size()).find(':') == std::string_view::npos) {
        return line;
    }
    if (rest.empty() || !is_space(rest.front())) return line;
    rest = skip_spaces(rest);
    std::size_t category = 0;
    while (category < rest.size() &&
           (is_alnum(rest[category]) || rest[category] == '_' || rest[category] == '.')) {
        ++category;
    }
    if (category == 0) return line;
    rest = skip_spaces(rest.substr(category));
    if (rest.empty() || rest.front() != '|') return line;
    rest.remove_prefix(1);
    if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    return rest;
}

std::optional<ProgressEvent> parse_progress_line(std::string_view line) {
    const std::size_t fra = line.find("Fra:");
    if (fra == std::string_view::npos) return std::nullopt;
    std::string_view rest = skip_spaces(line.substr(fra + 4));
    auto frame = read_int(rest);
    if (!frame) return std::nullopt;

    ProgressEvent event;
    event.frame = *frame;
    event.elapsed_seconds = time_after(line, "Time:", fra).value_or(-1);
    event.remaining_seconds = time_after(line, "Remaining:", fra).value_or(-1);
    if (const std::size_t peak = line.find("(Peak ", fra); peak != std::string_view::npos) {
        event.peak_memory_mb = read_memory_mb(line.substr(peak + 6)).value_or(-1);
    }
    read_samples(line.substr(fra), event);
    if (const std::size_t bar = line.rfind('|'); bar != std::string_view::npos && bar > fra) {
        event.status = std::string(util::trim(line.substr(bar + 1)));
    }
    return event;
}

std::optional<SavedEvent> parse_saved_line(std::string_view line) {
    constexpr std::string_view key = "Saved:";
    const std::size_t pos = line.find(key);
    if (pos == std::string_view::npos) return std::nullopt;
    std::string_view path = util::trim(line.substr(pos + key.size()));
    if (!path.empty() && (path.front() == '\'' || path.front() == '"')) {
        const std::size_t close = path.rfind(path.front());
        if (close == 0) return std::nullopt;
        path = path.substr(1, close - 1);
    }
    if (path.empty()) return std::nullopt;
    return SavedEvent{std::string(path)};
}

std::optional<FrameTimeEvent> parse_frame_time_line(std::string_view line) {
    if (contains(line, "Fra:")) return std::nullopt;
    const std::size_t time = line.find("Time:");
    if (time == std::string_view::npos) return std::nullopt;
    auto seconds = time_after(line, "Time:");
    auto saving = time_after(line, "(Saving:", time);
    if (!seconds || !saving) return std::nullopt;
    return FrameTimeEvent{*seconds, *saving};
}

std::optional<LogEvent> parse_problem_line(std::string_view line) {
    if (contains_any(line, k_harmless_errors)) return std::nullopt;
    if (auto message = after_tag(line, "Error:", "ERROR")) {
        return ErrorEvent{classify_error(*message), std::string(*message)};
    }
    const std::string low = util::to_lower(line);
    if (contains(low, "cannot save") || contains(low, "render error")) {
        return ErrorEvent{ErrorKind::cannot_save, std::string(util::trim(line))};
    }
    if (is_raw_gpu_error(line)) return ErrorEvent{ErrorKind::gpu, std::string(util::trim(line))};
    if (auto message = after_tag(line, "Warning:", "WARN")) {
        return WarningEvent{std::string(*message)};
    }
    if (contains(low, "unable to open") || contains(line, "Texture Not Loaded")) {
        return WarningEvent{std::string(util::trim(line))};
    }
    return std::nullopt;
}

ErrorKind classify_error(std::string_view message) {
    const std::string low = util::to_lower(message);
    if (contains(low, "cannot save") || contains(low, "can't save")) return ErrorKind::cannot_save;
    if (contains(low, "denois")) return ErrorKind::denoiser;
    if (low.rfind("python:", 0) == 0 || contains(message, "Traceback (most recent call last)") ||
        contains(low, "script failed")) {
        return ErrorKind::python_traceback;
    }
    if (is_gpu_error(message)) return ErrorKind::gpu;
    if (contains_any(low, std::array<std::string_view, 3>{"no such file or directory",
                                                          "does not exist", "not found"})) {
        return ErrorKind::missing_file;
    }
    if (contains_any(low, std::array<std::string_view, 7>{
                              "file format is not supported", "failed to read blend file",
                              "not a blend file", "missing dna", "corrupt", "truncated",
                              "unexpected end of file"})) {
        return ErrorKind::corrupt_file;
    }
    if (contains_any(low, std::array<std::string_view, 4>{"cannot read file", "unable to open",
                                                          "could not be opened", "cannot open"})) {
        return ErrorKind::missing_file;
    }
    return ErrorKind::generic;
}

}  // namespace spotfarm::blender
