#include "forms/xpath/parser.hpp"

#include <gtest/gtest.h>

#include <map>

#include "forms/xpath/test_support.hpp"

namespace gotong::forms::xpath {
namespace {

using testing::error_of;
using testing::num;
using testing::str;
using testing::yes;

TEST(XpathParser, AcceptsOdkExpressions) {
  const char* valid[] = {
      "/data/a/b",
      "a/b",
      ".",
      "..",
      "../x",
      "current()/..",
      "/",
      "//name",
      "/data//name",
      "/data/list[name = current()/../x]",
      "/data/list[position() = 2]",
      "/data/@id",
      "@jr:template",
      "/data/*",
      "/data/jr:*",
      "instance('districts')/root/item[province = current()/../province]/name",
      "/data/orx:meta/orx:instanceID",
      ". >= 18 and . <= 120",
      "selected(${q}, 'a') or ${x} != ''",
      "if(${a} > 0, concat('x', ${b}), '')",
      "jr:choice-name(${q}, '${q}')",
      "-3 - -2",
      "(1 + 2) * 3 div 4 mod 5",
      "/a | /b | /c",
      "(/data/a | /data/b)[1]",
      "count(/data/rep) > 1",
      "child::a/descendant-or-self::node()/attribute::b",
      "ancestor-or-self::*[1]",
      "text()",
      "regex(., '^[0-9]{10}$')",
      "format-date(today(), '%Y-%m-%d')",
      "weighted-checklist(1, 5, /a, 1, /b, 2)",
      "indexed-repeat(/data/rep/q, /data/rep, 2)",
      "div div div",
      "processing-instruction('x')",
  };
  for (const char* e : valid) EXPECT_EQ(check(e), std::nullopt) << e << ": " << check(e)->what();
}

struct ErrorCase {
  const char* expr;
  std::size_t position;
  const char* message;
};

TEST(XpathParser, ErrorsCarryPositionAndMessage) {
  const ErrorCase cases[] = {
      {"", 0, "empty expression"},
      {"   ", 3, "empty expression"},
      {"(1 + 2))", 7, "unexpected ')'"},
      {"concat(1, 2) + )", 15, "unexpected ')'"},
      {"foo(1)", 0, "unknown function 'foo'"},
      {"1 + jr:foo()", 4, "unknown function 'jr:foo'"},
      {"substr('a')", 0, "wrong number of arguments for substr: expected 2 or 3, got 1"},
      {"if(1, 2)", 0, "wrong number of arguments for if: expected 3, got 2"},
      {"concat('a') and today(1)", 16, "wrong number of arguments for today: expected 0, got 1"},
      {"max()", 0, "wrong number of arguments for max: expected at least 1, got 0"},
      {"weighted-checklist(1, 2, 3)", 0,
       "wrong number of arguments for weighted-checklist: expected an even number (min, max, then "
       "value and weight pairs), got 3"},
      {"indexed-repeat(/a, /b)", 0,
       "wrong number of arguments for indexed-repeat: expected an odd number (3, 5, 7, ...), got "
       "2"},
      {"1 +", 3, "unexpected end of expression"},
      {"/data/a[", 8, "unexpected end of expression"},
      {"/data/a[1", 9, "expected ']' before end of expression"},
      {"concat(1 2)", 9, "expected ')' or ',' but found number"},
      {"concat(1,)", 9, "unexpected ')'"},
      {"/data/", 6, "expected a name after '/' before end of expression"},
      {"/data/@", 7, "expected a name after '@' before end of expression"},
      {"/data/'x'", 6, "expected a name but found string literal"},
      {"/ 'x'", 2, "unexpected string literal"},
      {"$x + 1", 0, "variables ($x) are not supported"},
      {"sideways::a", 0, "unknown axis 'sideways'"},
      {"namespace::a", 0, "the namespace axis is not supported"},
      {".[1]", 1, "a predicate cannot follow '.'"},
      {"regex(., '(')", 9,
       "invalid regular expression: Mismatched '(' and ')' in regular expression"},
      {"a = = b", 4, "unexpected '='"},
      {"'abc", 0, "unclosed string literal"},
  };
  for (const auto& c : cases) {
    const ExpressionError e = error_of(c.expr);
    EXPECT_EQ(e.position, c.position) << c.expr;
    EXPECT_EQ(e.message, c.message) << c.expr;
  }
}

TEST(XpathParser, WhatIncludesThePosition) {
  try {
    compile("(1 + 2))");
    FAIL();
  } catch (const ExpressionError& e) {
    EXPECT_STREQ(e.what(), "unexpected ')' at 7");
  }
}

TEST(XpathParser, BackReferencesAreRefusedAtCompileTime) {
  const ExpressionError e = error_of("regex(., '(a)\\1')");
  EXPECT_EQ(e.position, 9u);
  EXPECT_NE(e.message.find("invalid regular expression"), std::string::npos);
}

TEST(XpathParser, PrecedenceFollowsXpath) {
  EXPECT_EQ(num("1 + 2 * 3"), 7);
  EXPECT_EQ(num("(1 + 2) * 3"), 9);
  EXPECT_EQ(num("1 - 2 - 3"), -4);  // left-associative
  EXPECT_EQ(num("8 div 4 div 2"), 1);
  EXPECT_EQ(num("2 * 3 mod 4"), 2);  // (2*3) mod 4
  EXPECT_EQ(num("- 2 * 3"), -6);
  EXPECT_EQ(num("--3"), 3);
  EXPECT_EQ(num("1 - -1"), 2);
  EXPECT_EQ(num("10 - 2 + 3"), 11);
  EXPECT_TRUE(yes("2 + 3 = 5"));
  EXPECT_TRUE(yes("1 < 2 = true()"));  // relational binds tighter than equality
  EXPECT_FALSE(yes("3 > 2 > 1"));      // (3 > 2) = 1, and 1 > 1 is false
  EXPECT_TRUE(yes("1 = 1 = 1"));
  EXPECT_TRUE(yes("true() or false() and false()"));  // and binds tighter than or
  EXPECT_FALSE(yes("(true() or false()) and false()"));
  EXPECT_TRUE(yes("1 = 1 and 2 = 3 or 1"));
  EXPECT_TRUE(yes("1 + 1 = 2 and 2 * 2 = 4"));
  EXPECT_FALSE(yes("1 != 1"));
  EXPECT_TRUE(yes("1 <= 1 and 1 >= 1 and 1 < 2 and 2 > 1"));
}

TEST(XpathParser, UnresolvedReferencesParseButDoNotEvaluate) {
  const Expression e = compile("${age} >= 18");
  try {
    e.evaluate(EvalContext{});
    FAIL();
  } catch (const EvaluationError& err) {
    EXPECT_EQ(err.position, 0u);
    EXPECT_NE(std::string(err.what()).find("unresolved reference ${age}"), std::string::npos);
  }
}

TEST(XpathParser, ResolvedReferencesBecomePaths) {
  testing::Survey s;
  const std::map<std::string, std::string, std::less<>> paths = {
      {"age", "/data/age"}, {"members", "/data/household/member"}, {"roles", "/data/roles"}};
  CompileOptions options;
  options.resolve_reference = [&](std::string_view name) -> std::optional<std::string> {
    const auto it = paths.find(name);
    if (it == paths.end()) return std::nullopt;
    return it->second;
  };
  EXPECT_TRUE(compile("${age} >= 18", options).evaluate_boolean(s.ctx));
  EXPECT_EQ(compile("count(${members})", options).evaluate_number(s.ctx), 3);
  EXPECT_EQ(compile("${members}[2]/name", options).evaluate_string(s.ctx), "Budi");

  // Like pyxform, the reference inside the literal is replaced too.
  std::string seen_path;
  s.ctx.choice_label = [&](std::string_view value,
                           std::string_view path) -> std::optional<std::string> {
    seen_path = std::string(path);
    return "label of " + std::string(value);
  };
  EXPECT_EQ(compile("jr:choice-name(${age}, '${age}')", options).evaluate_string(s.ctx),
            "label of 34");
  EXPECT_EQ(seen_path, "/data/age");

  const auto e = check("1 + ${nope}", options);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->position, 4u);
  EXPECT_EQ(e->message, "unknown reference ${nope}");

  options.resolve_reference = [](std::string_view) -> std::optional<std::string> {
    return "/data/'";
  };
  const auto bad = check("${x}", options);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->message, "invalid path for ${x}: unclosed string literal");
}

TEST(XpathParser, FindReferences) {
  const auto refs =
      find_references("jr:choice-name(${q}, '${q}') != ${other_q} and '$' = \"${ bad}\" and ${}");
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].name, "q");
  EXPECT_EQ(refs[0].position, 15u);
  EXPECT_EQ(refs[0].length, 4u);
  EXPECT_FALSE(refs[0].in_literal);
  EXPECT_EQ(refs[1].name, "q");
  EXPECT_EQ(refs[1].position, 22u);
  EXPECT_TRUE(refs[1].in_literal);
  EXPECT_EQ(refs[2].name, "other_q");
  EXPECT_EQ(refs[2].position, 32u);
  EXPECT_FALSE(refs[2].in_literal);
  EXPECT_TRUE(find_references("/data/a + 1").empty());
  EXPECT_TRUE(find_references("${unclosed").empty());
}

TEST(XpathParser, ChainsAreFlat) {
  // 1 + 1 + ... does not build a deep tree: one Chain node with all operands.
  std::string e = "1";
  for (int i = 0; i < 5000; ++i) e += " + 1";
  const auto program = parse(e);
  EXPECT_EQ(program->nodes[program->root].kind, NodeKind::Chain);
  EXPECT_EQ(program->nodes[program->root].child_count, 5001u);
}

}  // namespace
}  // namespace gotong::forms::xpath
