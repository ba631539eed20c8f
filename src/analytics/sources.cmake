# analytics/: the pure computations of indicators: reporting periods, running aggregates and the
# values taken from them, status against targets, and the plan that reads stored submission
# records (no I/O, no SQL; domain/indicators* stores and serves what these compute); and the
# evaluation statistics (statistics.hpp: tests, intervals, difference-in-differences, sample sizes
# with Boost.Math distributions).
add_library(gotong_analytics STATIC
  src/analytics/aggregates.cpp
  src/analytics/column_block.cpp
  src/analytics/descriptive.cpp
  src/analytics/did.cpp
  src/analytics/idm.cpp
  src/analytics/periods.cpp
  src/analytics/plan.cpp
  src/analytics/sample_size.cpp
  src/analytics/series.cpp
  src/analytics/statistics.cpp
  src/analytics/status.cpp
  src/analytics/tests.cpp
)
target_link_libraries(gotong_analytics PUBLIC gotong_forms_xform gotong_base)

gotong_add_unit_test(analytics_test
  SOURCES src/analytics/periods_test.cpp src/analytics/aggregates_test.cpp src/analytics/status_test.cpp
          src/analytics/plan_test.cpp src/analytics/series_test.cpp
          src/analytics/idm_test.cpp src/analytics/column_block_test.cpp
  LIBS gotong_analytics)

# Every statistic against reference values from R; kept apart so its reference tables build alone.
gotong_add_unit_test(statistics_test
  SOURCES src/analytics/statistics_test.cpp src/analytics/statistics_reference_test.cpp
  LIBS gotong_analytics)
