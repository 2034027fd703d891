# `cmake --install`: the tools, the libraries, the public headers (with the
# generated ones), the hardware descriptions, the license and a CMake package,
# so another project can `find_package(Rebocc)` and link Rebocc::ReboccSim
# and the libraries below it.
#
# The package exports the MLIR-free libraries (support, hardware description,
# cost model, program format, interpreter), which need only LLVM's Support
# library, ONNX's protobuf messages and protobuf. The compiler's MLIR
# libraries are installed next to them by add_mlir_library.
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(REBOCC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Rebocc)
set(REBOCC_EXPORTED_LIBRARIES
  ReboccSupport ReboccHardware ReboccModel ReboccProgram ReboccSim)

set(REBOCC_INSTALLED_TOOLS rebocc-sim)
if(REBOCC_ENABLE_MLIR)
  list(APPEND REBOCC_INSTALLED_TOOLS rebocc rebocc-opt rebocc-translate)
endif()
install(TARGETS ${REBOCC_INSTALLED_TOOLS}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(TARGETS ${REBOCC_EXPORTED_LIBRARIES}
        EXPORT ReboccTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT ReboccTargets
        NAMESPACE Rebocc::
        DESTINATION ${REBOCC_INSTALL_CMAKEDIR})

# The headers, and what TableGen and GitVersion.cmake generate next to them
# (the dialects' .inc files, VersionInfo.inc).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/rebocc
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/rebocc
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "*.inc"
        PATTERN "CMakeFiles" EXCLUDE)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/hw/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/rebocc/hw)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
              ${PROJECT_SOURCE_DIR}/docs/report.schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/rebocc)

# The package finds the dependencies where this build found them.
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/ReboccConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ReboccConfig.cmake
  INSTALL_DESTINATION ${REBOCC_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/ReboccConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ReboccConfig.cmake
              ${PROJECT_BINARY_DIR}/ReboccConfigVersion.cmake
        DESTINATION ${REBOCC_INSTALL_CMAKEDIR})
