# What `cmake --install` puts where. Every path that one installed file
# names in another (the unit runs ifstatd and reads the configuration,
# the man pages name the files, ifstatd's default configuration) comes
# from the same GNUInstallDirs variables, so they agree under any prefix.

install(TARGETS ifstatd RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
install(TARGETS ifstat RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# FULL: for the prefixes /usr and /opt/... GNUInstallDirs keeps
# CMAKE_INSTALL_SYSCONFDIR relative ("etc", which would install under
# /usr/etc) while the full path is /etc or /etc/opt/..., the one compiled
# into ifstatd.
install(FILES packaging/ifstat.conf.example
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/ifstat)

# systemd looks in PREFIX/lib/systemd/system for /usr/local and /opt
# prefixes too; for /usr the distribution says where (systemd.pc).
set(_unitdir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  pkg_get_variable(_sd_unitdir systemd systemdsystemunitdir)
  if(_sd_unitdir)
    set(_unitdir ${_sd_unitdir})
  endif()
endif()
set(IFSTAT_SYSTEMD_UNITDIR ${_unitdir} CACHE PATH
    "Where the systemd unit is installed")
configure_file(packaging/systemd/ifstatd.service.in
               ${CMAKE_BINARY_DIR}/ifstatd.service @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/ifstatd.service
        DESTINATION ${IFSTAT_SYSTEMD_UNITDIR})

# Man pages: mdoc, written directly (doc/man/*.in); only the paths and the
# client's name are filled in here. build/man is a man directory
# (MANPATH) for the tests.
string(TOUPPER ${IFSTAT_CLIENT_NAME} IFSTAT_CLIENT_NAME_UPPER)
configure_file(doc/man/ifstatd.8.in ${CMAKE_BINARY_DIR}/man/man8/ifstatd.8 @ONLY)
configure_file(doc/man/ifstat.conf.5.in ${CMAKE_BINARY_DIR}/man/man5/ifstat.conf.5
               @ONLY)
configure_file(doc/man/ifstat.1.in
               ${CMAKE_BINARY_DIR}/man/man1/${IFSTAT_CLIENT_NAME}.1 @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/man/man8/ifstatd.8
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${CMAKE_BINARY_DIR}/man/man5/ifstat.conf.5
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES ${CMAKE_BINARY_DIR}/man/man1/${IFSTAT_CLIENT_NAME}.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# bash-completion loads a command's completion by the command's name.
configure_file(packaging/bash-completion/ifstat.in
               ${CMAKE_BINARY_DIR}/completion/${IFSTAT_CLIENT_NAME} @ONLY)
install(FILES packaging/bash-completion/ifstatd
              ${CMAKE_BINARY_DIR}/completion/${IFSTAT_CLIENT_NAME}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

install(FILES README.md doc/semantics.md doc/internals.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
