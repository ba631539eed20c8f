// An indicator computed from submissions, compiled against one version of its form: which rows
// of a stored record are the units counted (each submission, or each row of a repeat such as
// household members), which period and disaggregation cell each unit falls in, whether it passes
// the filter, and what it adds to the running aggregates. It reads the stored records
// (forms/xform/record.hpp), not the XML.
//
// Filters are written in the form expression language (`${water_source} = 'piped'`). Those made
// of comparisons between fields and literals, and/or/not and selected() are compiled to direct
// tests on record columns; anything else is evaluated by the expression engine over an instance
// rebuilt from the record, with the same results.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analytics/aggregates.hpp"
#include "analytics/column_block.hpp"
#include "analytics/periods.hpp"
#include "forms/xform/record.hpp"
#include "forms/xform/schema.hpp"
#include "forms/xpath/instance.hpp"

namespace gotong::analytics {

struct Dimension {
  enum class Kind { field, age_band, area };
  std::string name;  // how the API names the dimension ("sex", "age", "dusun")
  Kind kind = Kind::field;
  std::string field;          // field and age_band: the form field's name
  std::vector<double> bands;  // age_band: where each band after the first starts, ascending
  int level = 0;              // area: code segments kept (1 province … 4 village, 5 dusun)
};

// The label of the age band holding `age`: bands {5, 18, 60} give "0-4", "5-17", "18-59", "60+".
// Bounds are whole years; ages below 0 fall in the first band.
std::string band_label(double age, const std::vector<double>& bands);
std::vector<std::string> band_labels(const std::vector<double>& bands);
// The first `level` dot-separated segments of an area key ("53.02.03.2003.01", 4 → "53.02.03.2003");
// "" when the key is not that deep (an answer naming only the village says nothing of its dusun).
std::string area_prefix(std::string_view key, int level);

// Disaggregation cells are stored as the dimension values joined by this separator, in the
// indicator's dimension order ("" for an indicator without dimensions).
inline constexpr char kCellSeparator = '\x1f';
std::string join_cell(const std::vector<std::string>& values);
std::vector<std::string> split_cell(std::string_view cell, std::size_t dimensions);

struct Spec {
  Calculation calculation = Calculation::count;
  std::string unit;                // "" = each submission; else the name of a repeat: each of its rows
  std::string filter;              // units that count; "" = all
  std::string denominator_filter;  // percentage: the units of the denominator; "" = all
  std::string value_field;         // sum, mean, median, distinct count; ratio: the numerator
  std::string denominator_field;   // ratio: the denominator
  std::string period_field;        // a date field; "" = when the server received the submission
  std::vector<Dimension> dimensions;
  Frequency frequency = Frequency::monthly;
  std::string start, end;         // the program period: units dated outside it do not count
  int timezone_minutes = 7 * 60;  // for the date of a submission time and dates in filters
  bool force_engine = false;      // tests and benchmarks: never use the direct filter tests
};

// A definition that does not fit the form; `field` names the definition member at fault
// ("filter", "value_field", "dimensions[1].field").
class PlanError : public std::runtime_error {
 public:
  PlanError(std::string field, const std::string& message)
      : std::runtime_error(message), field(std::move(field)) {}
  std::string field;
};

// Aggregates per period and cell.
class Aggregation {
 public:
  Accumulator& at(std::string_view period, std::string_view cell);
  // Calls f(period, cell, accumulator) for every entry, in no particular order.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [key, acc] : cells_) {
      const auto sep = key.find('\x1e');
      f(std::string_view(key).substr(0, sep), std::string_view(key).substr(sep + 1), acc);
    }
  }
  std::size_t size() const { return cells_.size(); }
  void clear() { cells_.clear(); }

 private:
  std::unordered_map<std::string, Accumulator> cells_;
  std::string key_;
};

class Plan {
 public:
  // Per-thread working memory of add(); reuse one across records.
  struct Scratch {
    std::vector<forms::xform::RecordRow> rows;
    std::vector<const forms::xform::RecordRow*> chain;  // per table: the unit's row or its ancestor's
    forms::xpath::Instance instance;
    std::vector<forms::xpath::NodeId> element_of_row;
    bool instance_built = false;
    std::vector<std::string> cell_values;
    std::string cell;
  };

  // Throws PlanError. `strict` (checking a definition) requires every field named to exist in
  // this version with a fitting type; otherwise (an older version of the form) fields the version
  // lacks read as absent: no value, and no comparison with them holds.
  Plan(const forms::xform::Schema& schema, const forms::xform::Layout& layout, const Spec& spec, bool strict);
  ~Plan();
  Plan(Plan&&) noexcept;

  // Adds (sign +1) or takes away (sign -1) what one stored submission contributes.
  // `area_key` is the submission's stored area key (its `area` field). A damaged record adds nothing.
  void add(std::string_view record, std::int64_t submitted_at, std::string_view area_key, std::int64_t sign,
           Aggregation& out, Scratch& scratch) const;

  // Whether the filters run as direct column tests (false: the expression engine evaluates them).
  bool direct_filters() const;

  // The columnar path (plan.cpp, after add()). Plans with direct filters only: the parts of a
  // ColumnBlock that add_block() reads.
  std::vector<std::string> block_parts() const;
  // Adds what each submission i of the block with counted[i] contributes: exactly what add()
  // adds for its record, but filters, dimensions and values are evaluated once per distinct
  // answer of the block. Requires direct_filters(). Throws BlockError on a damaged block.
  void add_block(const ColumnBlock& block, const std::vector<bool>& counted, Aggregation& out,
                 Scratch& scratch) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gotong::analytics
