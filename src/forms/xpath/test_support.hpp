// Shared by the xpath unit tests: a household-survey submission, a districts choice list, a
// fixed clock (2024-01-31T10:20:30.123+07:00) and one-line evaluation helpers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "forms/xpath/expression.hpp"

namespace gotong::forms::xpath::testing {

// 2024-01-31T03:20:30.123Z.
inline constexpr std::int64_t kFixedNow = 1706671230123;
// 2024-01-31 in days since 1970-01-01.
inline constexpr double kJan31 = 19753;

struct Survey {
  Instance main{"data"};
  InstanceSet instances;
  RandomSource random{42};
  EvalContext ctx;

  Survey() {
    const NodeId data = main.root();
    main.set_attribute(data, "id", "household_survey");
    main.set_attribute(data, "version", "2024013101");
    main.add_element(data, "name", "Siti");
    main.add_element(data, "age", "34");
    main.add_element(data, "dob", "1990-05-17");
    main.add_element(data, "province", "P1");
    main.add_element(data, "district", "");
    main.add_element(data, "roles", "head farmer");
    main.add_element(data, "income", "1500000.50");
    const NodeId household = main.add_element(data, "household");
    const char* members[][2] = {{"Ani", "10"}, {"Budi", "40"}, {"Citra", "25"}};
    for (const auto& m : members) {
      const NodeId member = main.add_element(household, "member");
      main.add_element(member, "name", m[0]);
      main.add_element(member, "age", m[1]);
    }
    const NodeId meta = main.add_element(data, "meta");
    main.add_element(meta, "instanceID", "uuid:6f1e0d5e-3f55-4d4b-9a36-8c0a1d2b3c4d");

    Instance districts("root");
    const char* rows[][3] = {{"d1", "Bogor", "P1"},
                             {"d2", "Bekasi", "P1"},
                             {"d3", "Sleman", "P2"},
                             {"d4", "Bantul", "P2"}};
    for (const auto& r : rows) {
      const NodeId item = districts.add_element(districts.root(), "item");
      districts.add_element(item, "name", r[0]);
      districts.add_element(item, "label", r[1]);
      districts.add_element(item, "province", r[2]);
    }
    instances.add("districts", std::move(districts));

    Instance fruits("root");
    const char* fruit_rows[][2] = {{"1", "mango"}, {"2", "durian"}, {"3", "rambutan"}};
    for (const auto& r : fruit_rows) {
      const NodeId item = fruits.add_element(fruits.root(), "item");
      fruits.add_element(item, "id", r[0]);
      fruits.add_element(item, "name", r[1]);
    }
    instances.add("fruits", std::move(fruits));

    ctx.main = &main;
    ctx.context = main.node(main.root());
    ctx.instances = &instances;
    ctx.clock = [] { return kFixedNow; };
    ctx.timezone_offset_minutes = 7 * 60;
    ctx.random = &random;
  }

  // Evaluates with `.` (and current()) at `path`, "/data" by default.
  EvalContext at(std::string_view path) const {
    EvalContext c = ctx;
    c.context = main.find(path);
    return c;
  }

  Value eval(std::string_view expr) const { return compile(expr).evaluate(ctx); }
  std::string str(std::string_view expr) const { return compile(expr).evaluate_string(ctx); }
  double num(std::string_view expr) const { return compile(expr).evaluate_number(ctx); }
  bool yes(std::string_view expr) const { return compile(expr).evaluate_boolean(ctx); }
};

// Without any instance: for expressions over literals only.
inline std::string str(std::string_view expr) {
  return compile(expr).evaluate_string(EvalContext{});
}
inline double num(std::string_view expr) { return compile(expr).evaluate_number(EvalContext{}); }
inline bool yes(std::string_view expr) { return compile(expr).evaluate_boolean(EvalContext{}); }

// The ExpressionError of `expr`; fails the test when it compiles.
inline ExpressionError error_of(std::string_view expr) {
  auto e = check(expr);
  if (!e)
    return ExpressionError(static_cast<std::size_t>(-1),
                           "compiled without error: " + std::string(expr));
  return *e;
}

}  // namespace gotong::forms::xpath::testing
