// The demo's household survey: a water, sanitation and hygiene (WASH) baseline/endline survey of
// Desa Bosen (data/demo/household_survey.xlsx, built into the binary), and a reproducible set of
// generated submissions in which the program really improved water, handwashing and child health
// in three dusun while the fourth (Dusun IV Nenas, not yet reached) serves as a comparison.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "domain/attachment_store.hpp"

namespace gotong::domain::demo_survey {

inline constexpr const char* kFormId = "demo_wash_household";  // settings form_id
inline constexpr const char* kFileName = "household_survey.xlsx";

// The XLSForm as built into the binary.
std::string_view xlsform();

struct Options {
  int households = 1200;          // each visited at baseline and at endline
  std::uint32_t seed = 20250303;  // std::mt19937 seed: same seed, same submissions byte for byte
};

struct Generated {
  std::string instance_id;  // "uuid:..." derived from the seed, the round and the household
  std::string xml;
  std::int64_t submitted_at = 0;  // ms UTC, back-dated to the evening after the visit
  bool endline = false;
  int dusun = 1;  // 1..4
  bool consent = true;
  bool breaks_rule = false;  // deliberately breaks one of the form's rules (review finds it)
};

// Every submission, baselines (March–April 2025) then endlines (September–October 2026).
std::vector<Generated> generate(const Options& o = {});

struct Result {
  std::int64_t form_id = 0;
  std::size_t expected = 0;  // submissions the demo holds when complete
  std::size_t received = 0;  // stored by this call (0 when they were all there)
  std::size_t approved = 0;  // approved by the coordinator in this call
};

// Uploads and publishes the survey in the demo organisation (which must exist), then sends each
// generated submission through submissions::receive as the demo field officer, source "demo",
// and lets the coordinator approve most of the clean ones and comment on those with issues.
// Idempotent: a complete demo is left alone; an interrupted load is completed.
Result load(db::Database& db, const AttachmentStore& store, const Options& o = {});

}  // namespace gotong::domain::demo_survey
