// XPath values (boolean, number, string, node-set, plus ODK's date and dateTime) and the XPath 1.0
// conversions between them, with ODK's rule that date text converts to a number of days.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "forms/xpath/instance.hpp"
#include "forms/xpath/node_set.hpp"

namespace gotong::forms::xpath {

enum class ValueType : std::uint8_t { Boolean, Number, String, NodeSet, Date, DateTime };

// A value refers to the instances it was computed from (node-sets, borrowed text) and to the
// compiled Expression (borrowed literals): keep those alive while the value is used, or take
// to_string() / to_number() first.
class Value {
 public:
  Value() = default;  // the empty string
  static Value boolean(bool b);
  static Value number(double d);
  static Value string(std::string s);
  // Text that is not copied; the caller keeps it alive as long as the value.
  static Value borrowed_string(std::string_view s);
  static Value nodes(NodeSet n);
  // Whole days since 1970-01-01 (NaN: no date; shows as "").
  static Value date(double days);
  // An instant, shown at `offset_minutes` east of UTC.
  static Value date_time(double utc_millis, int offset_minutes);

  ValueType type() const { return type_; }
  bool is_nodes() const { return type_ == ValueType::NodeSet; }
  // Raw parts; meaningful only for the matching type.
  std::string_view text() const { return borrowed_ ? view_ : std::string_view(owned_); }
  const NodeSet& node_set() const { return nodes_; }
  NodeSet& node_set() { return nodes_; }
  double utc_millis() const { return number_; }
  int offset_minutes() const { return offset_; }

  // XPath conversions. A dateTime converts to fractional days since 1970-01-01T00:00Z; text that
  // is a dateTime without a zone is read as local time at `local_offset_minutes`.
  bool to_boolean() const;
  double to_number(int local_offset_minutes = 0) const;
  std::string to_string() const;
  // Without allocating when the value already holds text or is a leaf node.
  std::string_view to_string_view(std::string& scratch) const;

 private:
  ValueType type_ = ValueType::String;
  bool borrowed_ = false;
  int offset_ = 0;
  double number_ = 0;  // Boolean (0/1), Number, Date (days), DateTime (UTC milliseconds)
  std::string owned_;
  std::string_view view_;
  NodeSet nodes_;
};

// XPath number syntax ("-12.5", ".5", surrounding whitespace), also with an exponent ("1.0E-5",
// as Java writes small decimals); nullopt when the text is not a number.
std::optional<double> parse_number(std::string_view text);
// number() of text: a number, else an ODK date ("2024-01-31": days since 1970-01-01) or dateTime
// (fractional days since 1970-01-01T00:00Z; without a zone it is local time), else NaN.
double string_to_number(std::string_view text, int local_offset_minutes);
// XPath string() of a number: "NaN", "Infinity", "-Infinity", integers without a decimal point,
// other values in plain decimal notation with the fewest digits that read back exactly.
void append_number(std::string& out, double d);
std::string number_to_string(double d);

}  // namespace gotong::forms::xpath
