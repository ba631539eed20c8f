# Benchmarks print figures; they are not tests and ./test does not run them.
# Record results with their command in docs/PERFORMANCE.md.
find_package(benchmark REQUIRED)
if(CMAKE_BUILD_TYPE STREQUAL "Release" AND NOT GOTONG_SANITIZE)
  add_executable(bench_area_search bench/area_search_bench.cpp)
  target_link_libraries(bench_area_search PRIVATE gotong_domain benchmark::benchmark)
endif()
