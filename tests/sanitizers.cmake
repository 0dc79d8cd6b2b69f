# Configures, builds and tests the project with -fsanitize=address,undefined.
# Run by ctest as the test "sanitizers"; any sanitizer report fails a test.
foreach(step
    "${CMAKE_COMMAND};-S;${SRC};-B;${BIN};-DCMAKE_BUILD_TYPE=Debug;-DTIMELINE_SANITIZE=ON;-DTIMELINE_TEST_SANITIZERS=OFF;-DTIMELINE_WERROR=ON"
    "${CMAKE_COMMAND};--build;${BIN};-j2"
    "${CMAKE_CTEST_COMMAND};--test-dir;${BIN};--output-on-failure;-j2")
  execute_process(COMMAND ${step} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sanitizer build step failed: ${step}")
  endif()
endforeach()
