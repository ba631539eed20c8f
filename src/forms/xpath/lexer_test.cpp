#include "forms/xpath/lexer.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "forms/xpath/error.hpp"

namespace gotong::forms::xpath {
namespace {

std::vector<TokenKind> kinds(std::string_view s) {
  std::vector<TokenKind> out;
  for (const Token& t : tokenize(s)) out.push_back(t.kind);
  return out;
}

using K = TokenKind;

TEST(XpathLexer, PathWithPredicate) {
  EXPECT_EQ(kinds("/data/a[. > 3]"),
            (std::vector<K>{K::Slash, K::Name, K::Slash, K::Name, K::LBracket, K::Dot, K::Greater,
                            K::Number, K::RBracket, K::End}));
}

TEST(XpathLexer, StarIsNameTestOrMultiplyByPosition) {
  EXPECT_EQ(kinds("a * b"), (std::vector<K>{K::Name, K::Multiply, K::Name, K::End}));
  EXPECT_EQ(kinds("*"), (std::vector<K>{K::AnyName, K::End}));
  EXPECT_EQ(kinds("a/*"), (std::vector<K>{K::Name, K::Slash, K::AnyName, K::End}));
  EXPECT_EQ(kinds("2*3"), (std::vector<K>{K::Number, K::Multiply, K::Number, K::End}));
  EXPECT_EQ(kinds("count(*) * 2"), (std::vector<K>{K::FunctionName, K::LParen, K::AnyName,
                                                   K::RParen, K::Multiply, K::Number, K::End}));
}

TEST(XpathLexer, OperatorNamesDependOnPrecedingToken) {
  // XPath 1.0 §3.7: the first `div` is an element name, the second the operator.
  EXPECT_EQ(kinds("div div div"), (std::vector<K>{K::Name, K::Div, K::Name, K::End}));
  EXPECT_EQ(kinds("and and or"), (std::vector<K>{K::Name, K::And, K::Name, K::End}));
  EXPECT_EQ(kinds("mod mod 2"), (std::vector<K>{K::Name, K::Mod, K::Number, K::End}));
}

TEST(XpathLexer, FunctionsAxesNodeTypesAndPrefixes) {
  auto t = tokenize("jr:choice-name(orx:meta/orx:instanceID, jr:*)");
  ASSERT_EQ(t.size(), 9u);
  EXPECT_EQ(t[0].kind, K::FunctionName);
  EXPECT_EQ(t[0].text, "jr:choice-name");
  EXPECT_EQ(t[2].kind, K::Name);
  EXPECT_EQ(t[2].text, "orx:meta");
  EXPECT_EQ(t[4].text, "orx:instanceID");
  EXPECT_EQ(t[6].kind, K::AnyName);
  EXPECT_EQ(t[6].text, "jr");
  EXPECT_EQ(kinds("child::a/text()"), (std::vector<K>{K::AxisName, K::ColonColon, K::Name, K::Slash,
                                                      K::NodeType, K::LParen, K::RParen, K::End}));
  EXPECT_EQ(kinds("ancestor :: x"), (std::vector<K>{K::AxisName, K::ColonColon, K::Name, K::End}));
}

TEST(XpathLexer, NumbersAndLiterals) {
  auto t = tokenize("12.5 .5 5. 'it\"s' \"it's\"");
  EXPECT_DOUBLE_EQ(t[0].number, 12.5);
  EXPECT_DOUBLE_EQ(t[1].number, 0.5);
  EXPECT_DOUBLE_EQ(t[2].number, 5);
  EXPECT_EQ(t[3].kind, K::Literal);
  EXPECT_EQ(t[3].text, "it\"s");
  EXPECT_EQ(t[4].text, "it's");
  EXPECT_EQ(t[4].position, 18u);
  EXPECT_EQ(t[4].length, 6u);
}

TEST(XpathLexer, NamesWithDotsAndDashes) {
  auto t = tokenize("a.b-c - 1");
  EXPECT_EQ(t[0].text, "a.b-c");
  EXPECT_EQ(t[1].kind, K::Minus);
}

TEST(XpathLexer, XlsformReferences) {
  auto t = tokenize("${age} >= 18 and ${last-saved#village} != ''");
  EXPECT_EQ(t[0].kind, K::Ref);
  EXPECT_EQ(t[0].text, "age");
  EXPECT_EQ(t[0].length, 6u);
  EXPECT_EQ(t[4].kind, K::Ref);
  EXPECT_EQ(t[4].text, "last-saved#village");
}

void expect_error(std::string_view s, std::size_t position, std::string_view message) {
  try {
    tokenize(s);
    ADD_FAILURE() << "no error for " << s;
  } catch (const ExpressionError& e) {
    EXPECT_EQ(e.position, position) << s;
    EXPECT_EQ(e.message, message) << s;
  }
}

TEST(XpathLexer, Errors) {
  expect_error("concat('abc, 1)", 7, "unclosed string literal");
  expect_error("1 ! 2", 2, "unexpected '!' (did you mean '!=' or not()?)");
  expect_error("a # b", 2, "unexpected character '#'");
  expect_error("a \x01", 2, "unexpected character byte 0x01");
  expect_error("${age", 0, "unclosed ${ reference");
  expect_error("${} = 1", 0, "empty ${} reference");
  expect_error("${a b}", 3, "unexpected ' ' in ${ reference");
  expect_error("${1a}", 2, "invalid name in ${ reference");
  expect_error("1 foo 2", 2, "unexpected name 'foo' (expected an operator)");
  expect_error("a : b", 2, "unexpected ':'");
  expect_error("$", 0, "unexpected '$'");
}

}  // namespace
}  // namespace gotong::forms::xpath
