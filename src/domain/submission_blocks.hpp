// The stored column blocks of a form's submissions (table submission_blocks, migration 0017;
// format in analytics/column_block.hpp): which id ranges they cover, reading them, writing new
// ones, and dropping the one a changed submission falls in.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/column_block.hpp"
#include "db/database.hpp"

namespace gotong::domain::submission_blocks {

// Submissions per block: GOTONG_SUBMISSION_BLOCK_ROWS when set to a number >= 1 (tests use tiny
// blocks), else 16384; read once per process.
std::size_t block_rows();

struct Range {
  std::int64_t first = 0, last = 0;
};
// The id ranges the form's blocks cover, ascending and disjoint.
std::vector<Range> ranges(db::Connection& c, std::int64_t form_id);

// Stored blocks that cannot be decoded, or do not fit the submissions they claim to hold.
class DamagedBlocks : public std::runtime_error {
 public:
  // `what`: the damage found in the first of them.
  DamagedBlocks(std::int64_t form_id, std::vector<std::int64_t> first_ids, const std::string& what);
  const std::vector<std::int64_t>& first_ids() const { return first_ids_; }

 private:
  std::vector<std::int64_t> first_ids_;
};

// Calls on_block for every block of the form and every version in it, in id order, with the
// parts named in `parts` (the others are not read). A block that fails to decode, or that
// on_block refuses with analytics::BlockError, is skipped and the other blocks are still read;
// then DamagedBlocks names every such block.
void read(db::Connection& c, std::int64_t form_id, const std::vector<std::string>& parts,
          const std::function<void(std::int64_t version_id, const analytics::ColumnBlock&)>& on_block);

// Cuts consecutive submissions (every one of the form in an id range not covered by a block,
// fed in id order) into blocks of block_rows() submissions.
class Builder {
 public:
  using Layouts = std::unordered_map<std::int64_t, const ::gotong::forms::xform::Layout*>;
  // At most `max_blocks` blocks are made (the rest of a range stays rows): the full computation
  // builds inside its write transaction, which on SQLite every other write waits for.
  Builder(std::size_t rows, const Layouts& layouts,
          std::size_t max_blocks = std::numeric_limits<std::size_t>::max())
      : rows_(rows), layouts_(layouts), blocks_left_(max_blocks) {}
  // A range of ids after `after` begins, holding `rows` submissions of the form. Its first
  // rows / block_rows() whole blocks are made; the rest (for the range that runs to the form's
  // newest submission: the fewer than block_rows() newest ones, where new submissions arrive)
  // stays rows. Blocks start at after + 1 (no submission of the form lies between), so blocks
  // built side by side leave no gap to read. Only the submissions that make blocks are encoded.
  void begin_range(std::int64_t after, std::size_t rows);
  void add(std::int64_t id, std::int64_t version_id, std::string_view record, std::string_view state,
           bool deleted, std::int64_t submitted_at, std::string_view area);
  void end_range();
  // Writes the blocks made (in the caller's transaction); `clear` false keeps them for a write
  // job that may run again (PostgreSQL retries).
  void store(db::Connection& c, std::int64_t form_id, bool clear = true);
  std::size_t blocks() const { return done_.size(); }

 private:
  struct Block {
    std::int64_t first = 0, last = 0;
    std::map<std::int64_t, std::map<std::string, std::string>> parts;  // per version
    std::map<std::int64_t, std::size_t> rows;
  };
  struct Open {
    std::int64_t first = 0, last = 0;
    std::size_t rows = 0;
    std::map<std::int64_t, std::unique_ptr<analytics::ColumnBlockBuilder>> versions;
  };
  void close_open();
  std::size_t rows_;
  const Layouts& layouts_;
  Open open_;
  std::size_t blocks_left_;
  std::size_t fed_ = 0, wanted_ = 0;  // submissions of the range seen, and to encode
  std::int64_t next_first_ = 1;
  std::vector<Block> done_;
};

// The blocks the full computation builds in its own transaction: two of the default size take it
// about 0.7 s on a 2-core machine; more would keep every other write waiting (a million
// submissions take ~20 s to encode). build_next() makes the rest outside any write transaction.
std::size_t blocks_per_computation();

// Builds one block of a form that has computed indicators, outside any write transaction: the
// rows are read and encoded in a read snapshot, then a short write job stores the block only if
// no submission in its range changed meanwhile (same count, same sum of their `version`, which
// every change of a stored submission increments; on PostgreSQL under the lock that orders
// inserts). Returns false when no form has a block's worth of submissions outside blocks below
// its newest ones. `gotong serve` calls it from a background thread until it returns false.
bool build_next(db::Database& db);

// In the transaction that changes a stored submission (edit, review state, bin): the block
// holding it no longer matches it. One indexed statement; nothing when no block covers it.
void invalidate(db::Connection& c, std::int64_t form_id, std::int64_t submission_id);

// Deletes the block of the form that starts at `first_id` (all its versions and parts).
void drop(db::Connection& c, std::int64_t form_id, std::int64_t first_id);

}  // namespace gotong::domain::submission_blocks
