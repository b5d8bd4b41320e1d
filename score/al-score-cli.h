/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* annolab-score: exit 0 on success, 1 on bad input, 2 on a usage error. */
int al_score_cli_run (int    argc,
                      char **argv);

G_END_DECLS
