#include "forms/xpath/lexer.hpp"

#include <cstdio>
#include <limits>
#include <string>

#include "forms/xpath/error.hpp"
#include "forms/xpath/value.hpp"

namespace gotong::forms::xpath {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Non-ASCII bytes are accepted in names so that UTF-8 element names work.
bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) { return is_name_start(c) || is_digit(c) || c == '-' || c == '.'; }

std::string show_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", u);
  return std::string("byte ") + buf;
}

// XPath 1.0 §3.7: after these tokens (or at the start) `*` and names are name tests, after
// anything else they are operators.
bool operand_may_follow(TokenKind k) {
  switch (k) {
    case TokenKind::At:
    case TokenKind::ColonColon:
    case TokenKind::LParen:
    case TokenKind::LBracket:
    case TokenKind::Comma:
    case TokenKind::And:
    case TokenKind::Or:
    case TokenKind::Div:
    case TokenKind::Mod:
    case TokenKind::Multiply:
    case TokenKind::Slash:
    case TokenKind::SlashSlash:
    case TokenKind::Pipe:
    case TokenKind::Plus:
    case TokenKind::Minus:
    case TokenKind::Equal:
    case TokenKind::NotEqual:
    case TokenKind::Less:
    case TokenKind::LessEqual:
    case TokenKind::Greater:
    case TokenKind::GreaterEqual: return true;
    default: return false;
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {
    if (s.size() >= std::numeric_limits<std::uint32_t>::max()) {
      throw ExpressionError(0, "expression is too long");
    }
  }

  std::vector<Token> run() {
    std::vector<Token> out;
    while (true) {
      while (i_ < s_.size() && is_space(s_[i_])) ++i_;
      if (i_ >= s_.size()) {
        out.push_back(Token{TokenKind::End, pos(i_), 0, {}, 0});
        return out;
      }
      const bool operand_expected = out.empty() || operand_may_follow(out.back().kind);
      out.push_back(next(operand_expected));
    }
  }

 private:
  static std::uint32_t pos(std::size_t i) { return static_cast<std::uint32_t>(i); }

  Token make(TokenKind k, std::size_t start, std::size_t len, std::string_view text = {}) {
    i_ = start + len;
    return Token{k, pos(start), pos(len), text, 0};
  }

  Token next(bool operand_expected) {
    const std::size_t start = i_;
    const char c = s_[i_];
    const char n = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    switch (c) {
      case '(': return make(TokenKind::LParen, start, 1);
      case ')': return make(TokenKind::RParen, start, 1);
      case '[': return make(TokenKind::LBracket, start, 1);
      case ']': return make(TokenKind::RBracket, start, 1);
      case '@': return make(TokenKind::At, start, 1);
      case ',': return make(TokenKind::Comma, start, 1);
      case '|': return make(TokenKind::Pipe, start, 1);
      case '+': return make(TokenKind::Plus, start, 1);
      case '-': return make(TokenKind::Minus, start, 1);
      case '=': return make(TokenKind::Equal, start, 1);
      case '/':
        return n == '/' ? make(TokenKind::SlashSlash, start, 2) : make(TokenKind::Slash, start, 1);
      case '<':
        return n == '=' ? make(TokenKind::LessEqual, start, 2) : make(TokenKind::Less, start, 1);
      case '>':
        return n == '=' ? make(TokenKind::GreaterEqual, start, 2)
                        : make(TokenKind::Greater, start, 1);
      case '!':
        if (n == '=') return make(TokenKind::NotEqual, start, 2);
        throw ExpressionError(start, "unexpected '!' (did you mean '!=' or not()?)");
      case ':':
        if (n == ':') return make(TokenKind::ColonColon, start, 2);
        throw ExpressionError(start, "unexpected ':'");
      case '*':
        if (operand_expected) return make(TokenKind::AnyName, start, 1);
        return make(TokenKind::Multiply, start, 1);
      case '\'':
      case '"': return literal(start, c);
      case '$': return dollar(start);
      case '.':
        if (n == '.') return make(TokenKind::DotDot, start, 2);
        if (is_digit(n)) return number(start);
        return make(TokenKind::Dot, start, 1);
      default: break;
    }
    if (is_digit(c)) return number(start);
    if (is_name_start(c)) return name(start, operand_expected);
    throw ExpressionError(start, "unexpected character " + show_char(c));
  }

  Token literal(std::size_t start, char quote) {
    const std::size_t close = s_.find(quote, start + 1);
    if (close == std::string_view::npos) throw ExpressionError(start, "unclosed string literal");
    return make(TokenKind::Literal, start, close + 1 - start,
                s_.substr(start + 1, close - start - 1));
  }

  Token number(std::size_t start) {
    std::size_t i = start;
    while (i < s_.size() && is_digit(s_[i])) ++i;
    if (i < s_.size() && s_[i] == '.') {
      ++i;
      while (i < s_.size() && is_digit(s_[i])) ++i;
    }
    Token t = make(TokenKind::Number, start, i - start);
    t.number = parse_number(s_.substr(start, i - start)).value_or(0);
    return t;
  }

  std::size_t ncname_end(std::size_t i) const {
    while (i < s_.size() && is_name_char(s_[i])) ++i;
    return i;
  }

  Token dollar(std::size_t start) {
    if (start + 1 < s_.size() && s_[start + 1] == '{') {
      const std::size_t name_start = start + 2;
      std::size_t i = name_start;
      // pyxform also accepts ${last-saved#name}.
      while (i < s_.size() && (is_name_char(s_[i]) || s_[i] == '#')) ++i;
      if (i >= s_.size()) throw ExpressionError(start, "unclosed ${ reference");
      if (s_[i] != '}')
        throw ExpressionError(i, "unexpected " + show_char(s_[i]) + " in ${ reference");
      if (i == name_start) throw ExpressionError(start, "empty ${} reference");
      if (!is_name_start(s_[name_start])) {
        throw ExpressionError(name_start, "invalid name in ${ reference");
      }
      return make(TokenKind::Ref, start, i + 1 - start, s_.substr(name_start, i - name_start));
    }
    if (start + 1 < s_.size() && is_name_start(s_[start + 1])) {
      const std::size_t end = ncname_end(start + 1);
      return make(TokenKind::Variable, start, end - start, s_.substr(start + 1, end - start - 1));
    }
    throw ExpressionError(start, "unexpected '$'");
  }

  Token name(std::size_t start, bool operand_expected) {
    std::size_t end = ncname_end(start);
    if (!operand_expected) {
      // After an operand, only an operator name is valid here.
      const std::string_view word = s_.substr(start, end - start);
      if (word == "and") return make(TokenKind::And, start, end - start);
      if (word == "or") return make(TokenKind::Or, start, end - start);
      if (word == "div") return make(TokenKind::Div, start, end - start);
      if (word == "mod") return make(TokenKind::Mod, start, end - start);
      throw ExpressionError(start,
                            "unexpected name '" + std::string(word) + "' (expected an operator)");
    }
    // QName: prefix ':' (NCName | '*'), but not the axis separator '::'.
    if (end + 1 < s_.size() && s_[end] == ':' && s_[end + 1] != ':') {
      if (s_[end + 1] == '*') {
        return make(TokenKind::AnyName, start, end + 2 - start, s_.substr(start, end - start));
      }
      if (is_name_start(s_[end + 1])) end = ncname_end(end + 1);
    }
    const std::string_view word = s_.substr(start, end - start);
    std::size_t j = end;
    while (j < s_.size() && is_space(s_[j])) ++j;
    if (j < s_.size() && s_[j] == '(') {
      const bool node_type =
          word == "node" || word == "text" || word == "comment" || word == "processing-instruction";
      return make(node_type ? TokenKind::NodeType : TokenKind::FunctionName, start, end - start,
                  word);
    }
    if (j + 1 < s_.size() && s_[j] == ':' && s_[j + 1] == ':') {
      return make(TokenKind::AxisName, start, end - start, word);
    }
    return make(TokenKind::Name, start, end - start, word);
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view source) { return Lexer(source).run(); }

std::string describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::End: return "end of expression";
    case TokenKind::Number: return "number";
    case TokenKind::Literal: return "string literal";
    case TokenKind::Name: return "name '" + std::string(t.text) + "'";
    case TokenKind::AnyName: return "'*'";
    case TokenKind::FunctionName: return "function '" + std::string(t.text) + "'";
    case TokenKind::NodeType: return "'" + std::string(t.text) + "()'";
    case TokenKind::AxisName: return "axis '" + std::string(t.text) + "'";
    case TokenKind::Ref: return "${" + std::string(t.text) + "}";
    case TokenKind::Variable: return "variable $" + std::string(t.text);
    case TokenKind::LParen: return "'('";
    case TokenKind::RParen: return "')'";
    case TokenKind::LBracket: return "'['";
    case TokenKind::RBracket: return "']'";
    case TokenKind::Dot: return "'.'";
    case TokenKind::DotDot: return "'..'";
    case TokenKind::At: return "'@'";
    case TokenKind::Comma: return "','";
    case TokenKind::ColonColon: return "'::'";
    case TokenKind::Slash: return "'/'";
    case TokenKind::SlashSlash: return "'//'";
    case TokenKind::Pipe: return "'|'";
    case TokenKind::Plus: return "'+'";
    case TokenKind::Minus: return "'-'";
    case TokenKind::Equal: return "'='";
    case TokenKind::NotEqual: return "'!='";
    case TokenKind::Less: return "'<'";
    case TokenKind::LessEqual: return "'<='";
    case TokenKind::Greater: return "'>'";
    case TokenKind::GreaterEqual: return "'>='";
    case TokenKind::Multiply: return "'*'";
    case TokenKind::And: return "'and'";
    case TokenKind::Or: return "'or'";
    case TokenKind::Div: return "'div'";
    case TokenKind::Mod: return "'mod'";
  }
  return "token";
}

}  // namespace gotong::forms::xpath
