/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdatomic.h>

#include "al-store.h"
#include "al-store-db.h"

G_BEGIN_DECLS

struct _AlStore
{
  gatomicrefcount ref;
  AlConn *db;              /* the write connection */
  char *path;              /* as given: a file or a postgresql:// URI */
  char *name;              /* to name it in messages: without a password */
  gboolean postgres;
  GRecMutex lock;          /* the write connection, without a writer thread */
  AlClockFunc clock;
  gpointer clock_data;
  AlScoreFunc scorer;
  gpointer scorer_data;
  gboolean shared;
  AlImageSizeFunc image_size;
  /* Group commit (a server): the writer thread alone uses db, and runs
   * many waiting writes in one transaction; everyone else reads through
   * a pool of connections of their own. */
  GThread *writer;
  GAsyncQueue *writes;     /* AlStoreWrite, waiting for the writer */
  GAsyncQueue *readers;    /* idle read connections */
  GPtrArray *read_dbs;     /* every read connection, to close */
  atomic_llong commits;    /* transactions committed */
  /* SQLite: the file as opened. A file removed or replaced under a
   * running server would take writes that no one can ever read. */
  gboolean file_known;
  guint64 file_dev, file_ino;
  gint file_gone_told;
  /* PostgreSQL: notices between servers on the same database. */
  GThread *listener;
  atomic_int listening;
  AlConn *notify_conn;
  GMutex notify_lock;
};

/* Stops the listener and closes the notice connection (PostgreSQL). */
void          al_store_pg_close (AlStore   *store);

/* FALSE with @error when the SQLite file was removed or replaced since
 * it was opened. */
gboolean      al_store_file_check (AlStore *store,
                                   GError **error);

/* The connection this thread holds for @store (inside al_store_lock). */
AlConn       *al_store_conn     (AlStore    *store);

/* One write, run in its own savepoint inside a transaction that it may
 * share with others; returns FALSE with @error to undo only its own
 * changes. al_store_write returns once the transaction is on disk. */
typedef gboolean (*AlStoreWriteFunc) (AlStore   *store,
                                      gpointer   data,
                                      GError   **error);
gboolean      al_store_write    (AlStore    *store,
                                 AlStoreWriteFunc func,
                                 gpointer    data,
                                 GError    **error);

/* The same, for a write that takes the locks of its own invariants
 * (al_store_lock_person, al_store_lock_task, candidate tasks by row):
 * on PostgreSQL it may share a transaction with other such writes while
 * other servers' transactions run at once. On SQLite it is al_store_write. */
gboolean      al_store_write_concurrent (AlStore         *store,
                                         AlStoreWriteFunc func,
                                         gpointer         data,
                                         GError         **error);

/* How the transaction of this thread holds the database: alone (SQLite,
 * or PostgreSQL's write lock taken alone), or sharing it with other
 * servers, where a lock held elsewhere is BUSY at once or, for a write
 * tried again on its own, waited for. */
typedef enum
{
  AL_STORE_TX_ALONE,
  AL_STORE_TX_SHARED,
  AL_STORE_TX_SHARED_WAIT,
} AlStoreTxMode;

AlStoreTxMode al_store_tx_mode  (AlStore    *store);
/* Inside a shared transaction: the participant's lock (their leases,
 * results, passes and reports), the task's row (its overlap, its count
 * of results, its broken mark). Nothing to do when alone. */
gboolean      al_store_lock_person (AlStore *store,
                                    gint64   user_id,
                                    GError **error);
gboolean      al_store_lock_task (AlStore *store,
                                  gint64   seq,
                                  GError **error);
/* BUSY: @what met a lock held by another transaction. */
gboolean      al_store_busy     (AlStore    *store,
                                 const char *what,
                                 GError    **error);

/* Hold the lock around any use of the connection. */
void          al_store_lock     (AlStore    *store);
void          al_store_unlock   (AlStore    *store);
gboolean      al_store_set_error (AlStore   *store,
                                 int         rc,
                                 const char *what,
                                 GError    **error);
gboolean      al_store_exec     (AlStore    *store,
                                 const char *sql,
                                 GError    **error);
AlStmt *al_store_prepare  (AlStore    *store,
                                 const char *sql,
                                 GError    **error);
gboolean      al_store_begin    (AlStore    *store,
                                 GError    **error);
gboolean      al_store_commit   (AlStore    *store,
                                 GError    **error);
void          al_store_rollback (AlStore    *store);
/* Ends an active lease without a result (state "released" or "passed"),
 * so the task is free for others; inside a transaction. */
gboolean      al_store_release_lease (AlStore    *store,
                                      const char *lease_id,
                                      const char *state,
                                      GError    **error);

/* Counts every task's holders again from its leases, and every person's
 * answers from their results: after an upgrade from before the counts,
 * and after a copy (whose rows counted once more as they went in);
 * inside a transaction. */
gboolean      al_store_recount (AlStore *store,
                                GError **error);

/* A lease as a workstation names it, with its task's id; NOT_FOUND when
 * there is none, FORBIDDEN when it is someone else's. */
typedef struct
{
  gint64 task_seq;
  gint64 user_id;
  gint64 expires_at;
  char *state;
  char *task_id;
} AlStoreLeaseRow;

gboolean      al_store_find_lease      (AlStore         *store,
                                        const AlUser    *user,
                                        const char      *lease_id,
                                        AlStoreLeaseRow *row,
                                        GError         **error);
void          al_store_lease_row_clear (AlStoreLeaseRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AlStoreLeaseRow, al_store_lease_row_clear)

/* The small named values kept by key: settings, drafts, session state. */
typedef enum
{
  AL_STORE_KV_META,
  AL_STORE_KV_DRAFT,
  AL_STORE_KV_SESSION,
} AlStoreKv;

gboolean      al_store_put      (AlStore    *store,
                                 AlStoreKv   table,
                                 const char *key,
                                 const char *value,
                                 GError    **error);

/* PostgreSQL: creates or checks the schema of the database (SQLite's
 * @schema_sql with PostgreSQL's types) at @version. */
gboolean      al_store_pg_schema (AlStore    *store,
                                  const char *schema_sql,
                                  int         version,
                                  GError    **error);

/* The task in @column of a row; CORRUPT when its JSON cannot be read. */
AlTask       *al_store_task_from_row (AlStore      *store,
                                      AlStmt *stmt,
                                      int           column,
                                      GError      **error);

/* The proposals table (al-store-proposals.c), made with the schema. */
extern const char al_store_proposals_schema[];
/* Sets @task's proposal from the table, or none on a task with a gold
 * answer; inside the lease's transaction. */
gboolean      al_store_attach_proposal (AlStore *store,
                                        gint64   seq,
                                        AlTask  *task,
                                        GError **error);

G_END_DECLS
