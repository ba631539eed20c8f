# domain/: the rules. Never includes Beast.
add_library(gotong_domain STATIC
  src/domain/accounts.cpp
  src/domain/activities.cpp
  src/domain/activity_fields.cpp
  src/domain/areas.cpp
  src/domain/attachment_store.cpp
  src/domain/attendance.cpp
  src/domain/audit.cpp
  src/domain/auth.cpp
  src/domain/budget.cpp
  src/domain/context.cpp
  src/domain/demo.cpp
  src/domain/demo_evaluation.cpp
  src/domain/demo_survey.cpp
  src/domain/demo_workspace.cpp
  src/domain/demo_workspace_design.cpp
  src/domain/demo_workspace_field.cpp
  src/domain/demo_workspace_indicators.cpp
  src/domain/engagements.cpp
  src/domain/evaluations.cpp
  src/domain/evaluations_results.cpp
  src/domain/evaluations_text.cpp
  src/domain/exports.cpp
  src/domain/feedback.cpp
  src/domain/four_w.cpp
  src/domain/idm.cpp
  src/domain/form_media.cpp
  src/domain/form_fields.cpp
  src/domain/forms.cpp
  src/domain/indicators.cpp
  src/domain/indicators_attendance.cpp
  src/domain/indicators_compute.cpp
  src/domain/indicators_entries.cpp
  src/domain/indicators_rows.cpp
  src/domain/indicators_values.cpp
  src/domain/migration_steps.cpp
  src/domain/participants.cpp
  src/domain/prioritisation.cpp
  src/domain/problem_tree.cpp
  src/domain/problems.cpp
  src/domain/program_fields.cpp
  src/domain/program_members.cpp
  src/domain/programs.cpp
  src/domain/program_report.cpp
  src/domain/result_templates.cpp
  src/domain/report_evaluations.cpp
  src/domain/report_narratives.cpp
  src/domain/results.cpp
  src/domain/results_seed.cpp
  src/domain/roles.cpp
  src/domain/stakeholders.cpp
  src/domain/submission_json.cpp
  src/domain/submission_review.cpp
  src/domain/submission_blocks.cpp
  src/domain/submissions.cpp
)
target_link_libraries(gotong_domain PUBLIC gotong_db gotong_base gotong_forms_xlsform gotong_forms_xform gotong_analytics gotong_reports
  PkgConfig::XLSXWRITER ZLIB::ZLIB)  # exports: XLSX and deflate

gotong_add_unit_test(domain_test
  SOURCES src/domain/test_support.cpp src/domain/accounts_test.cpp src/domain/auth_test.cpp
         src/domain/areas_test.cpp src/domain/roles_test.cpp src/domain/exports_test.cpp
         src/domain/results_test.cpp src/domain/stakeholders_test.cpp src/domain/prioritisation_test.cpp
         src/domain/participants_test.cpp src/domain/budget_test.cpp src/domain/feedback_test.cpp
         src/domain/evaluations_text_test.cpp src/domain/submissions_test.cpp
  LIBS gotong_domain)
