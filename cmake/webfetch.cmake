# cmake -DVERSION= -DSHA512= [-DTGZ=] -DOUT= -P webfetch.cmake
# uPlot's npm tarball (from TGZ, else `npm pack`), checked against the
# pinned hash; its minified script, stylesheet and license into OUT.
set(_work ${OUT}/uplot-fetch)
file(REMOVE_RECURSE ${_work})
file(MAKE_DIRECTORY ${_work})
set(_how "")
if(TGZ)
  set(_tgz ${TGZ})
  set(_how "from IFSTAT_UPLOT_TGZ=${TGZ}")
else()
  find_program(_npm npm)
  set(_err "npm is not installed")
  if(_npm)
    execute_process(
      COMMAND ${_npm} pack uplot@${VERSION} --prefer-offline
              --loglevel=error --pack-destination ${_work}
      WORKING_DIRECTORY ${_work}
      RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_VARIABLE _out)
    if(_rc EQUAL 0)
      set(_err "")
    else()
      # npm's error code says what (ENOTCACHED, ENOTFOUND, ...).
      string(REGEX MATCH "code [A-Z_]+" _first "${_out}")
      set(_err "npm pack exited ${_rc}: ${_first}")
    endif()
  endif()
  set(_tgz ${_work}/uplot-${VERSION}.tgz)
  if(_err OR NOT EXISTS ${_tgz})
    message(FATAL_ERROR
      "web: cannot fetch uPlot ${VERSION} with npm (${_err}).\n"
      "The page's chart library is fetched at build time. Offline: on a "
      "machine that reaches the npm registry run\n"
      "  npm pack uplot@${VERSION}\n"
      "copy uplot-${VERSION}.tgz here and configure with\n"
      "  cmake -DIFSTAT_UPLOT_TGZ=/path/to/uplot-${VERSION}.tgz ...\n"
      "(its SHA-512 is checked; see web/THIRD-PARTY.md).")
  endif()
  set(_how "with npm")
endif()
if(NOT EXISTS ${_tgz})
  message(FATAL_ERROR "web: ${_tgz} does not exist (IFSTAT_UPLOT_TGZ)")
endif()
file(SHA512 ${_tgz} _sum)
if(NOT _sum STREQUAL SHA512)
  message(FATAL_ERROR
    "web: ${_tgz} is not uPlot ${VERSION} as pinned: SHA-512 ${_sum}, "
    "expected ${SHA512} (cmake/web.cmake)")
endif()
file(ARCHIVE_EXTRACT INPUT ${_tgz} DESTINATION ${_work})
foreach(_f dist/uPlot.iife.min.js dist/uPlot.min.css)
  file(COPY ${_work}/package/${_f} DESTINATION ${OUT})
endforeach()
configure_file(${_work}/package/LICENSE ${OUT}/uPlot.LICENSE COPYONLY)
# The tarball's dates are from 1985: newer than their rule, or the build
# fetches again every time.
file(TOUCH_NOCREATE ${OUT}/uPlot.iife.min.js ${OUT}/uPlot.min.css
     ${OUT}/uPlot.LICENSE)
file(REMOVE_RECURSE ${_work})
message(STATUS "web: uPlot ${VERSION} ${_how}, SHA-512 checked")
