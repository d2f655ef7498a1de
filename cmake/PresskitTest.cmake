# pk_unit_test(NAME name SOURCES file... [LIBS target...] [ARGS arg...])
# A cmocka test program run by ctest.
function(pk_unit_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;ARGS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_include_directories(${T_NAME} PRIVATE "${PROJECT_SOURCE_DIR}/tests/support")
  target_link_libraries(${T_NAME} PRIVATE presskit pk::cmocka ${T_LIBS})
  set_target_properties(${T_NAME} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/tests")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} ${T_ARGS})
endfunction()
