# pk_plugin(TARGET name SOURCES file... [LIBS target...])
# Builds one of presskit's own plugins with presskit_add_plugin(), the
# helper third parties get from the installed package: no "lib" prefix,
# hidden symbols but the entry point, linked to libpresskit and to its own
# libraries only.  Placed in the build tree's plugin directory and
# installed to the plugin dir; listed in the global property
# PK_PLUGIN_TARGETS for the plugin index.
include(presskitAddPlugin)

function(pk_plugin)
  cmake_parse_arguments(P "" "TARGET" "SOURCES;LIBS" ${ARGN})
  # --no-undefined, or what a clang sanitizer build needs instead.
  set(PRESSKIT_PLUGIN_NO_UNDEFINED ${PK_NO_UNDEFINED})
  presskit_add_plugin(NAME ${P_TARGET} SOURCES ${P_SOURCES} LIBS ${P_LIBS})
  set_target_properties(${P_TARGET} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY "${PK_PLUGIN_OUTPUT_DIR}")
  install(TARGETS ${P_TARGET} LIBRARY DESTINATION "${PK_PLUGIN_INSTALL_DIR}")
  # For the plugin index (plugins/CMakeLists.txt), made once all are built.
  set_property(GLOBAL APPEND PROPERTY PK_PLUGIN_TARGETS ${P_TARGET})
endfunction()
