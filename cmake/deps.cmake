# Dependencies: what is required stops the configuration naming the
# Debian package that provides it; what is optional (ubus.cmake,
# prometheus.cmake) is left out with a line saying so.

# ifstat_require_module(PREFIX MODULE DEBIAN_PACKAGE): pkg-config MODULE
# (with an optional version, "libbpf>=1.0") as the imported target
# PkgConfig::PREFIX, or a fatal error naming the package.
function(ifstat_require_module prefix module debpkg)
  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${prefix}_FOUND)
    message(FATAL_ERROR
      "${module} not found (pkg-config). Install it (Debian: ${debpkg}; "
      "scripts/setup.sh installs everything) or point PKG_CONFIG_PATH at it.")
  endif()
  message(STATUS "${module}: ${${prefix}_VERSION}")
endfunction()

# ifstat_require_program(VAR DEBIAN_PACKAGE NAMES...): as find_program,
# fatal with the package's name when none is found.
function(ifstat_require_program var debpkg)
  find_program(${var} NAMES ${ARGN} PATHS /usr/sbin /sbin)
  if(NOT ${var})
    message(FATAL_ERROR
      "${ARGV2} not found (tried: ${ARGN}). Install it (Debian: ${debpkg}) "
      "or pass -D${var}=/path/to/it.")
  endif()
endfunction()
