/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-store.h"

G_BEGIN_DECLS

struct _AlStore
{
  gatomicrefcount ref;
  sqlite3 *db;
  char *path;
  GRecMutex lock;
  AlClockFunc clock;
  gpointer clock_data;
  AlScoreFunc scorer;
  gpointer scorer_data;
  gboolean shared;
  AlImageSizeFunc image_size;
};

gboolean      al_store_exec     (AlStore    *store,
                                 const char *sql,
                                 GError    **error);
sqlite3_stmt *al_store_prepare  (AlStore    *store,
                                 const char *sql,
                                 GError    **error);
gboolean      al_store_begin    (AlStore    *store,
                                 GError    **error);
gboolean      al_store_commit   (AlStore    *store,
                                 GError    **error);
void          al_store_rollback (AlStore    *store);
/* The task in @column of a row (al-store-tasks.c). */
AlTask       *al_store_task_from_row (AlStore      *store,
                                      sqlite3_stmt *stmt,
                                      int           column,
                                      GError      **error);
/* Ends an active lease without a result (state "released" or "passed"),
 * so the task is free for others; inside a transaction. */
gboolean      al_store_release_lease (AlStore    *store,
                                      const char *lease_id,
                                      const char *state,
                                      GError    **error);

G_END_DECLS
