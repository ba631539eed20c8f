// The compact form of a submission's answers that exports and indicators read without parsing
// XML: one row for the submission, then one row per repeat instance in document order, each
// holding the values of its table's fields in the order the form version's Layout gives.
// Values never contain the separators (XML 1.0 cannot carry C0 control characters; any that
// slip through are replaced by spaces on encoding).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "forms/xform/schema.hpp"
#include "forms/xform/submission.hpp"

namespace gotong::forms::xform {

// One output table: the submission itself (repeat_node -1) or one repeat of the form.
struct Table {
  int repeat_node = -1;     // index into Schema::nodes, -1 for the main table
  int parent_table = -1;    // the table of the enclosing repeat (0 = main), -1 for main
  std::string path;         // "/data" or "/data/household/member"
  std::string name;         // "data" or "member"
  std::vector<int> fields;  // indexes into Schema::nodes of the fields stored in this table
};

struct Layout {
  std::vector<Table> tables;  // tables[0] is the main table
  // Per schema node: the table a field belongs to and its position there (column_of is -1 for
  // groups and repeats); for a repeat node, table_of is the table it heads; -1 for groups.
  std::vector<int> table_of, column_of;
};
Layout layout_of(const Schema& schema);

// Encodes the answers of a parsed submission.
std::string encode_record(const Schema& schema, const Layout& layout, const Submission& submission);

// One decoded row. `key` locates a repeat instance below the submission root, with the groups on
// the way and 1-based positions among the instances under the same parent ("member[2]",
// "household/member[2]/visit[1]"; empty for the main row), so the ODK Central export KEY of a
// repeat row is "<instanceID>/<key>"; parent_key() gives the enclosing row's key.
struct RecordRow {
  int table = 0;
  std::string_view key;
  std::vector<std::string_view> values;  // one per field of the table, "" when unanswered
};

// Reads the rows of an encoded record; views point into the record string.
class RecordReader {
 public:
  explicit RecordReader(std::string_view record) : rest_(record) {}
  // Fills `row` with the next row; false at the end. Throws XFormError on a damaged record.
  bool next(RecordRow& row);

 private:
  std::string_view rest_;
  bool first_ = true;
};

// The value of a field outside any repeat, from the main row, without decoding the rest.
std::string_view main_value(std::string_view record, int column);

// "household/member[2]/visit[1]" → "household/member[2]"; "member[2]" → "" (the main row).
std::string_view parent_key(std::string_view key);

}  // namespace gotong::forms::xform
