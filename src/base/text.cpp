#include "base/text.hpp"

#include <cstdint>

namespace gotong::text {

namespace {
// Base letter for U+00C0..U+017F (Latin-1 Supplement and Latin Extended-A); 0 = not a letter.
char latin_base(std::uint32_t cp) {
  static const char* const latin1 =  // U+00C0 .. U+00FF
      "aaaaaaaceeeeiiii"             // C0-CF
      "dnooooo\0ouuuuyts"            // D0-DF (D7 ×, DF ß→s)
      "aaaaaaaceeeeiiii"             // E0-EF
      "dnooooo\0ouuuuyty";           // F0-FF (F7 ÷)
  static const char* const ext_a =   // U+0100 .. U+017F, pairs of upper/lower
      "aaaaaaccccccccdd"
      "ddeeeeeeeeeegggg"
      "gggghhhhiiiiiiii"
      "iijjjjkkklllllll"
      "lllnnnnnnnnnoooo"
      "oooorrrrrrssssss"
      "ssttttttuuuuuuuu"
      "uuuuwwyyyzzzzzzs";
  if (cp >= 0xC0 && cp <= 0xFF) return latin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) return ext_a[cp - 0x100];
  return 0;
}

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i. Invalid bytes
// decode as U+FFFD and advance by one, so folding never fails.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((cc >> 6) != 2) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}
}  // namespace

std::string fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = next_code_point(s, i);
    char c = 0;
    if (cp < 0x80) {
      char a = static_cast<char>(cp);
      if (a >= 'A' && a <= 'Z') c = static_cast<char>(a - 'A' + 'a');
      else if ((a >= 'a' && a <= 'z') || (a >= '0' && a <= '9')) c = a;
    } else if (cp >= 0x300 && cp <= 0x36F) {
      continue;  // combining accents (decomposed input): drop without breaking the word
    } else {
      c = latin_base(cp);
    }
    if (c == 0) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> words(std::string_view folded) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < folded.size()) {
    std::size_t j = folded.find(' ', i);
    if (j == std::string_view::npos) j = folded.size();
    if (j > i) out.emplace_back(folded.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_clean_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
    if (c == 0x7F) return false;
    std::size_t before = i;
    std::uint32_t cp = next_code_point(s, i);
    if (cp == 0xFFFD && i == before + 1 && c >= 0x80) return false;
  }
  return true;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto b = static_cast<unsigned char>(ch);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || ch == '-' ||
        ch == '.' || ch == '_' || ch == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  return out;
}

}  // namespace gotong::text
