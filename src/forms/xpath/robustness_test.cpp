// Hostile input: deep nesting is refused without exhausting the stack, huge literals work, and
// no sequence of bytes makes the parser (or evaluating what parses) crash.
#include <gtest/gtest.h>

#include <random>

#include "forms/xpath/test_support.hpp"

namespace gotong::forms::xpath {
namespace {

void expect_too_deep(const std::string& e) {
  const auto error = check(e);
  ASSERT_TRUE(error) << e.substr(0, 40);
  EXPECT_EQ(error->message, "expression is nested too deeply (more than 100 levels)");
  EXPECT_LE(error->position, e.size());
}

TEST(XpathRobustness, DeepNestingIsRefused) {
  const int n = 10000;
  expect_too_deep(std::string(n, '(') + "1" + std::string(n, ')'));
  expect_too_deep(std::string(n, '-') + "1");
  std::string calls;
  for (int i = 0; i < n; ++i) calls += "not(";
  calls += "1" + std::string(n, ')');
  expect_too_deep(calls);
  std::string predicates;
  for (int i = 0; i < n; ++i) predicates += "a[";
  predicates += "1" + std::string(n, ']');
  expect_too_deep(predicates);
  // Unclosed is refused just the same, before reaching the end.
  expect_too_deep(std::string(n, '('));
  // The limit itself: 100 levels are fine, 101 are not.
  EXPECT_EQ(check(std::string(99, '(') + "1" + std::string(99, ')')), std::nullopt);
  EXPECT_EQ(testing::num(std::string(99, '(') + "7" + std::string(99, ')')), 7);
  expect_too_deep(std::string(100, '(') + "1" + std::string(100, ')'));
  const auto e = check(std::string(n, '(') + "1" + std::string(n, ')'));
  EXPECT_EQ(e->position, 100u);  // the 101st '('
}

TEST(XpathRobustness, LongFlatExpressionsAreFine) {
  std::string sum = "1";
  std::string ors = "false()";
  std::string path = "/data";
  for (int i = 0; i < 10000; ++i) {
    sum += " + 1";
    ors += " or false()";
    path += "/x";
  }
  EXPECT_EQ(testing::num(sum), 10001);
  EXPECT_FALSE(testing::yes(ors));
  testing::Survey s;
  EXPECT_EQ(s.num("count(" + path + ")"), 0);
  std::string args = "concat('a'";
  for (int i = 0; i < 5000; ++i) args += ", 'b'";
  EXPECT_EQ(testing::str(args + ")").size(), 5001u);
}

TEST(XpathRobustness, HugeLiterals) {
  const std::string big(1 << 20, 'x');
  EXPECT_EQ(testing::num("string-length('" + big + "')"), 1 << 20);
  EXPECT_EQ(testing::str(std::string(400, '9')), "Infinity");
  EXPECT_EQ(testing::num("0." + std::string(400, '0') + "1"), 0);
  EXPECT_EQ(testing::num(std::string(300, '0') + "42"), 42);
  EXPECT_EQ(testing::str("99999999999999999999"), "100000000000000000000");
}

TEST(XpathRobustness, DeepInstancesDoNotRecurse) {
  Instance in("data");
  NodeId n = in.root();
  for (int i = 0; i < 100000; ++i) n = in.add_element(n, "x", i % 1000 == 0 ? "a" : "");
  EvalContext ctx;
  ctx.main = &in;
  EXPECT_EQ(compile("string-length(/data)").evaluate_number(ctx), 100);
  EXPECT_EQ(compile("count(//x)").evaluate_number(ctx), 100000);
  ctx.context = in.node(n);
  EXPECT_EQ(compile("count(ancestor::x)").evaluate_number(ctx), 99999);
}

// Random strings made of XPath fragments and raw bytes: check() either accepts or returns an
// error inside the text; whatever compiles is evaluated against a survey without crashing.
TEST(XpathRobustness, RandomInputNeverCrashes) {
  const char* fragments[] = {
      "(",
      ")",
      "[",
      "]",
      "/",
      "//",
      ".",
      "..",
      "@",
      ",",
      "::",
      "|",
      "+",
      "-",
      "*",
      "=",
      "!=",
      "<",
      "<=",
      ">",
      ">=",
      " and ",
      " or ",
      " div ",
      " mod ",
      "'a'",
      "\"b\"",
      "'",
      "\"",
      "1",
      "2.5",
      ".5",
      "data",
      "name",
      "member",
      "household",
      "age",
      "jr:",
      "${",
      "}",
      "${x}",
      "$",
      "current()",
      "instance('districts')",
      "count(",
      "concat(",
      "substr(",
      "regex(",
      "if(",
      "selected(",
      "sum(",
      "position()",
      "last()",
      "child::",
      "ancestor::",
      "node()",
      "text()",
      "*",
      " ",
      "\n",
      "\xff",
      "\xc3\xa9",
      "\0",
      "today()",
      "format-date(",
      "date(",
      "translate(",
      "round(",
      "join(",
      "area(",
      "digest(",
      "uuid(",
  };
  std::mt19937 rng(20240131);
  testing::Survey s;
  int compiled = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string e;
    const int parts = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < parts; ++k) {
      if (rng() % 8 == 0) {
        e.push_back(static_cast<char>(rng() % 256));
      } else {
        e += fragments[rng() % std::size(fragments)];
      }
    }
    const auto error = check(e);
    if (error) {
      EXPECT_LE(error->position, e.size()) << e;
      EXPECT_FALSE(error->message.empty());
      continue;
    }
    ++compiled;
    try {
      compile(e).evaluate(s.ctx);
    } catch (const EvaluationError& err) {
      EXPECT_LE(err.position, e.size()) << e;
    }
  }
  EXPECT_GT(compiled, 100);  // the generator reaches the evaluator, not only the error paths
  // Pure random bytes.
  for (int i = 0; i < 3000; ++i) {
    std::string e(rng() % 40, '\0');
    for (char& c : e) c = static_cast<char>(rng() % 256);
    const auto error = check(e);
    if (error) {
      EXPECT_LE(error->position, e.size());
    }
  }
}

}  // namespace
}  // namespace gotong::forms::xpath
