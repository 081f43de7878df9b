# spotfarm_layer(NAME "BELOW;..." [LIBS...]): the static library spotfarm_NAME from src/NAME/,
# linking the layers it may use and nothing else.
#
# Each layer compiles against an include folder of its own, build/layers/NAME/, that holds links to
# src/NAME and to the folders of the layers below it, and nothing more. So `#include
# "manager/farm.h"` in src/core/ is "file not found": the layer rules of ARCHITECTURE.md are
# checked by the compiler, not by review.
function(spotfarm_layer name below)
    set(view "${CMAKE_BINARY_DIR}/layers/${name}")
    file(MAKE_DIRECTORY "${view}")
    foreach(folder ${name} ${below})
        if(NOT EXISTS "${view}/${folder}")
            file(CREATE_LINK "${CMAKE_SOURCE_DIR}/src/${folder}" "${view}/${folder}" SYMBOLIC)
        endif()
    endforeach()
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/src/${name}/*.cpp")
    list(FILTER sources EXCLUDE REGEX ".*/src/cli/main\\.cpp$")
    # NAME_module.cpp is a loadable module of its own (cmake/frame_check.cmake), not layer code.
    list(FILTER sources EXCLUDE REGEX ".*_module\\.cpp$")
    add_library(spotfarm_${name} STATIC ${sources})
    target_include_directories(spotfarm_${name} PUBLIC "${view}")
    set(deps "")
    foreach(layer ${below})
        list(APPEND deps spotfarm_${layer})
    endforeach()
    target_link_libraries(spotfarm_${name} PUBLIC spotfarm_flags ${deps} ${ARGN})
endfunction()
