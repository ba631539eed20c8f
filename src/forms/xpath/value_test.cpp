#include "forms/xpath/value.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace gotong::forms::xpath {
namespace {

TEST(XpathValue, NumberToString) {
  EXPECT_EQ(number_to_string(0), "0");
  EXPECT_EQ(number_to_string(-0.0), "0");
  EXPECT_EQ(number_to_string(1), "1");
  EXPECT_EQ(number_to_string(-42), "-42");
  EXPECT_EQ(number_to_string(0.5), "0.5");
  EXPECT_EQ(number_to_string(123.456), "123.456");
  EXPECT_EQ(number_to_string(1e-7), "0.0000001");
  EXPECT_EQ(number_to_string(1.5e-10), "0.00000000015");
  EXPECT_EQ(number_to_string(1e15), "1000000000000000");
  EXPECT_EQ(number_to_string(1.5e16), "15000000000000000");
  EXPECT_EQ(number_to_string(1e21), "1000000000000000000000");
  EXPECT_EQ(number_to_string(1.7976931348623157e308).size(), 309u);
  EXPECT_EQ(number_to_string(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(number_to_string(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(number_to_string(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(number_to_string(1500000.5), "1500000.5");
  EXPECT_EQ(number_to_string(-0.000123), "-0.000123");
}

TEST(XpathValue, ParseNumber) {
  EXPECT_EQ(parse_number("12"), 12);
  EXPECT_EQ(parse_number(" -12.50 "), -12.5);
  EXPECT_EQ(parse_number(".5"), 0.5);
  EXPECT_EQ(parse_number("5."), 5);
  EXPECT_EQ(parse_number("1E3"), 1000);
  EXPECT_EQ(parse_number("2.5e-3"), 0.0025);
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("-"));
  EXPECT_FALSE(parse_number("."));
  EXPECT_FALSE(parse_number("+1"));
  EXPECT_FALSE(parse_number("1e"));
  EXPECT_FALSE(parse_number("inf"));
  EXPECT_FALSE(parse_number("NaN"));
  EXPECT_FALSE(parse_number("0x10"));
  EXPECT_FALSE(parse_number("1 2"));
  EXPECT_FALSE(parse_number("1,5"));
  EXPECT_EQ(parse_number(std::string(400, '9')), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_number("-" + std::string(400, '9')), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_number("0." + std::string(400, '0') + "1"), 0.0);
  EXPECT_EQ(parse_number("1e99999"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_number("1e-99999"), 0.0);
}

TEST(XpathValue, StringToNumberKnowsDates) {
  EXPECT_EQ(string_to_number("2024-01-31", 0), 19753);
  EXPECT_EQ(string_to_number("1970-01-02T12:00:00Z", 0), 1.5);
  EXPECT_EQ(string_to_number("1970-01-02T19:00:00+07:00", 0), 1.5);  // days since 00:00Z
  EXPECT_EQ(string_to_number("1970-01-02T19:00:00", 420), 1.5);       // no zone: local time
  EXPECT_TRUE(std::isnan(string_to_number("2024-02-30", 0)));
  EXPECT_TRUE(std::isnan(string_to_number("yesterday", 0)));
}

TEST(XpathValue, Conversions) {
  EXPECT_TRUE(Value::boolean(true).to_boolean());
  EXPECT_EQ(Value::boolean(true).to_number(), 1);
  EXPECT_EQ(Value::boolean(false).to_string(), "false");
  EXPECT_FALSE(Value::number(0).to_boolean());
  EXPECT_FALSE(Value::number(std::nan("")).to_boolean());
  EXPECT_TRUE(Value::number(-0.1).to_boolean());
  EXPECT_EQ(Value::number(2.5).to_string(), "2.5");
  EXPECT_FALSE(Value().to_boolean());
  EXPECT_EQ(Value().to_string(), "");
  EXPECT_TRUE(std::isnan(Value().to_number()));
  EXPECT_TRUE(Value::string("0").to_boolean());
  EXPECT_EQ(Value::borrowed_string(" 7 ").to_number(), 7);
  EXPECT_EQ(Value::date(19753).to_string(), "2024-01-31");
  EXPECT_EQ(Value::date(19753).to_number(), 19753);
  EXPECT_EQ(Value::date(std::nan("")).to_string(), "");
  const Value dt = Value::date_time(19753 * 86400000.0, 420);
  EXPECT_EQ(dt.to_string(), "2024-01-31T07:00:00.000+07:00");
  EXPECT_EQ(dt.to_number(), 19753);
  EXPECT_TRUE(Value::nodes({}).is_nodes());
  EXPECT_FALSE(Value::nodes({}).to_boolean());
  EXPECT_EQ(Value::nodes({}).to_string(), "");
  Instance in("data");
  const NodeId a = in.add_element(in.root(), "a", "5");
  const Value set = Value::nodes({in.node(a)});
  EXPECT_TRUE(set.to_boolean());
  EXPECT_EQ(set.to_number(), 5);
  EXPECT_EQ(set.to_string(), "5");
}

}  // namespace
}  // namespace gotong::forms::xpath
