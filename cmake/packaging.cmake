# Installation and the Debian package.
#
#   cmake --install BUILD [--prefix /usr/local]     install from a build tree
#   cd BUILD && cpack -G DEB                          dcommc_VERSION_ARCH.deb
#
# What is installed (relative to the prefix):
#   bin/dcommc                                  the compiler (the stdlib is built in)
#   share/dcommc/stdlib/*.dcomm                 the stdlib, to read or to pass to --stdlib
#   share/man/man1/dcommc.1.gz                  dcommc(1), from docs/man/dcommc.1
#   share/bash-completion/completions/dcommc    bash completion
#   share/zsh/vendor-completions/_dcommc        zsh completion (Debian's vendor folder)
#   share/doc/dcommc/                           README, docs/*.md, the CI workflow, copyright
#
# Included at the end of the top-level CMakeLists.txt, after the dcommc target exists.

include(GNUInstallDirs)

install(TARGETS dcommc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

file(GLOB dcommc_stdlib_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/stdlib/*.dcomm)
install(FILES ${dcommc_stdlib_files} DESTINATION ${CMAKE_INSTALL_DATADIR}/dcommc/stdlib)

# The man page is written in roff (docs/man/dcommc.1) and gzipped at build
# time, as Debian policy wants; without gzip it is installed as is.
set(dcommc_man_source ${PROJECT_SOURCE_DIR}/docs/man/dcommc.1)
find_program(DCOMMC_GZIP gzip)
if(DCOMMC_GZIP)
  set(dcommc_man_page ${CMAKE_CURRENT_BINARY_DIR}/man/dcommc.1.gz)
  add_custom_command(
    OUTPUT ${dcommc_man_page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
    # -n: no name or time stamp in the header, so the .gz is reproducible.
    COMMAND sh -c "\"$0\" -9nc \"$1\" > \"$2\"" ${DCOMMC_GZIP} ${dcommc_man_source} ${dcommc_man_page}
    DEPENDS ${dcommc_man_source}
    COMMENT "Compressing the man page dcommc(1)"
    VERBATIM)
  add_custom_target(dcommc_man ALL DEPENDS ${dcommc_man_page})
else()
  set(dcommc_man_page ${dcommc_man_source})
endif()
install(FILES ${dcommc_man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

install(FILES ${PROJECT_SOURCE_DIR}/completions/dcommc.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME dcommc)
install(FILES ${PROJECT_SOURCE_DIR}/completions/_dcommc
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# Documentation. The explain pages are built into the binary (`dcommc
# explain`), so only the guides are installed.
set(dcommc_docdir ${CMAKE_INSTALL_DATADIR}/doc/dcommc)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${dcommc_docdir})
file(GLOB dcommc_doc_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md
                                            ${PROJECT_SOURCE_DIR}/docs/*.svg)
install(FILES ${dcommc_doc_files} DESTINATION ${dcommc_docdir})
install(FILES ${PROJECT_SOURCE_DIR}/docs/examples/github-workflow.yml
        DESTINATION ${dcommc_docdir}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/examples/kyiv.dcomm ${PROJECT_SOURCE_DIR}/examples/federation.dcomm
        DESTINATION ${dcommc_docdir}/examples)

# Debian wants a copyright file in every package. The project has not
# declared its license yet: a LICENSE file at the top is installed when it
# exists; otherwise the note below says so, and DCOMMC_LICENSE can name it.
set(DCOMMC_LICENSE "not yet declared" CACHE STRING "License named in the package's copyright file")
set(dcommc_copyright ${CMAKE_CURRENT_BINARY_DIR}/copyright)
if(EXISTS ${PROJECT_SOURCE_DIR}/LICENSE)
  file(READ ${PROJECT_SOURCE_DIR}/LICENSE dcommc_license_text)
else()
  set(dcommc_license_text "The dcommc project has not shipped a LICENSE file yet.\n")
endif()
file(WRITE ${dcommc_copyright}
  "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
  "Upstream-Name: dcommc\n"
  "Comment: dcommc generates configuration for the services of the dcomms\n"
  " project (censorship-no/dcomms, GPL-3.0); it does not contain its files.\n"
  "\nFiles: *\nLicense: ${DCOMMC_LICENSE}\n\n"
  "${dcommc_license_text}")
install(FILES ${dcommc_copyright} DESTINATION ${dcommc_docdir})

# ---- CPack: the Debian package -------------------------------------------

set(CPACK_GENERATOR "DEB" CACHE STRING "CPack generators (cpack -G overrides)")
set(CPACK_PACKAGE_NAME "dcommc")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "dcommc")
set(CPACK_PACKAGE_CONTACT "dcommc maintainers <dcommc@localhost>" CACHE STRING
    "Maintainer field of the Debian package")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "compiler for .dcomm specs of community communication servers")
set(CPACK_PACKAGE_DESCRIPTION
    "dcommc reads a declarative spec of one or more dcomms sites (domain, Tor\n"
    "onion address, swarm nodes and their labels, Matrix, Element, DeltaChat\n"
    "mail, a CENO bridge, maubot, a website), checks it, and writes every file a\n"
    "Docker Swarm deployment of those sites needs: the stack, the proxy and\n"
    "server configurations, generated secrets, node labels and DNS records.\n"
    "It also formats specs, shows what a build would change (plan), draws the\n"
    "deployment (graph) and writes new specs (init).")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build/" "/build-.*/" "/out/" "/tools/")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)           # dcommc_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)            # needs dpkg-shlibdeps (dpkg-dev)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "age")                 # secrets seal and unseal
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "graphviz, docker.io")   # graph --format svg; deploying
set(CPACK_DEBIAN_PACKAGE_ENHANCES "bash-completion")

include(CPack)
