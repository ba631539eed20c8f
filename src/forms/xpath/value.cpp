#include "forms/xpath/value.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>
#include <utility>

#include "forms/xpath/dates.hpp"

namespace gotong::forms::xpath {

Value Value::boolean(bool b) {
  Value v;
  v.type_ = ValueType::Boolean;
  v.number_ = b ? 1 : 0;
  return v;
}

Value Value::number(double d) {
  Value v;
  v.type_ = ValueType::Number;
  v.number_ = d;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.owned_ = std::move(s);
  return v;
}

Value Value::borrowed_string(std::string_view s) {
  Value v;
  v.borrowed_ = true;
  v.view_ = s;
  return v;
}

Value Value::nodes(NodeSet n) {
  Value v;
  v.type_ = ValueType::NodeSet;
  v.nodes_ = std::move(n);
  return v;
}

Value Value::date(double days) {
  Value v;
  v.type_ = ValueType::Date;
  v.number_ = std::isfinite(days) ? std::floor(days) : std::numeric_limits<double>::quiet_NaN();
  return v;
}

Value Value::date_time(double utc_millis, int offset_minutes) {
  Value v;
  v.type_ = ValueType::DateTime;
  v.number_ = utc_millis;
  v.offset_ = offset_minutes;
  return v;
}

bool Value::to_boolean() const {
  switch (type_) {
    case ValueType::String: return !text().empty();
    case ValueType::NodeSet: return !nodes_.empty();
    case ValueType::Boolean: return number_ != 0;
    case ValueType::Number:
    case ValueType::Date:
    case ValueType::DateTime: {
      const double n = to_number();
      return n != 0 && !std::isnan(n);
    }
  }
  return false;
}

double Value::to_number(int local_offset_minutes) const {
  switch (type_) {
    case ValueType::Boolean:
    case ValueType::Number:
    case ValueType::Date: return number_;
    case ValueType::DateTime:
      return number_ / dates::kMillisPerDay;
    case ValueType::String: return string_to_number(text(), local_offset_minutes);
    case ValueType::NodeSet: {
      if (nodes_.empty()) return std::numeric_limits<double>::quiet_NaN();
      std::string scratch;
      return string_to_number(nodes_.front().string_value(scratch), local_offset_minutes);
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::string_view Value::to_string_view(std::string& scratch) const {
  switch (type_) {
    case ValueType::String: return text();
    case ValueType::Boolean: return number_ != 0 ? "true" : "false";
    case ValueType::NodeSet:
      return nodes_.empty() ? std::string_view() : nodes_.front().string_value(scratch);
    case ValueType::Number:
      scratch.clear();
      append_number(scratch, number_);
      return scratch;
    case ValueType::Date: scratch = dates::format_date(number_); return scratch;
    case ValueType::DateTime: scratch = dates::format_date_time(number_, offset_); return scratch;
  }
  return {};
}

std::string Value::to_string() const {
  std::string scratch;
  const std::string_view v = to_string_view(scratch);
  if (v.data() == scratch.data()) return scratch;
  return std::string(v);
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<double> parse_number(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  // Validate the syntax ourselves: from_chars also takes "inf", "nan" and hex forms.
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  std::size_t int_digits = 0;
  std::size_t first_nonzero = std::string_view::npos;
  while (i < s.size() && is_digit(s[i])) {
    if (s[i] != '0' && first_nonzero == std::string_view::npos) first_nonzero = int_digits;
    ++int_digits;
    ++i;
  }
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) {
      ++frac_digits;
      ++i;
    }
  }
  if (int_digits + frac_digits == 0) return std::nullopt;
  long long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
    while (i < s.size() && is_digit(s[i])) {
      if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');
      ++i;
    }
    if (negative) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;
  double value = 0;
  const auto [ptr, ec] =
      std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    // Too large (e.g. 400 digits) or too small: decide by the magnitude of the leading digit.
    const bool negative = s.front() == '-';
    const long long magnitude = (first_nonzero != std::string_view::npos
                                     ? static_cast<long long>(int_digits - first_nonzero)
                                     : 0) +
                                exponent;
    value = magnitude > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    return negative ? -value : value;
  }
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

double string_to_number(std::string_view text, int local_offset_minutes) {
  if (auto n = parse_number(text)) return *n;
  // Cheap pre-check before trying the date forms: they all start with four digits and '-'.
  std::string_view t = text;
  while (!t.empty() && is_space(t.front())) t.remove_prefix(1);
  if (t.size() >= 10 && t[4] == '-') {
    if (auto d = dates::parse_date(t)) return static_cast<double>(*d);
    if (auto ms = dates::parse_date_time(t, local_offset_minutes)) {
      return *ms / dates::kMillisPerDay;
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

void append_number(std::string& out, double d) {
  if (std::isnan(d)) {
    out.append("NaN");
    return;
  }
  if (std::isinf(d)) {
    out.append(d < 0 ? "-Infinity" : "Infinity");
    return;
  }
  if (d == 0) {  // also -0
    out.push_back('0');
    return;
  }
  char buf[64];
  if (std::fabs(d) < 1e15 && d == std::trunc(d)) {
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(d));
    out.append(buf, r.ptr);
    return;
  }
  // Shortest round-trip digits in scientific form, then spelled out without an exponent.
  const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  const std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                  exponent);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out.append("0.");
    out.append(static_cast<std::size_t>(-point), '0');
    out.append(digits);
  } else if (static_cast<std::size_t>(point) >= digits.size()) {
    out.append(digits);
    out.append(static_cast<std::size_t>(point) - digits.size(), '0');
  } else {
    out.append(digits, 0, static_cast<std::size_t>(point));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(point));
  }
}

std::string number_to_string(double d) {
  std::string out;
  append_number(out, d);
  return out;
}

}  // namespace gotong::forms::xpath
