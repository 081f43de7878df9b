# spotfarm_frame_check.so: the frame decoder, the only code that links OpenImageIO. It is loaded
# with dlopen on first use (src/blender/frame_decoder.h), so the ~250 libraries OpenImageIO pulls
# in cost nothing to the commands and daemons that never check a frame.
#
# It is built into the build folder, beside `spotfarm`; the loader also looks there by a path
# compiled into it, which is how the tests in build/tests/ and the benchmarks in build/bench/ find
# it. Every target that links the blender layer depends on it, so `make` and any test build it.
add_library(spotfarm_frame_check MODULE "${CMAKE_SOURCE_DIR}/src/blender/frame_check_module.cpp")
set_target_properties(spotfarm_frame_check PROPERTIES
    PREFIX ""
    OUTPUT_NAME spotfarm_frame_check
    LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
target_include_directories(spotfarm_frame_check PRIVATE "${CMAKE_BINARY_DIR}/layers/blender")
target_link_libraries(spotfarm_frame_check PRIVATE spotfarm_flags PkgConfig::OpenImageIO)
# Every symbol resolved at link time, so a missing library fails the build, not the first check.
# (Not with Clang's sanitizers: their runtime lives in the executable that loads the module.)
if(NOT (SPOTFARM_FUZZ OR (SPOTFARM_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")))
    target_link_options(spotfarm_frame_check PRIVATE -Wl,--no-undefined)
endif()

set_source_files_properties("${CMAKE_SOURCE_DIR}/src/blender/frame_decoder.cpp" PROPERTIES
    COMPILE_DEFINITIONS "SPOTFARM_FRAME_CHECK_BUILD_DIR=\"${CMAKE_BINARY_DIR}\"")
add_dependencies(spotfarm_blender spotfarm_frame_check)
