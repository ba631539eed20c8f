# base/: errors, JSON, time, crypto, text, logging, embedded resources.
add_library(gotong_base STATIC
  src/base/crypto.cpp
  src/base/csv.cpp
  src/base/error.cpp
  src/base/json.cpp
  src/base/log.cpp
  src/base/resources.cpp
  src/base/text.cpp
  src/base/time.cpp
)
target_link_libraries(gotong_base PUBLIC gotong_options Boost::boost PkgConfig::SODIUM spdlog::spdlog fmt::fmt Threads::Threads)

# Everything the binary carries inside it. Unit tests link it too (migrations, regions).
add_library(gotong_resources STATIC)
gotong_embed(gotong_resources "openapi.json" ${PROJECT_SOURCE_DIR}/docs/openapi.json)
gotong_embed(gotong_resources "data/regions/wilayah.csv" ${PROJECT_SOURCE_DIR}/data/regions/wilayah.csv)
gotong_embed(gotong_resources "data/demo/household_survey.xlsx" ${PROJECT_SOURCE_DIR}/data/demo/household_survey.xlsx)
gotong_embed(gotong_resources "data/idm/indicators.csv" ${PROJECT_SOURCE_DIR}/data/idm/indicators.csv)
set(GOTONG_MIGRATION_FILES
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0001_accounts.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0002_areas.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0004_forms.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0005_submissions.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0007_problems.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0008_programs.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0009_activities.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0010_indicators.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0011_people_targeted.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0012_submission_xml.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0013_submissions_edited_index.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0014_idm.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0015_evaluations.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0016_report_narratives.sql
  ${PROJECT_SOURCE_DIR}/src/db/migrations/0017_submission_blocks.sql
)
foreach(f IN LISTS GOTONG_MIGRATION_FILES)
  get_filename_component(n ${f} NAME)
  gotong_embed(gotong_resources "db/migrations/${n}" ${f})
endforeach()
gotong_embed_index(gotong_resources)
target_link_libraries(gotong_resources PUBLIC gotong_options)
target_link_libraries(gotong_base PUBLIC gotong_resources)

gotong_add_unit_test(base_test
  SOURCES src/base/text_test.cpp src/base/time_test.cpp src/base/json_test.cpp src/base/crypto_test.cpp src/base/csv_test.cpp
  LIBS gotong_base)
