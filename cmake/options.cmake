# Compiler settings shared by every target: warnings are errors, ccache when present.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_library(gotong_options INTERFACE)
# Off: warnings that GCC 12 gets wrong in optimised builds of standard and Boost containers
# (std::variant, std::optional, string concatenation, boost::container::small_vector; GCC bugs
# 105562, 105329, 106199). -Wuninitialized and the rest of -Wall -Wextra stay errors.
target_compile_options(gotong_options INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Werror -Wno-missing-field-initializers
    -Wno-maybe-uninitialized -Wno-restrict -Wno-stringop-overread -Wno-stringop-overflow -Wno-array-bounds>)
target_include_directories(gotong_options INTERFACE ${PROJECT_SOURCE_DIR}/src)
target_compile_definitions(gotong_options INTERFACE
  BOOST_JSON_NO_LIB BOOST_URL_NO_LIB BOOST_ASIO_NO_DEPRECATED
  GOTONG_VERSION="${PROJECT_VERSION}")

if(GOTONG_SANITIZE)
  # -O1 -g1 (after the build type's flags, so they win): the level the sanitizers are made for,
  # with line tables for their stack traces. The -O2 -g of RelWithDebInfo took twice as long to
  # compile (61 s instead of 29 s for indicators_compute.cpp), and the sanitizer build is the
  # longest part of a fresh ./test.
  target_compile_options(gotong_options INTERFACE -O1 -g1 -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(gotong_options INTERFACE -fsanitize=address,undefined)
endif()

# gotong_add_unit_test(NAME SOURCES... LIBS ...): one GoogleTest binary registered with CTest.
function(gotong_add_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} gotong_options GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()
