// Exports of a form's submissions: CSV files in a zip (laid out like ODK Central's, so existing
// scripts keep working), an XLSX workbook, or a JSON array of nested objects. Each is produced
// piece by piece in constant memory whatever the number of submissions, for a chunked response.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "domain/context.hpp"

namespace gotong::domain::exports {

enum class Format { csv_zip, xlsx, json };

struct Options {
  // Which submissions (never the deleted ones).
  std::vector<std::string> states;       // received, has_issues, approved, rejected; empty: all
  std::optional<std::int64_t> from, to;  // submitted_at in [from, to), ms UTC
  std::optional<std::int64_t> submitter_id;
  // How values and headers look.
  std::string lang;             // form language for choice labels ("" = the form's default)
  bool choice_labels = false;   // choices=labels: a choice's label instead of its name
  bool split_multiple = false;  // add a 0/1 column per choice of each select_multiple
  bool group_names = true;      // "household-size" (as Central) rather than "size"
  // A UTF-8 byte order mark at the start of each CSV file. On by default: Excel, which most
  // offices open CSV files with by double-clicking, reads a CSV without one in the ANSI code page
  // and mangles every non-ASCII name; R, pandas and LibreOffice skip the mark. (Central adds none.)
  bool bom = true;
  int page_size = 1000;  // submissions read per database job
};

struct Export {
  std::string file_name;  // "rumah_tangga.csv.zip", ".xlsx", ".json"
  std::string content_type;
  // Appends the next piece of the file to `out`; false once the file is complete. Each call
  // reads at most one page of submissions in its own read job (see exports.cpp). Call it from
  // one thread at a time; it may throw, leaving the file incomplete.
  std::function<bool(std::string& out)> next;
};

// Prepares an export of one form of the scope's organisation: Error(not_found) for a form of
// another organisation, Error(bad_request) for a language the form does not have. Requires read.
// Nothing is read from the submissions until `next` is called; `db` must outlive the Export.
Export start(db::Database& db, const OrgScope& s, std::int64_t form_id, Format format,
             const Options& options);

}  // namespace gotong::domain::exports
