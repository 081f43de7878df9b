#include "manager/http/auth.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include <spdlog/spdlog.h>

#include "util/atomic_file.h"
#include "util/secret.h"

namespace spotfarm::manager::http {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_token_bytes = 32;  // 256 bits

std::string errno_text() {
    return std::strerror(errno);
}

util::Result<std::string> read_token(const fs::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
        spdlog::warn("{} could be read by other users; setting its mode to 0600", path.string());
        if (::chmod(path.c_str(), 0600) != 0) {
            return util::make_error("cannot make " + path.string() +
                                    " private (chmod 0600): " + errno_text());
        }
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return util::make_error("cannot read the token file " + path.string());
    std::string token = text.str();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
        token.pop_back();
    bool printable = !token.empty();
    for (char c : token) printable = printable && c > ' ' && c < 127;
    if (token.size() < 16 || !printable) {
        return util::make_error("the token file " + path.string() +
                                " does not hold a usable token (at least 16 visible characters); "
                                "delete it and start the manager again to make a new one");
    }
    return token;
}

util::Result<std::string> load_or_create(const fs::path& path, bool& created) {
    std::error_code ec;
    if (fs::exists(path, ec)) return read_token(path);
    auto token = util::random_hex(k_token_bytes);
    if (!token) return token.error();
    if (auto written = util::write_file_atomic(path, *token + "\n", 0600); !written) {
        return written.error();
    }
    created = true;
    return token;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
    constexpr std::string_view scheme = "bearer ";
    if (authorization.size() <= scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i]) {
            return std::nullopt;
        }
    }
    std::string_view token = authorization.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (token.empty()) return std::nullopt;
    return token;
}

std::string allowed_callers(const Access& access) {
    std::string list;
    auto add = [&](bool allowed, std::string_view name) {
        if (!allowed) return;
        if (!list.empty()) list += " or ";
        list += name;
    };
    add(access.person, "the people token");
    add(access.worker_join, "the worker join token");
    add(access.worker, "a worker's own secret");
    return list;
}

Response unauthorized(std::string_view code, std::string message) {
    Response response = error_response(401, code, message);
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"spotfarm\"");
    return response;
}

}  // namespace

fs::path people_token_path(const fs::path& state_dir) {
    return state_dir / "people.token";
}

fs::path worker_join_token_path(const fs::path& state_dir) {
    return state_dir / "worker-join.token";
}

util::Result<Tokens> load_or_create_tokens(const fs::path& state_dir, bool* created) {
    std::error_code ec;
    if (!fs::exists(state_dir, ec)) {
        fs::create_directories(state_dir, ec);
        if (ec) {
            return util::make_error("cannot create the manager's state folder " +
                                    state_dir.string() + ": " + ec.message());
        }
        fs::permissions(state_dir, fs::perms::owner_all, ec);
    }
    bool made = false;
    auto person = load_or_create(people_token_path(state_dir), made);
    if (!person) return person.error();
    auto join = load_or_create(worker_join_token_path(state_dir), made);
    if (!join) return join.error();
    if (*person == *join) {
        return util::make_error("the people token and the worker join token in " +
                                state_dir.string() +
                                " are the same; delete both files and start the manager again");
    }
    if (created) *created = made;
    return Tokens{std::move(*person), std::move(*join)};
}

std::string token_hint() {
    return "People and tools use the manager's people token: the manager printed where it is "
           "when it started (the file people.token in its state folder, on the manager's "
           "machine); pass it with --token, SPOTFARM_TOKEN or a client config file. A new worker "
           "registers with the worker join token (worker-join.token, beside it) and then uses "
           "the secret it was given.";
}

std::string token_instructions(const fs::path& state_dir, std::string_view manager_url) {
    std::string people = people_token_path(state_dir).string();
    std::string join = worker_join_token_path(state_dir).string();
    std::string url(manager_url);
    return "Tokens (keep them secret; each file is readable by this user only):\n"
           "  people token:      " +
           people +
           "\n"
           "    for the CLI, the add-on and scripts:\n"
           "      export SPOTFARM_TOKEN=$(cat " +
           people +
           ")\n"
           "      curl -H \"Authorization: Bearer $SPOTFARM_TOKEN\" " +
           url +
           "/api/v1/jobs\n"
           "  worker join token: " +
           join +
           "\n"
           "    for workers joining this manager: give them the file's content, e.g.\n"
           "      SPOTFARM_JOIN_TOKEN=$(cat " +
           join + ") spotfarm worker --manager " + url +
           "\n"
           "  Delete a file and restart the manager to replace that token.\n";
}

Authenticator::Authenticator(Tokens tokens, std::string token_hint)
    : m_tokens(std::move(tokens)), m_hint(std::move(token_hint)) {}

void Authenticator::set_worker_lookup(WorkerLookup lookup) {
    m_worker_lookup = std::move(lookup);
}

void Authenticator::set_login_sessions(LoginSessions* sessions) {
    m_sessions = sessions;
}

bool Authenticator::is_people_token(std::string_view token) const {
    return util::constant_time_equal(token, m_tokens.person);
}

std::variant<Identity, Response> Authenticator::authenticate(const Credentials& credentials,
                                                             const Access& access,
                                                             const Fields& params) const {
    if (access.anyone || credentials.authorization || !credentials.cookie || !m_sessions) {
        return authenticate(credentials.authorization, access, params);
    }
    auto session = cookie_value(*credentials.cookie, k_session_cookie);
    if (!session || session->empty() || !m_sessions->touch(*session)) {
        return authenticate(credentials.authorization, access, params);
    }
    if (!access.person) {
        return error_response(
            403, "forbidden",
            "this endpoint takes " + allowed_callers(access) + ", not the dashboard's login");
    }
    const bool reads = credentials.method == "GET" || credentials.method == "HEAD";
    if (!reads) {
        if (auto refusal = cross_site_refusal(credentials.origin)) {
            return error_response(403, "cross_site",
                                  *refusal +
                                      "; the dashboard's login only works from the dashboard's "
                                      "own pages (scripts use Authorization: Bearer TOKEN)");
        }
    }
    return Identity{Principal::person, {}};
}

std::optional<Identity> Authenticator::identify(std::string_view token) const {
    // Both comparisons always run, so the time taken does not say which token was close.
    bool person = util::constant_time_equal(token, m_tokens.person);
    bool join = util::constant_time_equal(token, m_tokens.worker_join);
    if (person) return Identity{Principal::person, {}};
    if (join) return Identity{Principal::worker_join, {}};
    if (m_worker_lookup) {
        if (auto worker_id = m_worker_lookup(token)) return Identity{Principal::worker, *worker_id};
    }
    return std::nullopt;
}

std::variant<Identity, Response> Authenticator::authenticate(
    std::optional<std::string_view> authorization, const Access& access,
    const Fields& params) const {
    if (access.anyone) return Identity{};
    if (!authorization) {
        return unauthorized("missing_token",
                            "this endpoint needs a bearer token: send the header "
                            "'Authorization: Bearer TOKEN' with " +
                                allowed_callers(access) + ". " + m_hint);
    }
    auto token = bearer_token(*authorization);
    if (!token) {
        return unauthorized("invalid_token",
                            "the Authorization header must read 'Bearer TOKEN'. " + m_hint);
    }
    auto identity = identify(*token);
    if (!identity) {
        return unauthorized("invalid_token",
                            "the bearer token is not one this manager knows (tokens change when "
                            "their file in the state folder is deleted). " +
                                m_hint);
    }
    bool allowed = (identity->principal == Principal::person && access.person) ||
                   (identity->principal == Principal::worker_join && access.worker_join) ||
                   (identity->principal == Principal::worker && access.worker);
    if (!allowed) {
        return error_response(403, "forbidden",
                              "this endpoint takes " + allowed_callers(access) +
                                  ", but the request carries the " +
                                  std::string(to_string(identity->principal)));
    }
    if (identity->principal == Principal::worker && !access.own_worker_param.empty()) {
        std::string_view wanted;
        for (const auto& [key, value] : params) {
            if (key == access.own_worker_param) wanted = value;
        }
        if (wanted != identity->worker_id) {
            return error_response(403, "forbidden",
                                  "worker " + identity->worker_id +
                                      " may only act as itself, not as worker '" +
                                      std::string(wanted) + "'");
        }
    }
    return *identity;
}

}  // namespace spotfarm::manager::http
