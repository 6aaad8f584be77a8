# Generates a C++ source holding every *.rules and *.csv file under RULES_DIR as byte
# arrays, so the default rules travel inside the binary. Bytes rather than
# string literals keep the generated file free of encoding concerns.
# Usage: cmake -DRULES_DIR=... -DOUTPUT=... -P embed_rules.cmake
file(GLOB_RECURSE rule_files RELATIVE "${RULES_DIR}" "${RULES_DIR}/*.rules" "${RULES_DIR}/*.csv")
list(SORT rule_files)
set(body "// Generated from ${RULES_DIR} by cmake/embed_rules.cmake. DO NOT EDIT.\n")
string(APPEND body "#include \"rules/embedded.h\"\n\nnamespace krfx::internal {\nnamespace {\n")
set(index 0)
set(table "")
foreach(rel IN LISTS rule_files)
  file(READ "${RULES_DIR}/${rel}" hex HEX)
  string(LENGTH "${hex}" hex_len)
  math(EXPR size "${hex_len} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND body "const unsigned char file_${index}[] = {${bytes}0x00};\n")
  string(APPEND table "    {\"${rel}\", std::string_view(reinterpret_cast<const char*>(file_${index}), ${size})},\n")
  math(EXPR index "${index} + 1")
endforeach()
string(APPEND body "}  // namespace\n\nconst EmbeddedFile* embedded_rule_files() {\n  static const EmbeddedFile files[] = {\n${table}    {{}, {}}};\n  return files;\n}\n\n}  // namespace krfx::internal\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
file(REMOVE "${OUTPUT}.tmp")
