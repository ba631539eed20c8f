// Walks a compiled Program over the data of an EvalContext. Internal to the engine: callers use
// Expression (expression.hpp). One Evaluator serves one evaluation and is cheap to create.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "forms/xpath/ast.hpp"
#include "forms/xpath/context.hpp"
#include "forms/xpath/value.hpp"

namespace gotong::forms::xpath {

class Evaluator {
 public:
  // The context node with its position and size in the node-set being filtered.
  struct Frame {
    NodeRef node;
    std::uint32_t position = 1;
    std::uint32_t size = 1;
  };

  Evaluator(const Program& program, const EvalContext& context);

  Value eval(std::uint32_t index, const Frame& frame);
  bool eval_boolean(std::uint32_t index, const Frame& frame);
  double eval_number(std::uint32_t index, const Frame& frame);
  std::string eval_string(std::uint32_t index, const Frame& frame);

  const Frame& top() const { return top_; }

 private:
  Value eval_uncached(std::uint32_t index, const Frame& frame);
  Value eval_chain(const AstNode& n, const Frame& f);
  Value eval_path(const AstNode& n, const Frame& f);
  Value eval_filter(const AstNode& n, const Frame& f);
  Value eval_union(const AstNode& n, const Frame& f);
  NodeSet eval_nodes(std::uint32_t index, const Frame& f, const char* what);
  bool compare(BinaryOp op, const Value& a, const Value& b) const;
  double number_of(const Value& v) const { return v.to_number(ctx_.timezone_offset_minutes); }
  double number_of_text(std::string_view s) const;
  void apply_step(const AstNode& step, const NodeSet& input, NodeSet& output, bool& flat);
  void keep_context_ancestor(NodeSet& nodes, bool& flat) const;
  void apply_predicates(std::span<const std::uint32_t> predicates, NodeSet& nodes);
  bool predicate_is_boolean(const AstNode& n) const;

  // Function calls (functions.cpp).
  Value call(const AstNode& n, const Frame& f);
  std::string context_string(const Frame& f) const;
  Value to_date(const Value& v) const;
  Value to_date_time(const Value& v) const;
  double local_millis(const Value& v) const;
  double decimal_time(const Value& v) const;
  RandomSource& random();

  const Program& p_;
  const EvalContext& ctx_;
  NodeRef current_;
  const Instance* main_;
  Frame top_;
  std::vector<std::optional<Value>> memo_;  // by AstNode::memo_slot
};

// Sorts into document order and drops duplicates.
void normalize(NodeSet& nodes);

}  // namespace gotong::forms::xpath
