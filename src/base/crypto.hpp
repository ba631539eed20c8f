// Secrets with libsodium: argon2id password hashes, random tokens, token digests for storage,
// and constant-time comparison. Call crypto_init() once at start.
#pragma once

#include <string>
#include <string_view>

namespace gotong::crypto {

void init();

// argon2id in libsodium's self-describing string format ("$argon2id$v=19$m=...").
std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& hash);

// `bytes` random bytes, URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 32);
std::string random_hex(std::size_t bytes);
// Hex BLAKE2b-256 digest: what the database keeps instead of a session or API token.
std::string token_digest(std::string_view token);
// Hex digest keyed with a secret pepper, for identifiers such as the NIK.
std::string keyed_digest(std::string_view value, std::string_view key);
// Hex SHA-256 (content addresses of attachments; idempotency digests of submissions stored
// before content_digest).
std::string sha256_hex(std::string_view bytes);
// "blake2b:" and the hex BLAKE2b-256 of `bytes`: tells whether a retried submission is the same
// content. BLAKE2b, not SHA-256: libsodium's SHA-256 is portable C, about four times slower, and
// was a fifth of the CPU time of checking a submission. The prefix tells it from older
// (SHA-256) digests.
std::string content_digest(std::string_view bytes);
inline constexpr std::string_view kContentDigestPrefix = "blake2b:";
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace gotong::crypto
