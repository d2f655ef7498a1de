# pk_plugin(TARGET name SOURCES file... [LIBS target...])
# Builds a presskit plugin module: no "lib" prefix, hidden symbols but the
# entry point, linked to libpresskit and to its own libraries only, placed
# in the build tree's plugin directory and installed to the plugin dir.
function(pk_plugin)
  cmake_parse_arguments(P "" "TARGET" "SOURCES;LIBS" ${ARGN})
  add_library(${P_TARGET} MODULE ${P_SOURCES})
  set_target_properties(${P_TARGET} PROPERTIES
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY "${PK_PLUGIN_OUTPUT_DIR}")
  target_link_libraries(${P_TARGET} PRIVATE presskit ${P_LIBS})
  target_link_options(${P_TARGET} PRIVATE -Wl,--no-undefined)
  install(TARGETS ${P_TARGET} LIBRARY DESTINATION "${PK_PLUGIN_INSTALL_DIR}")
endfunction()
