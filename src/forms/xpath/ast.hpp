// The compiled form of an expression: a flat array of nodes that the evaluator walks, so that a
// form's expressions are parsed once and evaluated over many submissions.
#pragma once

#include <cstdint>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "forms/xpath/function_table.hpp"

namespace gotong::forms::xpath {

enum class NodeKind : std::uint8_t {
  Number,   // `number`
  Literal,  // text
  Ref,      // unresolved ${name}; text = name
  Or,       // children: operands (n-ary, short-circuit)
  And,
  Chain,   // left-associative chain of comparisons or arithmetic: operand op operand op ...
  Negate,  // child 0
  Union,   // children: operands
  Path,    // op = PathStart; children: [start expression,] steps
  Step,    // op = Axis, test, text = name or prefix; children: predicates
  Filter,  // child 0: primary expression; then predicates
  Call,    // function; children: arguments
};

enum class BinaryOp : std::uint8_t {
  Equal,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  Add,
  Subtract,
  Multiply,
  Divide,
  Modulo,
};

enum class Axis : std::uint8_t {
  Child,
  Attribute,
  Self,
  Parent,
  Descendant,
  DescendantOrSelf,
  Ancestor,
  AncestorOrSelf,
  FollowingSibling,
  PrecedingSibling,
  Following,
  Preceding,
};

enum class NodeTest : std::uint8_t {
  Name,
  AnyName,
  PrefixAnyName,
  AnyNode,
  Text,
  Comment,
  ProcessingInstruction,
};

enum class PathStart : std::uint8_t { Context, Root, Expression };

struct AstNode {
  NodeKind kind = NodeKind::Literal;
  std::uint8_t op = 0;  // PathStart for Path, Axis for Step
  NodeTest test = NodeTest::Name;
  FunctionId function = FunctionId::True;
  std::uint32_t position = 0;  // byte offset in the source, for error messages
  std::uint32_t first_child = 0;
  std::uint32_t child_count = 0;
  std::uint32_t text_offset = 0;  // in Program::strings
  std::uint32_t text_size = 0;
  std::int32_t regex = -1;  // index in Program::regexes for regex() with a literal pattern
  // Inside a predicate, a sub-expression that does not depend on the predicate's node (such as
  // current()/../province) gets a slot: it is evaluated once per evaluation, not once per node.
  std::int32_t memo_slot = -1;
  double number = 0;
};

struct Program {
  std::string source;
  std::string strings;
  std::vector<AstNode> nodes;
  std::vector<std::uint32_t> children;
  // Parallel to `children`: for a Chain operand after the first, the operator before it.
  std::vector<BinaryOp> child_ops;
  std::vector<std::regex> regexes;
  std::uint32_t memo_slots = 0;
  std::uint32_t root = 0;

  std::string_view text(const AstNode& n) const {
    return std::string_view(strings).substr(n.text_offset, n.text_size);
  }
  std::span<const std::uint32_t> kids(const AstNode& n) const {
    return std::span<const std::uint32_t>(children).subspan(n.first_child, n.child_count);
  }
  BinaryOp op_before(const AstNode& chain, std::uint32_t i) const {
    return child_ops[chain.first_child + i];
  }
};

}  // namespace gotong::forms::xpath
