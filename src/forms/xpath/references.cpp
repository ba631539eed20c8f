#include "forms/xpath/references.hpp"

namespace gotong::forms::xpath {

namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '#';
}

}  // namespace

std::vector<Reference> find_references(std::string_view text) {
  std::vector<Reference> out;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if (c != '$' || i + 2 >= text.size() || text[i + 1] != '{' || !is_name_start(text[i + 2]))
      continue;
    std::size_t end = i + 2;
    while (end < text.size() && is_name_char(text[end])) ++end;
    if (end >= text.size() || text[end] != '}') continue;
    out.push_back(
        Reference{std::string(text.substr(i + 2, end - i - 2)), i, end + 1 - i, quote != 0});
    i = end;
  }
  return out;
}

}  // namespace gotong::forms::xpath
