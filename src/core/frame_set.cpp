#include "core/frame_set.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "util/ascii.h"

namespace spotfarm::core {
namespace {

// `v` holds ascending runs [runs[i], runs[i + 1]); merges them pairwise until it is one.
void merge_runs(std::vector<int>& v, std::vector<std::size_t> runs) {
    while (runs.size() > 2) {
        std::vector<std::size_t> merged{0};
        std::size_t i = 0;
        for (; i + 2 < runs.size(); i += 2) {
            const auto at = [&](std::size_t k) { return v.begin() + std::ptrdiff_t(runs[k]); };
            std::inplace_merge(at(i), at(i + 1), at(i + 2));
            merged.push_back(runs[i + 2]);
        }
        if (i + 1 < runs.size()) merged.push_back(runs.back());  // an odd run out: carried over
        runs = std::move(merged);
    }
}

constexpr std::string_view k_example = "for example \"1-250\", \"1,5,10-20\" or \"1-100x5\"";

// One item of a spec: first..last every step frames.
struct Item {
    int first = 0;
    int last = 0;
    int step = 1;
    std::uint64_t count() const {
        return (static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first)) /
                   static_cast<std::uint64_t>(step) +
               1;
    }
};

util::Error item_error(std::string_view item, std::string_view why) {
    return util::make_error(fmt::format("bad frame item \"{}\": {} ({})", item, why, k_example),
                            util::ErrorKind::invalid);
}

// Reads a non-negative int from the start of `s`, advancing past its digits.
util::Result<int> read_number(std::string_view& s, std::string_view item, std::string_view what) {
    if (!s.empty() && s.front() == '-') {
        return item_error(item, fmt::format("the {} is negative; frames start at 0", what));
    }
    if (s.empty() || s.front() < '0' || s.front() > '9') {
        return item_error(item, fmt::format("expected a number for the {}", what));
    }
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc::result_out_of_range) {
        return item_error(item, fmt::format("the {} is too large (at most {})", what,
                                            std::numeric_limits<int>::max()));
    }
    s.remove_prefix(static_cast<std::size_t>(end - s.data()));
    return value;
}

util::Result<Item> parse_item(std::string_view item) {
    if (item.empty()) {
        return util::make_error(
            fmt::format("empty frame item (two commas in a row, or a comma at an end?); {}",
                        k_example),
            util::ErrorKind::invalid);
    }
    std::string_view rest = item;
    auto first = read_number(rest, item, "frame");
    if (!first) return first.error();
    Item result{*first, *first, 1};
    rest = util::trim(rest);
    if (rest.empty()) return result;

    if (rest.front() == '-') {
        rest.remove_prefix(1);
    } else if (rest.substr(0, 2) == "..") {
        rest.remove_prefix(2);
    } else if (rest.front() == 'x' || rest.front() == 'X') {
        return item_error(item, "a step needs a range to step through, like \"1-100x5\"");
    } else {
        return item_error(item, "not a frame number or range");
    }
    rest = util::trim(rest);
    auto last = read_number(rest, item, "range end");
    if (!last) return last.error();
    result.last = *last;
    rest = util::trim(rest);
    if (!rest.empty()) {
        if (rest.front() != 'x' && rest.front() != 'X') {
            return item_error(item, "unexpected text after the range");
        }
        rest.remove_prefix(1);
        rest = util::trim(rest);
        if (!rest.empty() && rest.front() == '-') {
            return item_error(item, "the step must be 1 or more");
        }
        auto step = read_number(rest, item, "step");
        if (!step) return step.error();
        if (*step < 1) return item_error(item, "the step must be 1 or more");
        if (!util::trim(rest).empty()) return item_error(item, "unexpected text after the step");
        result.step = *step;
    }
    if (result.last < result.first) {
        return item_error(
            item, fmt::format("the range is reversed; write \"{}-{}\"", result.last, result.first));
    }
    return result;
}

// The length of the arithmetic run with the given step that starts at frames[i].
std::size_t run_length(const std::vector<int>& frames, std::size_t i, long long step) {
    std::size_t n = 1;
    while (i + n < frames.size() &&
           static_cast<long long>(frames[i + n]) - frames[i + n - 1] == step) {
        ++n;
    }
    return n;
}

}  // namespace

util::Result<FrameSet> FrameSet::parse(std::string_view spec) {
    if (util::trim(spec).empty()) {
        return util::make_error(fmt::format("no frames given; {}", k_example),
                                util::ErrorKind::invalid);
    }
    std::vector<Item> items;
    std::uint64_t total = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = spec.find(',', start);
        const std::string_view raw = spec.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        auto item = parse_item(util::trim(raw));
        if (!item) return item.error();
        total += item->count();
        if (total > k_max_frames) {
            return util::make_error(
                fmt::format(
                    "too many frames in \"{}\": more than {} (at \"{}\"); render a "
                    "shorter range or use a step, like \"1-100000x10\"",
                    spec.size() > 80 ? std::string(spec.substr(0, 77)) + "..." : std::string(spec),
                    k_max_frames, util::trim(raw)),
                util::ErrorKind::invalid);
        }
        items.push_back(*item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    // Each item expands to an ascending run; in the order of their first frames the runs are
    // usually already one ascending list ("1-100,200-300"), and otherwise merging the runs costs
    // far less than sorting millions of frames (which held the manager's thread for a second).
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return a.first < b.first; });
    std::vector<int> frames;
    frames.reserve(static_cast<std::size_t>(total));
    std::vector<std::size_t> runs{0};
    for (const Item& item : items) {
        for (long long f = item.first; f <= item.last; f += item.step) {
            frames.push_back(static_cast<int>(f));
        }
        runs.push_back(frames.size());
    }
    if (!std::is_sorted(frames.begin(), frames.end())) merge_runs(frames, std::move(runs));
    frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
    FrameSet set;
    set.m_frames = std::move(frames);
    return set;
}

FrameSet FrameSet::from_frames(std::vector<int> frames) {
    std::sort(frames.begin(), frames.end());
    frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
    FrameSet set;
    set.m_frames = std::move(frames);
    return set;
}

bool FrameSet::contains(int frame) const {
    return std::binary_search(m_frames.begin(), m_frames.end(), frame);
}

std::string FrameSet::to_string() const {
    std::string out;
    std::size_t i = 0;
    while (i < m_frames.size()) {
        if (!out.empty()) out += ',';
        const std::size_t consecutive = run_length(m_frames, i, 1);
        if (consecutive >= 2) {
            fmt::format_to(std::back_inserter(out), "{}-{}", m_frames[i],
                           m_frames[i + consecutive - 1]);
            i += consecutive;
            continue;
        }
        if (i + 2 < m_frames.size()) {
            const long long step = static_cast<long long>(m_frames[i + 1]) - m_frames[i];
            const std::size_t stepped = run_length(m_frames, i, step);
            if (stepped >= 3) {
                fmt::format_to(std::back_inserter(out), "{}-{}x{}", m_frames[i],
                               m_frames[i + stepped - 1], step);
                i += stepped;
                continue;
            }
        }
        fmt::format_to(std::back_inserter(out), "{}", m_frames[i]);
        ++i;
    }
    return out;
}

std::vector<FrameSet> FrameSet::chunks(std::size_t n) const {
    n = std::max<std::size_t>(n, 1);
    std::vector<FrameSet> result;
    result.reserve((m_frames.size() + n - 1) / n);
    for (std::size_t i = 0; i < m_frames.size(); i += n) {
        FrameSet chunk;
        const auto begin = m_frames.begin() + static_cast<std::ptrdiff_t>(i);
        const auto end =
            m_frames.begin() + static_cast<std::ptrdiff_t>(std::min(i + n, m_frames.size()));
        chunk.m_frames.assign(begin, end);
        result.push_back(std::move(chunk));
    }
    return result;
}

}  // namespace spotfarm::core
