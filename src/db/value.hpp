// Values that travel between Gotong and the database: parameters bound to `$1, $2, ...` and
// the columns of result rows. The same types for SQLite and PostgreSQL.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gotong::db {

class Value {
 public:
  using Storage = std::variant<std::monostate, std::int64_t, double, std::string>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(int v) : v_(static_cast<std::int64_t>(v)) {}
  Value(long v) : v_(static_cast<std::int64_t>(v)) {}
  Value(long long v) : v_(static_cast<std::int64_t>(v)) {}
  Value(unsigned v) : v_(static_cast<std::int64_t>(v)) {}
  Value(bool v) : v_(static_cast<std::int64_t>(v ? 1 : 0)) {}
  Value(double v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(std::string_view v) : v_(std::string(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  template <class T>
  Value(const std::optional<T>& v) {
    if (v) *this = Value(*v);
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  const Storage& storage() const { return v_; }

  // Conversions for reading columns; NULL reads as 0 / "" (use is_null() to tell).
  std::int64_t as_int() const;
  double as_double() const;
  std::string as_string() const;

 private:
  Storage v_;
};

using Params = std::vector<Value>;

// One result row; columns by position or by name.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<Value> values)
      : names_(std::move(names)), values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const Value& operator[](std::size_t i) const { return values_.at(i); }
  const Value& operator[](std::string_view name) const;

  std::int64_t int_at(std::size_t i) const { return values_.at(i).as_int(); }
  double double_at(std::size_t i) const { return values_.at(i).as_double(); }
  std::string text_at(std::size_t i) const { return values_.at(i).as_string(); }
  bool null_at(std::size_t i) const { return values_.at(i).is_null(); }
  std::optional<std::int64_t> opt_int(std::size_t i) const {
    return null_at(i) ? std::nullopt : std::optional(int_at(i));
  }
  std::optional<std::string> opt_text(std::size_t i) const {
    return null_at(i) ? std::nullopt : std::optional(text_at(i));
  }

 private:
  std::shared_ptr<const std::vector<std::string>> names_;
  std::vector<Value> values_;
};

}  // namespace gotong::db
