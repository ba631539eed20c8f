# analytics/: the pure computations of indicators: reporting periods, running aggregates and the
# values taken from them, status against targets, and the plan that reads stored submission
# records (no I/O, no SQL; domain/indicators* stores and serves what these compute).
add_library(gotong_analytics STATIC
  src/analytics/aggregates.cpp
  src/analytics/periods.cpp
  src/analytics/plan.cpp
  src/analytics/series.cpp
  src/analytics/status.cpp
)
target_link_libraries(gotong_analytics PUBLIC gotong_forms_xform)

gotong_add_unit_test(analytics_test
  SOURCES src/analytics/periods_test.cpp src/analytics/aggregates_test.cpp src/analytics/status_test.cpp
          src/analytics/plan_test.cpp src/analytics/series_test.cpp
  LIBS gotong_analytics)
