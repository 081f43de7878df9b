#pragma once
// Fakes for the worker's interfaces: a manager that keeps score the way the real one must (a
// repeated report of one attempt counts once), a renderer whose frames take fake seconds, a
// sleeper and a watcher. Time moves only through the FakeClock they share.

#include <atomic>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "util/clock.h"
#include "util/file_hash.h"
#include "worker/frame_renderer.h"
#include "worker/interruption_watcher.h"
#include "worker/manager_api.h"
#include "worker/sleeper.h"

namespace spotfarm::worker::testing {

using namespace std::chrono_literals;

inline util::Error unreachable() {
    return util::make_error("cannot reach the fake manager", util::ErrorKind::unavailable);
}

class FakeManager final : public ManagerApi {
public:
    explicit FakeManager(util::FakeClock& clock) : m_clock(clock) {}

    // ---- knobs ----
    bool up = true;                 // false: every call fails as if the manager were down
    bool refuse_tokens = false;     // every call is answered 401
    int complete_status = 200;      // another status refuses every complete with it
    int lose_complete_answers = 0;  // this many completes are recorded but their answer is lost
    int lease_seconds = 30;
    int heartbeat_seconds = 10;
    std::deque<protocol::Assignment> queue;
    std::map<std::int64_t, std::string> unreadable;  // task -> why the worker cannot read it
    std::function<protocol::ProgressAction(const protocol::ProgressReport&)> progress_action;
    std::function<void()> on_idle;             // a claim found no work
    std::function<void()> on_claim;            // a claim is about to hand out a task
    std::map<std::string, std::string> blobs;  // transfer mode: hash -> bytes it serves
    std::deque<util::Error> upload_errors;     // answers to the next frame uploads, then success
    std::optional<util::Error> blob_error;     // set: every blob fetch fails with it

    // ---- what happened ----
    std::vector<std::string> calls;  // every call that reached the manager, in order
    int complete_calls = 0;          // refused ones included
    std::vector<std::chrono::seconds> claim_waits;
    std::vector<protocol::RegisterRequest> registrations;
    std::vector<protocol::ClaimRequest> claims;
    std::vector<std::pair<util::Clock::time_point, protocol::ProgressReport>> progress_calls;
    std::vector<protocol::CompleteReport> completes;  // every complete that reached the manager
    std::vector<protocol::FailReport> fails;
    std::vector<protocol::ReleaseReport> releases;
    std::vector<protocol::DrainRequest> drains;
    std::vector<protocol::SignOffRequest> sign_offs;
    std::map<int, int> frames_recorded;  // frame -> how often it was counted as done
    std::set<std::int64_t> attempts_reported;
    std::vector<std::string> blobs_fetched;          // hashes, every call
    std::vector<FrameUpload> uploads;                // every call
    std::map<std::string, std::string> frames_held;  // name -> bytes of each frame it holds

    util::Result<protocol::Registration> register_worker(
        const protocol::RegisterRequest& info) override {
        if (refuse_tokens)
            return util::make_error("join token refused", util::ErrorKind::unauthorized);
        if (!up) return unreachable();
        calls.push_back("register");
        registrations.push_back(info);
        protocol::Registration r{m_next_worker++, "secret-" + std::to_string(m_next_worker),
                                 lease_seconds, heartbeat_seconds};
        m_secrets[r.id] = r.secret;
        return r;
    }
    void use_worker_secret(std::string secret) override { m_secret = std::move(secret); }

    util::Result<Claimed> claim(std::int64_t worker_id, const protocol::ClaimRequest& request,
                                std::chrono::seconds wait) override {
        if (auto refused = check(worker_id); !refused) return refused.error();
        calls.push_back("claim");
        claims.push_back(request);
        claim_waits.push_back(wait);
        if (claims.size() > 10'000) {
            ADD_FAILURE() << "the worker claims without end";
            return util::make_error("too many claims", util::ErrorKind::invalid);
        }
        if (queue.empty()) {
            m_clock.advance(wait);  // a long poll that found nothing
            if (on_idle) on_idle();
            return Claimed();
        }
        if (on_claim) on_claim();
        protocol::Assignment a = queue.front();
        queue.pop_front();
        a.attempt_id = m_next_attempt++;
        a.lease_seconds = lease_seconds;
        m_current[a.task_id] = a.attempt_id;
        if (unreadable.count(a.task_id)) {
            return Claimed(UnreadableTask{{a.task_id, a.attempt_id}, unreadable[a.task_id]});
        }
        return Claimed(a);
    }

    util::Result<protocol::ProgressAnswer> progress(
        std::int64_t task_id, const protocol::ProgressReport& report) override {
        if (auto refused = check(report.worker_id); !refused) return refused.error();
        calls.push_back("progress");
        progress_calls.emplace_back(m_clock.now(), report);
        if (m_current[task_id] != report.attempt_id) {
            return util::make_error("not your task", util::ErrorKind::invalid);
        }
        auto action =
            progress_action ? progress_action(report) : protocol::ProgressAction::keep_going;
        return protocol::ProgressAnswer{action, lease_seconds};
    }

    util::Status complete(std::int64_t, const protocol::CompleteReport& report) override {
        if (auto refused = check(report.worker_id); !refused) return refused;
        ++complete_calls;
        calls.push_back("complete");
        if (complete_status != 200) {
            return util::make_error("HTTP " + std::to_string(complete_status),
                                    util::ErrorKind::invalid);
        }
        completes.push_back(report);
        record(report.attempt_id, report.frames);
        if (lose_complete_answers > 0) {
            --lose_complete_answers;
            return unreachable();
        }
        return {};
    }

    util::Status fail(std::int64_t, const protocol::FailReport& report) override {
        if (auto refused = check(report.worker_id); !refused) return refused;
        calls.push_back("fail");
        fails.push_back(report);
        record(report.attempt_id, report.frames);
        return {};
    }

    util::Status release(std::int64_t, const protocol::ReleaseReport& report) override {
        if (auto refused = check(report.worker_id); !refused) return refused;
        calls.push_back("release");
        releases.push_back(report);
        record(report.attempt_id, report.frames);
        return {};
    }

    util::Result<protocol::DrainAnswer> drain(std::int64_t worker_id,
                                              const protocol::DrainRequest& request) override {
        if (auto refused = check(worker_id); !refused) return refused.error();
        calls.push_back("drain");
        drains.push_back(request);
        return protocol::DrainAnswer{};
    }

    util::Status sign_off(std::int64_t worker_id,
                          const protocol::SignOffRequest& request) override {
        if (auto refused = check(worker_id); !refused) return refused;
        calls.push_back("sign-off");
        sign_offs.push_back(request);
        m_secrets.erase(worker_id);
        return {};
    }

    util::Result<std::int64_t> fetch_blob(const std::string& hash, std::int64_t,
                                          const std::filesystem::path& dest) override {
        std::lock_guard lock(m_blob_mutex);  // called from several threads at once
        blobs_fetched.push_back(hash);
        if (!up) return unreachable();
        if (blob_error) return *blob_error;
        auto it = blobs.find(hash);
        if (it == blobs.end()) {
            return util::make_error("no blob " + hash, util::ErrorKind::not_found);
        }
        std::filesystem::create_directories(dest.parent_path());
        std::ofstream(dest, std::ios::binary) << it->second;
        return static_cast<std::int64_t>(it->second.size());
    }

    util::Status upload_frame(std::int64_t task_id, const FrameUpload& upload) override {
        uploads.push_back(upload);
        if (!up) return unreachable();
        calls.push_back("upload");
        if (!upload_errors.empty()) {
            util::Error error = upload_errors.front();
            upload_errors.pop_front();
            return error;
        }
        if (m_current[task_id] != upload.attempt_id) {
            return util::make_error("not the task's attempt", util::ErrorKind::conflict);
        }
        auto digest = util::hash_file(upload.file);
        if (!digest || digest->sha256 != upload.sha256) {
            return util::make_error("hash mismatch", util::ErrorKind::failed);
        }
        std::ifstream in(upload.file, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        frames_held[upload.name] = bytes.str();
        return {};
    }

    int frames_counted_more_than_once() const {
        int n = 0;
        for (auto [frame, count] : frames_recorded) n += count > 1;
        return n;
    }

private:
    util::Status check(std::int64_t worker_id) {
        if (refuse_tokens) return util::make_error("token refused", util::ErrorKind::unauthorized);
        if (!up) return unreachable();
        auto it = m_secrets.find(worker_id);
        if (it == m_secrets.end() || it->second != m_secret) {
            return util::make_error("token refused", util::ErrorKind::unauthorized);
        }
        return {};
    }
    // The same attempt reported again counts once: what the real manager promises.
    void record(std::int64_t attempt, const std::vector<protocol::FrameReport>& frames) {
        if (!attempts_reported.insert(attempt).second) return;
        for (const auto& f : frames) ++frames_recorded[f.frame];
    }

    util::FakeClock& m_clock;
    std::int64_t m_next_worker = 1;
    std::int64_t m_next_attempt = 100;
    std::string m_secret;
    std::map<std::int64_t, std::string> m_secrets;
    std::map<std::int64_t, std::int64_t> m_current;  // task -> attempt
    std::mutex m_blob_mutex;
};

class FakeRenderer final : public FrameRenderer {
public:
    explicit FakeRenderer(util::FakeClock& clock) : m_clock(clock) {}

    // ---- knobs ----
    int default_seconds = 10;  // how long a frame takes
    std::map<int, int> frame_seconds;
    int samples_total = 100;  // 0: the renderer reports no samples
    std::optional<int> failing_frame;
    std::string log_text;  // added to every second's log, as Blender's own bytes
    // Called every fake second of rendering, before the progress call: tests act here.
    std::function<void(int frame, int second)> on_tick;
    // Write each frame's file where the job's output pattern says ("####" -> the frame), as
    // Blender would; off: the frames are only named.
    bool write_files = false;

    // ---- what happened ----
    std::vector<int> frames_started;
    std::vector<int> frames_finished;
    std::vector<util::Clock::time_point> stops;  // when a stop_now was obeyed
    std::optional<std::int64_t> warm;
    std::vector<RenderJob> jobs;  // what each render call was given

    util::Result<RendererInfo> describe() override { return RendererInfo{"4.2.0", {"CUDA"}}; }
    std::optional<std::int64_t> warm_job() const override { return warm; }

    RenderOutcome render(std::int64_t job_id, const RenderJob& job, const std::vector<int>& frames,
                         const RenderCallbacks& callbacks) override {
        warm = job_id;
        jobs.push_back(job);
        RenderOutcome outcome;
        for (int f : frames) {
            frames_started.push_back(f);
            const int seconds = frame_seconds.count(f) ? frame_seconds[f] : default_seconds;
            bool finishing = false;
            for (int s = 1; s <= seconds; ++s) {
                m_clock.advance(1s);
                if (on_tick) on_tick(f, s);
                if (failing_frame == f && s == (seconds + 1) / 2) {
                    outcome.end = RenderEnd::failed;
                    outcome.error = "Error: cannot read texture for frame " + std::to_string(f);
                    outcome.log_tail =
                        "Fra:" + std::to_string(f) + " ...\n" + log_text + outcome.error;
                    return outcome;
                }
                int sample = samples_total ? s * samples_total / seconds : 0;
                RenderCommand command =
                    callbacks.on_progress({f, sample, samples_total,
                                           "Fra:" + std::to_string(f) + " Sample " +
                                               std::to_string(sample) + "\n" + log_text});
                if (command == RenderCommand::stop_now) {
                    stops.push_back(m_clock.now());
                    outcome.end = RenderEnd::stopped;
                    return outcome;
                }
                finishing = finishing || command == RenderCommand::finish_frame;
            }
            char output[64];
            std::snprintf(output, sizeof output, "/out/frame_%04d.png", f);
            std::string written = output;
            if (write_files) {
                char digits[16];
                std::snprintf(digits, sizeof digits, "%04d", f);
                written = job.settings.output.value_or("");
                written.replace(written.find("####"), 4, digits);
                written += ".png";
                std::filesystem::create_directories(std::filesystem::path(written).parent_path());
                std::ofstream(written, std::ios::binary) << "PNG of frame " << f;
            }
            protocol::FrameReport result{f, written, double(seconds), 512, {}};
            frames_finished.push_back(f);
            outcome.frames.push_back(result);
            callbacks.on_frame_done(result);
            if (finishing) {
                outcome.end = RenderEnd::stopped;
                return outcome;
            }
        }
        outcome.end = RenderEnd::finished;
        return outcome;
    }

private:
    util::FakeClock& m_clock;
};

class FakeSleeper final : public util::Sleeper {
public:
    explicit FakeSleeper(util::FakeClock& clock) : m_clock(clock) {}
    std::function<void()> on_sleep;  // after the clock moved
    std::vector<util::Clock::duration> sleeps;

    void sleep_for(util::Clock::duration d) override {
        sleeps.push_back(d);
        if (sleeps.size() > 100'000) {
            ADD_FAILURE() << "the worker sleeps without end";
            std::abort();
        }
        m_clock.advance(d);
        if (on_sleep) on_sleep();
    }

private:
    util::FakeClock& m_clock;
};

class FakeWatcher final : public InterruptionWatcher {
public:
    InterruptionNotice notice;
    int polls = 0;
    InterruptionNotice poll() override {
        ++polls;
        return notice;
    }
};

}  // namespace spotfarm::worker::testing
