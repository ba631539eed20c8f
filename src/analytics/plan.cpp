#include "analytics/plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <set>
#include <unordered_map>

#include "forms/xpath/ast.hpp"
#include "forms/xpath/expression.hpp"
#include "forms/xpath/parser.hpp"
#include "forms/xpath/value.hpp"

namespace gotong::analytics {

namespace xform = forms::xform;
namespace xpath = forms::xpath;

// -- dimensions and cells -------------------------------------------------------------------

namespace {

std::string whole(double v) { return std::to_string(static_cast<long long>(std::llround(v))); }

}  // namespace

std::string band_label(double age, const std::vector<double>& bands) {
  std::size_t i = 0;
  while (i < bands.size() && age >= bands[i]) ++i;
  const std::string low = i == 0 ? "0" : whole(bands[i - 1]);
  if (i == bands.size()) return low + "+";
  return low + "-" + whole(bands[i] - 1);
}

std::vector<std::string> band_labels(const std::vector<double>& bands) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i <= bands.size(); ++i)
    out.push_back(band_label(i == 0 ? -1 : bands[i - 1], bands));
  return out;
}

std::string area_prefix(std::string_view key, int level) {
  if (key.empty() || level <= 0) return {};
  std::size_t at = 0;
  for (int seen = 1;; ++seen) {
    const std::size_t dot = key.find('.', at);
    if (seen == level) return std::string(key.substr(0, dot));
    if (dot == std::string_view::npos) return {};
    at = dot + 1;
  }
}

std::string join_cell(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back(kCellSeparator);
    out += values[i];
  }
  return out;
}

std::vector<std::string> split_cell(std::string_view cell, std::size_t dimensions) {
  std::vector<std::string> out;
  if (dimensions == 0) return out;
  std::size_t at = 0;
  for (std::size_t i = 0; i < dimensions; ++i) {
    const std::size_t sep = cell.find(kCellSeparator, at);
    out.emplace_back(cell.substr(at, sep == std::string_view::npos ? std::string_view::npos : sep - at));
    at = sep == std::string_view::npos ? cell.size() : sep + 1;
  }
  return out;
}

Accumulator& Aggregation::at(std::string_view period, std::string_view cell) {
  key_.assign(period);
  key_.push_back('\x1e');
  key_.append(cell);
  auto it = cells_.find(key_);
  if (it == cells_.end()) it = cells_.emplace(key_, Accumulator{}).first;
  return it->second;
}

// -- the plan ----------------------------------------------------------------------------------

namespace {

// A field's place in the record: its table and column. table -1: not in this version.
struct Column {
  int table = -1;
  int column = -1;
};

// One side of a direct comparison.
struct Operand {
  enum class Kind { column, text, number, absent };
  Kind kind = Kind::text;
  Column col;
  std::string text;
  double number = 0;  // number: the literal; text: the literal as XPath reads it as a number
};

// A filter compiled to tests on record columns.
struct Test {
  enum class Op { always, never, all_of, any_of, negate, compare, selected };
  Op op = Op::always;
  std::vector<Test> kids;
  xpath::BinaryOp cmp = xpath::BinaryOp::Equal;
  Operand lhs, rhs;
};

struct Filter {
  bool present = false;
  bool direct = false;
  Test test;
  xpath::Expression expression;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool compare_numbers(xpath::BinaryOp op, double a, double b) {
  switch (op) {
    case xpath::BinaryOp::Equal:
      return a == b;
    case xpath::BinaryOp::NotEqual:
      return a != b;
    case xpath::BinaryOp::Less:
      return a < b;
    case xpath::BinaryOp::LessEqual:
      return a <= b;
    case xpath::BinaryOp::Greater:
      return a > b;
    case xpath::BinaryOp::GreaterEqual:
      return a >= b;
    default:
      return false;
  }
}

// "value op column" read as "column op' value".
xpath::BinaryOp mirror(xpath::BinaryOp op) {
  switch (op) {
    case xpath::BinaryOp::Less:
      return xpath::BinaryOp::Greater;
    case xpath::BinaryOp::LessEqual:
      return xpath::BinaryOp::GreaterEqual;
    case xpath::BinaryOp::Greater:
      return xpath::BinaryOp::Less;
    case xpath::BinaryOp::GreaterEqual:
      return xpath::BinaryOp::LessEqual;
    default:
      return op;
  }
}

bool is_numeric_type(const xform::Node& n) {
  return n.type == "int" || n.type == "integer" || n.type == "long" || n.type == "short" ||
         n.type == "decimal" || n.type == "double" || n.type == "float" ||
         n.control.empty();  // calculate: any text
}

bool is_date_type(const xform::Node& n) {
  return n.type == "date" || n.type == "dateTime" || n.control.empty();
}

}  // namespace

struct Plan::Impl {
  const xform::Schema& schema;
  const xform::Layout& layout;
  Spec spec;
  bool strict;
  int unit_table = 0;          // -1: the unit's repeat is not in this version (no units)
  std::vector<bool> in_chain;  // per table: the unit's table or one of its ancestors
  Column value, denominator, period;
  struct DimensionColumn {
    Dimension::Kind kind;
    Column col;
    const std::vector<double>* bands = nullptr;
    int level = 0;
  };
  std::vector<DimensionColumn> dims;
  Filter filter, denominator_filter;
  bool needs_instance = false;
  int max_main_column = -1;  // the last column of the main row anything reads
  std::string absent_path;   // where names this version lacks point (nothing is there)

  Impl(const xform::Schema& s, const xform::Layout& l, const Spec& sp, bool st)
      : schema(s), layout(l), spec(sp), strict(st) {
    absent_path = "/" + schema.root + "/__gotong_absent__";
    find_unit();
    const Calculation c = spec.calculation;
    if (needs_value_field(c) && spec.value_field.empty())
      throw PlanError("value_field", "is required for " + std::string(calculation_name(c)));
    if (!needs_value_field(c) && !spec.value_field.empty())
      throw PlanError("value_field", "is only used by sum, mean, median, ratio and distinct_count");
    if (c == Calculation::ratio && spec.denominator_field.empty())
      throw PlanError("denominator_field", "is required for a ratio");
    if (c != Calculation::ratio && !spec.denominator_field.empty())
      throw PlanError("denominator_field", "is only used by ratio");
    if (c != Calculation::percentage && !spec.denominator_filter.empty())
      throw PlanError("denominator_filter", "is only used by percentage");
    const bool numeric = c != Calculation::distinct_count;
    if (!spec.value_field.empty()) value = locate("value_field", spec.value_field, numeric ? "number" : "");
    if (!spec.denominator_field.empty())
      denominator = locate("denominator_field", spec.denominator_field, "number");
    if (!spec.period_field.empty()) period = locate("period_field", spec.period_field, "date");
    for (std::size_t i = 0; i < spec.dimensions.size(); ++i) {
      const Dimension& d = spec.dimensions[i];  // the plan's own copy: `bands` may point into it
      const std::string at = "dimensions[" + std::to_string(i) + "]";
      DimensionColumn dc{d.kind, {}, &d.bands, d.level};
      if (d.kind == Dimension::Kind::area) {
        if (strict && area_column() < 0)
          throw PlanError(at + ".kind", "the form has no top-level field named 'area' to disaggregate by");
      } else {
        dc.col = locate(at + ".field", d.field, d.kind == Dimension::Kind::age_band ? "number" : "");
      }
      dims.push_back(dc);
    }
    compile_filter("filter", spec.filter, filter);
    compile_filter("denominator_filter", spec.denominator_filter, denominator_filter);
    needs_instance =
        (filter.present && !filter.direct) || (denominator_filter.present && !denominator_filter.direct);
  }

  int area_column() const {
    const auto& main = layout.tables.at(0);
    for (std::size_t i = 0; i < main.fields.size(); ++i)
      if (schema.nodes[static_cast<std::size_t>(main.fields[i])].name == "area") return static_cast<int>(i);
    return -1;
  }

  void find_unit() {
    in_chain.assign(layout.tables.size(), false);
    if (!spec.unit.empty()) {
      unit_table = -1;
      for (std::size_t t = 1; t < layout.tables.size(); ++t)
        if (layout.tables[t].name == spec.unit) unit_table = static_cast<int>(t);
      if (unit_table < 0) {
        if (strict) throw PlanError("unit", "the form has no repeat named '" + spec.unit + "'");
        return;
      }
    }
    for (int t = unit_table; t >= 0; t = layout.tables[static_cast<std::size_t>(t)].parent_table)
      in_chain[static_cast<std::size_t>(t)] = true;
  }

  std::string unit_words() const {
    return spec.unit.empty() ? "each submission" : "each '" + spec.unit + "'";
  }

  // A field named `name` that the unit's row (or a row enclosing it) holds.
  Column locate(const std::string& member, const std::string& name, std::string_view kind) {
    int found = -1;
    for (std::size_t i = 0; i < schema.nodes.size(); ++i)
      if (schema.nodes[i].kind == xform::NodeKind::field && schema.nodes[i].name == name) {
        found = static_cast<int>(i);
        break;
      }
    if (found < 0) {
      if (strict) throw PlanError(member, "the form has no field named '" + name + "'");
      return {};
    }
    const auto idx = static_cast<std::size_t>(found);
    const xform::Node& node = schema.nodes[idx];
    const int table = layout.table_of[idx];
    if (unit_table < 0 || !in_chain[static_cast<std::size_t>(table)]) {
      if (strict)
        throw PlanError(member, "'" + name + "' is inside the repeat '" +
                                    layout.tables[static_cast<std::size_t>(table)].name +
                                    "': it has one value per repeat row, not one for " + unit_words() +
                                    " (count each '" + layout.tables[static_cast<std::size_t>(table)].name +
                                    "' instead)");
      return {};
    }
    if (strict && kind == "number" && !is_numeric_type(node))
      throw PlanError(member, "'" + name + "' is a " + node.type + " field, not a number");
    if (strict && kind == "date" && !is_date_type(node))
      throw PlanError(member, "'" + name + "' is a " + node.type + " field, not a date");
    return note(Column{table, layout.column_of[idx]});
  }

  Column note(Column c) {
    if (c.table == 0) max_main_column = std::max(max_main_column, c.column);
    return c;
  }

  // The record column a path names: column, absent (not in this version) or nullopt (a group,
  // a repeat, or a field of a row that is not the unit's or an enclosing one: several values).
  std::optional<Operand> path_operand(std::string_view path) {
    Operand o;
    const int idx = schema.index_of(path);
    if (idx < 0) {
      o.kind = Operand::Kind::absent;
      return o;
    }
    const auto i = static_cast<std::size_t>(idx);
    if (schema.nodes[i].kind != xform::NodeKind::field) return std::nullopt;
    const int table = layout.table_of[i];
    if (unit_table < 0 || !in_chain[static_cast<std::size_t>(table)]) return std::nullopt;
    o.kind = Operand::Kind::column;
    o.col = note(Column{table, layout.column_of[i]});
    return o;
  }

  std::optional<Operand> operand(const xpath::Program& p, std::uint32_t index) {
    const xpath::AstNode& n = p.nodes[index];
    Operand o;
    switch (n.kind) {
      case xpath::NodeKind::Literal:
        o.kind = Operand::Kind::text;
        o.text = std::string(p.text(n));
        o.number = xpath::string_to_number(o.text, spec.timezone_minutes);
        return o;
      case xpath::NodeKind::Number:
        o.kind = Operand::Kind::number;
        o.number = n.number;
        return o;
      case xpath::NodeKind::Negate: {
        const auto kids = p.kids(n);
        if (kids.size() != 1 || p.nodes[kids[0]].kind != xpath::NodeKind::Number) return std::nullopt;
        o.kind = Operand::Kind::number;
        o.number = -p.nodes[kids[0]].number;
        return o;
      }
      case xpath::NodeKind::Path: {
        if (static_cast<xpath::PathStart>(n.op) != xpath::PathStart::Root || n.child_count == 0)
          return std::nullopt;
        std::string path;
        for (std::uint32_t k : p.kids(n)) {
          const xpath::AstNode& step = p.nodes[k];
          if (step.kind != xpath::NodeKind::Step || static_cast<xpath::Axis>(step.op) != xpath::Axis::Child ||
              step.test != xpath::NodeTest::Name || step.child_count != 0)
            return std::nullopt;
          path.push_back('/');
          path.append(p.text(step));
        }
        return path_operand(path);
      }
      default:
        return std::nullopt;
    }
  }

  std::optional<Test> build(const xpath::Program& p, std::uint32_t index) {
    const xpath::AstNode& n = p.nodes[index];
    Test t;
    switch (n.kind) {
      case xpath::NodeKind::And:
      case xpath::NodeKind::Or:
        t.op = n.kind == xpath::NodeKind::And ? Test::Op::all_of : Test::Op::any_of;
        for (std::uint32_t k : p.kids(n)) {
          auto kid = build(p, k);
          if (!kid) return std::nullopt;
          t.kids.push_back(std::move(*kid));
        }
        return t;
      case xpath::NodeKind::Chain: {
        const auto kids = p.kids(n);
        if (kids.size() != 2) return std::nullopt;
        const xpath::BinaryOp op = p.op_before(n, 1);
        if (op > xpath::BinaryOp::GreaterEqual) return std::nullopt;  // arithmetic
        auto a = operand(p, kids[0]);
        auto b = operand(p, kids[1]);
        if (!a || !b) return std::nullopt;
        const bool a_field = a->kind == Operand::Kind::column || a->kind == Operand::Kind::absent;
        const bool b_field = b->kind == Operand::Kind::column || b->kind == Operand::Kind::absent;
        if (!a_field && !b_field) return std::nullopt;  // two literals: rare, left to the engine
        t.op = Test::Op::compare;
        if (a_field) {
          t.cmp = op;
          t.lhs = std::move(*a);
          t.rhs = std::move(*b);
        } else {
          t.cmp = mirror(op);
          t.lhs = std::move(*b);
          t.rhs = std::move(*a);
        }
        return t;
      }
      case xpath::NodeKind::Call: {
        const auto kids = p.kids(n);
        if (n.function == xpath::FunctionId::True && kids.empty()) {
          t.op = Test::Op::always;
          return t;
        }
        if (n.function == xpath::FunctionId::False && kids.empty()) {
          t.op = Test::Op::never;
          return t;
        }
        if (n.function == xpath::FunctionId::Not && kids.size() == 1) {
          auto kid = build(p, kids[0]);
          if (!kid) return std::nullopt;
          t.op = Test::Op::negate;
          t.kids.push_back(std::move(*kid));
          return t;
        }
        if (n.function == xpath::FunctionId::Selected && kids.size() == 2) {
          auto list = operand(p, kids[0]);
          if (!list || (list->kind != Operand::Kind::column && list->kind != Operand::Kind::absent))
            return std::nullopt;
          if (p.nodes[kids[1]].kind != xpath::NodeKind::Literal) return std::nullopt;
          t.op = Test::Op::selected;
          t.lhs = std::move(*list);
          t.rhs.kind = Operand::Kind::text;
          t.rhs.text = std::string(trim(p.text(p.nodes[kids[1]])));
          return t;
        }
        return std::nullopt;
      }
      default:
        return std::nullopt;
    }
  }

  void compile_filter(const std::string& member, const std::string& text, Filter& f) {
    if (trim(text).empty()) return;
    f.present = true;
    xpath::CompileOptions options;
    options.resolve_reference = [&](std::string_view name) -> std::optional<std::string> {
      for (const auto& n : schema.nodes)
        if (n.name == name && n.kind != xform::NodeKind::group) return n.path;
      if (strict) return std::nullopt;  // "unknown reference ${name}"
      return absent_path;
    };
    std::shared_ptr<const xpath::Program> program;
    try {
      program = xpath::parse(text, options);
    } catch (const xpath::ExpressionError& e) {
      throw PlanError(
          member, "does not parse: " + e.message + " (at character " + std::to_string(e.position + 1) + ")");
    }
    if (strict)
      for (const auto& n : program->nodes)
        if (n.kind == xpath::NodeKind::Call &&
            (n.function == xpath::FunctionId::Now || n.function == xpath::FunctionId::Today ||
             n.function == xpath::FunctionId::Random || n.function == xpath::FunctionId::Uuid ||
             n.function == xpath::FunctionId::Randomize || n.function == xpath::FunctionId::Once))
          throw PlanError(
              member,
              "must give the same answer whenever it is evaluated: now(), today(), random(), uuid(), "
              "randomize() and once() are not allowed");
    if (!spec.force_engine) {
      if (auto t = build(*program, program->root)) {
        f.direct = true;
        f.test = std::move(*t);
      }
    }
    f.expression = xpath::Expression(program);
  }

  // -- evaluation ------------------------------------------------------------------------------

  static std::string_view value_in(const Column& c, const Scratch& s) {
    if (c.table < 0) return {};
    const xform::RecordRow* row = s.chain[static_cast<std::size_t>(c.table)];
    if (!row || c.column < 0 || static_cast<std::size_t>(c.column) >= row->values.size()) return {};
    return row->values[static_cast<std::size_t>(c.column)];
  }

  bool run(const Test& t, const Scratch& s) const {
    switch (t.op) {
      case Test::Op::always:
        return true;
      case Test::Op::never:
        return false;
      case Test::Op::all_of:
        for (const auto& k : t.kids)
          if (!run(k, s)) return false;
        return true;
      case Test::Op::any_of:
        for (const auto& k : t.kids)
          if (run(k, s)) return true;
        return false;
      case Test::Op::negate:
        return !run(t.kids[0], s);
      case Test::Op::selected: {
        if (t.lhs.kind == Operand::Kind::absent) return false;
        const std::string_view list = value_in(t.lhs.col, s);
        std::size_t i = 0;
        while (i < list.size()) {
          while (i < list.size() && is_space(list[i])) ++i;
          std::size_t j = i;
          while (j < list.size() && !is_space(list[j])) ++j;
          if (j > i && list.substr(i, j - i) == t.rhs.text) return true;
          i = j;
        }
        return false;
      }
      case Test::Op::compare: {
        // XPath 1.0 with a one-node set on the left: an absent node satisfies nothing.
        if (t.lhs.kind == Operand::Kind::absent || t.rhs.kind == Operand::Kind::absent) return false;
        const bool equality = t.cmp == xpath::BinaryOp::Equal || t.cmp == xpath::BinaryOp::NotEqual;
        const std::string_view a = value_in(t.lhs.col, s);
        const int tz = spec.timezone_minutes;
        switch (t.rhs.kind) {
          case Operand::Kind::column: {
            const std::string_view b = value_in(t.rhs.col, s);
            if (equality) return (a == b) == (t.cmp == xpath::BinaryOp::Equal);
            return compare_numbers(t.cmp, xpath::string_to_number(a, tz), xpath::string_to_number(b, tz));
          }
          case Operand::Kind::text:
            if (equality) return (a == t.rhs.text) == (t.cmp == xpath::BinaryOp::Equal);
            return compare_numbers(t.cmp, xpath::string_to_number(a, tz), t.rhs.number);
          case Operand::Kind::number:
            return compare_numbers(t.cmp, xpath::string_to_number(a, tz), t.rhs.number);
          case Operand::Kind::absent:
            return false;
        }
        return false;
      }
    }
    return false;
  }

  // The form's instance as the record holds it: every field of the version present, in the
  // form's order, empty when unanswered.
  void build_instance(Scratch& s, std::size_t nrows) const {
    auto& in = s.instance;
    in.clear();
    s.element_of_row.assign(nrows, xpath::kNoNode);
    std::vector<std::size_t> parent(nrows, 0);
    for (std::size_t i = 1; i < nrows; ++i) {
      const std::string_view pk = xform::parent_key(s.rows[i].key);
      for (std::size_t j = 1; j < i && !pk.empty(); ++j)
        if (s.rows[j].key == pk) parent[i] = j;
    }
    const xpath::NodeId root = in.add_element(in.document(), schema.root);
    s.element_of_row[0] = root;
    if (!schema.nodes.empty()) emit(s, parent, nrows, 0, root, 0);
    s.instance_built = true;
  }

  void emit(Scratch& s, const std::vector<std::size_t>& parent, std::size_t nrows, int ni, xpath::NodeId e,
            std::size_t r) const {
    auto& in = s.instance;
    for (int ci : schema.nodes[static_cast<std::size_t>(ni)].children) {
      const auto c = static_cast<std::size_t>(ci);
      const xform::Node& node = schema.nodes[c];
      if (node.kind == xform::NodeKind::field) {
        const auto col = static_cast<std::size_t>(layout.column_of[c]);
        const auto& row = s.rows[r];
        in.add_element(e, node.name, col < row.values.size() ? row.values[col] : std::string_view());
      } else if (node.kind == xform::NodeKind::group) {
        emit(s, parent, nrows, ci, in.add_element(e, node.name), r);
      } else {
        const int table = layout.table_of[c];
        for (std::size_t j = 1; j < nrows; ++j) {
          if (s.rows[j].table != table || parent[j] != r) continue;
          const xpath::NodeId re = in.add_element(e, node.name);
          s.element_of_row[j] = re;
          emit(s, parent, nrows, ci, re, j);
        }
      }
    }
  }

  bool passes(const Filter& f, Scratch& s, std::size_t row, std::size_t nrows) const {
    if (!f.present) return true;
    if (f.direct) return run(f.test, s);
    if (!s.instance_built) build_instance(s, nrows);
    if (s.element_of_row[row] == xpath::kNoNode) return false;  // a row the form has no place for
    xpath::EvalContext ctx;
    ctx.context = s.instance.node(s.element_of_row[row]);
    ctx.main = &s.instance;
    ctx.contextualize_repeats = true;  // `${m_age}` for a member row means that member's age
    ctx.timezone_offset_minutes = spec.timezone_minutes;
    try {
      return f.expression.evaluate_boolean(ctx);
    } catch (const std::exception&) {
      return false;  // an expression that fails on this data does not count the unit
    }
  }

  void unit(Scratch& s, std::size_t row, std::size_t nrows, std::int64_t submitted_at,
            std::string_view area_key, std::int64_t sign, Aggregation& out) const {
    std::string date;
    if (period.table >= 0 || !spec.period_field.empty()) {
      const std::string_view v = value_in(period, s);
      if (v.size() < 10 || !valid_date(v.substr(0, 10))) return;  // undated: in no period
      date = std::string(v.substr(0, 10));
    } else {
      date = local_date(submitted_at, spec.timezone_minutes);
    }
    if (date < spec.start || date > spec.end) return;
    const Calculation c = spec.calculation;
    if (c == Calculation::percentage && !passes(denominator_filter, s, row, nrows)) return;
    const bool pass = passes(filter, s, row, nrows);
    s.cell.clear();
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if (i) s.cell.push_back(kCellSeparator);
      const auto& d = dims[i];
      switch (d.kind) {
        case Dimension::Kind::field:
          s.cell.append(value_in(d.col, s));
          break;
        case Dimension::Kind::age_band: {
          const auto age = xpath::parse_number(value_in(d.col, s));
          if (age && std::isfinite(*age)) s.cell += band_label(*age, *d.bands);
          break;
        }
        case Dimension::Kind::area:
          s.cell += area_prefix(area_key, d.level);
          break;
      }
    }
    Accumulator& a = out.at(period_of(date, spec.frequency), s.cell);
    a.n_b += sign;
    if (!pass) return;
    switch (c) {
      case Calculation::count:
      case Calculation::percentage:
        a.n += sign;
        break;
      case Calculation::sum:
      case Calculation::mean:
      case Calculation::median: {
        const auto v = to_fixed(value_in(value, s));
        if (!v) break;
        a.n += sign;
        a.sum_a += sign * *v;
        if (c == Calculation::median) {
          auto it = a.numbers.try_emplace(*v, 0).first;
          if ((it->second += sign) == 0) a.numbers.erase(it);
        }
        break;
      }
      case Calculation::ratio:
        // An unanswered part of a ratio counts as 0 ("children with diarrhoea" is empty when none had it).
        a.n += sign;
        a.sum_a += sign * to_fixed(value_in(value, s)).value_or(0);
        a.sum_b += sign * to_fixed(value_in(denominator, s)).value_or(0);
        break;
      case Calculation::distinct_count: {
        const std::string_view v = value_in(value, s);
        if (v.empty()) break;
        a.n += sign;
        auto it = a.texts.try_emplace(std::string(v), 0).first;
        if ((it->second += sign) == 0) a.texts.erase(it);
        break;
      }
    }
  }
};

Plan::Plan(const xform::Schema& schema, const xform::Layout& layout, const Spec& spec, bool strict)
    : impl_(std::make_unique<Impl>(schema, layout, spec, strict)) {}
Plan::~Plan() = default;
Plan::Plan(Plan&&) noexcept = default;

bool Plan::direct_filters() const { return !impl_->needs_instance; }

void Plan::add(std::string_view record, std::int64_t submitted_at, std::string_view area_key,
               std::int64_t sign, Aggregation& out, Scratch& s) const {
  const Impl& p = *impl_;
  if (p.unit_table < 0) return;
  // Units of the main table with direct filters need the main row only, and of it only the
  // columns up to the last one read: a scan for separators, stopped early.
  const bool all_rows = p.unit_table != 0 || p.needs_instance;
  std::size_t nrows = 0;
  if (!all_rows) {
    if (s.rows.empty()) s.rows.emplace_back();
    auto& values = s.rows[0].values;
    values.clear();
    const char* at = record.data();
    const char* end = at + record.size();
    if (const void* rs = std::memchr(at, '\x1e', record.size())) end = static_cast<const char*>(rs);
    for (int col = 0; col <= p.max_main_column; ++col) {
      const char* sep = static_cast<const char*>(std::memchr(at, '\x1f', static_cast<std::size_t>(end - at)));
      const char* stop = sep ? sep : end;
      values.emplace_back(at, static_cast<std::size_t>(stop - at));
      if (!sep) break;
      at = sep + 1;
    }
    s.rows[0].table = 0;
    s.rows[0].key = {};
    nrows = 1;
  } else {
    try {
      xform::RecordReader reader(record);
      for (;;) {
        if (nrows == s.rows.size()) s.rows.emplace_back();
        if (!reader.next(s.rows[nrows])) break;
        ++nrows;
      }
    } catch (const xform::XFormError&) {
      return;  // a damaged record: nothing to count (it was made by encode_record, so this is theory)
    }
  }
  if (nrows == 0) return;
  s.instance_built = false;
  s.chain.assign(p.layout.tables.size(), nullptr);
  s.chain[0] = &s.rows[0];
  if (p.unit_table == 0) {
    p.unit(s, 0, nrows, submitted_at, area_key, sign, out);
    return;
  }
  for (std::size_t i = 1; i < nrows; ++i) {
    if (s.rows[i].table != p.unit_table) continue;
    // The unit's row and the rows enclosing it (for one level of repeats: the main row).
    std::size_t r = i;
    for (int t = p.unit_table; t > 0; t = p.layout.tables[static_cast<std::size_t>(t)].parent_table) {
      s.chain[static_cast<std::size_t>(t)] = &s.rows[r];
      const std::string_view pk = xform::parent_key(s.rows[r].key);
      std::size_t parent = 0;
      for (std::size_t j = 1; j < r && !pk.empty(); ++j)
        if (s.rows[j].key == pk) parent = j;
      r = parent;
    }
    p.unit(s, i, nrows, submitted_at, area_key, sign, out);
  }
}


// -- the columnar path -------------------------------------------------------------------------
// What unit() computes per unit is a function of a few columns' answers (and of the date and the
// area key); a block holds each column's distinct answers once, so each test, dimension value and
// number is worked out once per distinct answer (or combination of answers, for a filter reading
// several columns) by the very code of the row path, and each unit only combines small integers.

namespace {

void test_columns(const Test& t, std::vector<Column>& out) {
  for (const Operand* o : {&t.lhs, &t.rhs})
    if (o->kind == Operand::Kind::column &&
        std::none_of(out.begin(), out.end(),
                     [&](const Column& c) { return c.table == o->col.table && c.column == o->col.column; }))
      out.push_back(o->col);
  for (const auto& k : t.kids) test_columns(k, out);
}

const std::vector<std::string_view> kOnlyEmpty = {std::string_view()};

// A column of a block as the units see it: the code of unit u's row (or its ancestor's).
struct Source {
  const CodedColumn* column = nullptr;        // nullptr: "" for every unit
  const std::vector<std::uint32_t>* row = nullptr;  // unit → row of the column's table; nullptr: the unit itself
  const std::vector<std::string_view>& dict() const { return column ? column->dict : kOnlyEmpty; }
  std::uint32_t code(std::size_t u) const {
    if (!column) return 0;
    return column->codes[row ? (*row)[u] : u];
  }
};

}  // namespace

std::vector<std::string> Plan::block_parts() const {
  const Impl& p = *impl_;
  std::set<std::string> parts{"state", "exc"};
  if (p.spec.period_field.empty()) parts.insert("time");
  std::vector<Column> cols{p.value, p.denominator, p.period};
  for (const auto& d : p.dims) {
    if (d.kind == Dimension::Kind::area) parts.insert("area");
    else cols.push_back(d.col);
  }
  if (p.filter.present) test_columns(p.filter.test, cols);
  if (p.denominator_filter.present) test_columns(p.denominator_filter.test, cols);
  for (const auto& c : cols)
    if (c.table >= 0 && c.column >= 0) parts.insert("c" + std::to_string(c.table) + "." + std::to_string(c.column));
  for (int t = p.unit_table; t > 0; t = p.layout.tables[static_cast<std::size_t>(t)].parent_table)
    parts.insert("t" + std::to_string(t));
  return {parts.begin(), parts.end()};
}

void Plan::add_block(const ColumnBlock& b, const std::vector<bool>& counted, Aggregation& out,
                     Scratch& scratch) const {
  const Impl& p = *impl_;
  if (p.unit_table < 0 || b.rows == 0) return;
  if (p.needs_instance) throw std::logic_error("Plan::add_block needs direct filters");
  if (b.state.size() != b.rows || counted.size() != b.rows) throw BlockError("submission block: no state part");
  // Records kept whole go through the row path.
  for (const auto& e : b.exceptions)
    if (counted[e.row]) add(e.record, e.submitted_at, e.area, 1, out, scratch);

  // The units, and for each the row of every table on its chain (the unit's own, its parent's, …).
  const std::size_t ntables = p.layout.tables.size();
  auto rows_of = [&](int t) -> std::size_t {
    if (t == 0) return b.rows;
    const auto ti = static_cast<std::size_t>(t);
    return ti < b.parent.size() ? b.parent[ti].size() : 0;
  };
  const std::size_t units = rows_of(p.unit_table);
  if (units == 0) return;
  std::vector<std::vector<std::uint32_t>> chain_rows(ntables);
  std::vector<const std::vector<std::uint32_t>*> row_of(ntables, nullptr);  // nullptr: the unit itself
  for (int t = p.unit_table; t > 0; t = p.layout.tables[static_cast<std::size_t>(t)].parent_table) {
    const int up = p.layout.tables[static_cast<std::size_t>(t)].parent_table;
    if (up < 0) break;
    if (static_cast<std::size_t>(t) >= b.parent.size()) throw BlockError("submission block: a table part is missing");
    const auto& parent = b.parent[static_cast<std::size_t>(t)];
    const std::size_t limit = rows_of(up);
    auto& mine = chain_rows[static_cast<std::size_t>(up)];
    mine.resize(units);
    const auto* below = row_of[static_cast<std::size_t>(t)];
    for (std::size_t u = 0; u < units; ++u) {
      const std::uint32_t r = parent[below ? (*below)[u] : u];
      if (r >= limit) throw BlockError("submission block: a row's parent is outside the block");
      mine[u] = r;
    }
    row_of[static_cast<std::size_t>(up)] = &mine;
  }
  const std::vector<std::uint32_t>* submission_of = row_of[0];  // nullptr when the unit is the submission
  auto sub = [&](std::size_t u) -> std::size_t { return submission_of ? (*submission_of)[u] : u; };
  auto source = [&](const Column& c) {
    Source s;
    if (c.table < 0 || c.column < 0) return s;
    s.column = b.column(c.table, c.column);
    s.row = row_of[static_cast<std::size_t>(c.table)];
    if (s.column && s.column->codes.size() != rows_of(c.table))
      throw BlockError("submission block: a column of the wrong length");
    return s;
  };

  // Period of each distinct date: index into `periods`, -1 = not counted (undated, outside the program).
  std::vector<std::string> periods;
  std::unordered_map<std::string, std::int32_t> period_index;
  auto period_of_date = [&](std::string_view v) -> std::int32_t {
    if (v.size() < 10 || !valid_date(v.substr(0, 10))) return -1;
    const std::string date(v.substr(0, 10));
    if (date < p.spec.start || date > p.spec.end) return -1;
    std::string key = period_of(date, p.spec.frequency);
    auto [it, fresh] = period_index.try_emplace(key, static_cast<std::int32_t>(periods.size()));
    if (fresh) periods.push_back(std::move(key));
    return it->second;
  };
  std::vector<std::int32_t> unit_period(units, -1);
  if (!p.spec.period_field.empty()) {
    const Source ps = source(p.period);
    std::vector<std::int32_t> by_code;
    for (auto v : ps.dict()) by_code.push_back(period_of_date(v));
    for (std::size_t u = 0; u < units; ++u) unit_period[u] = by_code[ps.code(u)];
  } else {
    if (b.submitted_at.size() != b.rows) throw BlockError("submission block: no time part");
    // By local day: the same day gives the same date (local_date's floor division).
    std::unordered_map<std::int64_t, std::int32_t> by_day;
    std::int64_t last_day = 0;
    std::int32_t last = -2;
    const std::int64_t offset = static_cast<std::int64_t>(p.spec.timezone_minutes) * 60000;
    for (std::size_t u = 0; u < units; ++u) {
      const std::int64_t at = b.submitted_at[sub(u)];
      const std::int64_t local = at + offset;
      std::int64_t day = local / 86400000;
      if (local % 86400000 < 0) --day;
      if (last == -2 || day != last_day) {
        auto it = by_day.find(day);
        if (it == by_day.end()) it = by_day.emplace(day, period_of_date(local_date(at, p.spec.timezone_minutes))).first;
        last_day = day;
        last = it->second;
      }
      unit_period[u] = last;
    }
  }

  // Filters: one answer per combination of the codes of the columns they read.
  Scratch fake;
  std::vector<xform::RecordRow> fake_rows(ntables);
  struct Memo {
    const Filter* filter = nullptr;
    std::vector<Column> cols;
    std::vector<Source> sources;
    std::vector<std::uint64_t> radix;
    bool dense = true;
    std::vector<std::int8_t> answers;  // dense: -1 unknown
    std::unordered_map<std::uint64_t, bool> sparse;
  };
  auto make_memo = [&](const Filter& f) {
    Memo m;
    m.filter = &f;
    if (!f.present) return m;
    test_columns(f.test, m.cols);
    std::uint64_t size = 1;
    for (const auto& c : m.cols) {
      m.sources.push_back(source(c));
      const std::uint64_t n = m.sources.back().dict().size();
      m.radix.push_back(n);
      if (size > (std::uint64_t(1) << 40) / n) m.dense = false;
      size = m.dense ? size * n : size;
    }
    if (m.dense && size > (std::uint64_t(1) << 22)) m.dense = false;
    if (m.dense) m.answers.assign(size, -1);
    return m;
  };
  auto evaluate = [&](const Memo& m, const std::vector<std::uint32_t>& codes) {
    fake.chain.assign(ntables, nullptr);
    for (std::size_t i = 0; i < m.cols.size(); ++i) {
      auto& row = fake_rows[static_cast<std::size_t>(m.cols[i].table)];
      const auto col = static_cast<std::size_t>(m.cols[i].column);
      if (row.values.size() <= col) row.values.resize(col + 1);
      row.values[col] = m.sources[i].dict()[codes[i]];
      fake.chain[static_cast<std::size_t>(m.cols[i].table)] = &row;
    }
    return p.run(m.filter->test, fake);
  };
  std::vector<std::uint32_t> codes;
  auto passes = [&](Memo& m, std::size_t u) -> bool {
    if (!m.filter->present) return true;
    codes.resize(m.cols.size());
    std::uint64_t key = 0;
    bool packed = true;
    for (std::size_t i = 0; i < m.cols.size(); ++i) {
      codes[i] = m.sources[i].code(u);
      if (key > (~std::uint64_t(0)) / (m.radix[i] + 1)) packed = false;
      key = key * m.radix[i] + codes[i];
    }
    if (m.dense) {
      auto& a = m.answers[key];
      if (a < 0) a = evaluate(m, codes) ? 1 : 0;
      return a == 1;
    }
    if (!packed) return evaluate(m, codes);
    auto it = m.sparse.find(key);
    if (it == m.sparse.end()) it = m.sparse.emplace(key, evaluate(m, codes)).first;
    return it->second;
  };
  Memo filter = make_memo(p.filter), denominator_filter = make_memo(p.denominator_filter);
  const Calculation calc = p.spec.calculation;

  // Dimensions: per dimension, each distinct answer's value as an index into that dimension's values.
  struct Dim {
    Source source;
    std::vector<std::uint32_t> value_of_code;
    std::vector<std::string> values;
    std::uint64_t stride = 1;
  };
  std::vector<Dim> dims(p.dims.size());
  std::uint64_t cells = 1;
  bool dense_cells = true;
  for (std::size_t i = 0; i < p.dims.size(); ++i) {
    const auto& d = p.dims[i];
    Dim& out_dim = dims[i];
    if (d.kind == Dimension::Kind::area) {
      if (b.area.codes.size() != b.rows) throw BlockError("submission block: no area part");
      out_dim.source.column = &b.area;
      out_dim.source.row = submission_of;
    } else {
      out_dim.source = source(d.col);
    }
    std::unordered_map<std::string, std::uint32_t> index;
    for (auto v : out_dim.source.dict()) {
      std::string value;
      switch (d.kind) {
        case Dimension::Kind::field:
          value = std::string(v);
          break;
        case Dimension::Kind::age_band: {
          const auto age = xpath::parse_number(v);
          if (age && std::isfinite(*age)) value = band_label(*age, *d.bands);
          break;
        }
        case Dimension::Kind::area:
          value = area_prefix(v, d.level);
          break;
      }
      auto [it, fresh] = index.try_emplace(value, static_cast<std::uint32_t>(out_dim.values.size()));
      if (fresh) out_dim.values.push_back(std::move(value));
      out_dim.value_of_code.push_back(it->second);
    }
  }
  for (std::size_t i = dims.size(); i-- > 0;) {
    dims[i].stride = cells;
    const std::uint64_t n = dims[i].values.size();
    if (cells > (std::uint64_t(1) << 40) / std::max<std::uint64_t>(n, 1)) dense_cells = false;
    cells *= std::max<std::uint64_t>(n, 1);
  }
  const std::uint64_t slots = cells * std::max<std::size_t>(periods.size(), 1);
  if (!dense_cells || slots > (std::uint64_t(1) << 20)) dense_cells = false;
  std::vector<Accumulator*> dense(dense_cells ? slots : 0, nullptr);
  std::unordered_map<std::uint64_t, Accumulator*> sparse;
  std::string cell;
  auto resolve = [&](std::int32_t period, std::size_t u) -> Accumulator& {
    std::uint64_t c = 0;
    for (const auto& d : dims) c += d.value_of_code[d.source.code(u)] * d.stride;
    Accumulator** slot = nullptr;
    if (dense_cells) {
      slot = &dense[static_cast<std::uint64_t>(period) * cells + c];
    } else {
      slot = &sparse[(static_cast<std::uint64_t>(period) << 40) | c];  // period < 2^24, c < 2^40
    }
    if (!*slot) {
      cell.clear();
      for (std::size_t i = 0; i < dims.size(); ++i) {
        if (i) cell.push_back(kCellSeparator);
        cell += dims[i].values[dims[i].value_of_code[dims[i].source.code(u)]];
      }
      *slot = &out.at(periods[static_cast<std::size_t>(period)], cell);
    }
    return **slot;
  };

  // Values: each distinct answer as a number once.
  const Source value = source(p.value), denominator = source(p.denominator);
  std::vector<std::optional<std::int64_t>> value_fixed, denominator_fixed;
  if (calc == Calculation::sum || calc == Calculation::mean || calc == Calculation::median ||
      calc == Calculation::ratio)
    for (auto v : value.dict()) value_fixed.push_back(to_fixed(v));
  if (calc == Calculation::ratio)
    for (auto v : denominator.dict()) denominator_fixed.push_back(to_fixed(v));
  std::unordered_map<Accumulator*, std::unordered_map<std::uint32_t, std::int64_t>> texts;

  for (std::size_t u = 0; u < units; ++u) {
    const std::int32_t period = unit_period[u];
    if (period < 0) continue;
    const std::size_t s = sub(u);
    if (!counted[s] || (b.state[s] & kExceptionBit)) continue;
    if (calc == Calculation::percentage && !passes(denominator_filter, u)) continue;
    const bool pass = passes(filter, u);
    Accumulator& a = resolve(period, u);
    a.n_b += 1;
    if (!pass) continue;
    switch (calc) {
      case Calculation::count:
      case Calculation::percentage:
        a.n += 1;
        break;
      case Calculation::sum:
      case Calculation::mean:
      case Calculation::median: {
        const auto& v = value_fixed[value.code(u)];
        if (!v) break;
        a.n += 1;
        a.sum_a += *v;
        if (calc == Calculation::median) a.numbers[*v] += 1;
        break;
      }
      case Calculation::ratio:
        a.n += 1;
        a.sum_a += value_fixed[value.code(u)].value_or(0);
        a.sum_b += denominator_fixed[denominator.code(u)].value_or(0);
        break;
      case Calculation::distinct_count: {
        const std::uint32_t code = value.code(u);
        if (value.dict()[code].empty()) break;
        a.n += 1;
        texts[&a][code] += 1;
        break;
      }
    }
  }
  for (const auto& [acc, counts] : texts)
    for (const auto& [code, n] : counts) acc->texts[std::string(value.dict()[code])] += n;
}

}  // namespace gotong::analytics
