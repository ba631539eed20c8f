// Splits an XPath expression into tokens, applying XPath 1.0's rules that decide from the
// previous token whether `*` multiplies or matches any name and whether `div` is an operator.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace gotong::forms::xpath {

enum class TokenKind : std::uint8_t {
  End,
  Number,
  Literal,       // text holds the content between the quotes
  Name,          // name test: "a", "jr:a"
  AnyName,       // name test "*" or "jr:*" (text holds the prefix, "" for "*")
  FunctionName,  // name followed by "("
  NodeType,      // node, text, comment, processing-instruction followed by "("
  AxisName,      // name followed by "::"
  Ref,           // XLSForm ${name}; text holds the name
  Variable,      // $name (parsed only to be refused)
  LParen,
  RParen,
  LBracket,
  RBracket,
  Dot,
  DotDot,
  At,
  Comma,
  ColonColon,
  Slash,
  SlashSlash,
  Pipe,
  Plus,
  Minus,
  Equal,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  Multiply,
  And,
  Or,
  Div,
  Mod,
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::uint32_t position = 0;  // byte offset in the source
  std::uint32_t length = 0;    // bytes in the source
  std::string_view text;       // see TokenKind; a view into the source
  double number = 0;
};

// The last token is End (at the source's size). Throws ExpressionError.
std::vector<Token> tokenize(std::string_view source);

// How a token reads in messages: "')'", "name 'foo'", "end of expression".
std::string describe(const Token& token);

}  // namespace gotong::forms::xpath
