# Finds the libraries presskit's plugins use, without pkg-config (a fresh
# machine may not have it).  Each becomes an imported target; only the
# plugin that needs a library links it.

function(pk_find_library target header lib)
  find_path(${target}_INCLUDE_DIR ${header})
  find_library(${target}_LIBRARY ${lib})
  if(NOT ${target}_INCLUDE_DIR OR NOT ${target}_LIBRARY)
    message(FATAL_ERROR "presskit needs ${header} and lib${lib}: "
            "install the Debian package ${ARGN}")
  endif()
  add_library(pk::${target} UNKNOWN IMPORTED)
  set_target_properties(pk::${target} PROPERTIES
    IMPORTED_LOCATION "${${target}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${${target}_INCLUDE_DIR}")
endfunction()

pk_find_library(yaml yaml.h yaml libyaml-dev)
pk_find_library(cmark cmark.h cmark libcmark-dev)
pk_find_library(jansson jansson.h jansson libjansson-dev)

find_path(libxml2_INCLUDE_DIR libxml/xmlwriter.h PATH_SUFFIXES libxml2)
find_library(libxml2_LIBRARY xml2)
if(NOT libxml2_INCLUDE_DIR OR NOT libxml2_LIBRARY)
  message(FATAL_ERROR "presskit needs libxml2: install libxml2-dev")
endif()
add_library(pk::libxml2 UNKNOWN IMPORTED)
set_target_properties(pk::libxml2 PROPERTIES
  IMPORTED_LOCATION "${libxml2_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${libxml2_INCLUDE_DIR}")

if(BUILD_TESTING)
  pk_find_library(cmocka cmocka.h cmocka libcmocka-dev)
endif()
