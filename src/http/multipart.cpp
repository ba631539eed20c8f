#include "http/multipart.hpp"

#include "base/error.hpp"
#include "http/message.hpp"

namespace gotong::http {

namespace {

[[noreturn]] void bad(const std::string& what) {
  throw Error(ErrorCode::bad_request, "malformed multipart body: " + what);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The value of `key` in a header like `form-data; name="x"; filename="a b.jpg"`.
std::optional<std::string> header_param(std::string_view header, std::string_view key) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t semi = header.find(';', pos);
    // A quoted value may contain ';': find the end of the quoted string first.
    std::string_view item = header.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos);
    std::size_t eq = item.find('=');
    if (eq != std::string_view::npos) {
      std::string_view k = trim(item.substr(0, eq));
      std::size_t vstart = pos + eq + 1;
      while (vstart < header.size() && header[vstart] == ' ') ++vstart;
      if (vstart < header.size() && header[vstart] == '"') {
        std::string value;
        std::size_t i = vstart + 1;
        for (; i < header.size() && header[i] != '"'; ++i) {
          if (header[i] == '\\' && i + 1 < header.size()) ++i;
          value.push_back(header[i]);
        }
        if (i >= header.size()) bad("unclosed quote in a part header");
        if (iequals(k, key)) return value;
        semi = header.find(';', i);
      } else if (iequals(k, key)) {
        return std::string(trim(item.substr(eq + 1)));
      }
    }
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  if (type.size() < 10 || !iequals(type.substr(0, 10), "multipart/")) return std::nullopt;
  try {
    auto b = header_param(content_type, "boundary");
    if (!b || b->empty() || b->size() > 200) return std::nullopt;
    return b;
  } catch (const Error&) {
    return std::nullopt;  // a malformed parameter list: not a usable multipart type
  }
}

std::vector<Part> parse_multipart(std::string_view body, std::string_view boundary,
                                  const MultipartLimits& limits) {
  const std::string delimiter = "--" + std::string(boundary);
  std::vector<Part> parts;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) bad("the boundary never appears");
  pos += delimiter.size();
  for (;;) {
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") bad("expected a line break after the boundary");
    pos += 2;
    if (parts.size() >= limits.max_parts) bad("more than " + std::to_string(limits.max_parts) + " parts");
    std::size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos) bad("a part has no end of headers");
    if (head_end - pos > limits.max_part_header_bytes) bad("part headers are too long");
    Part part;
    part.content_type = "text/plain";
    bool has_disposition = false;
    for (std::size_t line = pos; line < head_end;) {
      std::size_t eol = body.find("\r\n", line);
      if (eol == std::string_view::npos || eol > head_end) eol = head_end;
      std::string_view h = body.substr(line, eol - line);
      std::size_t colon = h.find(':');
      if (colon != std::string_view::npos) {
        std::string_view name = trim(h.substr(0, colon)), value = trim(h.substr(colon + 1));
        if (iequals(name, "Content-Disposition")) {
          has_disposition = true;
          auto n = header_param(value, "name");
          if (!n) bad("a part has no name");
          part.name = *n;
          part.filename = header_param(value, "filename");
        } else if (iequals(name, "Content-Type")) {
          part.content_type = std::string(value);
        }
      }
      line = eol + 2;
    }
    if (!has_disposition) bad("a part has no Content-Disposition");
    std::size_t data = head_end + 4;
    std::size_t next = body.find("\r\n" + delimiter, data);
    if (next == std::string_view::npos) bad("the last part is not terminated by the boundary");
    part.body = body.substr(data, next - data);
    parts.push_back(std::move(part));
    pos = next + 2 + delimiter.size();
  }
}

}  // namespace gotong::http
