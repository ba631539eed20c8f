// Budgets of programs: budget lines (optionally of one activity) with a category (an APBDes
// bidang or a free one), a funding source and planned amounts per month; expenditures
// (realisasi) with date, amount, payee and a receipt file; and the report: planned against
// actual per line, category, funding source and month, burn rates, cost per person reached and
// per output unit. Money is int64 in the program currency's minor units (whole rupiah for IDR).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "domain/attachment_store.hpp"
#include "domain/context.hpp"

namespace gotong::domain::budget {

// The five bidang of the village budget (Permendagri 20/2018), as categories "apbdes_1" … "apbdes_5".
struct Category {
  const char* id;
  const char* name;
};
inline constexpr Category kApbdesBidang[] = {
    {"apbdes_1", "Penyelenggaraan Pemerintahan Desa"},
    {"apbdes_2", "Pelaksanaan Pembangunan Desa"},
    {"apbdes_3", "Pembinaan Kemasyarakatan"},
    {"apbdes_4", "Pemberdayaan Masyarakat"},
    {"apbdes_5", "Penanggulangan Bencana, Keadaan Darurat dan Mendesak Desa"},
};
// The bidang's name for "apbdes_N", the category itself for a free one.
std::string category_name(std::string_view category);

inline constexpr std::size_t kMaxReceiptBytes = std::size_t{10} << 20;
inline constexpr std::int64_t kMaxAmount = 1'000'000'000'000'000;  // 10^15 minor units

// "YYYY-MM" with a month 01–12.
bool valid_period(std::string_view s);

// -- the report (pure) ----------------------------------------------------------------------
struct LineFigures {
  std::int64_t line_id = 0;
  std::string code, name, category, funding_source;
  std::optional<std::int64_t> activity_id;
  std::map<std::string, std::int64_t> planned;  // by period
  std::map<std::string, std::int64_t> actual;   // by period, expenditures dated on or before as_of
  std::string output_unit;
  std::optional<std::int64_t> output_planned, output_actual;
};
struct Figures {
  std::int64_t planned = 0;                 // the whole plan
  std::int64_t planned_to_date = 0;         // periods up to as_of's month
  std::int64_t actual = 0;                  // spent up to as_of
  std::optional<double> burn_rate_to_date;  // actual / planned_to_date
  std::optional<double> burn_rate_total;    // actual / planned
};
Figures figures(std::int64_t planned, std::int64_t planned_to_date, std::int64_t actual);
// a ÷ b rounded half away from zero to a whole minor unit; nullopt when b is 0.
std::optional<std::int64_t> per_unit(std::int64_t amount, std::int64_t units);

struct Report {
  std::string as_of, as_of_period;
  Figures total;
  struct Line {
    const LineFigures* source = nullptr;
    Figures figures;
    std::optional<std::int64_t> planned_cost_per_unit, actual_cost_per_unit;
  };
  std::vector<Line> lines;
  std::vector<std::pair<std::string, Figures>> categories, funding_sources;
  struct Period {
    std::string period;
    std::int64_t planned = 0, actual = 0, cumulative_planned = 0, cumulative_actual = 0;
  };
  std::vector<Period> periods;
  std::int64_t unique_people_reached = 0;
  std::optional<std::int64_t> cost_per_person_reached;  // actual ÷ unique people reached
};
// `as_of` is a date "YYYY-MM-DD"; the lines' actual amounts are already limited to it.
Report compute_report(const std::vector<LineFigures>& lines, const std::string& as_of,
                      std::int64_t unique_people_reached);

// -- budget lines -------------------------------------------------------------------------
struct Line {
  std::int64_t id = 0;
  std::int64_t program_id = 0;
  std::optional<std::int64_t> activity_id;
  std::string activity_title;
  std::string code, name, category, funding_source;
  std::optional<std::int64_t> donor_stakeholder_id;
  std::string donor_name;
  std::string output_unit;
  std::optional<std::int64_t> output_planned, output_actual;
  std::string notes;
  std::vector<std::pair<std::string, std::int64_t>> planned;  // by period
  std::int64_t planned_total = 0;
  std::int64_t actual_total = 0;  // every expenditure not in the bin
  std::string currency;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

struct LineInput {
  std::optional<std::optional<std::int64_t>> activity_id, donor_stakeholder_id, output_planned, output_actual;
  std::optional<std::string> code, name, category, funding_source, output_unit, notes;
  std::optional<std::vector<std::pair<std::string, std::int64_t>>>
      planned;  // replaces every period when given
};
LineInput parse_line_input(const boost::json::object& body);

std::vector<Line> lines(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                        std::optional<std::int64_t> activity_id);
Line get_line(db::Connection& c, const OrgScope& s, std::int64_t id);
// Periods lie within the program's months; a donor line names a stakeholder of the organisation.
Line create_line(db::Connection& c, const OrgScope& s, std::int64_t program_id, const LineInput& in);
Line update_line(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version,
                 const LineInput& in);
// Refused (409) while the line has expenditures (those in the bin too: the books keep them).
void remove_line(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);
boost::json::object to_json(const Line& l);

// -- expenditures -------------------------------------------------------------------------
struct Receipt {
  std::string sha256, name, content_type;
  std::int64_t size = 0;
};
struct Expenditure {
  std::int64_t id = 0;
  std::int64_t program_id = 0, line_id = 0;
  std::string line_name;
  std::string spent_on;
  std::int64_t amount = 0;
  std::string payee, description, currency;
  std::optional<Receipt> receipt;
  std::optional<std::int64_t> deleted_at;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};
struct ExpenditureInput {
  std::optional<std::int64_t> line_id;  // update: moves it to another line of the program
  std::optional<std::string> spent_on, payee, description;
  std::optional<std::int64_t> amount;
};
ExpenditureInput parse_expenditure_input(const boost::json::object& body);

struct ExpenditureFilter {
  std::optional<std::int64_t> line_id;
  std::optional<std::string> from, to;  // spent_on within [from, to]
  bool deleted = false;                 // the bin instead
};
struct ExpenditurePage {
  std::vector<Expenditure> items;
  std::optional<std::string> next_cursor;
};
ExpenditurePage expenditures(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                             const ExpenditureFilter& f, std::optional<std::string> cursor, int limit);
Expenditure get_expenditure(db::Connection& c, const OrgScope& s, std::int64_t id);
// The date lies within the program's period.
Expenditure create_expenditure(db::Connection& c, const OrgScope& s, std::int64_t line_id,
                               const ExpenditureInput& in);
Expenditure update_expenditure(db::Connection& c, const OrgScope& s, std::int64_t id,
                               std::int64_t expected_version, const ExpenditureInput& in);
// Puts it in the bin: no longer counted, kept for the books.
void remove_expenditure(db::Connection& c, const OrgScope& s, std::int64_t id, std::int64_t expected_version);

// Stores the receipt's bytes in the attachment store (before the row naming them commits) and
// attaches them, replacing an earlier receipt. Error(payload_too_large) over kMaxReceiptBytes.
Expenditure set_receipt(db::Database& db, const OrgScope& s, const AttachmentStore& store, std::int64_t id,
                        std::int64_t expected_version, std::string_view name, std::string_view content_type,
                        std::string_view bytes);
Expenditure remove_receipt(db::Connection& c, const OrgScope& s, std::int64_t id,
                           std::int64_t expected_version);
// The receipt of an expenditure the scope may read; Error(not_found) when it has none.
Receipt receipt(db::Connection& c, const OrgScope& s, std::int64_t id);
boost::json::object to_json(const Expenditure& e);

// -- the report ---------------------------------------------------------------------------
// Planned against actual for the program as of a day (today when empty).
boost::json::object report(db::Connection& c, const OrgScope& s, std::int64_t program_id, std::string as_of);
boost::json::object to_json(const Report& r, const std::string& currency);

}  // namespace gotong::domain::budget
