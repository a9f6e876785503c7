# A Code (code.hpp) is checked against the catalogue while dcommc compiles:
# a diagnostic with a catalogued code compiles, one with an unknown code
# does not, and the compiler's message names the catalogue. Run by ctest:
#   cmake -DCXX=... -DSOURCE_DIR=... -DWORK=... -P unknown_code_test.cmake

function(compile_diagnostic code result_var output_var)
  set(source ${WORK}/diagnostic_${code}.cpp)
  file(WRITE ${source}
       "#include \"diag/diagnostic.hpp\"\n"
       "dcomm::Diagnostic reported() { return {.code = \"${code}\", .message = \"m\"}; }\n")
  execute_process(
    COMMAND ${CXX} -std=c++20 -fsyntax-only -I${SOURCE_DIR}/compiler -I${SOURCE_DIR} ${source}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  set(${result_var} ${result} PARENT_SCOPE)
  set(${output_var} "${output}" PARENT_SCOPE)
endfunction()

file(MAKE_DIRECTORY ${WORK})

compile_diagnostic(E0304 known_result known_output)
if(NOT known_result EQUAL 0)
  message(FATAL_ERROR "a diagnostic with the catalogued code E0304 did not compile:\n${known_output}")
endif()

compile_diagnostic(E0399 unknown_result unknown_output)
if(unknown_result EQUAL 0)
  message(FATAL_ERROR "a diagnostic with the uncatalogued code E0399 compiled")
endif()
if(NOT unknown_output MATCHES "not_in_the_catalogue_add_it_to_diag_catalogue_hpp")
  message(FATAL_ERROR "E0399 failed to compile, but not for being outside the catalogue:\n${unknown_output}")
endif()
message(STATUS "E0304 compiles; E0399 is refused by the catalogue")
