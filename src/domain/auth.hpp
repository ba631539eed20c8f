// Signing in and proving who you are: password logins with throttling, sessions (cookie plus
// CSRF token), personal API tokens. Slow work (argon2id) runs outside the write jobs.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/accounts.hpp"
#include "domain/context.hpp"

namespace gotong::domain::auth {

struct ThrottlePolicy {
  int account_failures = 5;          // failed logins for one e-mail within the window ...
  int address_failures = 20;         // ... or from one address, before it is locked
  std::int64_t window_ms = 15 * 60 * 1000;
  std::int64_t lock_ms = 15 * 60 * 1000;
};

struct Session {
  std::int64_t id = 0;
  std::string token;       // only known right after login: goes into the cookie
  std::string csrf_token;
  std::int64_t expires_at = 0;
  accounts::User user;
};

constexpr std::int64_t kSessionLifetimeMs = 7LL * 24 * 3600 * 1000;

// Checks the password. Throws Error(too_many_requests) with retry-after when the account or the
// address is locked, Error(unauthenticated) for a wrong e-mail or password (the same message for
// both, and the same time spent, so accounts cannot be discovered).
Session login(db::Database& db, std::string_view email, std::string_view password,
              const std::string& ip, const std::string& user_agent, const std::string& request_id,
              const ThrottlePolicy& policy = {});
void logout(db::Database& db, const Actor& actor, std::int64_t session_id);

struct Authenticated {
  Actor actor;
  std::optional<std::int64_t> session_id;
  std::string csrf_token;  // empty for API tokens
};

// The user behind a session cookie value, if the session is live and the user enabled.
std::optional<Authenticated> from_session(db::Connection& c, std::string_view token);
// The user behind a bearer token ("gotong_..."), if it is not revoked.
std::optional<Authenticated> from_api_token(db::Database& db, std::string_view token);
// The user behind an e-mail and password sent with every request (HTTP Basic of OpenRosa
// devices): throttled and audited like login() (a failure counts as a failed login), but no
// session is made. Since argon2id is deliberately slow, a successful check is remembered in this
// process for a few minutes under a keyed digest of the credentials; a remembered check still
// needs the account enabled and unlocked and its password unchanged. Throws like login().
Authenticated from_password(db::Database& db, std::string_view email, std::string_view password,
                            const std::string& ip, const std::string& request_id,
                            const ThrottlePolicy& policy = {});

// Verifies the current password, stores the new one, ends the user's other sessions.
void change_password(db::Database& db, const Actor& actor, std::optional<std::int64_t> session_id,
                     std::string_view current, std::string_view next);

struct ApiToken {
  std::int64_t id = 0;
  std::string name, prefix;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at, revoked_at;
  std::string secret;  // only right after creation
};

ApiToken create_token(db::Connection& c, const Actor& actor, std::int64_t user_id, std::string_view name);
std::vector<ApiToken> list_tokens(db::Connection& c, std::int64_t user_id);
void revoke_token(db::Connection& c, const Actor& actor, std::int64_t token_id);

boost::json::object to_json(const ApiToken& t);

}  // namespace gotong::domain::auth
