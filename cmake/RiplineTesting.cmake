# SPDX-License-Identifier: AGPL-3.0-or-later
# Helpers for tests and benches, so each folder's list stays a few lines.

# ripline_add_test(NAME SOURCES a.cpp b.cpp LIBS lib1 lib2 [LABELS l])
# A Catch2 executable whose test cases each become a ctest test.
function(ripline_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ripline_test_main ${T_LIBS})
  target_compile_definitions(${name} PRIVATE
    RIPLINE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RIPLINE_BINARY_DIR="${PROJECT_BINARY_DIR}"
    RIPLINE_DATASETS_DIR="${RIPLINE_DATASETS_DIR}"
    RIPLINE_PROFILE_DIR="${RIPLINE_PROFILE_DIR}"
    RIPLINE_DRIVER_DIR="${RIPLINE_DRIVER_DIR}")
  catch_discover_tests(${name} TEST_PREFIX "${name}: "
    PROPERTIES LABELS "${T_LABELS}")
endfunction()

# ripline_add_bench(NAME SOURCES a.cpp LIBS lib1)
# A Google Benchmark executable, plus a ctest smoke test that runs each
# benchmark once so CI knows it still works (no timing is asserted).
function(ripline_add_bench name)
  cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE benchmark::benchmark ${B_LIBS})
  target_compile_definitions(${name} PRIVATE
    RIPLINE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RIPLINE_BINARY_DIR="${PROJECT_BINARY_DIR}"
    RIPLINE_DATASETS_DIR="${RIPLINE_DATASETS_DIR}"
    RIPLINE_PROFILE_DIR="${RIPLINE_PROFILE_DIR}"
    RIPLINE_DRIVER_DIR="${RIPLINE_DRIVER_DIR}")
  if(RIPLINE_BUILD_TESTS)
    add_test(NAME "bench-smoke: ${name}"
      COMMAND ${name} --benchmark_min_time=0.0001
              --benchmark_filter=${RIPLINE_BENCH_SMOKE_FILTER})
    set_tests_properties("bench-smoke: ${name}" PROPERTIES
      LABELS bench-smoke ENVIRONMENT "RIPLINE_BENCH_SMOKE=1")
  endif()
endfunction()
