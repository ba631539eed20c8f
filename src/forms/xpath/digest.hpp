// digest(), base64-decode() and extract-signed(): MD5 and SHA-1 are implemented here (libsodium
// has neither), SHA-256/512 and Ed25519 come from libsodium, SHA-384 is libsodium's SHA-512 with
// SHA-384's initial values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gotong::forms::xpath {

enum class DigestAlgorithm { Md5, Sha1, Sha256, Sha384, Sha512 };

// "MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512" (any case); nullopt otherwise.
std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name);
// Raw digest bytes.
std::string digest(DigestAlgorithm algorithm, std::string_view data);

std::string to_hex(std::string_view bytes);
// Standard alphabet with padding.
std::string base64_encode(std::string_view bytes);
// Standard alphabet; padding optional, whitespace ignored; nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);
// An Ed25519 signed message (64-byte signature then the message, libsodium's combined form)
// checked against a 32-byte public key: the message, or nullopt when the signature is wrong.
std::optional<std::string> open_signed(std::string_view signed_message,
                                       std::string_view public_key);

}  // namespace gotong::forms::xpath
