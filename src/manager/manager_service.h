#pragma once
// The manager as one object: its state folder (SQLite database and token files), the Farm, the
// HTTP server with the /api/v1 routes, the lease reaper and the wake-up of waiting claims. Used
// by `spotfarm manager` as a process, and in-process by `spotfarm render` (port 0 on loopback,
// started on a thread of its own):
//
//     auto manager = ManagerService::open({.state_dir = dir, .port = 0});
//     (*manager)->start();                       // serves on its own thread
//     client talks to (*manager)->url() with (*manager)->tokens().person / .worker_join
//     (*manager)->stop(); (*manager)->join();    // or just destroy it

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>

#include "core/ids.h"
#include "core/policy.h"
#include "manager/blob_store.h"
#include "manager/http/auth.h"
#include "manager/state_lock.h"
#include "util/clock.h"
#include "util/result.h"

namespace spotfarm::manager {

class Farm;
class FleetView;
namespace http {
class HttpServer;
class Router;
}  // namespace http
namespace routes {
struct ApiContext;
}

struct ManagerOptions {
    std::filesystem::path state_dir;  // made (mode 0700) on first start, reused later
    std::string address = "127.0.0.1";
    std::uint16_t port = 8420;  // 0: any free port, see ManagerService::port()
    // A task whose worker was not heard from for this long is queued again.
    std::chrono::milliseconds lease_timeout{std::chrono::seconds(60)};
    // A worker not heard from for this long is shown offline (at least twice the lease).
    std::chrono::milliseconds worker_timeout{std::chrono::seconds(120)};
    // How often expired leases are looked for.
    std::chrono::milliseconds reap_interval{std::chrono::seconds(1)};
    std::size_t max_body_bytes = 1 << 20;
    std::chrono::milliseconds max_claim_wait{std::chrono::seconds(60)};
    // The program GET /download/spotfarm serves to cloud workers; empty: this one.
    std::filesystem::path program;
    // Downloads of the program sent at once; more are answered 503.
    std::size_t max_downloads = 8;
    // Retries, blocklist and job failure rules; lease and worker timeout come from above.
    core::SchedulerPolicy policy;
    // The frame-check module GET /download/spotfarm_frame_check.so serves to cloud workers;
    // empty: the one beside this program.
    std::filesystem::path frame_check_module;
    // The clock of leases; the real one unless a test gives another.
    const util::Clock* clock = nullptr;
    // PEM certificate and key: both given, the API is served over HTTPS only.
    std::string tls_cert_file;
    std::string tls_key_file;
    // How the blob store writes; empty: pwrite. A test makes the disk full with it.
    BlobWriter blob_writer;
};

class ManagerService {
public:
    // Opens (or creates) the state folder, restores the farm, and listens: port() and url() are
    // known when this returns. Nothing is served until run() or start().
    static util::Result<std::unique_ptr<ManagerService>> open(ManagerOptions options);
    // Stops (if running), waits for the thread of start(), closes the database.
    ~ManagerService();
    ManagerService(const ManagerService&) = delete;
    ManagerService& operator=(const ManagerService&) = delete;

    // Serves on the calling thread until stop().
    void run();
    // Serves on a thread of the service's own.
    util::Status start();
    // From any thread, also from inside a handler (not from a signal handler): waiting claims
    // are answered 503, requests in progress finish, then run() returns.
    void stop();
    void join();
    // From any thread while the service runs: every waiting claim, and every later one, is
    // answered "no work" at once. For the end of a render, after its workers were told to stop,
    // so none of them waits out a long-poll before it sees that.
    void close_claims();

    std::uint16_t port() const;
    std::string url() const;  // "http://127.0.0.1:PORT" ("https://" with TLS)
    const std::filesystem::path& state_dir() const { return m_options.state_dir; }
    std::filesystem::path database_path() const;
    const http::Tokens& tokens() const { return m_tokens; }
    std::filesystem::path people_token_path() const;
    std::filesystem::path worker_join_token_path() const;
    // Whether open() made any token file (the first start on this folder).
    bool created_tokens() const { return m_created_tokens; }
    // How to use the tokens, for people: where they are, never what they are.
    std::string instructions() const;

    // The fleet shown by GET /fleet and GET /jobs/{id}/cost (404 without one); call before
    // start(). It must outlive the service.
    void set_fleet(FleetView* fleet);

    // Runs `f(farm)` on the server's io thread and returns its result; for tests and in-process
    // callers. Must not be called from the io thread itself (it would wait for itself), and only
    // while the service runs.
    template <class F>
    auto with_farm(F f) -> decltype(f(std::declval<Farm&>())) {
        using R = decltype(f(std::declval<Farm&>()));
        std::packaged_task<R()> task([&] { return f(*m_farm); });
        auto result = task.get_future();
        boost::asio::post(executor(), [&task] { task(); });
        return result.get();
    }

private:
    struct Timers;

    ManagerService(ManagerOptions options, http::Tokens tokens);
    util::Status init(bool created_tokens);
    boost::asio::any_io_executor executor();
    void schedule_reap();
    void wake_claims();
    void schedule_flush();
    void wake_event_waiters();
    // Queues the video and previews of a job that just completed.
    void make_job_media(core::JobId job);
    // The service clock's time in milliseconds, for rates over time.
    std::int64_t steady_ms() const;
    std::string farm_metrics() const;

    ManagerOptions m_options;
    std::optional<StateLock> m_lock;  // held while the service lives
    http::Tokens m_tokens;
    bool m_created_tokens = false;
    std::unique_ptr<Farm> m_farm;
    std::unique_ptr<routes::ApiContext> m_context;
    std::unique_ptr<http::Router> m_router;
    std::unique_ptr<http::Authenticator> m_auth;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<Timers> m_timers;
    bool m_claims_wake_posted = false;
    bool m_events_wake_posted = false;
};

}  // namespace spotfarm::manager
