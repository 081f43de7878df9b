#include "manager/manager_service.h"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>

#include "manager/farm.h"
#include "manager/http/builtin_routes.h"
#include "manager/http/server.h"
#include "manager/routes/job_media.h"
#include "manager/routes/routes.h"
#include "manager/routes/thumbnails.h"
#include "util/fd_limit.h"

namespace spotfarm::manager {
namespace {

namespace asio = boost::asio;

constexpr std::string_view k_database_name = "farm.db";
// Threads that hash and write the bodies of transfer mode: a few, so four uploads at once each
// have one while the io thread reads the next bodies.
constexpr std::size_t k_disk_threads = 4;

}  // namespace

struct ManagerService::Timers {
    explicit Timers(asio::io_context& io) : reaper(io) {}
    asio::steady_timer reaper;
};

util::Result<std::unique_ptr<ManagerService>> ManagerService::open(ManagerOptions options) {
    if (options.state_dir.empty()) {
        return util::make_error("the manager needs a state folder (--state-dir DIR)");
    }
    if (options.lease_timeout < std::chrono::seconds(1)) {
        return util::make_error("the lease timeout must be at least 1 second");
    }
    // Before the database: a second manager on the folder is told who holds it.
    auto lock = StateLock::acquire(options.state_dir);
    if (!lock) return lock.error();
    bool created = false;
    auto tokens = http::load_or_create_tokens(options.state_dir, &created);
    if (!tokens) return tokens.error();
    std::unique_ptr<ManagerService> service(
        new ManagerService(std::move(options), std::move(tokens).value()));
    service->m_lock.emplace(std::move(lock).value());
    if (auto ready = service->init(created); !ready) return ready.error();
    return service;
}

ManagerService::ManagerService(ManagerOptions options, http::Tokens tokens)
    : m_options(std::move(options)), m_tokens(std::move(tokens)) {}

util::Status ManagerService::init(bool created_tokens) {
    m_created_tokens = created_tokens;
    // Each worker and client holds a connection, each a descriptor: take all the system allows
    // (the server then caps connections below it).
    if (auto raised = util::raise_fd_limit(); !raised) {
        spdlog::warn("{}; the manager serves fewer connections", raised.error().message);
    }
    const util::Clock& clock = m_options.clock ? *m_options.clock : util::steady_clock();
    core::SchedulerPolicy policy = m_options.policy;
    policy.lease = m_options.lease_timeout;
    policy.worker_timeout = std::max(m_options.worker_timeout, 2 * m_options.lease_timeout);
    auto farm = Farm::open(database_path(), clock, policy);
    if (!farm) {
        return util::make_error("cannot open the manager's state in " +
                                m_options.state_dir.string() + ": " + farm.error().message);
    }
    m_farm = std::move(farm).value();
    m_context = std::make_unique<routes::ApiContext>(*m_farm);
    auto blobs = BlobStore::open(m_options.state_dir / "blobs", m_options.blob_writer);
    if (!blobs) return blobs.error();
    m_context->blobs = std::move(blobs).value();
    m_context->outputs = m_options.state_dir / "outputs";
    m_context->thumbs = m_options.state_dir / "thumbs";
    m_context->disk = std::make_unique<asio::thread_pool>(k_disk_threads);
    m_context->media = std::make_unique<MediaJobs>(m_options.state_dir / "previews");
    m_context->keys.load(*m_farm);
    m_context->max_claim_wait = m_options.max_claim_wait;
    m_context->max_downloads = m_options.max_downloads;
    if (!m_options.program.empty()) m_context->executable = m_options.program;
    if (!m_options.frame_check_module.empty()) {
        m_context->frame_check_module = m_options.frame_check_module;
    }

    m_auth = std::make_unique<http::Authenticator>(m_tokens, http::token_hint());
    m_auth->set_worker_lookup([context = m_context.get()](std::string_view secret) {
        auto id = context->keys.find(secret);
        return id ? std::optional<std::string>(id->to_string()) : std::nullopt;
    });
    m_auth->set_login_sessions(&m_context->logins);
    m_context->auth = m_auth.get();
    m_router = std::make_unique<http::Router>();
    http::ServerConfig config;
    config.address = m_options.address;
    config.port = m_options.port;
    config.max_body_bytes = m_options.max_body_bytes;
    config.tls_cert_file = m_options.tls_cert_file;
    config.tls_key_file = m_options.tls_key_file;
    m_server = std::make_unique<http::HttpServer>(config, *m_router, *m_auth);
    m_context->disk_done = m_server->executor();
    routes::add_api_routes(*m_router, *m_context);
    // Group commit: the API's answers wait for the one commit of their turn of the loop.
    m_router->wrap_handlers([context = m_context.get()](http::Handler handler) {
        return context->commits.wrap(std::move(handler));
    });
    http::add_builtin_routes(*m_router, m_server->metrics(),
                             {.extra_metrics = [this] { return farm_metrics(); }});
    m_timers = std::make_unique<Timers>(m_server->context());

    m_farm->on_work_available([this] { wake_claims(); });
    m_farm->batch_commits([this] { schedule_flush(); });
    m_farm->on_event([this](const core::Event& event) {
        wake_event_waiters();
        if (event.kind == "job.complete") {
            // After this transition's callbacks: the Farm may not be called from inside them.
            asio::post(executor(), [this, job = event.job] { make_job_media(job); });
        }
    });
    // A live log is the running attempt's: however the attempt ended (also by lease expiry,
    // cancel, pause or delete), its log goes, and a report that changed nothing keeps the log
    // of whoever holds the task now.
    m_farm->on_attempt_ended([this, context = m_context.get()](const core::AttemptEnd& end) {
        context->logs.erase(end.task);
        if (end.outcome == core::AttemptOutcome::completed && !end.recorded) {
            const int frames = static_cast<int>(end.results.size());
            context->counters.frames_completed += static_cast<std::uint64_t>(frames);
            context->counters.frame_rate.add(steady_ms(), frames);
        }
        if (end.outcome == core::AttemptOutcome::completed) {
            // Posted: making them asks the Farm where the frames are.
            asio::post(executor(), [context, end] {
                routes::remember_frame_stats(*context, end);
                routes::make_thumbnails_of(*context, end);
            });
        }
    });
    m_context->media->on_finished(
        [context = m_context.get(), executor = executor()](core::JobId job) {
            asio::post(executor, [context, job] { context->feed.on_media(job); });
        });
    m_farm->on_changes([context = m_context.get()](const core::Changes& changes) {
        context->feed.on_changes(changes);
    });
    if (auto listening = m_server->listen(); !listening) return listening;
    schedule_reap();
    return {};
}

ManagerService::~ManagerService() {
    if (m_server) {
        stop();
        join();
    }
    // What the last turn of the loop changed is kept, though no one heard of it yet.
    if (m_farm && m_farm->unflushed()) (void)m_farm->flush();
    // Waiting exchanges go before the server whose io_context they use; the Farm goes last.
    m_timers.reset();
    m_context.reset();
    m_server.reset();
    m_farm.reset();
}

void ManagerService::set_fleet(FleetView* fleet) {
    m_context->fleet = fleet;
}

void ManagerService::run() {
    m_server->run();
}

util::Status ManagerService::start() {
    return m_server->start();
}

void ManagerService::stop() {
    m_server->stop();
}

void ManagerService::close_claims() {
    asio::post(executor(), [this] {
        m_context->claims_closed = true;
        m_context->claims.notify_all();
    });
}

void ManagerService::join() {
    m_server->join();
}

std::uint16_t ManagerService::port() const {
    return m_server->port();
}

std::string ManagerService::url() const {
    return m_server->url();
}

std::filesystem::path ManagerService::database_path() const {
    return m_options.state_dir / k_database_name;
}

std::filesystem::path ManagerService::people_token_path() const {
    return http::people_token_path(m_options.state_dir);
}

std::filesystem::path ManagerService::worker_join_token_path() const {
    return http::worker_join_token_path(m_options.state_dir);
}

std::string ManagerService::instructions() const {
    return http::token_instructions(m_options.state_dir, url());
}

asio::any_io_executor ManagerService::executor() {
    return m_server->executor();
}

void ManagerService::schedule_reap() {
    m_timers->reaper.expires_after(m_options.reap_interval);
    m_timers->reaper.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        const util::Clock& clock = m_options.clock ? *m_options.clock : util::steady_clock();
        auto reaped = m_farm->reap(clock.now());
        if (!reaped) {
            spdlog::error("the lease reaper could not save its changes: {}",
                          reaped.error().message);
        } else if (reaped->leases_expired > 0 || reaped->workers_offline > 0) {
            spdlog::info("{} task(s) queued again after their lease ran out; {} worker(s) offline",
                         reaped->leases_expired, reaped->workers_offline);
        }
        schedule_reap();
    });
}

// The Farm calls this at the first transition of a batch: the commit comes after every request
// already read in this turn of the loop (and the claims they woke) had its transition.
void ManagerService::schedule_flush() {
    // Posted twice, so that it comes after the claims woken by this batch's transitions too.
    asio::post(executor(), [this] {
        asio::post(executor(), [this] { m_context->commits.release(m_farm->flush()); });
    });
}

// The Farm calls this inside a transition, so the claims are tried afterwards, once per turn of
// the loop however many transitions queued work.
void ManagerService::wake_claims() {
    if (m_claims_wake_posted) return;
    m_claims_wake_posted = true;
    asio::post(executor(), [this] {
        m_claims_wake_posted = false;
        const auto queued =
            static_cast<std::size_t>(std::max<std::int64_t>(0, m_farm->scheduler().queued_tasks()));
        if (queued > 0) m_context->claims.notify(queued);
    });
}

void ManagerService::wake_event_waiters() {
    if (m_events_wake_posted || m_context->event_waiters.size() == 0) return;
    m_events_wake_posted = true;
    asio::post(executor(), [this] {
        m_events_wake_posted = false;
        m_context->event_waiters.notify_all();
    });
}

std::int64_t ManagerService::steady_ms() const {
    const util::Clock& clock = m_options.clock ? *m_options.clock : util::steady_clock();
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch())
        .count();
}

void ManagerService::make_job_media(core::JobId job) {
    auto queued = routes::queue_job_media(*m_context, job, routes::MediaAsk::completed);
    if (!queued) {
        spdlog::warn("job {} completed, but its video and previews cannot be made: {}",
                     job.to_string(), queued.error().message);
    }
}

std::string ManagerService::farm_metrics() const {
    const FarmGauges gauges{.claims_waiting = m_context->claims.size(),
                            .live_logs = m_context->logs.size(),
                            .media_made = m_context->media ? m_context->media->made() : 0};
    return farm_metrics_text(m_farm->scheduler(), m_context->counters, gauges, m_context->fleet,
                             steady_ms());
}

}  // namespace spotfarm::manager
