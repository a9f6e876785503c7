# dcommc_embed(OUT_CPP SYMBOL FILES...) writes a C++ source that defines
#   const dcomm::EmbeddedFile SYMBOL[]; and std::size_t SYMBOL_count;
# holding each file's base name and contents, so docs and the stdlib ship
# inside the binary. The generator runs at build time and reruns when an
# input changes.
function(dcommc_embed out_cpp symbol)
  set(inputs ${ARGN})
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DSYMBOL=${symbol}
            "-DINPUTS=${inputs}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${inputs} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${symbol}"
    VERBATIM)
endfunction()
