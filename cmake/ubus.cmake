# OpenWrt's ubus: libubus, libubox, libblobmsg_json and json-c.
#
#   -DWITH_UBUS=AUTO  (default) use them when all are found
#   -DWITH_UBUS=ON    fail when one is missing
#   -DWITH_UBUS=OFF   never
#
# They are not packaged for Debian: point CMAKE_PREFIX_PATH (or the
# environment variable IFSTAT_UBUS_PREFIX) at where they are installed.
# Sets IFSTAT_HAVE_UBUS and, when true, the target ifstat_ubus_deps.

set(WITH_UBUS AUTO CACHE STRING "Build the ubus publisher and client (AUTO, ON, OFF)")
set_property(CACHE WITH_UBUS PROPERTY STRINGS AUTO ON OFF)
string(TOUPPER "${WITH_UBUS}" _ubus_mode)
if(NOT _ubus_mode MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "WITH_UBUS must be AUTO, ON or OFF (is '${WITH_UBUS}')")
endif()

set(IFSTAT_HAVE_UBUS FALSE)
if(_ubus_mode STREQUAL "OFF")
  message(STATUS "ubus: off (WITH_UBUS=OFF)")
else()
  set(_ubus_hints)
  if(DEFINED ENV{IFSTAT_UBUS_PREFIX})
    set(_ubus_hints HINTS "$ENV{IFSTAT_UBUS_PREFIX}")
  endif()
  find_path(UBUS_INCLUDE_DIR libubus.h ${_ubus_hints} PATH_SUFFIXES include)
  find_path(UBOX_INCLUDE_DIR libubox/blobmsg.h ${_ubus_hints}
            PATH_SUFFIXES include)
  find_library(UBUS_LIBRARY ubus ${_ubus_hints} PATH_SUFFIXES lib)
  find_library(UBOX_LIBRARY ubox ${_ubus_hints} PATH_SUFFIXES lib)
  find_library(BLOBMSG_JSON_LIBRARY blobmsg_json ${_ubus_hints}
               PATH_SUFFIXES lib)
  pkg_check_modules(UBUS_JSONC QUIET IMPORTED_TARGET json-c)

  set(_ubus_missing)
  foreach(_pair "UBUS_INCLUDE_DIR=libubus.h" "UBOX_INCLUDE_DIR=libubox/blobmsg.h"
                "UBUS_LIBRARY=libubus" "UBOX_LIBRARY=libubox"
                "BLOBMSG_JSON_LIBRARY=libblobmsg_json")
    string(REPLACE "=" ";" _pair "${_pair}")
    list(GET _pair 0 _v)
    list(GET _pair 1 _what)
    if(NOT ${_v})
      list(APPEND _ubus_missing ${_what})
    endif()
  endforeach()
  if(NOT UBUS_JSONC_FOUND)
    list(APPEND _ubus_missing "json-c (Debian: libjson-c-dev)")
  endif()

  if(_ubus_missing)
    string(REPLACE ";" ", " _ubus_missing "${_ubus_missing}")
    if(_ubus_mode STREQUAL "ON")
      message(FATAL_ERROR
        "WITH_UBUS=ON but not found: ${_ubus_missing}. Install libubus and "
        "libubox (OpenWrt; see README, 'ubus') and pass "
        "-DCMAKE_PREFIX_PATH=<their prefix>, or use -DWITH_UBUS=OFF.")
    endif()
    message(STATUS "ubus: off (not found: ${_ubus_missing})")
  else()
    set(IFSTAT_HAVE_UBUS TRUE)
    add_library(ifstat_ubus_deps INTERFACE)
    target_include_directories(ifstat_ubus_deps INTERFACE
      ${UBUS_INCLUDE_DIR} ${UBOX_INCLUDE_DIR})
    target_link_libraries(ifstat_ubus_deps INTERFACE
      ${UBUS_LIBRARY} ${BLOBMSG_JSON_LIBRARY} ${UBOX_LIBRARY}
      PkgConfig::UBUS_JSONC)
    target_compile_definitions(ifstat_ubus_deps INTERFACE IFSTAT_HAVE_UBUS=1)
    get_filename_component(IFSTAT_UBUS_LIBDIR "${UBUS_LIBRARY}" DIRECTORY)
    message(STATUS "ubus: on (${UBUS_LIBRARY})")
  endif()
endif()
