# The live page (web/) and the chart library it draws with, embedded in
# ifstatd as C arrays at build time: the daemon reads nothing from disk
# and the page loads nothing from another host.
#
# uPlot is pinned by version and by the SHA-512 of its npm tarball (the
# registry's own integrity value, in hex). The build takes the tarball
# from IFSTAT_UPLOT_TGZ when set (offline builds: OpenWrt's tree, a
# machine without the registry), else fetches it with `npm pack`, which
# is served from npm's cache when the registry cannot be reached; either
# way the hash must match, and a build that has neither stops with what
# to do. See web/THIRD-PARTY.md.
set(IFSTAT_UPLOT_VERSION 1.6.32)
set(IFSTAT_UPLOT_SHA512
    2883159c6ebccefbb95d751b0b82d010f9e1c0ec41b8bc96d401eda66e882935c89a46cb824332fa369b8cb8122cc6ac36e186cd09bf7a9ded3a4c93c6989023)
set(IFSTAT_UPLOT_TGZ "" CACHE FILEPATH
    "uplot-${IFSTAT_UPLOT_VERSION}.tgz to build offline (else npm fetches it)")

set(_web_out ${CMAKE_BINARY_DIR}/web)
set(_uplot_files ${_web_out}/uPlot.iife.min.js ${_web_out}/uPlot.min.css
    ${_web_out}/uPlot.LICENSE)
add_custom_command(
  OUTPUT ${_uplot_files}
  COMMAND ${CMAKE_COMMAND} -DVERSION=${IFSTAT_UPLOT_VERSION}
          -DSHA512=${IFSTAT_UPLOT_SHA512} -DTGZ=${IFSTAT_UPLOT_TGZ}
          -DOUT=${_web_out} -P ${CMAKE_SOURCE_DIR}/cmake/webfetch.cmake
  DEPENDS ${CMAKE_SOURCE_DIR}/cmake/webfetch.cmake ${IFSTAT_UPLOT_TGZ}
  COMMENT "Fetching uPlot ${IFSTAT_UPLOT_VERSION} (the page's charts)")

file(GLOB _web_src CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/web/*.html
     ${CMAKE_SOURCE_DIR}/web/*.js ${CMAKE_SOURCE_DIR}/web/*.css
     ${CMAKE_SOURCE_DIR}/web/*.svg)
set(_web_c ${CMAKE_BINARY_DIR}/gen/webassets.c)
add_custom_command(
  OUTPUT ${_web_c}
  COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_SOURCE_DIR}/web -DLIB=${_web_out}
          -DOUT=${_web_c} -P ${CMAKE_SOURCE_DIR}/cmake/webembed.cmake
  DEPENDS ${CMAKE_SOURCE_DIR}/cmake/webembed.cmake ${_web_src} ${_uplot_files}
  COMMENT "Embedding the web page")
add_library(ifstat_webassets STATIC ${_web_c})
target_include_directories(ifstat_webassets PRIVATE
                           ${CMAKE_SOURCE_DIR}/src/daemon)
