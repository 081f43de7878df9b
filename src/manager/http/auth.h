#pragma once
// Bearer-token auth. The manager keeps two tokens in its state folder (people, worker join); each
// registered worker has its own secret, checked by a hook that the farm layer fills in. A route
// declares with an Access which principals may call it.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "manager/http/cookies.h"
#include "manager/http/login_sessions.h"
#include "manager/http/request.h"
#include "manager/http/response.h"
#include "util/result.h"

namespace spotfarm::manager::http {

// Which callers a route accepts. The named constructors cover the API's cases.
struct Access {
    bool anyone = false;       // no token needed
    bool person = false;       // the people token
    bool worker_join = false;  // the worker join token
    bool worker = false;       // a registered worker's own secret
    // With `worker`: the path parameter that must equal the calling worker's id ("id" for
    // /workers/{id}/claim), so a worker can only act as itself. Empty: the handler checks.
    std::string own_worker_param;

    static Access open() { return {.anyone = true}; }
    static Access people() { return {.person = true}; }
    // Registration: the join token, or a person adding a worker by hand.
    static Access joining() { return {.person = true, .worker_join = true}; }
    // A worker acting on itself through the path parameter `param`.
    static Access own_worker(std::string param = "id") {
        return {.worker = true, .own_worker_param = std::move(param)};
    }
    // Any registered worker; the handler checks what the worker may touch (its own task).
    static Access any_worker() { return {.worker = true}; }
};

struct Tokens {
    std::string person;
    std::string worker_join;
};

// Where the tokens live in a state folder.
std::filesystem::path people_token_path(const std::filesystem::path& state_dir);
std::filesystem::path worker_join_token_path(const std::filesystem::path& state_dir);

// Reads the two tokens from `state_dir`, making any that is missing (256 random bits as hex, in a
// file of mode 0600; the folder is made with mode 0700). `created` tells whether any was made.
util::Result<Tokens> load_or_create_tokens(const std::filesystem::path& state_dir,
                                           bool* created = nullptr);

// The Authenticator's hint, sent to anyone who calls without a valid token: which token to use
// and how its holder finds it. It names the token files but not where the state folder is, which
// would tell strangers about the manager's machine.
std::string token_hint();

// How to use the tokens, for the manager to print on start: where they are, not what they are.
std::string token_instructions(const std::filesystem::path& state_dir,
                               std::string_view manager_url);

// What a request offers to prove who sent it.
struct Credentials {
    std::optional<std::string_view> authorization;  // the Authorization header
    std::optional<std::string_view> cookie;         // the Cookie header (the dashboard's login)
    std::string_view method;                        // GET, POST, ...: a cookie may only read
    RequestOrigin origin;                           // unless the request comes from this origin
};

// The caller a request was proved to come from.
struct Identity {
    Principal principal = Principal::anonymous;
    std::string worker_id;
};

class Authenticator {
public:
    // Given a bearer token that is neither of the manager's own, the id of the worker whose
    // secret it is, or nothing. Runs on the io thread; must compare secrets in constant time (or
    // look them up by a hash of the secret).
    using WorkerLookup = std::function<std::optional<std::string>(std::string_view token)>;

    // `token_hint` completes the 401 message: where a caller finds its token.
    Authenticator(Tokens tokens, std::string token_hint);

    void set_worker_lookup(WorkerLookup lookup);
    // The dashboard's logins: a live session cookie counts as the people token. `sessions`
    // must outlive the authenticator; io thread only.
    void set_login_sessions(LoginSessions* sessions);

    // Who sent a request with this Authorization header (if any), when `access` admits them;
    // otherwise the 401 (no or unknown token) or 403 (a token this route does not take) answer.
    // `params` are the request's path parameters, for Access::own_worker_param.
    std::variant<Identity, Response> authenticate(std::optional<std::string_view> authorization,
                                                  const Access& access, const Fields& params) const;
    // As above, also taking the dashboard's session cookie when there is no Authorization
    // header: it proves the people token, and a request that changes state must come from the
    // manager's own origin (cross_site_refusal), else 403.
    std::variant<Identity, Response> authenticate(const Credentials& credentials,
                                                  const Access& access, const Fields& params) const;
    // Whether `token` is the people token (the dashboard's login form).
    bool is_people_token(std::string_view token) const;

private:
    std::optional<Identity> identify(std::string_view token) const;

    Tokens m_tokens;
    std::string m_hint;
    WorkerLookup m_worker_lookup;
    LoginSessions* m_sessions = nullptr;
};

}  // namespace spotfarm::manager::http
