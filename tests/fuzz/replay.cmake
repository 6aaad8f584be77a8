# Included from tests/CMakeLists.txt: each fuzz harness linked with a plain
# main() (replay_main.cc) and run over its seed corpus and its regressions,
# in the normal build and in the sanitizer build of .ci/run.
foreach(harness IN ITEMS extract value rules rates jsonl)
  add_executable(krfx_replay_${harness} ${CMAKE_CURRENT_LIST_DIR}/fuzz_${harness}.cc
                                        ${CMAKE_CURRENT_LIST_DIR}/replay_main.cc)
  target_include_directories(krfx_replay_${harness} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(krfx_replay_${harness} PRIVATE krfx_lib PkgConfig::RE2 PkgConfig::ICU fmt::fmt)
  target_compile_options(krfx_replay_${harness} PRIVATE -Wall -Wextra)
  add_test(NAME fuzz_replay_${harness}
           COMMAND krfx_replay_${harness} --limit-ms ${KRFX_REPLAY_LIMIT_MS}
                   ${CMAKE_CURRENT_LIST_DIR}/corpus/${harness} ${CMAKE_CURRENT_LIST_DIR}/regressions/${harness})
endforeach()
