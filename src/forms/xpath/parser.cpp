#include "forms/xpath/parser.hpp"

#include <deque>
#include <limits>
#include <stdexcept>
#include <vector>

#include "forms/xpath/error.hpp"
#include "forms/xpath/lexer.hpp"
#include "forms/xpath/regex.hpp"

namespace gotong::forms::xpath {

namespace {

using Indexes = std::vector<std::uint32_t>;

std::string arity_message(const FunctionInfo& f, std::size_t got) {
  std::string expected;
  if (f.id == FunctionId::WeightedChecklist) {
    expected = "an even number (min, max, then value and weight pairs)";
  } else if (f.id == FunctionId::IndexedRepeat) {
    expected = "an odd number (3, 5, 7, ...)";
  } else if (f.max_args == kVariadic) {
    expected = "at least " + std::to_string(f.min_args);
  } else if (f.min_args == f.max_args) {
    expected = std::to_string(f.min_args);
  } else if (f.max_args == f.min_args + 1) {
    expected = std::to_string(f.min_args) + " or " + std::to_string(f.max_args);
  } else {
    expected = std::to_string(f.min_args) + " to " + std::to_string(f.max_args);
  }
  return "wrong number of arguments for " + std::string(f.name) + ": expected " + expected +
         ", got " + std::to_string(got);
}

std::optional<Axis> axis_from_name(std::string_view n) {
  if (n == "child") return Axis::Child;
  if (n == "attribute") return Axis::Attribute;
  if (n == "self") return Axis::Self;
  if (n == "parent") return Axis::Parent;
  if (n == "descendant") return Axis::Descendant;
  if (n == "descendant-or-self") return Axis::DescendantOrSelf;
  if (n == "ancestor") return Axis::Ancestor;
  if (n == "ancestor-or-self") return Axis::AncestorOrSelf;
  if (n == "following-sibling") return Axis::FollowingSibling;
  if (n == "preceding-sibling") return Axis::PrecedingSibling;
  if (n == "following") return Axis::Following;
  if (n == "preceding") return Axis::Preceding;
  return std::nullopt;
}

bool starts_step(TokenKind k) {
  switch (k) {
    case TokenKind::Name:
    case TokenKind::AnyName:
    case TokenKind::At:
    case TokenKind::Dot:
    case TokenKind::DotDot:
    case TokenKind::AxisName:
    case TokenKind::NodeType: return true;
    default: return false;
  }
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, Program& program) : tokens_(std::move(tokens)), p_(program) {}

  std::uint32_t parse_all() {
    if (peek().kind == TokenKind::End) throw ExpressionError(peek().position, "empty expression");
    const std::uint32_t root = parse_expr();
    if (peek().kind != TokenKind::End) unexpected(peek());
    return root;
  }

 private:
  // Counts nesting on the way down and refuses to go deeper than kMaxNesting.
  class DepthGuard {
   public:
    DepthGuard(Parser& p, std::uint32_t position) : p_(p) {
      if (++p_.depth_ > kMaxNesting) {
        throw ExpressionError(position, "expression is nested too deeply (more than " +
                                            std::to_string(kMaxNesting) + " levels)");
      }
    }
    ~DepthGuard() { --p_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& p_;
  };

  const Token& peek() const { return tokens_[at_]; }
  const Token& take() { return tokens_[at_++]; }
  bool accept(TokenKind k) {
    if (peek().kind != k) return false;
    ++at_;
    return true;
  }

  [[noreturn]] static void unexpected(const Token& t) {
    if (t.kind == TokenKind::End) throw ExpressionError(t.position, "unexpected end of expression");
    throw ExpressionError(t.position, "unexpected " + describe(t));
  }

  void expect(TokenKind k, std::string_view what) {
    if (peek().kind == k) {
      ++at_;
      return;
    }
    const Token& t = peek();
    if (t.kind == TokenKind::End) {
      throw ExpressionError(t.position,
                            "expected " + std::string(what) + " before end of expression");
    }
    throw ExpressionError(t.position,
                          "expected " + std::string(what) + " but found " + describe(t));
  }

  std::uint32_t add(AstNode n, const Indexes& kids = {}, const BinaryOp* ops = nullptr) {
    n.first_child = static_cast<std::uint32_t>(p_.children.size());
    n.child_count = static_cast<std::uint32_t>(kids.size());
    for (std::size_t i = 0; i < kids.size(); ++i) {
      p_.children.push_back(kids[i]);
      p_.child_ops.push_back(ops != nullptr ? ops[i] : BinaryOp::Equal);
    }
    p_.nodes.push_back(n);
    return static_cast<std::uint32_t>(p_.nodes.size() - 1);
  }

  void set_text(AstNode& n, std::string_view s) {
    if (p_.strings.size() + s.size() > std::numeric_limits<std::uint32_t>::max()) {
      throw ExpressionError(n.position, "expression is too long");
    }
    n.text_offset = static_cast<std::uint32_t>(p_.strings.size());
    n.text_size = static_cast<std::uint32_t>(s.size());
    p_.strings.append(s);
  }

  static AstNode node(NodeKind k, std::uint32_t position) {
    AstNode n;
    n.kind = k;
    n.position = position;
    return n;
  }

  std::uint32_t parse_expr() {
    DepthGuard guard(*this, peek().position);
    return parse_logical(NodeKind::Or);
  }

  // `or` binds looser than `and`; both are n-ary so long chains do not deepen the tree.
  std::uint32_t parse_logical(NodeKind kind) {
    const TokenKind op = kind == NodeKind::Or ? TokenKind::Or : TokenKind::And;
    const std::uint32_t position = peek().position;
    Indexes operands;
    operands.push_back(kind == NodeKind::Or ? parse_logical(NodeKind::And) : parse_chain(0));
    while (accept(op)) {
      operands.push_back(kind == NodeKind::Or ? parse_logical(NodeKind::And) : parse_chain(0));
    }
    if (operands.size() == 1) return operands[0];
    return add(node(kind, position), operands);
  }

  // Precedence levels of the left-associative binary operators, loosest first.
  static std::optional<BinaryOp> binary_op(int level, TokenKind k) {
    switch (level) {
      case 0:
        if (k == TokenKind::Equal) return BinaryOp::Equal;
        if (k == TokenKind::NotEqual) return BinaryOp::NotEqual;
        return std::nullopt;
      case 1:
        if (k == TokenKind::Less) return BinaryOp::Less;
        if (k == TokenKind::LessEqual) return BinaryOp::LessEqual;
        if (k == TokenKind::Greater) return BinaryOp::Greater;
        if (k == TokenKind::GreaterEqual) return BinaryOp::GreaterEqual;
        return std::nullopt;
      case 2:
        if (k == TokenKind::Plus) return BinaryOp::Add;
        if (k == TokenKind::Minus) return BinaryOp::Subtract;
        return std::nullopt;
      default:
        if (k == TokenKind::Multiply) return BinaryOp::Multiply;
        if (k == TokenKind::Div) return BinaryOp::Divide;
        if (k == TokenKind::Mod) return BinaryOp::Modulo;
        return std::nullopt;
    }
  }

  // One Chain node per run of same-precedence operators: `a + b - c + d` is evaluated as a left
  // fold, exactly like the left-deep tree XPath describes, without its depth.
  std::uint32_t parse_chain(int level) {
    const auto operand = [&] { return level == 3 ? parse_unary() : parse_chain(level + 1); };
    const std::uint32_t position = peek().position;
    Indexes operands;
    std::vector<BinaryOp> ops;
    operands.push_back(operand());
    ops.push_back(BinaryOp::Equal);  // unused for the first operand
    while (auto op = binary_op(level, peek().kind)) {
      ++at_;
      ops.push_back(*op);
      operands.push_back(operand());
    }
    if (operands.size() == 1) return operands[0];
    return add(node(NodeKind::Chain, position), operands, ops.data());
  }

  std::uint32_t parse_unary() {
    if (peek().kind != TokenKind::Minus) return parse_union();
    const std::uint32_t position = peek().position;
    DepthGuard guard(*this, position);
    ++at_;
    Indexes operand{parse_unary()};
    return add(node(NodeKind::Negate, position), operand);
  }

  std::uint32_t parse_union() {
    const std::uint32_t position = peek().position;
    Indexes operands{parse_path()};
    while (accept(TokenKind::Pipe)) operands.push_back(parse_path());
    if (operands.size() == 1) return operands[0];
    return add(node(NodeKind::Union, position), operands);
  }

  // The step after "//". "//name" is descendant-or-self::node()/child::name, which selects the
  // same nodes as descendant::name when there are no predicates (a position would count
  // differently); that one step visits each node once and needs no sorting.
  void parse_step_after_double_slash(Indexes& parts, std::uint32_t position) {
    const std::uint32_t step = parse_step();
    AstNode& s = p_.nodes[step];
    if (static_cast<Axis>(s.op) == Axis::Child && s.child_count == 0) {
      s.op = static_cast<std::uint8_t>(Axis::Descendant);
      parts.push_back(step);
      return;
    }
    AstNode any = node(NodeKind::Step, position);
    any.op = static_cast<std::uint8_t>(Axis::DescendantOrSelf);
    any.test = NodeTest::AnyNode;
    parts.push_back(add(any));
    parts.push_back(step);
  }

  std::uint32_t parse_path() {
    const Token& first = peek();
    AstNode path = node(NodeKind::Path, first.position);
    Indexes parts;
    if (first.kind == TokenKind::Slash) {
      ++at_;
      path.op = static_cast<std::uint8_t>(PathStart::Root);
      // A lone "/" selects the document node.
      if (!starts_step(peek().kind)) return add(path);
      parse_relative_path(parts);
    } else if (first.kind == TokenKind::SlashSlash) {
      ++at_;
      path.op = static_cast<std::uint8_t>(PathStart::Root);
      parse_step_after_double_slash(parts, first.position);
      parse_more_steps(parts);
    } else if (starts_step(first.kind)) {
      path.op = static_cast<std::uint8_t>(PathStart::Context);
      parse_relative_path(parts);
    } else {
      const std::uint32_t filter = parse_filter();
      if (peek().kind != TokenKind::Slash && peek().kind != TokenKind::SlashSlash) return filter;
      path.op = static_cast<std::uint8_t>(PathStart::Expression);
      parts.push_back(filter);
      parse_more_steps(parts);
    }
    return add(path, parts);
  }

  void parse_relative_path(Indexes& parts) {
    parts.push_back(parse_step());
    parse_more_steps(parts);
  }

  // ('/' Step | '//' Step)*
  void parse_more_steps(Indexes& parts) {
    while (peek().kind == TokenKind::Slash || peek().kind == TokenKind::SlashSlash) {
      const Token& separator = take();
      if (separator.kind == TokenKind::SlashSlash) {
        parse_step_after_double_slash(parts, separator.position);
      } else {
        parts.push_back(parse_step());
      }
    }
  }

  std::uint32_t parse_step() {
    const Token& t = peek();
    AstNode step = node(NodeKind::Step, t.position);
    if (t.kind == TokenKind::Dot || t.kind == TokenKind::DotDot) {
      ++at_;
      step.op = static_cast<std::uint8_t>(t.kind == TokenKind::Dot ? Axis::Self : Axis::Parent);
      step.test = NodeTest::AnyNode;
      if (peek().kind == TokenKind::LBracket) {
        throw ExpressionError(peek().position,
                              "a predicate cannot follow '" +
                                  std::string(t.kind == TokenKind::Dot ? "." : "..") + "'");
      }
      return add(step);
    }
    Axis axis = Axis::Child;
    if (t.kind == TokenKind::At) {
      ++at_;
      axis = Axis::Attribute;
    } else if (t.kind == TokenKind::AxisName) {
      const auto a = axis_from_name(t.text);
      if (!a) {
        if (t.text == "namespace")
          throw ExpressionError(t.position, "the namespace axis is not supported");
        throw ExpressionError(t.position, "unknown axis '" + std::string(t.text) + "'");
      }
      axis = *a;
      ++at_;
      expect(TokenKind::ColonColon, "'::'");
    }
    step.op = static_cast<std::uint8_t>(axis);
    const Token& test = peek();
    switch (test.kind) {
      case TokenKind::Name:
        ++at_;
        step.test = NodeTest::Name;
        set_text(step, test.text);
        break;
      case TokenKind::AnyName:
        ++at_;
        step.test = test.text.empty() ? NodeTest::AnyName : NodeTest::PrefixAnyName;
        set_text(step, test.text);
        break;
      case TokenKind::NodeType: {
        ++at_;
        if (test.text == "node")
          step.test = NodeTest::AnyNode;
        else if (test.text == "text")
          step.test = NodeTest::Text;
        else if (test.text == "comment")
          step.test = NodeTest::Comment;
        else
          step.test = NodeTest::ProcessingInstruction;
        expect(TokenKind::LParen, "'('");
        if (step.test == NodeTest::ProcessingInstruction) accept(TokenKind::Literal);
        expect(TokenKind::RParen, "')'");
        break;
      }
      default:
        if (test.kind == TokenKind::End)
          throw ExpressionError(test.position,
                                "expected a name after " +
                                    std::string(axis == Axis::Attribute ? "'@'" : "'/'") +
                                    " before end of expression");
        throw ExpressionError(test.position, "expected a name but found " + describe(test));
    }
    Indexes predicates;
    parse_predicates(predicates);
    return add(step, predicates);
  }

  void parse_predicates(Indexes& out) {
    while (peek().kind == TokenKind::LBracket) {
      ++at_;
      out.push_back(parse_expr());
      expect(TokenKind::RBracket, "']'");
    }
  }

  std::uint32_t parse_filter() {
    const std::uint32_t position = peek().position;
    Indexes parts{parse_primary()};
    parse_predicates(parts);
    if (parts.size() == 1) return parts[0];
    return add(node(NodeKind::Filter, position), parts);
  }

  std::uint32_t parse_primary() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::LParen: {
        ++at_;
        const std::uint32_t inner = parse_expr();
        expect(TokenKind::RParen, "')'");
        return inner;
      }
      case TokenKind::Literal: {
        ++at_;
        AstNode n = node(NodeKind::Literal, t.position);
        set_text(n, t.text);
        return add(n);
      }
      case TokenKind::Number: {
        ++at_;
        AstNode n = node(NodeKind::Number, t.position);
        n.number = t.number;
        return add(n);
      }
      case TokenKind::Ref: {
        ++at_;
        AstNode n = node(NodeKind::Ref, t.position);
        set_text(n, t.text);
        return add(n);
      }
      case TokenKind::FunctionName: return parse_call();
      case TokenKind::Variable:
        throw ExpressionError(t.position,
                              "variables ($" + std::string(t.text) + ") are not supported");
      default: unexpected(t);
    }
  }

  std::uint32_t parse_call() {
    const Token& name = take();
    const FunctionInfo* f = find_function(name.text);
    if (f == nullptr)
      throw ExpressionError(name.position, "unknown function '" + std::string(name.text) + "'");
    expect(TokenKind::LParen, "'('");
    Indexes args;
    if (peek().kind != TokenKind::RParen) {
      args.push_back(parse_expr());
      while (accept(TokenKind::Comma)) args.push_back(parse_expr());
    }
    expect(TokenKind::RParen, "')' or ','");
    const std::size_t n = args.size();
    bool ok = n >= f->min_args && (f->max_args == kVariadic || n <= f->max_args);
    if (f->id == FunctionId::WeightedChecklist) ok = ok && n % 2 == 0;
    if (f->id == FunctionId::IndexedRepeat) ok = ok && n % 2 == 1;
    if (!ok) throw ExpressionError(name.position, arity_message(*f, n));
    AstNode call = node(NodeKind::Call, name.position);
    call.function = f->id;
    if (f->id == FunctionId::Regex && p_.nodes[args[1]].kind == NodeKind::Literal) {
      // A literal pattern is compiled once here; errors belong to the form, not the data.
      const AstNode& pattern = p_.nodes[args[1]];
      try {
        p_.regexes.push_back(compile_regex(p_.text(pattern)));
      } catch (const std::invalid_argument& e) {
        throw ExpressionError(pattern.position, e.what());
      }
      call.regex = static_cast<std::int32_t>(p_.regexes.size() - 1);
    }
    return add(call, args);
  }

  std::vector<Token> tokens_;
  std::size_t at_ = 0;
  std::size_t depth_ = 0;
  Program& p_;
};

// Replaces each ${name} in `text` by its resolution; used for string literals.
std::string substitute_references(std::string_view text, std::uint32_t position,
                                  const CompileOptions& options) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("${", i);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::string_view name = text.substr(open + 2, close - open - 2);
    const auto path = options.resolve_reference(name);
    if (!path) throw ExpressionError(position, "unknown reference ${" + std::string(name) + "}");
    out.append(*path);
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

// Splices the tokens of each resolved ${name} into the stream. The spliced tokens carry the
// position of the reference so errors point at what the author wrote.
std::vector<Token> resolve(std::vector<Token> tokens, const CompileOptions& options,
                           std::deque<std::string>& storage) {
  std::vector<Token> out;
  out.reserve(tokens.size());
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::Literal && t.text.find("${") != std::string_view::npos) {
      storage.push_back(substitute_references(t.text, t.position, options));
      Token copy = t;
      copy.text = storage.back();
      out.push_back(copy);
      continue;
    }
    if (t.kind != TokenKind::Ref) {
      out.push_back(t);
      continue;
    }
    const auto path = options.resolve_reference(t.text);
    if (!path)
      throw ExpressionError(t.position, "unknown reference ${" + std::string(t.text) + "}");
    storage.push_back(*path);
    std::vector<Token> inner;
    try {
      inner = tokenize(storage.back());
    } catch (const ExpressionError& e) {
      throw ExpressionError(t.position,
                            "invalid path for ${" + std::string(t.text) + "}: " + e.message);
    }
    for (Token k : inner) {
      if (k.kind == TokenKind::End) break;
      k.position = t.position;
      k.length = t.length;
      out.push_back(k);
    }
  }
  return out;
}

// Finds the sub-expressions of predicates whose value does not depend on the node being tested
// and gives them memo slots (see AstNode::memo_slot).
class InvariantMarker {
 public:
  explicit InvariantMarker(Program& p) : p_(p), known_(p.nodes.size(), 0) {}

  void run() { visit(p_.root, false); }

 private:
  // Whether the node's value is the same for every context node, position and size.
  bool context_free(std::uint32_t index) {
    std::uint8_t& k = known_[index];
    if (k == 0) k = compute(index) ? 1 : 2;
    return k == 1;
  }

  bool all_kids_context_free(const AstNode& n, std::size_t from = 0) {
    bool all = true;
    const auto kids = p_.kids(n);
    for (std::size_t i = from; i < kids.size(); ++i) all = context_free(kids[i]) && all;
    return all;
  }

  bool compute(std::uint32_t index) {
    const AstNode& n = p_.nodes[index];
    switch (n.kind) {
      case NodeKind::Number:
      case NodeKind::Literal: return true;
      case NodeKind::Ref:
      case NodeKind::Step: return false;
      case NodeKind::Path:
        switch (static_cast<PathStart>(n.op)) {
          case PathStart::Context: return false;
          case PathStart::Root: return true;  // predicates of its steps have frames of their own
          case PathStart::Expression: return context_free(p_.kids(n)[0]);
        }
        return false;
      case NodeKind::Filter: return context_free(p_.kids(n)[0]);
      case NodeKind::Call:
        switch (n.function) {
          case FunctionId::Position:
          case FunctionId::String:
          case FunctionId::StringLength:
          case FunctionId::NormalizeSpace:
          case FunctionId::Number:
            if (n.child_count == 0) return false;  // these read the context node
            break;
          case FunctionId::Last:
          case FunctionId::Once:
          // A fresh value per call is the point of these.
          case FunctionId::Random:
          case FunctionId::Uuid:
          case FunctionId::Randomize: return false;
          default: break;
        }
        return all_kids_context_free(n);
      default: return all_kids_context_free(n);
    }
  }

  void visit(std::uint32_t index, bool in_predicate) {
    AstNode& n = p_.nodes[index];
    if (in_predicate && n.kind != NodeKind::Number && n.kind != NodeKind::Literal &&
        context_free(index) && n.memo_slot < 0) {
      n.memo_slot = static_cast<std::int32_t>(p_.memo_slots++);
      in_predicate = false;  // its parts are evaluated only once, through the memo
    }
    const auto kids = p_.kids(n);
    for (std::size_t i = 0; i < kids.size(); ++i) {
      const bool predicate = n.kind == NodeKind::Step || (n.kind == NodeKind::Filter && i > 0);
      visit(kids[i], predicate || in_predicate);
    }
  }

  Program& p_;
  std::vector<std::uint8_t> known_;  // 0 unknown, 1 context-free, 2 not
};

}  // namespace

std::shared_ptr<const Program> parse(std::string_view text, const CompileOptions& options) {
  auto program = std::make_shared<Program>();
  program->source = std::string(text);
  std::vector<Token> tokens = tokenize(program->source);
  std::deque<std::string> storage;
  if (options.resolve_reference) tokens = resolve(std::move(tokens), options, storage);
  Parser parser(std::move(tokens), *program);
  program->root = parser.parse_all();
  InvariantMarker(*program).run();
  return program;
}

}  // namespace gotong::forms::xpath
