#include "base/json.hpp"

#include <boost/json/src.hpp>  // Boost.JSON is header-only here: compiled once, in this file.
#include <charconv>

#include "base/error.hpp"

namespace gotong::json {

bj::value parse(std::string_view text) {
  bj::parse_options opt;
  opt.max_depth = 64;
  bj::error_code ec;
  bj::value v = bj::parse(text, ec, {}, opt);
  if (ec) {
    // Locate the error: Boost.JSON does not report the offset, so re-run the parser manually.
    bj::stream_parser p({}, opt);
    std::size_t consumed = p.write_some(text.data(), text.size(), ec);
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < consumed && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    throw Error(ErrorCode::bad_request, "malformed JSON at line " + std::to_string(line) +
                                            ", column " + std::to_string(col) + ": " + ec.message());
  }
  return v;
}

bj::object parse_object(std::string_view text) {
  bj::value v = parse(text);
  if (!v.is_object()) throw Error(ErrorCode::bad_request, "the request body must be a JSON object");
  return std::move(v.as_object());
}

std::string serialize(const bj::value& v) { return bj::serialize(v); }

namespace {
const bj::value* find(const bj::object& o, std::string_view name) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return nullptr;
  return &it->value();
}
}  // namespace

std::optional<std::string> optional_string(const bj::object& o, std::string_view name,
                                           std::size_t max_len) {
  const bj::value* v = find(o, name);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw invalid_field(std::string(name), "must be a string");
  const auto& s = v->get_string();
  if (s.size() > max_len)
    throw invalid_field(std::string(name), "is longer than " + std::to_string(max_len) + " bytes");
  return std::string(s);
}

std::string required_string(const bj::object& o, std::string_view name, std::size_t max_len) {
  auto s = optional_string(o, name, max_len);
  if (!s) throw invalid_field(std::string(name), "is required");
  std::size_t b = s->find_first_not_of(" \t\r\n");
  if (b == std::string::npos) throw invalid_field(std::string(name), "must not be empty");
  std::size_t e = s->find_last_not_of(" \t\r\n");
  return s->substr(b, e - b + 1);
}

std::optional<std::int64_t> optional_int(const bj::object& o, std::string_view name) {
  const bj::value* v = find(o, name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  throw invalid_field(std::string(name), "must be an integer");
}

std::optional<bool> optional_bool(const bj::object& o, std::string_view name) {
  const bj::value* v = find(o, name);
  if (!v) return std::nullopt;
  if (!v->is_bool()) throw invalid_field(std::string(name), "must be true or false");
  return v->get_bool();
}

std::optional<std::int64_t> optional_id(const bj::object& o, std::string_view name) {
  const bj::value* v = find(o, name);
  if (!v) return std::nullopt;
  if (v->is_string()) {
    const auto& s = v->get_string();
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec != std::errc() || p != s.data() + s.size() || id <= 0)
      throw invalid_field(std::string(name), "must be an id");
    return id;
  }
  auto i = optional_int(o, name);
  if (i && *i <= 0) throw invalid_field(std::string(name), "must be an id");
  return i;
}

void append_quoted(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    auto u = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

}  // namespace gotong::json
