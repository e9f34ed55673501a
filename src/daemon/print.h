/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The counters as a plain text table. */
#ifndef IFSTAT_PRINT_H
#define IFSTAT_PRINT_H

#include <stdio.h>

#include "counters.h"

void ifstat_print_table(FILE *out, const struct ifstat_snapshot *s);

#endif
