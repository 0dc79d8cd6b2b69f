# Builds the thread test with ThreadSanitizer in its own tree and runs it.
# Run by ctest as the test "tsan"; a race report fails it.
foreach(step
    "${CMAKE_COMMAND};-S;${SRC};-B;${BIN};-DCMAKE_BUILD_TYPE=Debug;-DTIMELINE_TSAN=ON;-DTIMELINE_TEST_SANITIZERS=OFF;-DTIMELINE_WERROR=ON"
    "${CMAKE_COMMAND};--build;${BIN};-j2;--target;test_threads")
  execute_process(COMMAND ${step} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "tsan build step failed: ${step}")
  endif()
endforeach()
set(ENV{TSAN_OPTIONS} "halt_on_error=1 exitcode=66 suppressions=${SRC}/tests/tsan.supp")
# Each GLib object its own malloc: GLib 2.74's slice allocator hands memory
# freed by one thread to another through its own futex locks, which TSan
# cannot see, so timeline's reads of a PangoLayout's lines (svg.c) would be
# reported as races with the thread that last used that memory.
set(ENV{G_SLICE} "always-malloc")
execute_process(COMMAND ${BIN}/tests/test_threads WORKING_DIRECTORY ${SRC} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "test_threads under ThreadSanitizer failed (status ${rc})")
endif()
