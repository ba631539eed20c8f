#include "forms/xpath/evaluator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "forms/xpath/error.hpp"

namespace gotong::forms::xpath {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_comparison(BinaryOp op) { return op <= BinaryOp::GreaterEqual; }

bool is_reverse(Axis a) {
  return a == Axis::Parent || a == Axis::Ancestor || a == Axis::AncestorOrSelf ||
         a == Axis::PrecedingSibling || a == Axis::Preceding;
}

// Value types that compare as numbers under `=`.
bool numeric_type(ValueType t) {
  return t == ValueType::Number || t == ValueType::Date || t == ValueType::DateTime;
}

bool compare_numbers(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::Equal: return a == b;
    case BinaryOp::NotEqual: return a != b;
    case BinaryOp::Less: return a < b;
    case BinaryOp::LessEqual: return a <= b;
    case BinaryOp::Greater: return a > b;
    case BinaryOp::GreaterEqual: return a >= b;
    default: return false;
  }
}

double arithmetic(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::Add: return a + b;
    case BinaryOp::Subtract: return a - b;
    case BinaryOp::Multiply: return a * b;
    case BinaryOp::Divide: return a / b;            // IEEE: 1 div 0 = Infinity, 0 div 0 = NaN
    case BinaryOp::Modulo: return std::fmod(a, b);  // sign of the dividend, as XPath requires
    default: return kNaN;
  }
}

// Swaps the sides of a relational operator, for "value op node-set" written as "node-set op'
// value".
BinaryOp mirror(BinaryOp op) {
  switch (op) {
    case BinaryOp::Less: return BinaryOp::Greater;
    case BinaryOp::LessEqual: return BinaryOp::GreaterEqual;
    case BinaryOp::Greater: return BinaryOp::Less;
    case BinaryOp::GreaterEqual: return BinaryOp::LessEqual;
    default: return op;
  }
}

// The node test of a step against a candidate node. `principal_attribute` is true on the
// attribute axis, where `*` and names match attributes instead of elements.
bool matches(const AstNode& step, std::string_view name, const NodeRef& n,
             bool principal_attribute) {
  switch (step.test) {
    case NodeTest::AnyNode: return true;
    case NodeTest::Text: return n.is_text();
    case NodeTest::Comment:
    case NodeTest::ProcessingInstruction: return false;
    case NodeTest::Name:
    case NodeTest::AnyName:
    case NodeTest::PrefixAnyName: {
      const bool principal =
          principal_attribute ? n.is_attribute() : (n.is_element() && !n.is_document());
      if (!principal) return false;
      if (step.test == NodeTest::AnyName) return true;
      const std::string_view node_name = n.name();
      if (step.test == NodeTest::Name) return node_name == name;
      return node_name.size() > name.size() && node_name.substr(0, name.size()) == name &&
             node_name[name.size()] == ':';
    }
  }
  return false;
}

class AxisWalker {
 public:
  AxisWalker(const AstNode& step, std::string_view name, NodeSet& out)
      : step_(step),
        name_(name),
        out_(out),
        want_text_(step.test == NodeTest::Text || step.test == NodeTest::AnyNode) {}

  void emit(const NodeRef& n, bool attribute_axis = false) {
    if (matches(step_, name_, n, attribute_axis)) out_.push_back(n);
  }
  void emit_text(const Instance& in, NodeId e) {
    if (want_text_ && e != 0 && !in.text(e).empty())
      out_.push_back(NodeRef{&in, e, NodeRef::kText});
  }
  void emit_element(const Instance& in, NodeId e) { emit(in.node(e)); }

  void children(const Instance& in, NodeId e) {
    if (step_.test == NodeTest::Name) {
      // `${x}` paths are mostly child steps by name: compared here directly, without a NodeRef
      // and the general test per sibling (most of a submission's validation time).
      for (NodeId c = in.first_child(e); c != kNoNode; c = in.next_sibling(c))
        if (in.name(c) == name_) out_.push_back(in.node(c));
      return;
    }
    emit_text(in, e);
    for (NodeId c = in.first_child(e); c != kNoNode; c = in.next_sibling(c)) emit_element(in, c);
  }

  // Descendants of `e` in document order (preorder), without recursion.
  void descendants(const Instance& in, NodeId e) {
    emit_text(in, e);
    NodeId n = in.first_child(e);
    while (n != kNoNode) {
      emit_element(in, n);
      emit_text(in, n);
      if (in.first_child(n) != kNoNode) {
        n = in.first_child(n);
        continue;
      }
      while (n != e && in.next_sibling(n) == kNoNode) n = in.parent(n);
      if (n == e) break;
      n = in.next_sibling(n);
    }
  }

  // Descendants in reverse document order.
  void descendants_reversed(const Instance& in, NodeId e) {
    const std::size_t start = out_.size();
    emit_element(in, e);
    descendants(in, e);
    std::reverse(out_.begin() + static_cast<std::ptrdiff_t>(start), out_.end());
  }

 private:
  const AstNode& step_;
  std::string_view name_;
  NodeSet& out_;
  bool want_text_;
};

}  // namespace

void normalize(NodeSet& nodes) {
  if (nodes.size() < 2) return;
  const Instance* in = nodes.front().instance;
  const bool one_instance =
      std::all_of(nodes.begin(), nodes.end(), [in](const NodeRef& n) { return n.instance == in; });
  if (nodes.size() <= 32 || !one_instance) {
    std::sort(nodes.begin(), nodes.end(),
              [](const NodeRef& a, const NodeRef& b) { return compare_document_order(a, b) < 0; });
  } else {
    // Comparing two nodes walks up to their common ancestor, which is slow for many nodes of a
    // deep tree; one preorder walk numbers every element instead.
    std::vector<std::uint32_t> rank(in->element_count());
    std::uint32_t next_rank = 0;
    rank[0] = next_rank++;
    NodeId e = in->first_child(0);
    while (e != kNoNode) {
      rank[e] = next_rank++;
      if (in->first_child(e) != kNoNode) {
        e = in->first_child(e);
        continue;
      }
      while (e != kNoNode && in->next_sibling(e) == kNoNode) e = in->parent(e);
      if (e != kNoNode) e = in->next_sibling(e);
    }
    const auto key = [&](const NodeRef& n) {
      const std::uint64_t local = n.sub == NodeRef::kElement ? 0
                                  : n.sub == NodeRef::kText
                                      ? 0xFFFFFFFFu
                                      : 1 + std::uint64_t{in->attribute_index(n.sub)};
      return (std::uint64_t{rank[n.element]} << 32) | local;
    };
    std::sort(nodes.begin(), nodes.end(),
              [&](const NodeRef& a, const NodeRef& b) { return key(a) < key(b); });
  }
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
}

Evaluator::Evaluator(const Program& program, const EvalContext& context)
    : p_(program),
      ctx_(context),
      current_(context.current.empty() ? context.context : context.current),
      main_(context.main != nullptr ? context.main : context.context.instance),
      top_{context.context, 1, 1} {}

double Evaluator::number_of_text(std::string_view s) const {
  return string_to_number(s, ctx_.timezone_offset_minutes);
}

Value Evaluator::eval(std::uint32_t index, const Frame& f) {
  const AstNode& n = p_.nodes[index];
  if (n.memo_slot < 0) return eval_uncached(index, f);
  if (memo_.empty()) memo_.resize(p_.memo_slots);
  std::optional<Value>& slot = memo_[static_cast<std::size_t>(n.memo_slot)];
  if (!slot) slot = eval_uncached(index, f);
  return *slot;
}

Value Evaluator::eval_uncached(std::uint32_t index, const Frame& f) {
  const AstNode& n = p_.nodes[index];
  switch (n.kind) {
    case NodeKind::Number: return Value::number(n.number);
    case NodeKind::Literal: return Value::borrowed_string(p_.text(n));
    case NodeKind::Ref:
      throw EvaluationError(n.position, "unresolved reference ${" + std::string(p_.text(n)) +
                                            "} (compile with CompileOptions::resolve_reference)");
    case NodeKind::Or:
    case NodeKind::And: return Value::boolean(eval_boolean(index, f));
    case NodeKind::Chain: return eval_chain(n, f);
    case NodeKind::Negate: return Value::number(-eval_number(p_.kids(n)[0], f));
    case NodeKind::Union: return eval_union(n, f);
    case NodeKind::Path: return eval_path(n, f);
    case NodeKind::Filter: return eval_filter(n, f);
    case NodeKind::Call: return call(n, f);
    case NodeKind::Step: break;  // only inside paths
  }
  throw EvaluationError(n.position, "internal error: unexpected node");
}

bool Evaluator::eval_boolean(std::uint32_t index, const Frame& f) {
  const AstNode& n = p_.nodes[index];
  if (n.memo_slot >= 0) return eval(index, f).to_boolean();
  switch (n.kind) {
    case NodeKind::Or:
      for (std::uint32_t k : p_.kids(n)) {
        if (eval_boolean(k, f)) return true;
      }
      return false;
    case NodeKind::And:
      for (std::uint32_t k : p_.kids(n)) {
        if (!eval_boolean(k, f)) return false;
      }
      return true;
    case NodeKind::Literal: return n.text_size != 0;
    case NodeKind::Number: return n.number != 0 && !std::isnan(n.number);
    default: return eval(index, f).to_boolean();
  }
}

double Evaluator::eval_number(std::uint32_t index, const Frame& f) {
  const AstNode& n = p_.nodes[index];
  if (n.memo_slot >= 0) return number_of(eval(index, f));
  switch (n.kind) {
    case NodeKind::Number: return n.number;
    case NodeKind::Negate: return -eval_number(p_.kids(n)[0], f);
    case NodeKind::Chain: return number_of(eval_chain(n, f));
    default: return number_of(eval(index, f));
  }
}

std::string Evaluator::eval_string(std::uint32_t index, const Frame& f) {
  return eval(index, f).to_string();
}

Value Evaluator::eval_chain(const AstNode& n, const Frame& f) {
  const auto kids = p_.kids(n);
  if (!is_comparison(p_.op_before(n, 1))) {
    double acc = eval_number(kids[0], f);
    for (std::uint32_t i = 1; i < kids.size(); ++i)
      acc = arithmetic(p_.op_before(n, i), acc, eval_number(kids[i], f));
    return Value::number(acc);
  }
  Value acc = eval(kids[0], f);
  for (std::uint32_t i = 1; i < kids.size(); ++i) {
    const Value rhs = eval(kids[i], f);
    acc = Value::boolean(compare(p_.op_before(n, i), acc, rhs));
  }
  return acc;
}

bool Evaluator::compare(BinaryOp op, const Value& a, const Value& b) const {
  const bool equality = op == BinaryOp::Equal || op == BinaryOp::NotEqual;
  if (a.is_nodes() && b.is_nodes()) {
    // True when some pair of nodes satisfies the comparison (XPath 1.0 §3.4).
    std::string sa;
    std::string sb;
    if (equality) {
      for (const NodeRef& x : a.node_set()) {
        const std::string_view vx = x.string_value(sa);
        for (const NodeRef& y : b.node_set()) {
          if ((vx == y.string_value(sb)) == (op == BinaryOp::Equal)) return true;
        }
      }
      return false;
    }
    std::vector<double> right;
    right.reserve(b.node_set().size());
    for (const NodeRef& y : b.node_set()) right.push_back(number_of_text(y.string_value(sb)));
    for (const NodeRef& x : a.node_set()) {
      const double nx = number_of_text(x.string_value(sa));
      for (double ny : right) {
        if (compare_numbers(op, nx, ny)) return true;
      }
    }
    return false;
  }
  if (a.is_nodes() || b.is_nodes()) {
    const Value& set = a.is_nodes() ? a : b;
    const Value& other = a.is_nodes() ? b : a;
    const BinaryOp node_op = a.is_nodes() ? op : mirror(op);  // node on the left from here on
    if (other.type() == ValueType::Boolean) {
      const double x = set.to_boolean() ? 1 : 0;
      return compare_numbers(node_op, x, other.to_boolean() ? 1 : 0);
    }
    std::string scratch;
    if (other.type() == ValueType::String && equality) {
      const std::string_view s = other.text();
      for (const NodeRef& x : set.node_set()) {
        if ((x.string_value(scratch) == s) == (op == BinaryOp::Equal)) return true;
      }
      return false;
    }
    const double y = number_of(other);
    for (const NodeRef& x : set.node_set()) {
      if (compare_numbers(node_op, number_of_text(x.string_value(scratch)), y)) return true;
    }
    return false;
  }
  if (equality) {
    if (a.type() == ValueType::Boolean || b.type() == ValueType::Boolean) {
      return (a.to_boolean() == b.to_boolean()) == (op == BinaryOp::Equal);
    }
    if (numeric_type(a.type()) || numeric_type(b.type()))
      return compare_numbers(op, number_of(a), number_of(b));
    std::string sa;
    std::string sb;
    return (a.to_string_view(sa) == b.to_string_view(sb)) == (op == BinaryOp::Equal);
  }
  return compare_numbers(op, number_of(a), number_of(b));
}

NodeSet Evaluator::eval_nodes(std::uint32_t index, const Frame& f, const char* what) {
  Value v = eval(index, f);
  if (!v.is_nodes())
    throw EvaluationError(p_.nodes[index].position, std::string(what) + " needs a node-set");
  return std::move(v.node_set());
}

Value Evaluator::eval_union(const AstNode& n, const Frame& f) {
  NodeSet all;
  for (std::uint32_t k : p_.kids(n)) {
    NodeSet part = eval_nodes(k, f, "'|'");
    all.append(part.begin(), part.end());
  }
  normalize(all);
  return Value::nodes(std::move(all));
}

Value Evaluator::eval_filter(const AstNode& n, const Frame& f) {
  const auto kids = p_.kids(n);
  NodeSet nodes = eval_nodes(kids[0], f, "a predicate");
  apply_predicates(kids.subspan(1), nodes);
  return Value::nodes(std::move(nodes));
}

Value Evaluator::eval_path(const AstNode& n, const Frame& f) {
  auto kids = p_.kids(n);
  NodeSet set;
  switch (static_cast<PathStart>(n.op)) {
    case PathStart::Context:
      if (!f.node.empty()) set.push_back(f.node);
      break;
    case PathStart::Root: {
      // XForms: absolute paths always mean the main instance, also inside a predicate over a
      // secondary instance.
      const Instance* in = main_ != nullptr ? main_ : f.node.instance;
      if (in != nullptr) set.push_back(in->node(in->document()));
      break;
    }
    case PathStart::Expression:
      set = eval_nodes(kids[0], f, "'/'");
      kids = kids.subspan(1);
      break;
  }
  // `flat`: in document order, no duplicates, and no node inside another, so child steps keep
  // the order and need no sorting.
  bool flat = set.size() <= 1;
  const bool contextualize = ctx_.contextualize_repeats && static_cast<PathStart>(n.op) == PathStart::Root &&
                             !ctx_.context.empty() && ctx_.context.instance == main_;
  NodeSet next;
  for (std::uint32_t s : kids) {
    if (set.empty()) break;
    next.clear();
    apply_step(p_.nodes[s], set, next, flat);
    if (contextualize) keep_context_ancestor(next, flat);
    set.swap(next);
  }
  return Value::nodes(std::move(set));
}

// When a step reached an ancestor-or-self of the context node (an element of the main instance),
// the path continues from that one node only: its siblings are other instances of a repeat the
// context is not in.
void Evaluator::keep_context_ancestor(NodeSet& nodes, bool& flat) const {
  if (nodes.size() < 2) return;
  const Instance& in = *ctx_.context.instance;
  for (const NodeRef& node : nodes) {
    if (!node.is_element() || node.instance != &in) continue;
    for (NodeId a = ctx_.context.element; a != kNoNode; a = in.parent(a))
      if (a == node.element) {
        NodeRef keep = node;
        nodes.clear();
        nodes.push_back(keep);
        flat = true;
        return;
      }
  }
}

void Evaluator::apply_step(const AstNode& step, const NodeSet& input, NodeSet& output, bool& flat) {
  const auto axis = static_cast<Axis>(step.op);
  const auto predicates = p_.kids(step);
  const std::string_view name = p_.text(step);
  NodeSet candidates;
  NodeSet& sink = predicates.empty() && !is_reverse(axis) ? output : candidates;
  AxisWalker walk(step, name, sink);
  for (const NodeRef& node : input) {
    if (&sink == &candidates) candidates.clear();
    const Instance& in = *node.instance;
    const NodeId e = node.element;
    switch (axis) {
      case Axis::Child:
        if (node.is_element()) walk.children(in, e);
        break;
      case Axis::Attribute:
        if (node.is_element() && !node.is_document()) {
          for (std::uint32_t a = in.first_attribute(e); a != kNoNode; a = in.next_attribute(a)) {
            walk.emit(NodeRef{&in, e, a}, true);
          }
        }
        break;
      case Axis::Self: walk.emit(node); break;
      case Axis::Parent:
        if (const NodeRef p = node.parent(); !p.empty()) walk.emit(p);
        break;
      case Axis::DescendantOrSelf: walk.emit(node); [[fallthrough]];
      case Axis::Descendant:
        if (node.is_element()) walk.descendants(in, e);
        break;
      case Axis::AncestorOrSelf: walk.emit(node); [[fallthrough]];
      case Axis::Ancestor:
        for (NodeRef p = node.parent(); !p.empty(); p = p.parent()) walk.emit(p);
        break;
      case Axis::FollowingSibling:
        if (node.is_element() && !node.is_document()) {
          for (NodeId s = in.next_sibling(e); s != kNoNode; s = in.next_sibling(s))
            walk.emit_element(in, s);
        }
        break;
      case Axis::PrecedingSibling:
        if (node.is_element() && !node.is_document()) {
          for (NodeId s = in.previous_sibling(e); s != kNoNode; s = in.previous_sibling(s))
            walk.emit_element(in, s);
        }
        break;
      case Axis::Following:
        // An attribute is followed by its element's text and children, a text node by the
        // children.
        if (!node.is_element()) {
          if (node.is_attribute()) walk.emit_text(in, e);
          for (NodeId c = in.first_child(e); c != kNoNode; c = in.next_sibling(c)) {
            walk.emit_element(in, c);
            walk.descendants(in, c);
          }
        }
        for (NodeId a = e; a != kNoNode && a != 0; a = in.parent(a)) {
          for (NodeId s = in.next_sibling(a); s != kNoNode; s = in.next_sibling(s)) {
            walk.emit_element(in, s);
            walk.descendants(in, s);
          }
        }
        break;
      case Axis::Preceding:
        for (NodeId a = e; a != kNoNode && a != 0; a = in.parent(a)) {
          for (NodeId s = in.previous_sibling(a); s != kNoNode; s = in.previous_sibling(s)) {
            walk.descendants_reversed(in, s);
          }
        }
        break;
    }
    if (&sink == &candidates) {
      apply_predicates(predicates, candidates);
      // Predicates count positions along the axis; the result is in document order.
      if (is_reverse(axis)) std::reverse(candidates.begin(), candidates.end());
      output.append(candidates.begin(), candidates.end());
    }
  }
  const bool keeps_order = axis == Axis::Child || axis == Axis::Attribute || axis == Axis::Self;
  if (input.size() > 1 && !(flat && keeps_order)) normalize(output);
  // Children of disjoint nodes are disjoint; nodes around a single node are siblings of each
  // other; anything else may nest.
  const bool around_one =
      input.size() <= 1 && (keeps_order || axis == Axis::Parent || axis == Axis::FollowingSibling ||
                            axis == Axis::PrecedingSibling);
  flat = output.size() <= 1 || (keeps_order && (input.size() <= 1 || flat)) || around_one;
}

// Predicates that can only produce a boolean are evaluated without building a Value; a number
// result would mean a position, so anything that might be a number goes through eval().
bool Evaluator::predicate_is_boolean(const AstNode& n) const {
  switch (n.kind) {
    case NodeKind::Or:
    case NodeKind::And:
    case NodeKind::Path:
    case NodeKind::Union:
    case NodeKind::Literal:
    case NodeKind::Filter: return true;
    case NodeKind::Chain: return is_comparison(p_.op_before(n, 1));
    case NodeKind::Call:
      switch (n.function) {
        case FunctionId::Selected:
        case FunctionId::Not:
        case FunctionId::True:
        case FunctionId::False:
        case FunctionId::Boolean:
        case FunctionId::BooleanFromString:
        case FunctionId::Contains:
        case FunctionId::StartsWith:
        case FunctionId::EndsWith:
        case FunctionId::Regex:
        case FunctionId::Checklist:
        case FunctionId::WeightedChecklist: return true;
        default: return false;
      }
    default: return false;
  }
}

void Evaluator::apply_predicates(std::span<const std::uint32_t> predicates, NodeSet& nodes) {
  for (std::uint32_t pred : predicates) {
    if (nodes.empty()) return;
    const AstNode& pn = p_.nodes[pred];
    if (pn.kind == NodeKind::Number) {  // [2]: no need to evaluate per node
      const double k = pn.number;
      if (k >= 1 && k <= static_cast<double>(nodes.size()) && k == std::floor(k)) {
        const NodeRef keep = nodes[static_cast<std::size_t>(k) - 1];
        nodes.clear();
        nodes.push_back(keep);
      } else {
        nodes.clear();
      }
      continue;
    }
    const bool boolean = predicate_is_boolean(pn);
    const auto size = static_cast<std::uint32_t>(nodes.size());
    std::size_t kept = 0;
    for (std::uint32_t i = 0; i < size; ++i) {
      const Frame frame{nodes[i], i + 1, size};
      bool keep = false;
      if (boolean) {
        keep = eval_boolean(pred, frame);
      } else {
        const Value v = eval(pred, frame);
        keep = v.type() == ValueType::Number ? number_of(v) == i + 1 : v.to_boolean();
      }
      if (keep) nodes[kept++] = nodes[i];
    }
    nodes.erase(nodes.begin() + static_cast<std::ptrdiff_t>(kept), nodes.end());
  }
}

}  // namespace gotong::forms::xpath
