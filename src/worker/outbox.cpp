#include "worker/outbox.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/json_fields.h"
#include "util/unique_fd.h"

namespace spotfarm::worker {

namespace fs = std::filesystem;
using nlohmann::json;

std::string_view report_kind(const Report& report) {
    static constexpr std::string_view k_kinds[] = {"complete", "fail", "release"};
    return k_kinds[report.index()];
}

std::int64_t report_worker_id(const Report& report) {
    return std::visit([](const auto& r) { return r.worker_id; }, report);
}

std::int64_t report_attempt_id(const Report& report) {
    return std::visit([](const auto& r) { return r.attempt_id; }, report);
}

namespace {

constexpr std::size_t k_seq_digits = 20;

// A report's file text. Its strings are UTF-8 by the time they get here; a stray byte becomes
// U+FFFD rather than an exception, so keeping a report never ends the worker.
std::string dump_text(const json& j, int indent = -1) {
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

json to_file_json(const PendingReport& p) {
    return {{"kind", report_kind(p.report)},
            {"task_id", p.task_id},
            {"report", std::visit([](const auto& r) { return protocol::to_json(r); }, p.report)}};
}

util::Result<Report> report_from_json(const std::string& kind, const json& j) {
    auto as_report = [](auto parsed) -> util::Result<Report> {
        if (!parsed) return parsed.error();
        return Report(std::move(parsed).value());
    };
    if (kind == "complete") return as_report(protocol::from_json<protocol::CompleteReport>(j));
    if (kind == "fail") return as_report(protocol::from_json<protocol::FailReport>(j));
    if (kind == "release") return as_report(protocol::from_json<protocol::ReleaseReport>(j));
    return util::make_error("unknown report kind \"" + kind + "\"");
}

util::Result<PendingReport> read_report_file(const fs::path& file, std::uint64_t seq) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return util::make_error("cannot read " + file.string());
    auto j = util::parse_json_text(text.str(), file.filename().string());
    if (!j) return j.error();
    PendingReport p;
    p.seq = seq;
    std::string kind;
    json report;
    util::JsonFields f(*j, file.filename().string());
    f.required("kind", kind).required("task_id", p.task_id);
    if (!f.ok()) return f.status().error();
    if (!j->contains("report")) return util::make_error(file.string() + ": no report in it");
    auto parsed = report_from_json(kind, (*j)["report"]);
    if (!parsed) return parsed.error();
    p.report = std::move(parsed).value();
    return p;
}

// "00000000000000000012-complete-task7.json" -> 12
std::optional<std::uint64_t> seq_of(const std::string& name) {
    if (name.size() <= k_seq_digits + 5 || name[k_seq_digits] != '-' || !name.ends_with(".json")) {
        return std::nullopt;
    }
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < k_seq_digits; ++i) {
        if (name[i] < '0' || name[i] > '9') return std::nullopt;
        seq = seq * 10 + std::uint64_t(name[i] - '0');
    }
    return seq;
}

}  // namespace

util::Result<std::unique_ptr<Outbox>> Outbox::open(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir / "refused", ec);
    if (ec) {
        return util::make_error("cannot create the outbox folder " + dir.string() + ": " +
                                ec.message() + "; give a writable --state-dir");
    }
    util::UniqueFd lock(::open((dir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!lock) {
        return util::make_error("cannot open " + (dir / "lock").string() + ": " +
                                std::strerror(errno));
    }
    if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
        return util::make_error("another spotfarm worker uses the outbox in " + dir.string() +
                                "; give each worker its own --state-dir");
    }
    std::unique_ptr<Outbox> outbox(new Outbox(dir, std::move(lock)));
    if (auto loaded = outbox->load(); !loaded) return loaded.error();
    return outbox;
}

Outbox::Outbox(fs::path dir, util::UniqueFd lock)
    : m_dir(std::move(dir)), m_lock(std::move(lock)) {}

Outbox::~Outbox() = default;

util::Status Outbox::load() {
    std::error_code ec;
    std::vector<std::pair<std::uint64_t, fs::path>> files;
    for (const auto& entry : fs::directory_iterator(m_dir, ec)) {
        if (!entry.is_regular_file()) continue;
        const std::string name = entry.path().filename().string();
        if (util::is_temp_name(name)) {
            fs::remove(entry.path(), ec);  // a write that never finished: never acknowledged
            continue;
        }
        if (auto seq = seq_of(name)) files.emplace_back(*seq, entry.path());
    }
    if (ec) return util::make_error("cannot list " + m_dir.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& [seq, file] : files) {
        m_next_seq = std::max(m_next_seq, seq + 1);
        auto report = read_report_file(file, seq);
        if (report) {
            m_pending.push_back(std::move(report).value());
            continue;
        }
        spdlog::warn("outbox: {} cannot be read back ({}); moved to {}", file.string(),
                     report.error().message, refused_dir().string());
        fs::rename(file, refused_dir() / file.filename(), ec);
    }
    return {};
}

fs::path Outbox::file_of(const PendingReport& p) const {
    char seq[k_seq_digits + 1];
    std::snprintf(seq, sizeof seq, "%020llu", static_cast<unsigned long long>(p.seq));
    return m_dir / (std::string(seq) + "-" + std::string(report_kind(p.report)) + "-task" +
                    std::to_string(p.task_id) + ".json");
}

util::Status Outbox::add(std::int64_t task_id, Report report) {
    PendingReport p{m_next_seq, task_id, std::move(report)};
    // A report outlives this process, not the machine: the frame it reports is not fsync'd
    // either (neither is the manager's database, synchronous=NORMAL), so syncing the report
    // alone would cost every frame two fsyncs to keep a promise the frame cannot.
    auto written = util::write_file_atomic(file_of(p), dump_text(to_file_json(p)), 0600,
                                           util::Durability::process_crash);
    if (!written) {
        return util::make_error("cannot save a report in the outbox: " + written.error().message);
    }
    ++m_next_seq;
    m_pending.push_back(std::move(p));
    return {};
}

util::Status Outbox::remove(std::uint64_t seq) {
    auto it = std::find_if(m_pending.begin(), m_pending.end(),
                           [&](const PendingReport& p) { return p.seq == seq; });
    if (it == m_pending.end()) return {};
    fs::path file = file_of(*it);
    m_pending.erase(it);
    // Not synced: a delivered report that comes back after a crash is sent again and counted
    // once by the manager.
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
        return util::make_error("cannot remove " + file.string() + ": " + std::strerror(errno));
    }
    return {};
}

util::Status Outbox::set_aside(std::uint64_t seq, std::string_view why) {
    auto it = std::find_if(m_pending.begin(), m_pending.end(),
                           [&](const PendingReport& p) { return p.seq == seq; });
    if (it == m_pending.end()) return {};
    fs::path file = file_of(*it);
    json j = to_file_json(*it);
    j["refused"] = std::string(why);
    m_pending.erase(it);
    auto written = util::write_file_atomic(refused_dir() / file.filename(), dump_text(j, 2), 0600);
    if (!written) return written;
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
        return util::make_error("cannot remove " + file.string() + ": " + std::strerror(errno));
    }
    return util::sync_directory(m_dir);
}

}  // namespace spotfarm::worker
