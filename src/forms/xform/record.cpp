#include "forms/xform/record.hpp"

#include <cstring>

#include "forms/xform/xml_limits.hpp"

// Encoding. Rows are separated by RS (0x1E), values by US (0x1F): characters XML 1.0 cannot
// carry, so no escaping is needed and decoding is a scan for two bytes.
//   record    := main-row (RS repeat-row)*
//   main-row  := value (US value)*                  one value per main-table field
//   repeat-row:= table US key US value (US value)*  table as decimal digits
// The main row comes first and has no table or key, so main_value() reads a top-level field by
// skipping `column` separators from the start of the string.

namespace gotong::forms::xform {

namespace {

constexpr char kRowSep = '\x1e';
constexpr char kValueSep = '\x1f';

using xpath::Instance;
using xpath::kNoNode;
using xpath::NodeId;

// Appends `v`, replacing C0 control characters other than tab, LF and CR by spaces (they cannot
// come from well-formed XML 1.0, but the separators must never appear inside a value).
void append_value(std::string& out, std::string_view v) {
  std::size_t start = out.size();
  out.append(v);
  for (std::size_t i = start; i < out.size(); ++i) {
    auto ch = static_cast<unsigned char>(out[i]);
    if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') out[i] = ' ';
  }
}

bool is_template(const Instance& data, NodeId e) {
  for (auto a = data.first_attribute(e); a != kNoNode; a = data.next_attribute(a))
    if (local_name(data.attribute_name(a)) == "template") return true;
  return false;
}

struct Encoder {
  const Schema& schema;
  const Layout& layout;
  const Instance& data;

  struct Row {
    int table = 0;
    std::string key;
    std::vector<std::string_view> values;  // data() == nullptr while unanswered
  };
  std::vector<Row> rows;

  int start_row(int table, std::string key) {
    Row r;
    r.table = table;
    r.key = std::move(key);
    r.values.resize(layout.tables[static_cast<std::size_t>(table)].fields.size());
    rows.push_back(std::move(r));
    return static_cast<int>(rows.size()) - 1;
  }

  // The child of schema node `ni` named like element `e`. Instances follow the form's order, so
  // the search starts where the previous match was: one comparison per element in practice.
  int match(const std::vector<int>& children, std::size_t& cursor, std::string_view name) const {
    const std::size_t n = children.size();
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t i = cursor + k < n ? cursor + k : cursor + k - n;
      if (schema.nodes[static_cast<std::size_t>(children[i])].name == name) {
        cursor = i;
        return children[i];
      }
    }
    // A prefix spelled differently ("orx:meta" in the form, "meta" in the data).
    for (std::size_t i = 0; i < n; ++i)
      if (local_name(schema.nodes[static_cast<std::size_t>(children[i])].name) == local_name(name))
        return children[i];
    return -1;
  }

  // Fills row `row` from the children of element `e`, which matches schema node `ni`. `key` is
  // the path from the submission root to `e`'s row plus the groups in between, ending in '/'
  // (or empty); it is restored before returning.
  void walk(int ni, NodeId e, int row, std::string& key) {
    const auto& children = schema.nodes[static_cast<std::size_t>(ni)].children;
    if (children.empty()) return;
    std::size_t cursor = 0;
    // Instance counts per repeat child, for the [n] of each key (few repeats per level).
    std::vector<std::pair<int, int>> counts;
    for (NodeId c = data.first_child(e); c != kNoNode; c = data.next_sibling(c)) {
      int ci = match(children, cursor, data.name(c));
      if (ci < 0) continue;  // not in this version of the form: ignored
      const Node& node = schema.nodes[static_cast<std::size_t>(ci)];
      if (node.kind == NodeKind::field) {
        auto col = static_cast<std::size_t>(layout.column_of[static_cast<std::size_t>(ci)]);
        auto& slot = rows[static_cast<std::size_t>(row)].values[col];
        if (slot.data() == nullptr) slot = data.text(c);  // a repeated non-repeat element: the first counts
        continue;
      }
      const std::size_t mark = key.size();
      if (node.kind == NodeKind::group) {
        key.append(node.name).push_back('/');
        walk(ci, c, row, key);
      } else {
        if (is_template(data, c)) continue;
        int n = 0;
        for (auto& [which, count] : counts)
          if (which == ci) n = ++count;
        if (n == 0) {
          counts.emplace_back(ci, 1);
          n = 1;
        }
        key.append(node.name).push_back('[');
        key.append(std::to_string(n)).push_back(']');
        int r = start_row(layout.table_of[static_cast<std::size_t>(ci)], key);
        key.push_back('/');
        walk(ci, c, r, key);
      }
      key.resize(mark);
    }
  }
};

}  // namespace

Layout layout_of(const Schema& schema) {
  Layout layout;
  layout.table_of.assign(schema.nodes.size(), -1);
  layout.column_of.assign(schema.nodes.size(), -1);
  Table main;
  main.path = schema.nodes.empty() ? "/" + schema.root : schema.nodes[0].path;
  main.name = schema.root;
  layout.tables.push_back(std::move(main));
  // Nodes are in document order and a repeat comes before its members, so every node's repeat
  // already has its table when the node is reached.
  for (std::size_t i = 1; i < schema.nodes.size(); ++i) {
    const Node& n = schema.nodes[i];
    int table = n.repeat < 0 ? 0 : layout.table_of[static_cast<std::size_t>(n.repeat)];
    if (n.kind == NodeKind::repeat) {
      Table t;
      t.repeat_node = static_cast<int>(i);
      t.parent_table = table;
      t.path = n.path;
      t.name = n.name;
      layout.table_of[i] = static_cast<int>(layout.tables.size());
      layout.tables.push_back(std::move(t));
    } else if (n.kind == NodeKind::field) {
      auto& fields = layout.tables[static_cast<std::size_t>(table)].fields;
      layout.table_of[i] = table;
      layout.column_of[i] = static_cast<int>(fields.size());
      fields.push_back(static_cast<int>(i));
    }
  }
  return layout;
}

std::string encode_record(const Schema& schema, const Layout& layout, const Submission& submission) {
  Encoder enc{schema, layout, submission.data, {}};
  enc.start_row(0, {});
  const NodeId root = submission.data.root();
  if (root != kNoNode && !schema.nodes.empty()) {
    std::string key;
    enc.walk(0, root, 0, key);
  }
  std::size_t size = 0;
  for (const auto& r : enc.rows) {
    size += r.key.size() + 8 + r.values.size();
    for (auto v : r.values) size += v.size();
  }
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < enc.rows.size(); ++i) {
    const auto& r = enc.rows[i];
    if (i > 0) {
      out.push_back(kRowSep);
      out.append(std::to_string(r.table)).push_back(kValueSep);
      append_value(out, r.key);
      out.push_back(kValueSep);
    }
    for (std::size_t v = 0; v < r.values.size(); ++v) {
      if (v > 0) out.push_back(kValueSep);
      append_value(out, r.values[v]);
    }
  }
  return out;
}

bool RecordReader::next(RecordRow& row) {
  if (!first_ && rest_.empty()) return false;
  row.values.clear();
  if (first_) {
    first_ = false;
    row.table = 0;
    row.key = {};
  } else {
    // rest_ starts just after a row separator: table US key US values.
    std::string_view text = rest_.substr(0, rest_.find(kRowSep));
    std::size_t us1 = text.find(kValueSep);
    std::size_t us2 = us1 == std::string_view::npos ? us1 : text.find(kValueSep, us1 + 1);
    if (us1 == 0 || us2 == std::string_view::npos)
      throw XFormError("record: a repeat row without its table or key");
    int table = 0;
    for (char ch : text.substr(0, us1)) {
      if (ch < '0' || ch > '9' || table > 10000000) throw XFormError("record: a damaged table number");
      table = table * 10 + (ch - '0');
    }
    row.table = table;
    row.key = text.substr(us1 + 1, us2 - us1 - 1);
    rest_.remove_prefix(us2 + 1);
  }
  // Values up to the next row separator (or the end).
  const char* p = rest_.data();
  const char* end = p + rest_.size();
  const char* start = p;
  for (;; ++p) {
    if (p == end || *p == kRowSep) {
      row.values.emplace_back(start, static_cast<std::size_t>(p - start));
      if (p == end) {
        rest_ = {};
        return true;
      }
      rest_ = std::string_view(p + 1, static_cast<std::size_t>(end - p - 1));
      if (rest_.empty()) throw XFormError("record: ends with a row separator");
      return true;
    }
    if (*p == kValueSep) {
      row.values.emplace_back(start, static_cast<std::size_t>(p - start));
      start = p + 1;
    }
  }
}

std::string_view main_value(std::string_view record, int column) {
  std::size_t i = 0;
  for (int c = 0; c < column; ++c) {
    while (i < record.size() && record[i] != kValueSep && record[i] != kRowSep) ++i;
    if (i == record.size() || record[i] == kRowSep) return {};
    ++i;
  }
  std::size_t j = i;
  while (j < record.size() && record[j] != kValueSep && record[j] != kRowSep) ++j;
  return record.substr(i, j - i);
}

std::string_view parent_key(std::string_view key) {
  // A repeat key ends in ']'; its parent's key ends at the ']' before (none: the main row).
  if (key.size() < 2) return {};
  std::size_t last = key.rfind(']', key.size() - 2);
  return last == std::string_view::npos ? std::string_view() : key.substr(0, last + 1);
}

}  // namespace gotong::forms::xform
