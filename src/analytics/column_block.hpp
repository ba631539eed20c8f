// A columnar copy of the stored records of consecutive submissions of one form version: each
// field of each record table as a dictionary (its distinct answers once) and a small code per
// row, plus what the full computation of an indicator reads beside the record (whether the
// submission counts, when it was received, its area key). The full computation reads these
// instead of a million text rows, and evaluates filters, dimensions and values once per distinct
// answer (Plan::add_block) with exactly the results of Plan::add over the records.
//
// A block is stored as named parts, one per column, so that a computation reads only the
// columns its indicator needs: "state", "time", "area", "exc", "t<T>" (the rows of repeat table
// T with their parent row) and "c<T>.<C>" (column C of table T). Records the columns cannot
// represent exactly (damaged, or rows whose parent is not a row of the enclosing repeat) are
// kept whole in "exc" and evaluated by Plan::add.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "forms/xform/record.hpp"

namespace gotong::analytics {

// A block part that does not decode (it was written by this code, so this means damage).
class BlockError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Per submission in "state": the low bits are the review state, kDeletedBit marks a submission in
// the bin, kExceptionBit one whose record is in "exc" (its columns hold nothing).
enum BlockState : std::uint8_t { kReceived = 0, kApproved = 1, kHasIssues = 2, kOtherState = 3 };
inline constexpr std::uint8_t kStateMask = 0x0f;
inline constexpr std::uint8_t kDeletedBit = 0x10;
inline constexpr std::uint8_t kExceptionBit = 0x20;
std::uint8_t block_state(std::string_view state, bool deleted);

struct CodedColumn {
  std::vector<std::string_view> dict;  // distinct values (views into the block's storage)
  std::vector<std::uint32_t> codes;    // per row
};

struct ColumnBlock {
  std::size_t rows = 0;                   // submissions
  std::vector<std::uint8_t> state;        // per submission (BlockState bits)
  std::vector<std::int64_t> submitted_at; // per submission; empty when the part was not read
  CodedColumn area;                       // per submission; empty when not read
  // Per table (index as in the record): its parent row in the enclosing table; [0] unused.
  // A table not read, or with no rows in this block, has an empty vector.
  std::vector<std::vector<std::uint32_t>> parent;
  // Columns read, by (table, column); an unread or absent column reads "" for every row.
  std::map<std::pair<int, int>, CodedColumn> columns;
  struct Exception {
    std::uint32_t row;  // the submission
    std::int64_t submitted_at;
    std::string_view area, record;
  };
  std::vector<Exception> exceptions;
  // The parts' bytes the views point into. A deque: adding a part moves no earlier one, and a
  // vector's move would carry a short string's bytes (kept inside the string) elsewhere.
  std::deque<std::string> storage;

  const CodedColumn* column(int table, int col) const {
    auto it = columns.find({table, col});
    return it == columns.end() ? nullptr : &it->second;
  }
};

// Encodes submissions of one version, in id order, into the parts of a block.
class ColumnBlockBuilder {
 public:
  // `layout` is the version's (which repeat encloses which): records whose rows do not follow it
  // are kept whole.
  explicit ColumnBlockBuilder(const forms::xform::Layout* layout) : layout_(layout) {}
  void add(std::string_view record, std::string_view state, bool deleted, std::int64_t submitted_at,
           std::string_view area);
  std::size_t rows() const { return state_.size(); }
  // Part name → bytes.
  std::map<std::string, std::string> finish() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Column {
    std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index;
    std::vector<std::string_view> dict;  // in code order, views into index keys
    std::vector<std::uint32_t> codes;
    void add(std::string_view v, std::size_t row);  // pads earlier rows with ""
  };
  static std::string encode(const Column& c, std::size_t rows);
  const forms::xform::Layout* layout_;
  std::vector<std::uint8_t> state_;
  std::vector<std::int64_t> time_;
  Column area_;
  std::vector<std::vector<std::uint32_t>> parent_;  // per table
  std::vector<std::vector<Column>> columns_;        // per table, per column
  std::string exceptions_;
  std::uint32_t exception_count_ = 0;
  std::vector<forms::xform::RecordRow> rows_;  // scratch
};

// Adds one part (as finish() made it) to a block being read; `rows` is the block's submission
// count. Throws BlockError on damage.
void add_part(ColumnBlock& b, std::string_view name, std::string data);

}  // namespace gotong::analytics
