# Benchmarks print figures; they are not tests and ./test does not run them.
# Record results with their command in docs/PERFORMANCE.md.
find_package(benchmark REQUIRED)
if(CMAKE_BUILD_TYPE STREQUAL "Release" AND NOT GOTONG_SANITIZE)
  add_executable(bench_area_search bench/area_search_bench.cpp)
  target_link_libraries(bench_area_search PRIVATE gotong_domain benchmark::benchmark)
  # XLSForm conversion of the corpus's largest form and of the demo survey.
  add_executable(bench_convert bench/convert_bench.cpp)
  target_link_libraries(bench_convert PRIVATE gotong_forms_xlsform benchmark::benchmark)
  target_compile_definitions(bench_convert PRIVATE GOTONG_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # Ingestion load generator: starts `gotong serve` on a temporary SQLite database and posts
  # OpenRosa submissions from many keep-alive connections (prints its own figures).
  add_executable(bench_ingest bench/ingest_bench.cpp)
  target_link_libraries(bench_ingest PRIVATE gotong_domain)
  target_compile_definitions(bench_ingest PRIVATE GOTONG_BIN="$<TARGET_FILE:gotong>")
  add_dependencies(bench_ingest gotong)
  # CSV (and JSON/XLSX) export of 1,000,000 generated submissions of bench/data/household_survey.xml
  # from a temporary SQLite database; also the cost of encode_record (prints its own figures).
  add_executable(bench_export bench/export_bench.cpp)
  target_link_libraries(bench_export PRIVATE gotong_domain)
  target_compile_definitions(bench_export PRIVATE GOTONG_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # Duplicate detection over 100,000 generated participants in a temporary SQLite database
  # (prints its own figures).
  add_executable(bench_duplicates bench/duplicates_bench.cpp)
  target_link_libraries(bench_duplicates PRIVATE gotong_domain)
  # Indicators over 1,000,000 submissions of the demo household survey: the full computation, the
  # incremental update for one submission, the program dashboard (prints its own figures).
  add_executable(bench_indicators bench/indicator_bench.cpp)
  target_link_libraries(bench_indicators PRIVATE gotong_api)
endif()
