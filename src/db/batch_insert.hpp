// Inserting many rows with one statement per few hundred rows instead of one per row: on
// PostgreSQL each statement is a round trip, so loading the 91,599 official regions row by row
// took ten seconds. Rows are sent when the batch is full and by flush() (call it before using
// the rows; the destructor does not, since it must not throw).
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace gotong::db {

class BatchInsert {
 public:
  // `head` is "INSERT INTO t(a, b, c)"; `columns` the number of values per row; `tail` follows
  // the VALUES (" ON CONFLICT ... DO UPDATE ...").
  BatchInsert(Connection& c, std::string head, std::size_t columns, std::size_t rows_per_statement = 400,
              std::string tail = {})
      : c_(c),
        head_(std::move(head)),
        tail_(std::move(tail)),
        columns_(columns),
        rows_per_statement_(rows_per_statement) {}

  void add(Params row) {
    for (auto& v : row) params_.push_back(std::move(v));
    if (++rows_ == rows_per_statement_) flush();
  }

  void flush() {
    if (rows_ == 0) return;
    std::string sql = head_ + " VALUES ";
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows_; ++r) {
      sql += r ? ",(" : "(";
      for (std::size_t k = 0; k < columns_; ++k) sql += (k ? ",$" : "$") + std::to_string(++n);
      sql += ")";
    }
    sql += tail_;
    c_.exec(sql, params_);
    params_.clear();
    rows_ = 0;
  }

 private:
  Connection& c_;
  std::string head_, tail_;
  std::size_t columns_, rows_per_statement_;
  std::size_t rows_ = 0;
  Params params_;
};

}  // namespace gotong::db
