# What lets a third party build against an installed presskit: a CMake
# package (find_package(presskit) -> presskit::presskit, presskit_add_plugin,
# PRESSKIT_PLUGIN_DIR) and a pkg-config file (presskit.pc, with plugindir).
# Included from core/CMakeLists.txt, after the presskit target's install().
include(CMakePackageConfigHelpers)

set(PK_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/presskit")
install(EXPORT presskitTargets NAMESPACE presskit::
  DESTINATION "${PK_CMAKE_INSTALL_DIR}")
# PACKAGE_PK_PLUGIN_INSTALL_DIR is computed from the config file's own
# location, so the package stays correct wherever the tree is installed.
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/presskitConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/presskitConfig.cmake"
  INSTALL_DESTINATION "${PK_CMAKE_INSTALL_DIR}"
  PATH_VARS PK_PLUGIN_INSTALL_DIR)
# The library's API only grows within a major version.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/presskitConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/presskitConfig.cmake"
  "${PROJECT_BINARY_DIR}/presskitConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/presskitAddPlugin.cmake"
  DESTINATION "${PK_CMAKE_INSTALL_DIR}")

# presskit.pc is made when installing, not when configuring: the prefix
# is only known then (cmake --install --prefix DIR).  Every path in it
# is written from ${prefix} unless the directory was given absolute.
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(pk_pc_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(pk_pc_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
install(CODE "
  set(PROJECT_DESCRIPTION \"${PROJECT_DESCRIPTION}\")
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  set(PK_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(PK_PC_LIBDIR [[${pk_pc_LIBDIR}]])
  set(PK_PC_INCLUDEDIR [[${pk_pc_INCLUDEDIR}]])
  configure_file([[${PROJECT_SOURCE_DIR}/cmake/presskit.pc.in]]
                 [[${PROJECT_BINARY_DIR}/presskit.pc]] @ONLY)
")
install(FILES "${PROJECT_BINARY_DIR}/presskit.pc"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
