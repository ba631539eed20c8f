# api/: thin JSON handlers (decode → call domain → encode) and the request pipeline.
add_library(gotong_api STATIC
  src/api/activity_routes.cpp
  src/api/api.cpp
  src/api/area_routes.cpp
  src/api/audit_routes.cpp
  src/api/budget_routes.cpp
  src/api/call.cpp
  src/api/evaluation_routes.cpp
  src/api/export_routes.cpp
  src/api/feedback_routes.cpp
  src/api/four_w_routes.cpp
  src/api/idm_routes.cpp
  src/api/form_media_routes.cpp
  src/api/form_routes.cpp
  src/api/indicator_routes.cpp
  src/api/organisation_routes.cpp
  src/api/problem_routes.cpp
  src/api/participant_routes.cpp
  src/api/program_routes.cpp
  src/api/query.cpp
  src/api/report_routes.cpp
  src/api/session_routes.cpp
  src/api/stakeholder_routes.cpp
  src/api/submission_routes.cpp
  src/api/system_routes.cpp
  src/openrosa/openrosa.cpp
  src/openrosa/openrosa_routes.cpp
)
target_link_libraries(gotong_api PUBLIC gotong_domain gotong_http)

gotong_add_unit_test(api_test SOURCES src/api/problem_test.cpp src/api/openapi_test.cpp
                     src/openrosa/openrosa_test.cpp LIBS gotong_api)
