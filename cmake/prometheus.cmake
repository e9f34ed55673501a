# The Prometheus endpoint needs libmicrohttpd.
#
#   -DWITH_PROMETHEUS=AUTO  (default) build it when libmicrohttpd is found
#   -DWITH_PROMETHEUS=ON    fail when it is missing
#   -DWITH_PROMETHEUS=OFF   never (routers that only publish on ubus)
#
# Sets IFSTAT_HAVE_PROMETHEUS and, when true, PkgConfig::MHD.

set(WITH_PROMETHEUS AUTO CACHE STRING
    "Build the Prometheus endpoint (AUTO, ON, OFF)")
set_property(CACHE WITH_PROMETHEUS PROPERTY STRINGS AUTO ON OFF)
string(TOUPPER "${WITH_PROMETHEUS}" _prom_mode)
if(NOT _prom_mode MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR
    "WITH_PROMETHEUS must be AUTO, ON or OFF (is '${WITH_PROMETHEUS}')")
endif()

set(IFSTAT_HAVE_PROMETHEUS FALSE)
if(_prom_mode STREQUAL "OFF")
  message(STATUS "prometheus: off (WITH_PROMETHEUS=OFF)")
else()
  pkg_check_modules(MHD QUIET IMPORTED_TARGET GLOBAL libmicrohttpd)
  if(MHD_FOUND)
    set(IFSTAT_HAVE_PROMETHEUS TRUE)
    message(STATUS "prometheus: on (libmicrohttpd ${MHD_VERSION})")
  elseif(_prom_mode STREQUAL "ON")
    message(FATAL_ERROR
      "WITH_PROMETHEUS=ON but libmicrohttpd is not found (Debian: "
      "libmicrohttpd-dev; OpenWrt: libmicrohttpd), or use -DWITH_PROMETHEUS=OFF.")
  else()
    message(STATUS "prometheus: off (not found: libmicrohttpd, Debian: "
                   "libmicrohttpd-dev)")
  endif()
endif()
