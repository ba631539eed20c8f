#include "forms/xpath/digest.hpp"

#include <sodium.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace gotong::forms::xpath {

namespace {

std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// Both MD5 and SHA-1 pad the message to 64-byte blocks with 0x80, zeros and the bit length,
// MD5 little-endian and SHA-1 big-endian.
std::string pad_message(std::string_view data, bool big_endian_length) {
  std::string m(data);
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  m.push_back(static_cast<char>(0x80));
  while (m.size() % 64 != 56) m.push_back('\0');
  for (int i = 0; i < 8; ++i) {
    const int shift = big_endian_length ? (56 - 8 * i) : (8 * i);
    m.push_back(static_cast<char>((bits >> shift) & 0xFF));
  }
  return m;
}

std::uint32_t load_le(const unsigned char* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}
std::uint32_t load_be(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
void store_le(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void store_be(std::string& out, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// RFC 1321.
std::string md5(std::string_view data) {
  static const std::array<std::uint32_t, 64> k = [] {
    // The RFC defines the constants as the integer part of 2^32 * |sin(i + 1)|.
    std::array<std::uint32_t, 64> t{};
    for (int i = 0; i < 64; ++i)
      t[i] = static_cast<std::uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
    return t;
  }();
  static constexpr int kShift[4][4] = {
      {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
  std::uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  const std::string m = pad_message(data, false);
  const auto* bytes = reinterpret_cast<const unsigned char*>(m.data());
  for (std::size_t block = 0; block < m.size(); block += 64) {
    std::uint32_t w[16];
    for (int i = 0; i < 16; ++i) w[i] = load_le(bytes + block + 4 * i);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t f = 0;
      int g = 0;
      const int round = i / 16;
      switch (round) {
        case 0:
          f = (b & c) | (~b & d);
          g = i;
          break;
        case 1:
          f = (d & b) | (~d & c);
          g = (5 * i + 1) % 16;
          break;
        case 2:
          f = b ^ c ^ d;
          g = (3 * i + 5) % 16;
          break;
        default:
          f = c ^ (b | ~d);
          g = (7 * i) % 16;
          break;
      }
      f += a + k[i] + w[g];
      a = d;
      d = c;
      c = b;
      b += rotl(f, kShift[round][i % 4]);
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
  std::string out;
  for (std::uint32_t v : h) store_le(out, v);
  return out;
}

// FIPS 180-4.
std::string sha1(std::string_view data) {
  std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const std::string m = pad_message(data, true);
  const auto* bytes = reinterpret_cast<const unsigned char*>(m.data());
  for (std::size_t block = 0; block < m.size(); block += 64) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i) w[i] = load_be(bytes + block + 4 * i);
    for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f = 0;
      std::uint32_t k = 0;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      const std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  std::string out;
  for (std::uint32_t v : h) store_be(out, v);
  return out;
}

const unsigned char* as_bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string sha384(std::string_view data) {
  // SHA-384 is SHA-512 started from other initial values and cut to 48 bytes; libsodium's
  // state struct is public, so only the starting values need replacing.
  static constexpr std::uint64_t kInitial[8] = {
      0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
      0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL, 0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL};
  crypto_hash_sha512_state state;
  crypto_hash_sha512_init(&state);
  std::memcpy(state.state, kInitial, sizeof kInitial);
  crypto_hash_sha512_update(&state, as_bytes(data), data.size());
  unsigned char out[crypto_hash_sha512_BYTES];
  crypto_hash_sha512_final(&state, out);
  return std::string(reinterpret_cast<const char*>(out), 48);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name) {
  if (equals_ignoring_case(name, "MD5")) return DigestAlgorithm::Md5;
  if (equals_ignoring_case(name, "SHA-1")) return DigestAlgorithm::Sha1;
  if (equals_ignoring_case(name, "SHA-256")) return DigestAlgorithm::Sha256;
  if (equals_ignoring_case(name, "SHA-384")) return DigestAlgorithm::Sha384;
  if (equals_ignoring_case(name, "SHA-512")) return DigestAlgorithm::Sha512;
  return std::nullopt;
}

std::string digest(DigestAlgorithm algorithm, std::string_view data) {
  switch (algorithm) {
    case DigestAlgorithm::Md5: return md5(data);
    case DigestAlgorithm::Sha1: return sha1(data);
    case DigestAlgorithm::Sha256: {
      unsigned char out[crypto_hash_sha256_BYTES];
      crypto_hash_sha256(out, as_bytes(data), data.size());
      return std::string(reinterpret_cast<const char*>(out), sizeof out);
    }
    case DigestAlgorithm::Sha384: return sha384(data);
    case DigestAlgorithm::Sha512: {
      unsigned char out[crypto_hash_sha512_BYTES];
      crypto_hash_sha512(out, as_bytes(data), data.size());
      return std::string(reinterpret_cast<const char*>(out), sizeof out);
    }
  }
  return {};
}

std::optional<std::string> open_signed(std::string_view signed_message,
                                       std::string_view public_key) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signed_message.size() < crypto_sign_BYTES)
    return std::nullopt;
  std::string message(signed_message.size() - crypto_sign_BYTES, '\0');
  unsigned long long length = 0;
  if (crypto_sign_open(reinterpret_cast<unsigned char*>(message.data()), &length,
                       as_bytes(signed_message), signed_message.size(),
                       as_bytes(public_key)) != 0) {
    return std::nullopt;
  }
  message.resize(static_cast<std::size_t>(length));
  return message;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(kDigits[u >> 4]);
    out.push_back(kDigits[u & 0x0F]);
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                            std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out.push_back(kBase64[(v >> 18) & 63]);
    out.push_back(kBase64[(v >> 12) & 63]);
    out.push_back(kBase64[(v >> 6) & 63]);
    out.push_back(kBase64[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (rest == 2) v |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out.push_back(kBase64[(v >> 18) & 63]);
    out.push_back(kBase64[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kBase64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t symbols = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    int v = -1;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+')
      v = 62;
    else if (c == '/')
      v = 63;
    else
      return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    ++symbols;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (symbols % 4 == 1 || padding > 2 || (padding > 0 && (symbols + padding) % 4 != 0))
    return std::nullopt;
  return out;
}

}  // namespace gotong::forms::xpath
