# presskitAddPlugin.cmake - presskit_add_plugin(), installed with presskit
# and used by its own plugins too.
#
# presskit_add_plugin(NAME name SOURCES file... [LIBS library...])
#
# Builds a presskit plugin the way the loader expects it: a MODULE named
# NAME.so (no "lib" prefix), compiled position-independent with hidden
# symbols, so only the entry function that PK_PLUGIN_DEFINE marks is
# exported; linked with -Wl,--no-undefined, so a missing symbol fails the
# build rather than the load; linked to presskit::presskit and to LIBS
# (privately: a plugin's libraries are its own business).  Install it
# where presskit looks for plugins:
#
#     install(TARGETS NAME LIBRARY DESTINATION "${PRESSKIT_PLUGIN_DIR}")
#
# PRESSKIT_PLUGIN_NO_UNDEFINED, if set, replaces the --no-undefined link
# option: clang's sanitizer builds leave their runtime to the executable
# and need -Wl,-z,undefs instead.
function(presskit_add_plugin)
  cmake_parse_arguments(PARSE_ARGV 0 P "" "NAME" "SOURCES;LIBS")
  if(NOT P_NAME OR NOT P_SOURCES)
    message(FATAL_ERROR "presskit_add_plugin: NAME and SOURCES are required")
  endif()
  if(P_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
            "presskit_add_plugin: unexpected arguments: ${P_UNPARSED_ARGUMENTS}")
  endif()
  add_library(${P_NAME} MODULE ${P_SOURCES})
  set_target_properties(${P_NAME} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    # Plugins live in <libdir>/presskit/plugins; libpresskit is already
    # loaded when they are, but a tool that dlopens one directly finds it.
    INSTALL_RPATH "$ORIGIN/../..")
  target_link_libraries(${P_NAME} PRIVATE presskit::presskit ${P_LIBS})
  if(DEFINED PRESSKIT_PLUGIN_NO_UNDEFINED)
    target_link_options(${P_NAME} PRIVATE ${PRESSKIT_PLUGIN_NO_UNDEFINED})
  elseif(NOT APPLE)
    target_link_options(${P_NAME} PRIVATE "LINKER:--no-undefined")
  endif()
endfunction()
