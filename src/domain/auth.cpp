#include "domain/auth.hpp"

#include <boost/json.hpp>
#include <mutex>
#include <unordered_map>

#include "base/crypto.hpp"
#include "base/error.hpp"
#include "base/text.hpp"
#include "base/time.hpp"
#include "domain/audit.hpp"

namespace gotong::domain::auth {

namespace bj = boost::json;

namespace {

constexpr std::string_view kTokenPrefix = "gotong_";

// A hash to verify against when the account does not exist, so that a wrong e-mail takes as
// long as a wrong password.
const std::string& dummy_hash() {
  static const std::string h = crypto::hash_password("no such account, no such password");
  return h;
}


// The later of the account's and the address's lock expiry (0 when neither is locked).
std::int64_t locked_until(db::Connection& c, const std::string& account_key, const std::string& ip_key,
                          std::int64_t now) {
  auto until = c.query_int(
      "SELECT MAX(locked_until) FROM login_throttle WHERE key IN ($1, $2) AND locked_until > $3",
      {account_key, ip_key, now});
  return until.value_or(0);
}

void count_failure(db::Connection& c, const std::string& key, int limit, const ThrottlePolicy& p,
                   std::int64_t now) {
  auto row = c.query_one("SELECT failures, window_start FROM login_throttle WHERE key = $1", {key});
  int failures = 1;
  std::int64_t start = now;
  if (row && now - row->int_at(1) < p.window_ms) {
    failures = static_cast<int>(row->int_at(0)) + 1;
    start = row->int_at(1);
  }
  std::int64_t lock = failures >= limit ? now + p.lock_ms : 0;
  c.exec("INSERT INTO login_throttle(key, failures, window_start, locked_until) VALUES ($1,$2,$3,$4) "
         "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
         "window_start = excluded.window_start, locked_until = excluded.locked_until",
         {key, failures, start, lock});
}

Error throttled(std::int64_t until, std::int64_t now) {
  int seconds = static_cast<int>((until - now + 999) / 1000);
  return Error(ErrorCode::too_many_requests,
               "too many failed sign-ins; try again in " + std::to_string(seconds) + " seconds")
      .with_retry_after(seconds);
}

}  // namespace

namespace {

// What a sign-in with e-mail and password needs to know, read in one go.
struct Credentials {
  std::string email, account_key, ip_key;
  std::int64_t now = 0;
  std::int64_t locked = 0;    // throttled until then (0: not)
  bool had_failures = false;  // failures of this account are being counted
  std::optional<accounts::User> user;
  std::string hash;
};

Credentials find_credentials(db::Database& db, std::string_view email_in, const std::string& ip) {
  Credentials f;
  f.email = text::to_lower_ascii(text::trim(email_in));
  f.account_key = "account:" + f.email;
  f.ip_key = "ip:" + ip;
  f.now = now_millis();
  db.read([&](db::Connection& c) {
    f.locked = locked_until(c, f.account_key, f.ip_key, f.now);
    if (f.locked) return;
    f.had_failures = c.query_int("SELECT 1 FROM login_throttle WHERE key = $1", {f.account_key}).has_value();
    if (auto row = c.query_one("SELECT id, password_hash, disabled FROM users WHERE email = $1", {f.email})) {
      if (row->int_at(2) == 0) {
        f.user = accounts::get_user(c, row->int_at(0));
        f.hash = row->text_at(1);
      }
    }
  });
  // Checked before any password: a locked account must not confirm a guess.
  if (f.locked) throw throttled(f.locked, f.now);
  return f;
}

// Verifies the password (against a dummy hash for an unknown e-mail, so both take as long);
// a wrong one is counted for the account and the address, audited, and answered 401.
void require_password(db::Database& db, const Credentials& f, std::string_view password, const std::string& ip,
                      const std::string& request_id, const ThrottlePolicy& policy) {
  if (crypto::verify_password(password, f.user ? f.hash : dummy_hash()) && f.user) return;
  Actor actor{f.user ? f.user->id : 0, f.user ? f.user->email : f.email, {}, {}, request_id, ip};
  db.write([&](db::Connection& c) {
    count_failure(c, f.account_key, policy.account_failures, policy, f.now);
    count_failure(c, f.ip_key, policy.address_failures, policy, f.now);
    audit::record(c, actor, {{}, "session.login_failed", "user", f.user ? std::to_string(f.user->id) : "", {}, {}});
  });
  throw Error(ErrorCode::unauthenticated, "wrong e-mail or password");
}

}  // namespace

Session login(db::Database& db, std::string_view email_in, std::string_view password,
              const std::string& ip, const std::string& user_agent, const std::string& request_id,
              const ThrottlePolicy& policy) {
  const Credentials f = find_credentials(db, email_in, ip);
  require_password(db, f, password, ip, request_id, policy);
  const std::string& account_key = f.account_key;
  const std::string& ip_key = f.ip_key;
  const std::int64_t now = f.now;
  Actor actor{f.user->id, f.user->email, {}, {}, request_id, ip};

  Session s;
  s.token = crypto::random_token(32);
  s.csrf_token = crypto::random_token(24);
  s.expires_at = now + kSessionLifetimeMs;
  s.user = *f.user;
  db.write([&](db::Connection& c) {
    // A lock may have been set by a parallel failure since the read; honour it.
    if (auto until = locked_until(c, account_key, ip_key, now)) throw throttled(until, now);
    s.id = *c.query_int(
        "INSERT INTO sessions(token_digest, user_id, csrf_token, created_at, expires_at, ip, user_agent) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
        {crypto::token_digest(s.token), s.user.id, s.csrf_token, now, s.expires_at, ip,
         user_agent.substr(0, 300)});
    c.exec("DELETE FROM login_throttle WHERE key = $1", {account_key});
    c.exec("DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2", {s.user.id, now});
    audit::record(c, actor, {{}, "session.login", "user", std::to_string(s.user.id), {}, {}});
  });
  return s;
}

void logout(db::Database& db, const Actor& actor, std::int64_t session_id) {
  db.write([&](db::Connection& c) {
    c.exec("DELETE FROM sessions WHERE id = $1 AND user_id = $2", {session_id, actor.user_id});
    audit::record(c, actor, {{}, "session.logout", "user", std::to_string(actor.user_id), {}, {}});
  });
}

std::optional<Authenticated> from_session(db::Connection& c, std::string_view token) {
  if (token.empty() || token.size() > 200) return std::nullopt;
  auto row = c.query_one(
      "SELECT s.id, s.csrf_token, u.id, u.email, u.name FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.token_digest = $1 AND s.expires_at > $2 AND u.disabled = 0",
      {crypto::token_digest(token), now_millis()});
  if (!row) return std::nullopt;
  Authenticated a;
  a.session_id = row->int_at(0);
  a.csrf_token = row->text_at(1);
  a.actor = Actor{row->int_at(2), row->text_at(3), row->text_at(4), std::nullopt, {}, {}};
  return a;
}

namespace {

// Successful password checks of this process: keyed digest of the credentials → the user and
// the password hash that was verified (a changed password no longer matches).
struct CheckedPassword {
  std::int64_t user_id = 0;
  std::string password_hash;
  std::int64_t expires_at = 0;
};
constexpr std::int64_t kCheckedPasswordMs = 5 * 60 * 1000;
constexpr std::size_t kCheckedPasswordsMax = 10000;
std::mutex checked_mutex;
std::unordered_map<std::string, CheckedPassword> checked_passwords;

// A per-process key, so the digests in memory cannot be checked offline against guesses.
std::string credentials_digest(std::string_view email, std::string_view password) {
  static const std::string key = crypto::random_token(32);
  return crypto::keyed_digest(std::to_string(email.size()) + ":" + std::string(email) + std::string(password),
                              key);
}

}  // namespace

Authenticated from_password(db::Database& db, std::string_view email_in, std::string_view password,
                            const std::string& ip, const std::string& request_id,
                            const ThrottlePolicy& policy) {
  const Credentials f = find_credentials(db, email_in, ip);
  const std::int64_t now = f.now;
  const std::string digest = credentials_digest(f.email, password);
  bool remembered = false;
  if (f.user) {
    std::lock_guard lock(checked_mutex);
    auto it = checked_passwords.find(digest);
    remembered = it != checked_passwords.end() && it->second.expires_at > now &&
                 it->second.user_id == f.user->id && it->second.password_hash == f.hash;
  }
  if (!remembered) {
    require_password(db, f, password, ip, request_id, policy);
    if (f.had_failures)
      db.write(
          [&](db::Connection& c) { c.exec("DELETE FROM login_throttle WHERE key = $1", {f.account_key}); });
    std::lock_guard lock(checked_mutex);
    if (checked_passwords.size() >= kCheckedPasswordsMax) {
      std::erase_if(checked_passwords, [&](const auto& kv) { return kv.second.expires_at <= now; });
      if (checked_passwords.size() >= kCheckedPasswordsMax) checked_passwords.clear();
    }
    checked_passwords[digest] = CheckedPassword{f.user->id, f.hash, now + kCheckedPasswordMs};
  }
  Authenticated a;
  a.actor = Actor{f.user->id, f.user->email, f.user->name, std::nullopt, request_id, ip};
  return a;
}

std::optional<Authenticated> from_api_token(db::Database& db, std::string_view token) {
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix || token.size() > 200) return std::nullopt;
  const std::string digest = crypto::token_digest(token);
  auto now = now_millis();
  struct Hit {
    Authenticated a;
    std::int64_t token_id = 0;
    std::int64_t last_used = 0;
  };
  auto hit = db.read_value([&](db::Connection& c) -> std::optional<Hit> {
    auto row = c.query_one(
        "SELECT t.id, COALESCE(t.last_used_at, 0), u.id, u.email, u.name FROM api_tokens t "
        "JOIN users u ON u.id = t.user_id WHERE t.token_digest = $1 AND t.revoked_at IS NULL "
        "AND u.disabled = 0",
        {digest});
    if (!row) return std::nullopt;
    Hit h;
    h.token_id = row->int_at(0);
    h.last_used = row->int_at(1);
    h.a.actor = Actor{row->int_at(2), row->text_at(3), row->text_at(4), h.token_id, {}, {}};
    return h;
  });
  if (!hit) return std::nullopt;
  // "Last used" to the minute is enough; writing it on every request would cost a commit each.
  if (now - hit->last_used > 60'000) {
    db.write([&](db::Connection& c) {
      c.exec("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", {now, hit->token_id});
    });
  }
  return hit->a;
}

void change_password(db::Database& db, const Actor& actor, std::optional<std::int64_t> session_id,
                     std::string_view current, std::string_view next) {
  accounts::check_password(next);
  std::string hash = db.read_value([&](db::Connection& c) {
    return c.query_one("SELECT password_hash FROM users WHERE id = $1", {actor.user_id})->text_at(0);
  });
  if (!crypto::verify_password(current, hash))
    throw invalid_field("current_password", "is not your current password");
  std::string fresh = crypto::hash_password(next);
  db.write([&](db::Connection& c) { accounts::set_password_hash(c, actor, actor.user_id, fresh, session_id); });
}

ApiToken create_token(db::Connection& c, const Actor& actor, std::int64_t user_id, std::string_view name) {
  std::string n = text::trim(name);
  if (n.empty()) throw invalid_field("name", "must not be empty");
  if (n.size() > 100) throw invalid_field("name", "must have at most 100 characters");
  ApiToken t;
  t.secret = std::string(kTokenPrefix) + crypto::random_token(32);
  t.name = n;
  t.prefix = t.secret.substr(0, kTokenPrefix.size() + 6);
  t.created_at = now_millis();
  t.id = *c.query_int(
      "INSERT INTO api_tokens(user_id, name, token_digest, prefix, created_at) VALUES ($1,$2,$3,$4,$5) "
      "RETURNING id",
      {user_id, t.name, crypto::token_digest(t.secret), t.prefix, t.created_at});
  audit::record(c, actor, {{}, "api_token.create", "api_token", std::to_string(t.id), {},
                           bj::object{{"name", t.name}, {"prefix", t.prefix}, {"user_id", std::to_string(user_id)}}});
  return t;
}

std::vector<ApiToken> list_tokens(db::Connection& c, std::int64_t user_id) {
  std::vector<ApiToken> out;
  for (const auto& r : c.query("SELECT id, name, prefix, created_at, last_used_at, revoked_at "
                               "FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
                               {user_id}))
    out.push_back(ApiToken{r.int_at(0), r.text_at(1), r.text_at(2), r.int_at(3), r.opt_int(4), r.opt_int(5), {}});
  return out;
}

void revoke_token(db::Connection& c, const Actor& actor, std::int64_t token_id) {
  // Scoped to the owner: another user's token id is simply "not found".
  if (c.exec("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
             {now_millis(), token_id, actor.user_id}) == 0)
    throw Error(ErrorCode::not_found, "no such token");
  audit::record(c, actor, {{}, "api_token.revoke", "api_token", std::to_string(token_id), {}, {}});
}

bj::object to_json(const ApiToken& t) {
  bj::object o{{"id", std::to_string(t.id)},
               {"name", t.name},
               {"prefix", t.prefix},
               {"created_at", format_iso8601(t.created_at)},
               {"last_used_at", t.last_used_at ? bj::value(format_iso8601(*t.last_used_at)) : bj::value()},
               {"revoked_at", t.revoked_at ? bj::value(format_iso8601(*t.revoked_at)) : bj::value()}};
  if (!t.secret.empty()) o["token"] = t.secret;
  return o;
}

}  // namespace gotong::domain::auth
