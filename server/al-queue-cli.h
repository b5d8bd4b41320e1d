/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AlStore AlStore;

/* A command from another library (the models' pre-annotate): its options
 * are parsed before the database opens, as for every command. */
typedef struct
{
  const char *name;
  const char *parameters;
  const GOptionEntry *entries;
  int (*run) (AlStore *store,
              int      argc,
              char   **argv);
} AlQueueCommand;

/* annolab-queue --db FILE COMMAND ...: returns the process exit status. */
int al_queue_cli_run      (int   argc,
                           char *argv[]);
/* The same with more commands, a table that ends with a NULL name. */
int al_queue_cli_run_with (int                   argc,
                           char                 *argv[],
                           const AlQueueCommand *extra);

G_END_DECLS
