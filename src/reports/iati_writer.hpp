// IATI 2.03 activity XML (iati-activities) of an organisation's programs with their results:
// result → indicator → baseline and periods with target and actual, disaggregation as dimensions.
// Checked against the IATI schema copied into data/iati/ (tests run xmllint on the output).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reports/model.hpp"

namespace gotong::reports {

struct IatiOptions {
  std::string organisation_ref;          // the reporting organisation's IATI identifier
  std::string organisation_type = "22";  // IATI OrganisationType: 22 national NGO
  std::string country = "ID";            // recipient country (ISO 3166-1)
  std::string generated_at;              // "2026-11-28T10:00:00Z"
  Lang lang = Lang::id;                  // the language of the narratives (xml:lang)
};

struct IatiFile {
  IatiOptions options;
  std::vector<ProgramReport> programs;  // each over the program's whole period
};

// The tier's IATI result type: 3 impact, 2 outcome, 1 output (by the tier's name when it says so,
// otherwise by its depth: top impact, second outcome, lower output).
int result_type(const std::string& tier_name, int tier);
// A program's identifier: "<organisation_ref>-<program id>".
std::string activity_identifier(const IatiOptions& o, std::int64_t program_id);

// The XML document; every program needs at least one activity-date, so the file needs one program.
std::string render_iati(const IatiFile& f);

}  // namespace gotong::reports
