// Internal to domain/submission*.cpp: the columns a submission summary is read from, shared by
// the write paths (which answer with the stored state) and the review/list paths.
#pragma once

#include <string>

#include "db/database.hpp"
#include "domain/submissions.hpp"

namespace gotong::domain::submissions {

// SELECT <kSummaryColumns> FROM submissions s <kSummaryJoins> WHERE ...
inline constexpr const char* kSummaryColumns =
    "s.id, s.form_id, s.version_id, s.instance_id, s.current_instance_id, s.instance_name, s.state, s.source, "
    "s.device_id, v.version_string, s.submitter_id, u.name, s.area_code, s.issues_json, s.attachments_expected, "
    "s.attachments_present, s.submitted_at, s.updated_at, s.deleted_at, s.version";
inline constexpr const char* kSummaryJoins =
    "JOIN form_versions v ON v.id = s.version_id LEFT JOIN users u ON u.id = s.submitter_id";
inline constexpr std::size_t kSummaryColumnCount = 20;

Summary summary_from(const db::Row& r);

// The submission's answers as nested JSON, following the form's groups and repeats.
boost::json::object answers_json(const ::gotong::forms::xform::Schema& schema, const ::gotong::forms::xform::Submission& sub);

}  // namespace gotong::domain::submissions
