// Exports: the columns are the union of every version's fields; submissions are read in pages
// and written out as they come.
//
// Reading. A 1,000,000-submission export takes seconds to minutes and goes at the speed of the
// client's network. Holding one read snapshot for all of it would pin the SQLite WAL (no
// checkpoint can pass it, so the log grows without bound while field officers keep submitting)
// and keep a PostgreSQL transaction open as long. So submissions are read in keyset pages of
// `page_size` rows by id (`id > last ORDER BY id LIMIT n`, on the index (form_id, id)), each
// page in its own short read job that only copies the rows out; decoding and writing happen
// after the snapshot is released, and the network write happens after `next` returns. The cost:
// the export is not one snapshot. A submission received during the export is included when its
// id is past the page being read; one deleted or edited meanwhile may appear in its old or new
// state. Every row of a repeat file still has its parent in the main file, because both come
// from the same record of the same page.
//
// Writing. CSV: the zip's main file is deflated straight into the response; each repeat's file
// is deflated into an anonymous temporary file as rows come (the zip format needs one file after
// the other) and copied into the response at the end. XLSX: libxlsxwriter in constant_memory
// mode writes each sheet's rows to its own temporary file, then assembles the workbook in a
// temporary file that is streamed out (the library can only write to a named file). Memory stays
// flat in all three formats; disk use is at most about the size of the output.
#include "domain/exports.hpp"

#include <unistd.h>
#include <xlsxwriter.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <tuple>
#include <unordered_map>

#include "base/csv.hpp"
#include "base/error.hpp"
#include "base/json.hpp"
#include "base/time.hpp"
#include "forms/xform/record.hpp"
#include "forms/xform/schema.hpp"

namespace gotong::domain::exports {

namespace xform = gotong::forms::xform;

namespace {

constexpr int kDeflateLevel =
    1;  // CSV deflates 6-8x at level 1; higher levels cost 3x the time for a few percent
constexpr std::size_t kCopyPiece = 1 << 20;

// ---------------------------------------------------------------------------------------------
// The shape of the export: every version's schema, and the union of their fields.

struct VersionInfo {
  std::int64_t id = 0;
  std::string version, status;
  xform::Schema schema;
  xform::Layout layout;
  std::vector<int> table_map;                // version table → union table, -1 when dropped
  std::vector<std::vector<int>> column_map;  // version table → column → union column, -1 when dropped
};

// A node of the union tree, keyed by its path below the root ("household/member/age"), so that
// versions whose root element is named differently still line up.
struct UNode {
  std::string rel, name;
  xform::NodeKind kind = xform::NodeKind::group;
  int parent = -1;
  std::vector<int> children;
  const xform::Node* node = nullptr;                    // from the newest version that has it
  int table = -1;                                       // field: its table; repeat: the table it heads
  int column = -1;                                      // field: its position among the table's fields
  std::unordered_map<std::string, std::string> labels;  // choice name → label (choices=labels)
  bool numeric = false;
};

// One output column of a table's values: a field, or one choice of a select_multiple (split).
struct OutCol {
  int field = 0;   // union node
  int column = 0;  // the field's column in its table
  std::string choice;
  bool split = false;
};

struct UTable {
  int node = 0;  // union node heading it (0: the root)
  int parent_table = -1;
  std::string rel;          // "" or "household/member"
  std::string name;         // "member"
  std::vector<int> fields;  // union nodes in column order
  std::vector<OutCol> out;
  std::vector<std::string> headers;  // every column, metadata included
  std::string file_name, sheet_name;
};

struct Shape {
  std::int64_t org_id = 0, form_id = 0;
  std::string xml_form_id;
  Options options;
  std::string lang;  // the language labels are read in (resolved)
  std::vector<std::unique_ptr<VersionInfo>> versions;
  std::unordered_map<std::int64_t, VersionInfo*> by_id;
  std::vector<UNode> nodes;  // nodes[0] is the root
  std::vector<UTable> tables;
};

std::string rel_path(const xform::Schema& s, const xform::Node& n) {
  const std::string& root = s.nodes[0].path;
  return n.path.size() > root.size() + 1 ? n.path.substr(root.size() + 1) : std::string();
}

// Adds the nodes of `s` that the union does not have yet, each after its nearest earlier sibling
// that the union has (so a question dropped in a later version stays next to its neighbours).
void merge(Shape& shape, const xform::Schema& s, std::unordered_map<std::string, int>& index) {
  if (s.nodes.empty()) return;
  std::vector<int> to_union(s.nodes.size(), -1);
  to_union[0] = 0;
  for (std::size_t i = 1; i < s.nodes.size(); ++i) {
    const xform::Node& n = s.nodes[i];
    std::string rel = rel_path(s, n);
    auto found = index.find(rel);
    if (found != index.end()) {
      to_union[i] = found->second;
      continue;
    }
    int parent = to_union[static_cast<std::size_t>(n.parent)];
    if (parent < 0) continue;  // its parent clashed with a node of another kind
    int after = -1;
    for (int sib : s.nodes[static_cast<std::size_t>(n.parent)].children) {
      if (sib == static_cast<int>(i)) break;
      if (to_union[static_cast<std::size_t>(sib)] >= 0) after = to_union[static_cast<std::size_t>(sib)];
    }
    UNode u;
    u.rel = rel;
    u.name = n.name;
    u.kind = n.kind;
    u.parent = parent;
    u.node = &n;
    int ui = static_cast<int>(shape.nodes.size());
    shape.nodes.push_back(std::move(u));
    auto& siblings = shape.nodes[static_cast<std::size_t>(parent)].children;
    auto pos = std::find(siblings.begin(), siblings.end(), after);
    siblings.insert(pos == siblings.end() ? siblings.begin() : pos + 1, ui);
    index.emplace(std::move(rel), ui);
    to_union[i] = ui;
  }
}

// Tables and columns of the union, in document order.
void assign_tables(Shape& shape, int ni, int table) {
  UNode& n = shape.nodes[static_cast<std::size_t>(ni)];
  if (n.kind == xform::NodeKind::field) {
    auto& t = shape.tables[static_cast<std::size_t>(table)];
    n.table = table;
    n.column = static_cast<int>(t.fields.size());
    t.fields.push_back(ni);
    return;
  }
  if (n.kind == xform::NodeKind::repeat && ni != 0) {
    UTable t;
    t.node = ni;
    t.parent_table = table;
    t.rel = n.rel;
    t.name = n.name;
    table = static_cast<int>(shape.tables.size());
    shape.nodes[static_cast<std::size_t>(ni)].table = table;
    shape.tables.push_back(std::move(t));
  }
  for (std::size_t k = 0; k < shape.nodes[static_cast<std::size_t>(ni)].children.size(); ++k)
    assign_tables(shape, shape.nodes[static_cast<std::size_t>(ni)].children[k], table);
}

void map_version(const Shape& shape, const std::unordered_map<std::string, int>& index, VersionInfo& v) {
  v.table_map.assign(v.layout.tables.size(), -1);
  v.column_map.assign(v.layout.tables.size(), {});
  for (std::size_t t = 0; t < v.layout.tables.size(); ++t) {
    const auto& table = v.layout.tables[t];
    if (t == 0) {
      v.table_map[t] = 0;
    } else {
      auto it = index.find(rel_path(v.schema, v.schema.nodes[static_cast<std::size_t>(table.repeat_node)]));
      if (it != index.end() &&
          shape.nodes[static_cast<std::size_t>(it->second)].kind == xform::NodeKind::repeat)
        v.table_map[t] = shape.nodes[static_cast<std::size_t>(it->second)].table;
    }
    auto& cols = v.column_map[t];
    cols.assign(table.fields.size(), -1);
    if (v.table_map[t] < 0) continue;
    for (std::size_t c = 0; c < table.fields.size(); ++c) {
      auto it = index.find(rel_path(v.schema, v.schema.nodes[static_cast<std::size_t>(table.fields[c])]));
      if (it == index.end()) continue;
      const UNode& u = shape.nodes[static_cast<std::size_t>(it->second)];
      if (u.kind == xform::NodeKind::field && u.table == v.table_map[t]) cols[c] = u.column;
    }
  }
}

bool is_select_multiple(const xform::Node* n) { return n != nullptr && n->multiple(); }

std::string header_of(const Shape& shape, const UTable& t, const UNode& f) {
  if (!shape.options.group_names) return f.name;
  std::string rel = t.rel.empty() ? f.rel : f.rel.substr(t.rel.size() + 1);
  std::replace(rel.begin(), rel.end(), '/', '-');
  return rel;
}

// At most `n` bytes of `s`, not splitting a UTF-8 sequence.
std::string cut_utf8(std::string_view s, std::size_t n) {
  if (s.size() <= n) return std::string(s);
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

// Names unique within `used` (compared case-insensitively, as Excel does for sheets).
std::string unique_name(std::string name, std::vector<std::string>& used, std::size_t max_bytes) {
  auto lower = [](std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  auto cut = [](const std::string& s, std::size_t n) { return cut_utf8(s, n); };
  std::string candidate = cut(name, max_bytes);
  for (int n = 2; std::find(used.begin(), used.end(), lower(candidate)) != used.end(); ++n) {
    std::string suffix = " (" + std::to_string(n) + ")";
    candidate = cut(name, max_bytes - suffix.size()) + suffix;
  }
  used.push_back(lower(candidate));
  return candidate;
}

std::string sheet_safe(std::string name) {
  for (auto& ch : name)
    if (std::string_view("[]:*?/\\").find(ch) != std::string_view::npos) ch = '_';
  if (!name.empty() && name.front() == '\'') name.front() = '_';
  if (!name.empty() && name.back() == '\'') name.back() = '_';
  return name.empty() ? "data" : name;
}

std::string file_safe(std::string name) {
  for (auto& ch : name)
    if (static_cast<unsigned char>(ch) < 0x20 ||
        std::string_view("/\\:*?\"<>|").find(ch) != std::string_view::npos)
      ch = '_';
  return name;
}

// The language `wanted` names among the form's: exactly, case-insensitively, or by the code in
// parentheses ("id" for "Bahasa Indonesia (id)") or the name before them ("English").
std::string resolve_language(const xform::Schema& s, const std::string& wanted) {
  if (wanted.empty()) return s.default_language;
  auto lower = [](std::string_view v) {
    std::string out(v);
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  };
  const std::string w = lower(wanted);
  for (const auto& l : s.languages) {
    std::string ll = lower(l);
    if (ll == w) return l;
    auto open = ll.rfind(" (");
    if (open != std::string::npos && ll.back() == ')' &&
        (ll.substr(open + 2, ll.size() - open - 3) == w || ll.substr(0, open) == w))
      return l;
  }
  std::string known;
  for (const auto& l : s.languages) known += (known.empty() ? "" : ", ") + l;
  throw Error(ErrorCode::bad_request,
              "the form has no language '" + wanted + "'" +
                  (known.empty() ? std::string(" (it is not translated)") : "; it has " + known));
}

void build_columns(Shape& shape) {
  std::vector<std::string> files, sheets;
  for (std::size_t ti = 0; ti < shape.tables.size(); ++ti) {
    UTable& t = shape.tables[ti];
    if (ti == 0) t.headers.push_back("SubmissionDate");
    for (int f : t.fields) {
      UNode& u = shape.nodes[static_cast<std::size_t>(f)];
      const std::string header = header_of(shape, t, u);
      t.out.push_back({f, u.column, {}, false});
      t.headers.push_back(header);
      if (shape.options.split_multiple && is_select_multiple(u.node))
        for (const auto& c : u.node->choices) {
          t.out.push_back({f, u.column, c.value, true});
          t.headers.push_back(header + "/" + c.value);
        }
    }
    if (ti == 0) {
      for (const char* h :
           {"KEY", "SubmitterID", "SubmitterName", "DeviceID", "ReviewState", "FormVersion", "IssueCount"})
        t.headers.push_back(h);
    } else {
      t.headers.push_back("PARENT_KEY");
      t.headers.push_back("KEY");
    }
    std::string base = ti == 0 ? shape.xml_form_id : shape.xml_form_id + "-" + t.name;
    if (ti > 0 && std::find(files.begin(), files.end(), file_safe(base + ".csv")) != files.end()) {
      std::string path = t.rel;
      std::replace(path.begin(), path.end(), '/', '-');
      base = shape.xml_form_id + "-" + path;  // two repeats of the same name in different groups
    }
    t.file_name = unique_name(file_safe(base), files, 200) + ".csv";
    t.sheet_name = unique_name(sheet_safe(ti == 0 ? shape.xml_form_id : t.name), sheets, 31);
  }
  for (auto& u : shape.nodes) {
    if (u.node == nullptr || u.kind != xform::NodeKind::field) continue;
    const std::string& type = u.node->type;
    u.numeric = type == "int" || type == "integer" || type == "decimal" || type == "double" ||
                type == "float" || type == "long" || type == "short";
    if (shape.options.choice_labels && u.node->is_select())
      for (const auto& c : u.node->choices)
        u.labels.emplace(c.value, xform::Schema::label_in(c.labels, shape.lang, "", c.value));
  }
}

// ---------------------------------------------------------------------------------------------
// Reading submissions page by page.

struct Sub {
  std::int64_t id = 0, version_id = 0, submitted_at = 0, issue_count = 0;
  std::optional<std::int64_t> submitter_id;
  std::string instance_id, state, submitter_name, device_id, record;
};

void assign_text(std::string& to, const db::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v.storage()))
    to.assign(*s);
  else
    to = v.as_string();
}

std::unique_ptr<VersionInfo> make_version(std::int64_t id, std::string version, std::string status,
                                          const std::string& xml) {
  auto v = std::make_unique<VersionInfo>();
  v->id = id;
  v->version = std::move(version);
  v->status = std::move(status);
  try {
    v->schema = xform::read_schema(xml);
  } catch (const xform::XFormError&) {
    // Stored versions were read on upload; a damaged one exports its submissions' metadata only.
  }
  v->layout = xform::layout_of(v->schema);
  return v;
}

const std::vector<std::string>& known_states() {
  static const std::vector<std::string> states{"received", "has_issues", "approved", "rejected"};
  return states;
}

class Pager {
 public:
  Pager(db::Database& db, std::shared_ptr<Shape> shape) : db_(db), shape_(std::move(shape)) {
    const Options& o = shape_->options;
    sql_ =
        "SELECT s.id, s.version_id, s.submitted_at, s.submitter_id, s.instance_id, s.state, u.name, "
        "s.device_id, ";
    sql_ += db_.engine() == db::Engine::postgresql ? "json_array_length(s.issues_json::json)"
                                                   : "json_array_length(s.issues_json)";
    sql_ +=
        ", s.record FROM submissions s LEFT JOIN users u ON u.id = s.submitter_id"
        " WHERE s.org_id = $1 AND s.form_id = $2 AND s.deleted_at IS NULL AND s.id > $3";
    params_ = {shape_->org_id, shape_->form_id, std::int64_t{0}};
    auto param = [&](db::Value v) {
      params_.push_back(std::move(v));
      return "$" + std::to_string(params_.size());
    };
    if (!o.states.empty()) {
      sql_ += " AND s.state IN (";
      for (std::size_t i = 0; i < o.states.size(); ++i) sql_ += (i ? ", " : "") + param(o.states[i]);
      sql_ += ")";
    }
    if (o.from) sql_ += " AND s.submitted_at >= " + param(*o.from);
    if (o.to) sql_ += " AND s.submitted_at < " + param(*o.to);
    if (o.submitter_id) sql_ += " AND s.submitter_id = " + param(*o.submitter_id);
    sql_ += " ORDER BY s.id LIMIT " + std::to_string(std::max(1, o.page_size));
  }

  // The next page (empty at the end). Versions published since the export started are read in
  // the same job; their fields that the export's columns lack are left out.
  const std::vector<Sub>& fetch() {
    std::size_t n = 0;
    if (done_) {
      page_.clear();
      return page_;
    }
    params_[2] = last_id_;
    std::vector<std::int64_t> unknown;
    db_.read([&](db::Connection& c) {
      n = 0;
      c.each(sql_, params_, [&](const db::Row& r) {
        if (page_.size() <= n) page_.emplace_back();
        Sub& s = page_[n++];
        s.id = r.int_at(0);
        s.version_id = r.int_at(1);
        s.submitted_at = r.int_at(2);
        s.submitter_id = r.opt_int(3);
        assign_text(s.instance_id, r[4]);
        assign_text(s.state, r[5]);
        assign_text(s.submitter_name, r[6]);
        assign_text(s.device_id, r[7]);
        s.issue_count = r.int_at(8);
        assign_text(s.record, r[9]);
        if (!shape_->by_id.contains(s.version_id) &&
            std::find(unknown.begin(), unknown.end(), s.version_id) == unknown.end())
          unknown.push_back(s.version_id);
        return true;
      });
      for (auto id : unknown) {
        auto row = c.query_one(
            "SELECT version_string, status, xform FROM form_versions WHERE id = $1 AND org_id = $2",
            {id, shape_->org_id});
        if (row) pending_.emplace_back(id, row->text_at(0), row->text_at(1), row->text_at(2));
      }
    });
    page_.resize(n);
    if (n > 0) last_id_ = page_.back().id;
    if (static_cast<int>(n) < std::max(1, shape_->options.page_size)) done_ = true;
    for (auto& [id, version, status, xml] : pending_) add_version(id, version, status, xml);
    pending_.clear();
    return page_;
  }

  void add_version(std::int64_t id, const std::string& version, const std::string& status,
                   const std::string& xml) {
    auto v = make_version(id, version, status, xml);
    std::unordered_map<std::string, int> index;
    for (std::size_t i = 1; i < shape_->nodes.size(); ++i)
      index.emplace(shape_->nodes[i].rel, static_cast<int>(i));
    map_version(*shape_, index, *v);
    shape_->by_id[id] = v.get();
    shape_->versions.push_back(std::move(v));
  }

 private:
  db::Database& db_;
  std::shared_ptr<Shape> shape_;
  std::string sql_;
  db::Params params_;
  std::int64_t last_id_ = 0;
  bool done_ = false;
  std::vector<Sub> page_;
  std::vector<std::tuple<std::int64_t, std::string, std::string, std::string>> pending_;
};

// ---------------------------------------------------------------------------------------------
// Tabulating one submission: its rows, as the cells of the union's tables.

struct Cell {
  std::string_view text;
  bool numeric = false;  // a number field or a count: XLSX writes it as a number when it parses
};

bool has_token(std::string_view list, std::string_view token) {
  std::size_t i = 0;
  while (i < list.size()) {
    std::size_t j = list.find(' ', i);
    if (j == std::string_view::npos) j = list.size();
    if (list.substr(i, j - i) == token) return true;
    i = j + 1;
  }
  return false;
}

class Tabulator {
 public:
  explicit Tabulator(std::shared_ptr<Shape> shape) : shape_(std::move(shape)) {
    values_.resize(shape_->tables.size());
    for (std::size_t t = 0; t < shape_->tables.size(); ++t)
      values_[t].resize(shape_->tables[t].fields.size());
    std::size_t widest = 0;
    for (const auto& t : shape_->tables) widest = std::max(widest, t.headers.size());
    cells_.resize(widest);
    scratch_.resize(widest);
  }

  // Calls emit(table, key, cells) for the submission's main row, then for each repeat row.
  template <class Emit>
  void rows(const Sub& s, Emit&& emit) {
    const VersionInfo* v = version(s.version_id);
    xform::RecordReader reader(s.record);
    xform::RecordRow row;
    bool main_done = false;
    while (reader.next(row)) {
      const int ut =
          v != nullptr && row.table >= 0 && static_cast<std::size_t>(row.table) < v->table_map.size()
              ? v->table_map[static_cast<std::size_t>(row.table)]
              : (row.table == 0 ? 0 : -1);
      if (ut < 0) continue;
      auto& vals = values_[static_cast<std::size_t>(ut)];
      std::fill(vals.begin(), vals.end(), std::string_view());
      if (v != nullptr) {
        const auto& cols = v->column_map[static_cast<std::size_t>(row.table)];
        for (std::size_t c = 0; c < row.values.size() && c < cols.size(); ++c)
          if (cols[c] >= 0) vals[static_cast<std::size_t>(cols[c])] = row.values[c];
      }
      emit(ut, row.key, fill(s, ut, row.key, v));
      main_done = true;
    }
    if (!main_done) {  // an empty record still has its main row
      std::fill(values_[0].begin(), values_[0].end(), std::string_view());
      emit(0, std::string_view(), fill(s, 0, {}, v));
    }
  }

  // The value of union field `f` as exported (a label when choices=labels).
  std::string_view shown(const UNode& f, std::string_view value, std::string& scratch) const {
    if (!shape_->options.choice_labels || f.labels.empty() || value.empty()) return value;
    if (!is_select_multiple(f.node)) {
      auto it = f.labels.find(std::string(value));
      return it == f.labels.end() ? value : std::string_view(it->second);
    }
    // Labels of a select_multiple contain spaces, so they are joined with "; ".
    scratch.clear();
    std::size_t i = 0;
    while (i < value.size()) {
      std::size_t j = value.find(' ', i);
      if (j == std::string_view::npos) j = value.size();
      std::string_view token = value.substr(i, j - i);
      if (!token.empty()) {
        if (!scratch.empty()) scratch += "; ";
        auto it = f.labels.find(std::string(token));
        scratch += it == f.labels.end() ? token : std::string_view(it->second);
      }
      i = j + 1;
    }
    return scratch;
  }

  const VersionInfo* version(std::int64_t id) const {
    auto it = shape_->by_id.find(id);
    return it == shape_->by_id.end() ? nullptr : it->second;
  }

  const std::vector<std::string_view>& values(int table) const {
    return values_[static_cast<std::size_t>(table)];
  }

 private:
  std::span<const Cell> fill(const Sub& s, int ut, std::string_view key, const VersionInfo* v) {
    const UTable& t = shape_->tables[static_cast<std::size_t>(ut)];
    const auto& vals = values_[static_cast<std::size_t>(ut)];
    std::size_t n = 0;
    auto put = [&](std::string_view text, bool numeric = false) { cells_[n++] = Cell{text, numeric}; };
    if (ut == 0) {
      date_ = format_iso8601(s.submitted_at);
      put(date_);
    }
    for (std::size_t i = 0; i < t.out.size(); ++i) {
      const OutCol& o = t.out[i];
      const UNode& f = shape_->nodes[static_cast<std::size_t>(o.field)];
      std::string_view value = vals[static_cast<std::size_t>(o.column)];
      if (o.split)
        put(value.empty() ? std::string_view() : has_token(value, o.choice) ? "1" : "0", true);
      else
        put(shown(f, value, scratch_[i]), f.numeric);
    }
    if (ut == 0) {
      submitter_ = s.submitter_id ? std::to_string(*s.submitter_id) : std::string();
      issues_ = std::to_string(s.issue_count);
      put(s.instance_id);
      put(submitter_, true);
      put(s.submitter_name);
      put(s.device_id);
      put(s.state);
      put(v != nullptr ? std::string_view(v->version) : std::string_view());
      put(issues_, true);
    } else {
      std::string_view parent = xform::parent_key(key);
      parent_.assign(s.instance_id);
      if (!parent.empty()) parent_.append("/").append(parent);
      key_.assign(s.instance_id).append("/").append(key);
      put(parent_);
      put(key_);
    }
    return {cells_.data(), n};
  }

  std::shared_ptr<Shape> shape_;
  std::vector<std::vector<std::string_view>> values_;  // per union table, per column
  std::vector<Cell> cells_;
  std::vector<std::string> scratch_;
  std::string date_, submitter_, issues_, parent_, key_;
};

// ---------------------------------------------------------------------------------------------
// The common producer: header, pages, finishing steps.

class Producer {
 public:
  Producer(db::Database& db, std::shared_ptr<Shape> shape) : shape_(shape), pager_(db, shape), tab_(shape) {}
  virtual ~Producer() = default;

  bool next(std::string& out) {
    switch (stage_) {
      case Stage::begin:
        begin(out);
        stage_ = Stage::rows;
        return true;
      case Stage::rows: {
        const auto& page = pager_.fetch();
        for (const auto& s : page) submission(s, out);
        end_page(out);
        if (page.empty()) stage_ = Stage::finish;
        return true;
      }
      case Stage::finish:
        if (finish(out)) return true;
        stage_ = Stage::done;
        return false;
      case Stage::done:
        return false;
    }
    return false;
  }

 protected:
  virtual void begin(std::string& out) = 0;
  virtual void submission(const Sub& s, std::string& out) = 0;
  virtual void end_page(std::string& out) = 0;
  // Appends more of the end of the file; false once nothing is left.
  virtual bool finish(std::string& out) = 0;

  std::shared_ptr<Shape> shape_;
  Pager pager_;
  Tabulator tab_;

 private:
  enum class Stage { begin, rows, finish, done };
  Stage stage_ = Stage::begin;
};

// ---------------------------------------------------------------------------------------------
// CSV files in a zip.

void put16(std::string& o, std::uint32_t v) {
  o.push_back(static_cast<char>(v & 0xFF));
  o.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void put32(std::string& o, std::uint32_t v) {
  put16(o, v & 0xFFFF);
  put16(o, v >> 16);
}
void put64(std::string& o, std::uint64_t v) {
  put32(o, static_cast<std::uint32_t>(v & 0xFFFFFFFFu));
  put32(o, static_cast<std::uint32_t>(v >> 32));
}

// Raw deflate (as zip stores it) with the CRC-32 and sizes zip needs.
class Deflater {
 public:
  Deflater() {
    if (deflateInit2(&zs_, kDeflateLevel, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw Error(ErrorCode::internal, "export: zlib could not start");
  }
  ~Deflater() { deflateEnd(&zs_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  void write(std::string_view in, std::string& out, bool finish) {
    crc_ = crc32_z(crc_, reinterpret_cast<const Bytef*>(in.data()), in.size());
    in_bytes_ += in.size();
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    for (;;) {
      std::size_t start = out.size();
      std::size_t room = std::max<std::size_t>(deflateBound(&zs_, zs_.avail_in) + 64, 16 * 1024);
      out.resize(start + room);
      zs_.next_out = reinterpret_cast<Bytef*>(out.data() + start);
      zs_.avail_out = static_cast<uInt>(room);
      int rc = deflate(&zs_, finish ? Z_FINISH : Z_NO_FLUSH);
      std::size_t produced = room - zs_.avail_out;
      out.resize(start + produced);
      out_bytes_ += produced;
      if (rc == Z_STREAM_ERROR) throw Error(ErrorCode::internal, "export: deflate failed");
      if (finish ? rc == Z_STREAM_END : (zs_.avail_in == 0 && zs_.avail_out != 0)) break;
    }
  }

  std::uint32_t crc() const { return static_cast<std::uint32_t>(crc_); }
  std::uint64_t in_bytes() const { return in_bytes_; }
  std::uint64_t out_bytes() const { return out_bytes_; }

 private:
  z_stream zs_{};
  uLong crc_ = crc32(0, nullptr, 0);
  std::uint64_t in_bytes_ = 0, out_bytes_ = 0;
};

// A zip written front to back: local headers, data, then the central directory. Zip64 records
// are added only where a size or offset does not fit 32 bits.
class ZipLayout {
 public:
  ZipLayout() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    time_ = static_cast<std::uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    date_ = static_cast<std::uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  }

  // A local header for data whose CRC and sizes follow it in a data descriptor.
  void begin_streamed(std::string& out, const std::string& name) {
    entries_.push_back({name, 0, 0, 0, offset_, true});
    local_header(out, entries_.back());
  }
  void end_streamed(std::string& out, const Deflater& d) {
    Entry& e = entries_.back();
    e.crc = d.crc();
    e.csize = d.out_bytes();
    e.usize = d.in_bytes();
    offset_ += e.csize;
    std::size_t start = out.size();
    put32(out, 0x08074b50);
    put32(out, e.crc);
    if (e.csize >= kMax32 || e.usize >= kMax32) {  // as Java's ZipOutputStream does
      put64(out, e.csize);
      put64(out, e.usize);
    } else {
      put32(out, static_cast<std::uint32_t>(e.csize));
      put32(out, static_cast<std::uint32_t>(e.usize));
    }
    offset_ += out.size() - start;
  }
  // A local header for data compressed already; the caller appends `csize` bytes after it.
  void add_compressed(std::string& out, const std::string& name, std::uint32_t crc, std::uint64_t csize,
                      std::uint64_t usize) {
    entries_.push_back({name, crc, csize, usize, offset_, false});
    local_header(out, entries_.back());
    offset_ += csize;
  }

  void central_directory(std::string& out) {
    const std::uint64_t cd_offset = offset_;
    std::size_t start = out.size();
    for (const auto& e : entries_) {
      std::string extra;
      if (e.usize >= kMax32) put64(extra, e.usize);
      if (e.csize >= kMax32) put64(extra, e.csize);
      if (e.offset >= kMax32) put64(extra, e.offset);
      const bool zip64 = !extra.empty();
      if (zip64) {
        std::string field;
        put16(field, 0x0001);
        put16(field, static_cast<std::uint32_t>(extra.size()));
        extra = field + extra;
      }
      put32(out, 0x02014b50);
      put16(out, (3u << 8) | (zip64 ? 45u : 20u));  // made by: Unix
      put16(out, zip64 ? 45 : 20);
      put16(out, e.streamed ? 0x0808 : 0x0800);  // bit 3: data descriptor; bit 11: UTF-8 names
      put16(out, 8);
      put16(out, time_);
      put16(out, date_);
      put32(out, e.crc);
      put32(out, e.csize >= kMax32 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(e.csize));
      put32(out, e.usize >= kMax32 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(e.usize));
      put16(out, static_cast<std::uint32_t>(e.name.size()));
      put16(out, static_cast<std::uint32_t>(extra.size()));
      put16(out, 0);
      put16(out, 0);
      put16(out, 0);
      put32(out, 0100644u << 16);
      put32(out, e.offset >= kMax32 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(e.offset));
      out += e.name;
      out += extra;
    }
    const std::uint64_t cd_size = out.size() - start;
    const std::uint64_t count = entries_.size();
    if (cd_offset >= kMax32 || cd_size >= kMax32 || count >= 0xFFFF) {
      const std::uint64_t eocd64 = cd_offset + cd_size;
      put32(out, 0x06064b50);
      put64(out, 44);
      put16(out, (3u << 8) | 45u);
      put16(out, 45);
      put32(out, 0);
      put32(out, 0);
      put64(out, count);
      put64(out, count);
      put64(out, cd_size);
      put64(out, cd_offset);
      put32(out, 0x07064b50);
      put32(out, 0);
      put64(out, eocd64);
      put32(out, 1);
    }
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, static_cast<std::uint32_t>(std::min<std::uint64_t>(count, 0xFFFF)));
    put16(out, static_cast<std::uint32_t>(std::min<std::uint64_t>(count, 0xFFFF)));
    put32(out, static_cast<std::uint32_t>(std::min<std::uint64_t>(cd_size, kMax32)));
    put32(out, static_cast<std::uint32_t>(std::min<std::uint64_t>(cd_offset, kMax32)));
    put16(out, 0);
  }

 private:
  static constexpr std::uint64_t kMax32 = 0xFFFFFFFFu;
  struct Entry {
    std::string name;
    std::uint32_t crc;
    std::uint64_t csize, usize, offset;
    bool streamed;
  };

  void local_header(std::string& out, const Entry& e) {
    const bool zip64 = !e.streamed && (e.csize >= kMax32 || e.usize >= kMax32);
    std::size_t start = out.size();
    put32(out, 0x04034b50);
    put16(out, zip64 ? 45 : 20);
    put16(out, e.streamed ? 0x0808 : 0x0800);
    put16(out, 8);
    put16(out, time_);
    put16(out, date_);
    put32(out, e.crc);
    put32(out, zip64 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(e.csize));
    put32(out, zip64 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(e.usize));
    put16(out, static_cast<std::uint32_t>(e.name.size()));
    put16(out, zip64 ? 20 : 0);
    out += e.name;
    if (zip64) {
      put16(out, 0x0001);
      put16(out, 16);
      put64(out, e.usize);
      put64(out, e.csize);
    }
    offset_ += out.size() - start;
  }

  std::vector<Entry> entries_;
  std::uint64_t offset_ = 0;
  std::uint16_t time_ = 0, date_ = 0;
};

// RFC 4180; lines end in CRLF. Texts a spreadsheet would run as formulas are shown instead
// (csv::append_cell).
template <class Range>
void csv_row(std::string& out, const Range& cells) {
  bool first = true;
  for (const auto& c : cells) {
    if (!first) out.push_back(',');
    first = false;
    if constexpr (std::is_same_v<std::decay_t<decltype(c)>, Cell>)
      csv::append_cell(out, c.text);
    else
      csv::append_cell(out, c);
  }
  out += "\r\n";
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

class CsvZip final : public Producer {
 public:
  using Producer::Producer;

 private:
  struct Part {
    std::string text;  // CSV not yet deflated
    std::unique_ptr<Deflater> deflater;
    FilePtr spill;  // repeats: the deflated CSV until the main file is done
    std::string compressed;
  };

  void begin(std::string& out) override {
    parts_.resize(shape_->tables.size());
    for (std::size_t t = 0; t < parts_.size(); ++t) {
      Part& p = parts_[t];
      p.deflater = std::make_unique<Deflater>();
      if (t > 0) {
        p.spill.reset(std::tmpfile());
        if (!p.spill) throw Error(ErrorCode::internal, "export: no temporary file for a repeat table");
      }
      if (shape_->options.bom) p.text += "\xEF\xBB\xBF";
      csv_row(p.text, shape_->tables[t].headers);
    }
    zip_.begin_streamed(out, shape_->tables[0].file_name);
    flush(out, false);
  }

  void submission(const Sub& s, std::string& /*out*/) override {
    tab_.rows(s, [&](int table, std::string_view, std::span<const Cell> cells) {
      csv_row(parts_[static_cast<std::size_t>(table)].text, cells);
    });
  }

  void end_page(std::string& out) override { flush(out, false); }

  bool finish(std::string& out) override {
    if (copying_ == 0) {
      flush(out, true);
      zip_.end_streamed(out, *parts_[0].deflater);
      copying_ = 1;
      if (copying_ < parts_.size()) start_copy(out);
      return true;
    }
    if (copying_ < parts_.size()) {
      Part& p = parts_[copying_];
      std::size_t start = out.size();
      out.resize(start + kCopyPiece);
      std::size_t got = std::fread(out.data() + start, 1, kCopyPiece, p.spill.get());
      out.resize(start + got);
      if (got < kCopyPiece) {
        if (std::ferror(p.spill.get()))
          throw Error(ErrorCode::internal, "export: reading a temporary file failed");
        p.spill.reset();
        if (++copying_ < parts_.size()) start_copy(out);
      }
      return true;
    }
    if (!directory_written_) {
      zip_.central_directory(out);
      directory_written_ = true;
      return true;
    }
    return false;
  }

  void start_copy(std::string& out) {
    Part& p = parts_[copying_];
    std::rewind(p.spill.get());
    zip_.add_compressed(out, shape_->tables[copying_].file_name, p.deflater->crc(), p.deflater->out_bytes(),
                        p.deflater->in_bytes());
  }

  // Deflates what the page added: the main file into the response, repeats into their files.
  void flush(std::string& out, bool last) {
    for (std::size_t t = 0; t < parts_.size(); ++t) {
      Part& p = parts_[t];
      if (t == 0) {
        p.deflater->write(p.text, out, last);
      } else {
        p.compressed.clear();
        p.deflater->write(p.text, p.compressed, last);
        if (!p.compressed.empty() &&
            std::fwrite(p.compressed.data(), 1, p.compressed.size(), p.spill.get()) != p.compressed.size())
          throw Error(ErrorCode::internal, "export: the temporary disk is full");
        if (last && std::fflush(p.spill.get()) != 0)
          throw Error(ErrorCode::internal, "export: the temporary disk is full");
      }
      p.text.clear();
    }
  }

  std::vector<Part> parts_;
  ZipLayout zip_;
  std::size_t copying_ = 0;  // 0 while the main file is open, then the repeat file being copied
  bool directory_written_ = false;
};

// ---------------------------------------------------------------------------------------------
// XLSX through libxlsxwriter.

class Xlsx final : public Producer {
 public:
  Xlsx(db::Database& db, std::shared_ptr<Shape> shape) : Producer(db, std::move(shape)) {
    std::filesystem::path dir = std::filesystem::temp_directory_path();
    tmpdir_ = dir.string();
    std::string tmpl = (dir / "gotong-export-XXXXXX.xlsx").string();
    int fd = ::mkstemps(tmpl.data(), 5);
    if (fd < 0) throw Error(ErrorCode::internal, "export: no temporary file for the workbook");
    ::close(fd);
    path_ = tmpl;
  }
  ~Xlsx() override {
    if (workbook_ != nullptr) lxw_workbook_free(workbook_);
    file_.reset();
    if (!path_.empty()) ::unlink(path_.c_str());
  }

 private:
  struct Sheet {
    lxw_worksheet* ws = nullptr;
    lxw_row_t row = 0;
    int part = 1;
  };

  void begin(std::string& /*out*/) override {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = tmpdir_.data();
    workbook_ = workbook_new_opt(path_.c_str(), &options);
    if (workbook_ == nullptr) throw Error(ErrorCode::internal, "export: the workbook could not be created");
    bold_ = workbook_add_format(workbook_);
    format_set_bold(bold_);
    sheets_.resize(shape_->tables.size());
    for (std::size_t t = 0; t < sheets_.size(); ++t) {
      std::string lower = shape_->tables[t].sheet_name;
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      used_names_.push_back(lower);
      open_sheet(t, shape_->tables[t].sheet_name);
    }
  }

  void open_sheet(std::size_t t, const std::string& name) {
    Sheet& s = sheets_[t];
    s.ws = workbook_add_worksheet(workbook_, name.c_str());
    if (s.ws == nullptr) throw Error(ErrorCode::internal, "export: a sheet could not be added: " + name);
    s.row = 0;
    worksheet_freeze_panes(s.ws, 1, 0);
    const auto& headers = shape_->tables[t].headers;
    for (std::size_t c = 0; c < headers.size(); ++c) write_text(s, c, headers[c], bold_);
    s.row = 1;
  }

  void write_text(Sheet& s, std::size_t col, std::string_view text, lxw_format* format) {
    // Excel holds at most 32,767 characters in a cell; longer answers are cut at a UTF-8 boundary.
    std::size_t n = std::min<std::size_t>(text.size(), 32767);
    while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    cell_.assign(text.substr(0, n));
    check(worksheet_write_string(s.ws, s.row, static_cast<lxw_col_t>(col), cell_.c_str(), format));
  }

  static void check(lxw_error e) {
    if (e != LXW_NO_ERROR) throw Error(ErrorCode::internal, std::string("export: ") + lxw_strerror(e));
  }

  void submission(const Sub& sub, std::string& /*out*/) override {
    tab_.rows(sub, [&](int table, std::string_view, std::span<const Cell> cells) {
      auto t = static_cast<std::size_t>(table);
      Sheet& s = sheets_[t];
      if (s.row >= LXW_ROW_MAX) {  // a sheet holds 1,048,576 rows: continue on the next one
        std::string name = cut_utf8(shape_->tables[t].sheet_name, 24) + " (" + std::to_string(++s.part) + ")";
        open_sheet(t, unique_name(name, used_names_, 31));
      }
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const Cell& cell = cells[c];
        if (cell.text.empty()) continue;
        double number = 0;
        if (cell.numeric && cell.text.size() <= 15) {
          auto [p, ec] = std::from_chars(cell.text.data(), cell.text.data() + cell.text.size(), number);
          if (ec == std::errc() && p == cell.text.data() + cell.text.size()) {
            check(worksheet_write_number(s.ws, s.row, static_cast<lxw_col_t>(c), number, nullptr));
            continue;
          }
        }
        write_text(s, c, cell.text, nullptr);
      }
      ++s.row;
    });
  }

  void end_page(std::string& /*out*/) override {}

  bool finish(std::string& out) override {
    if (workbook_ != nullptr) {
      lxw_error e = workbook_close(workbook_);  // frees the workbook whatever the outcome
      workbook_ = nullptr;
      check(e);
      file_.reset(std::fopen(path_.c_str(), "rb"));
      if (!file_) throw Error(ErrorCode::internal, "export: the workbook file vanished");
      ::unlink(path_.c_str());  // the open handle keeps it readable
      path_.clear();
      return true;
    }
    if (!file_) return false;
    std::size_t start = out.size();
    out.resize(start + kCopyPiece);
    std::size_t got = std::fread(out.data() + start, 1, kCopyPiece, file_.get());
    out.resize(start + got);
    if (got < kCopyPiece) {
      if (std::ferror(file_.get())) throw Error(ErrorCode::internal, "export: reading the workbook failed");
      file_.reset();
    }
    return true;
  }

  std::string tmpdir_, path_, cell_;
  std::vector<std::string> used_names_;
  lxw_workbook* workbook_ = nullptr;
  lxw_format* bold_ = nullptr;
  std::vector<Sheet> sheets_;
  FilePtr file_;
};

// ---------------------------------------------------------------------------------------------
// JSON: [{"__id": ..., "__system": {...}, fields nested as the form's groups and repeats}, ...]


// True when `s` is a JSON number as written (so "007", "1." and "+1" stay strings).
bool json_number(std::string_view s) {
  std::size_t i = 0, n = s.size();
  auto digits = [&] {
    std::size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n && n > 0 && n <= 20;
}

class Json final : public Producer {
 public:
  using Producer::Producer;

 private:
  struct Row {
    int table = 0;
    std::string rel_key;              // below the submission ("household/member[1]")
    std::vector<std::string> values;  // per union column
    std::vector<int> children;        // repeat rows directly inside this one, in order
  };

  void begin(std::string& out) override { out += "["; }

  void submission(const Sub& s, std::string& out) override {
    // One submission's rows, kept to nest each repeat row inside its parent.
    rows_used_ = 0;
    tab_.rows(s, [&](int table, std::string_view key, std::span<const Cell>) {
      if (rows_.size() <= rows_used_) rows_.emplace_back();
      Row& r = rows_[rows_used_++];
      r.table = table;
      r.rel_key.assign(key);
      r.children.clear();
      const auto& vals = tab_.values(table);
      r.values.resize(vals.size());
      for (std::size_t i = 0; i < vals.size(); ++i) r.values[i].assign(vals[i]);
    });
    // Rows come in document order, so a parent is always seen before its children.
    by_key_.clear();
    for (std::size_t i = 0; i < rows_used_; ++i) {
      if (i > 0) {
        auto parent = by_key_.find(xform::parent_key(rows_[i].rel_key));
        if (parent != by_key_.end())
          rows_[static_cast<std::size_t>(parent->second)].children.push_back(static_cast<int>(i));
      }
      by_key_.emplace(rows_[i].rel_key, static_cast<int>(i));
    }
    const VersionInfo* v = tab_.version(s.version_id);
    instance_id_.assign(s.instance_id);
    out += first_ ? "\n" : ",\n";
    first_ = false;
    out += "{\"__id\":";
    json::append_quoted(out, s.instance_id);
    out += ",\"__system\":{\"submissionDate\":";
    json::append_quoted(out, format_iso8601(s.submitted_at));
    out += ",\"submitterId\":";
    if (s.submitter_id)
      json::append_quoted(out, std::to_string(*s.submitter_id));
    else
      out += "null";
    out += ",\"submitterName\":";
    json::append_quoted(out, s.submitter_name);
    out += ",\"deviceId\":";
    json::append_quoted(out, s.device_id);
    out += ",\"reviewState\":";
    json::append_quoted(out, s.state);
    out += ",\"formVersion\":";
    json::append_quoted(out, v != nullptr ? std::string_view(v->version) : std::string_view());
    out += ",\"issueCount\":" + std::to_string(s.issue_count) + "}";
    if (rows_used_ > 0) members(out, 0, 0);
    out += "}";
  }

  // The members of union group/repeat `ni` for row `row`, each preceded by a comma.
  void members(std::string& out, int ni, std::size_t row) {
    for (int ci : shape_->nodes[static_cast<std::size_t>(ni)].children) {
      const UNode& c = shape_->nodes[static_cast<std::size_t>(ci)];
      out += ",";
      json::append_quoted(out, c.name);
      out += ":";
      if (c.kind == xform::NodeKind::field) {
        const std::string& value = rows_[row].values[static_cast<std::size_t>(c.column)];
        if (value.empty()) {
          out += "null";
        } else {
          std::string_view shown = tab_.shown(c, value, scratch_);
          if (c.numeric && json_number(shown))
            out += shown;
          else
            json::append_quoted(out, shown);
        }
      } else if (c.kind == xform::NodeKind::group) {
        // Members start with a comma; an object starts with a dummy-free first member.
        std::size_t mark = out.size();
        out += "{";
        members(out, ci, row);
        if (out.size() > mark + 1) out.erase(mark + 1, 1);  // the first member's comma
        out += "}";
      } else {
        out += "[";
        bool first = true;
        for (int child : rows_[row].children) {
          const Row& r = rows_[static_cast<std::size_t>(child)];
          if (r.table != c.table) continue;
          out += first ? "{\"__id\":" : ",{\"__id\":";
          first = false;
          key_.assign(instance_id_).append("/").append(r.rel_key);
          json::append_quoted(out, key_);
          members(out, ci, static_cast<std::size_t>(child));
          out += "}";
        }
        out += "]";
      }
    }
  }

  void end_page(std::string&) override {}

  bool finish(std::string& out) override {
    if (finished_) return false;
    out += first_ ? "]\n" : "\n]\n";
    finished_ = true;
    return true;
  }

  std::vector<Row> rows_;
  std::size_t rows_used_ = 0;
  std::unordered_map<std::string_view, int> by_key_;
  std::string scratch_, key_, instance_id_;
  bool first_ = true, finished_ = false;
};

}  // namespace

Export start(db::Database& db, const OrgScope& s, std::int64_t form_id, Format format,
             const Options& options) {
  s.require(Permission::read);
  for (const auto& st : options.states)
    if (std::find(known_states().begin(), known_states().end(), st) == known_states().end())
      throw Error(ErrorCode::bad_request,
                  "unknown state '" + st + "'; use received, has_issues, approved or rejected");
  auto shape = std::make_shared<Shape>();
  shape->org_id = s.org_id();
  shape->form_id = form_id;
  shape->options = options;
  struct Stored {
    std::int64_t id;
    std::string version, status, xform;
  };
  std::vector<Stored> stored;
  db.read([&](db::Connection& c) {
    auto form =
        c.query_one("SELECT xml_form_id FROM forms WHERE id = $1 AND org_id = $2", {form_id, s.org_id()});
    if (!form) throw Error(ErrorCode::not_found, "no form " + std::to_string(form_id));
    shape->xml_form_id = form->text_at(0);
    for (const auto& r : c.query("SELECT id, version_string, status, xform FROM form_versions "
                                 "WHERE form_id = $1 AND org_id = $2 ORDER BY id",
                                 {form_id, s.org_id()}))
      stored.push_back({r.int_at(0), r.text_at(1), r.text_at(2), r.text_at(3)});
  });
  // Parsing happens outside the read job.
  for (auto& st : stored) {
    auto v = make_version(st.id, std::move(st.version), std::move(st.status), st.xform);
    shape->by_id[v->id] = v.get();
    shape->versions.push_back(std::move(v));
  }
  // Columns: the newest published version first, then older ones; a draft only adds its
  // columns when nothing was ever published (its test submissions are not real data).
  std::vector<VersionInfo*> order;
  for (auto it = shape->versions.rbegin(); it != shape->versions.rend(); ++it)
    if ((*it)->status != "draft") order.push_back(it->get());
  if (order.empty())
    for (auto it = shape->versions.rbegin(); it != shape->versions.rend(); ++it) order.push_back(it->get());
  UNode root;
  root.kind = xform::NodeKind::group;
  shape->nodes.push_back(std::move(root));
  std::unordered_map<std::string, int> index;
  for (auto* v : order) merge(*shape, v->schema, index);
  shape->tables.push_back(UTable{});
  assign_tables(*shape, 0, 0);
  for (auto& v : shape->versions) map_version(*shape, index, *v);
  shape->lang = order.empty() ? std::string() : resolve_language(order.front()->schema, options.lang);
  build_columns(*shape);

  Export e;
  std::shared_ptr<Producer> producer;
  switch (format) {
    case Format::csv_zip:
      e.file_name = shape->xml_form_id + ".csv.zip";
      e.content_type = "application/zip";
      producer = std::make_shared<CsvZip>(db, shape);
      break;
    case Format::xlsx:
      e.file_name = shape->xml_form_id + ".xlsx";
      e.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      producer = std::make_shared<Xlsx>(db, shape);
      break;
    case Format::json:
      e.file_name = shape->xml_form_id + ".json";
      e.content_type = "application/json";
      producer = std::make_shared<Json>(db, shape);
      break;
  }
  e.file_name = file_safe(e.file_name);
  e.next = [producer](std::string& out) { return producer->next(out); };
  return e;
}

}  // namespace gotong::domain::exports
