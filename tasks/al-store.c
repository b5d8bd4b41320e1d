/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "al-store.h"
#include "al-store-private.h"

G_DEFINE_QUARK (al-store-error-quark, al_store_error)

#define SCHEMA_VERSION 8

/* One schema serves the embedded local queue, the lab server and the
 * workstation's own drafts and outbox, so a local file can be served,
 * imported into and exported from with the same tools. */
static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS datasets (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
  "  format TEXT NOT NULL, imported_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS media (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);"
  /* The folders imports took media from; the server serves nothing else. */
  "CREATE TABLE IF NOT EXISTS media_roots (path TEXT PRIMARY KEY);"
  "CREATE TABLE IF NOT EXISTS tasks ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  dataset_id INTEGER REFERENCES datasets(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('bbox','transcribe','classify','subtitle-review','video-boxes')),"
  "  media_id INTEGER REFERENCES media(id),"
  "  data TEXT NOT NULL,"
  "  is_gold INTEGER NOT NULL DEFAULT 0,"
  "  training INTEGER NOT NULL DEFAULT 0,"
  "  overlap INTEGER NOT NULL DEFAULT 1,"
  "  done INTEGER NOT NULL DEFAULT 0,"
  "  broken TEXT,"
  "  created_at INTEGER NOT NULL,"
  /* 1 for the tasks that are listened to (al_task_is_listening), the
   * only ones voice mode gets. */
  "  listening INTEGER NOT NULL DEFAULT 0,"
  /* How many leases hold the task now, kept by the triggers below. */
  "  holders INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX IF NOT EXISTS tasks_open ON tasks(kind, seq) WHERE broken IS NULL;"
  /* Choosing a task reads only these indexes, never the task data. The
   * tasks for everyone: training and gold. (tasks_pick held every task,
   * tasks_todo the ordinary ones still to do, held or not.) */
  "DROP INDEX IF EXISTS tasks_pick;"
  "DROP INDEX IF EXISTS tasks_todo;"
  "CREATE INDEX IF NOT EXISTS tasks_for_all ON tasks(training, is_gold, seq, kind)"
  "  WHERE broken IS NULL AND (training = 1 OR is_gold = 1);"
  /* Ordinary tasks free to lease: a lease walks neither past the tasks
   * already done nor past the 200 that 200 people hold now. */
  "CREATE INDEX IF NOT EXISTS tasks_free"
  "  ON tasks(training, is_gold, seq, kind, done, holders, overlap)"
  "  WHERE broken IS NULL AND overlap > done + holders;"
  /* Voice mode walks the listening tasks alone, not past every photo. */
  "CREATE INDEX IF NOT EXISTS tasks_listening"
  "  ON tasks(listening, training, is_gold, seq, kind, done, overlap) WHERE broken IS NULL;"
  "CREATE TABLE IF NOT EXISTS users ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  role TEXT NOT NULL CHECK (role IN ('participant','coach','admin')),"
  "  grp TEXT NOT NULL DEFAULT 'default',"
  "  token_hash TEXT UNIQUE,"
  "  settings TEXT NOT NULL DEFAULT '{}',"
  "  created_at INTEGER NOT NULL,"
  /* Their results, and those on gold tasks (not practice), kept by the
   * triggers below: the gold share is worked out at every lease. */
  "  answers INTEGER NOT NULL DEFAULT 0,"
  "  gold_answers INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS leases ("
  "  id TEXT PRIMARY KEY,"
  "  task_seq INTEGER NOT NULL REFERENCES tasks(seq),"
  "  user_id INTEGER NOT NULL REFERENCES users(id),"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'active',"
  /* 1 while counted in its task's holders: an active lease until it
   * expires (al_store_count_expired). It stays active after that, so a
   * late result can still count. */
  "  counted INTEGER NOT NULL DEFAULT 1);"
  /* Who holds a task is read from the index alone: choosing a task walks
   * past every task held by someone else. (leases_task lacked user_id.) */
  "DROP INDEX IF EXISTS leases_task;"
  "CREATE INDEX IF NOT EXISTS leases_holders ON leases(task_seq, state, expires_at, user_id);"
  "CREATE INDEX IF NOT EXISTS leases_user ON leases(user_id, state);"
  "CREATE INDEX IF NOT EXISTS leases_counted ON leases(expires_at)"
  "  WHERE counted = 1 AND state = 'active';"
  "CREATE TABLE IF NOT EXISTS results ("
  "  id INTEGER PRIMARY KEY,"
  "  task_seq INTEGER NOT NULL REFERENCES tasks(seq),"
  "  user_id INTEGER NOT NULL REFERENCES users(id),"
  "  lease_id TEXT,"
  "  idempotency_key TEXT NOT NULL,"
  "  result TEXT NOT NULL,"
  "  lead_time_ms INTEGER,"
  "  submitted_at INTEGER NOT NULL,"
  "  late INTEGER NOT NULL DEFAULT 0,"
  "  score TEXT,"
  "  response TEXT NOT NULL,"
  "  UNIQUE (user_id, idempotency_key));"
  "CREATE INDEX IF NOT EXISTS results_task ON results(task_seq, user_id);"
  "CREATE INDEX IF NOT EXISTS results_user ON results(user_id, submitted_at);"
  "CREATE TABLE IF NOT EXISTS events ("
  "  id INTEGER PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES users(id),"
  "  type TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  data TEXT,"
  "  received_at INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS events_user ON events(user_id, at);"
  "CREATE INDEX IF NOT EXISTS events_user_received ON events(user_id, received_at);"
  "CREATE TABLE IF NOT EXISTS drafts ("
  "  task_id TEXT PRIMARY KEY,"
  "  draft TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  error TEXT);"
  "CREATE TABLE IF NOT EXISTS audit_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  subject TEXT NOT NULL);"
  /* Broken reports wait for a coach; the reporter is forgotten when
   * the participant is deleted, the report is not. */
  "CREATE TABLE IF NOT EXISTS broken_reports ("
  "  id INTEGER PRIMARY KEY,"
  "  task_seq INTEGER NOT NULL REFERENCES tasks(seq),"
  "  user_id INTEGER,"
  "  lease_id TEXT,"
  "  reason TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  restored_at INTEGER,"
  "  restored_by TEXT);"
  /* Results and reports the server refused, for the coach to see. */
  "CREATE TABLE IF NOT EXISTS refusals ("
  "  id INTEGER PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES users(id),"
  "  at INTEGER NOT NULL,"
  "  code TEXT NOT NULL,"
  "  message TEXT NOT NULL,"
  "  lease_id TEXT);"
  "CREATE INDEX IF NOT EXISTS refusals_user ON refusals(user_id, at);"
  /* Tasks a participant passed on; the task stays in the pool. */
  "CREATE TABLE IF NOT EXISTS passes ("
  "  id INTEGER PRIMARY KEY,"
  "  task_seq INTEGER NOT NULL REFERENCES tasks(seq),"
  "  user_id INTEGER NOT NULL REFERENCES users(id),"
  "  lease_id TEXT,"
  "  reason TEXT NOT NULL,"
  "  at INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS passes_user ON passes(user_id, task_seq, at);"
  "CREATE TABLE IF NOT EXISTS session_state ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL);";

/* tasks.holders counts the task's leases that are active and counted,
 * whatever changes them: a lease taken, given back, submitted, passed
 * on, reported broken, expired or deleted with its participant; and
 * users.answers and gold_answers count a person's results, also when a
 * task becomes gold after it was answered. */
static const char counts_sql[] =
  "CREATE TRIGGER IF NOT EXISTS leases_taken AFTER INSERT ON leases"
  "  WHEN NEW.counted = 1 AND NEW.state = 'active'"
  "  BEGIN UPDATE tasks SET holders = holders + 1 WHERE seq = NEW.task_seq; END;"
  "CREATE TRIGGER IF NOT EXISTS leases_changed AFTER UPDATE OF state, counted ON leases"
  "  WHEN (OLD.counted = 1 AND OLD.state = 'active') <> (NEW.counted = 1 AND NEW.state = 'active')"
  "  BEGIN UPDATE tasks SET holders = holders +"
  "    CASE WHEN NEW.counted = 1 AND NEW.state = 'active' THEN 1 ELSE -1 END"
  "    WHERE seq = NEW.task_seq; END;"
  "CREATE TRIGGER IF NOT EXISTS leases_deleted AFTER DELETE ON leases"
  "  WHEN OLD.counted = 1 AND OLD.state = 'active'"
  "  BEGIN UPDATE tasks SET holders = holders - 1 WHERE seq = OLD.task_seq; END;"
  "CREATE TRIGGER IF NOT EXISTS results_added AFTER INSERT ON results"
  "  BEGIN UPDATE users SET answers = answers + 1, gold_answers = gold_answers +"
  "    (SELECT count(*) FROM tasks t WHERE t.seq = NEW.task_seq AND t.is_gold = 1"
  "     AND t.training = 0) WHERE id = NEW.user_id; END;"
  "CREATE TRIGGER IF NOT EXISTS results_deleted AFTER DELETE ON results"
  "  BEGIN UPDATE users SET answers = answers - 1, gold_answers = gold_answers -"
  "    (SELECT count(*) FROM tasks t WHERE t.seq = OLD.task_seq AND t.is_gold = 1"
  "     AND t.training = 0) WHERE id = OLD.user_id; END;"
  "CREATE TRIGGER IF NOT EXISTS tasks_gold_changed AFTER UPDATE OF is_gold, training ON tasks"
  "  WHEN (OLD.is_gold = 1 AND OLD.training = 0) <> (NEW.is_gold = 1 AND NEW.training = 0)"
  "  BEGIN UPDATE users SET gold_answers = gold_answers +"
  "    (CASE WHEN NEW.is_gold = 1 AND NEW.training = 0 THEN 1 ELSE -1 END) *"
  "    (SELECT count(*) FROM results r WHERE r.task_seq = NEW.seq AND r.user_id = users.id)"
  "    WHERE id IN (SELECT user_id FROM results WHERE task_seq = NEW.seq); END;";

/* A database made before classification tasks (schema 1), subtitle
 * reviews (schema 2) or boxes on video (schema 4) refuses their kind in a
 * CHECK constraint. Widening
 * a CHECK leaves every stored row valid, so it is done in place, as
 * SQLite's documentation on schema changes describes (writable_schema,
 * then a new schema cookie), whatever other columns the table has by now. */
static gboolean
widen_kinds (AlStore *store,
             GError **error)
{
  static const char *const older[] = { "IN ('bbox','transcribe')",
                                       "IN ('bbox','transcribe','classify')",
                                       "IN ('bbox','transcribe','classify','subtitle-review')" };
  static const char *const older_quoted[] = {
    "IN (''bbox'',''transcribe'')",
    "IN (''bbox'',''transcribe'',''classify'')",
    "IN (''bbox'',''transcribe'',''classify'',''subtitle-review'')",
  };
  g_autoptr (AlStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  const char *table;
  int cookie = 0, which;

  stmt = al_store_prepare (store, "SELECT sql FROM sqlite_schema WHERE type = 'table'"
                                  " AND name = 'tasks'", error);
  if (!stmt)
    return FALSE;
  if (al_stmt_step (stmt) != SQLITE_ROW)
    return TRUE;
  table = (const char *) al_stmt_column_text (stmt, 0);
  if (strstr (table, "'video-boxes'"))
    return TRUE;
  which = -1;
  for (int i = 0; i < (int) G_N_ELEMENTS (older); i++)
    if (strstr (table, older[i]))
      which = i;
  if (which < 0)
    return TRUE;
  g_clear_pointer (&stmt, al_stmt_finalize);
  if (!al_store_exec (store, "BEGIN IMMEDIATE", error))
    return FALSE;
  stmt = al_store_prepare (store, "PRAGMA schema_version", error);
  if (stmt && al_stmt_step (stmt) == SQLITE_ROW)
    cookie = al_stmt_column_int (stmt, 0);
  g_clear_pointer (&stmt, al_stmt_finalize);
  sql = g_strdup_printf ("PRAGMA writable_schema=ON;"
                         "UPDATE sqlite_schema SET sql = replace(sql, '%s',"
                         " 'IN (''bbox'',''transcribe'',''classify'',''subtitle-review'',''video-boxes'')')"
                         " WHERE type = 'table' AND name = 'tasks';"
                         "PRAGMA schema_version=%d;"
                         "PRAGMA writable_schema=OFF;"
                         "COMMIT;", older_quoted[which], cookie + 1);
  if (!al_store_exec (store, sql, error))
    {
      al_store_exec (store, "PRAGMA writable_schema=OFF; ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / 1000;
}

gint64
al_store_now_ms (AlStore *store)
{
  return store->clock (store->clock_data);
}

void
al_store_set_clock (AlStore    *store,
                    AlClockFunc clock,
                    gpointer    user_data)
{
  store->clock = clock ? clock : real_clock;
  store->clock_data = user_data;
}

void
al_store_set_image_size_func (AlStore        *store,
                              AlImageSizeFunc func)
{
  store->image_size = func;
}

AlImageSizeFunc
al_store_get_image_size_func (AlStore *store)
{
  return store->image_size;
}

void
al_store_set_scorer (AlStore    *store,
                     AlScoreFunc scorer,
                     gpointer    user_data)
{
  store->scorer = scorer;
  store->scorer_data = user_data;
}

const char *
al_store_get_path (AlStore *store)
{
  return store->path;
}

/* Which connection each thread holds, per store: a thread that takes the
 * lock again (a store function calling another) keeps the same one. */
typedef enum
{
  HOLD_MUTEX,    /* the write connection, under the store's mutex */
  HOLD_READER,   /* a read connection from the pool */
  HOLD_WRITER,   /* the writer thread, which alone uses the write connection */
} Hold;

typedef struct
{
  AlStore *store;
  AlConn *db;
  Hold hold;
  int depth;
  /* The writer's transaction on PostgreSQL shares the write lock: each
   * write locks what it touches, without waiting unless told to. */
  gboolean concurrent;
  gboolean wait;
} Binding;

/* Empty whenever a thread is outside the store. */
static GPrivate bindings;

static Binding *
find_binding (AlStore *store)
{
  for (GSList *l = g_private_get (&bindings); l; l = l->next)
    if (((Binding *) l->data)->store == store)
      return l->data;
  return NULL;
}

static void
bind (AlStore *store,
      AlConn  *db,
      Hold     hold)
{
  Binding *b = g_new0 (Binding, 1);

  b->store = store;
  b->db = db;
  b->hold = hold;
  b->depth = 1;
  g_private_set (&bindings, g_slist_prepend (g_private_get (&bindings), b));
}

static void
unbind (Binding *b)
{
  g_private_set (&bindings, g_slist_remove (g_private_get (&bindings), b));
  g_free (b);
}

AlConn *
al_store_conn (AlStore *store)
{
  Binding *b = find_binding (store);
  return b ? b->db : store->db;
}

void
al_store_lock (AlStore *store)
{
  Binding *b = find_binding (store);

  if (b)
    b->depth++;
  else if (store->readers)
    bind (store, g_async_queue_pop (store->readers), HOLD_READER);
  else
    {
      g_rec_mutex_lock (&store->lock);
      bind (store, store->db, HOLD_MUTEX);
    }
}

void
al_store_unlock (AlStore *store)
{
  Binding *b = find_binding (store);

  g_assert (b != NULL);
  if (--b->depth > 0)
    return;
  if (b->hold == HOLD_READER)
    g_async_queue_push (store->readers, b->db);
  else if (b->hold == HOLD_MUTEX)
    g_rec_mutex_unlock (&store->lock);
  unbind (b);
}

gboolean
al_store_set_error (AlStore    *store,
                    int         rc,
                    const char *what,
                    GError    **error)
{
  int code = AL_STORE_ERROR_FAILED;
  AlConn *db = store ? al_store_conn (store) : NULL;
  const char *detail = db ? al_conn_errmsg (db) : sqlite3_errstr (rc);

  if (al_conn_is_lost (db))
    {
      /* libpq's hints follow on more lines. */
      g_autofree char *first = g_strndup (detail, strcspn (detail, "\n"));
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_UNAVAILABLE,
                   _("The database %s cannot be reached (%s): %s failed and nothing was changed. "
                   "Try again in a moment."), store->name, first, what);
      return FALSE;
    }
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = AL_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      code = AL_STORE_ERROR_READONLY;
      break;
    case SQLITE_FULL:
      code = AL_STORE_ERROR_FULL;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = AL_STORE_ERROR_BUSY;
      break;
    case SQLITE_CONSTRAINT:
      code = AL_STORE_ERROR_CONFLICT;
      break;
    case SQLITE_IOERR:
      /* SQLite says "disk I/O error" for a full or read-only disk when it
       * grows the WAL or its shared memory: name the real cause. */
      if (db)
        {
          int err = al_conn_system_errno (db);
          if (err == ENOSPC || err == EDQUOT)
            code = AL_STORE_ERROR_FULL;
          else if (err == EROFS || err == EACCES || err == EPERM)
            code = AL_STORE_ERROR_READONLY;
        }
      break;
    default:
      break;
    }

  if (code == AL_STORE_ERROR_FULL)
    g_set_error (error, AL_STORE_ERROR, code,
                 _("The disk holding %s is full: %s failed and nothing was changed. "
                 "Free some space and try again."), store->name, what);
  else if (code == AL_STORE_ERROR_READONLY)
    g_set_error (error, AL_STORE_ERROR, code,
                 _("The database %s cannot be written (%s): %s failed and nothing was changed."),
                 store->name, detail, what);
  else if (code == AL_STORE_ERROR_CORRUPT)
    g_set_error (error, AL_STORE_ERROR, code,
                 _("The database %s is damaged (%s). It was left as it is; restore it from a "
                 "backup or move it away."), store->name, detail);
  else
    g_set_error (error, AL_STORE_ERROR, code, _("%s failed on %s: %s"), what, store->name, detail);
  return FALSE;
}

gboolean
al_store_exec (AlStore    *store,
               const char *sql,
               GError    **error)
{
  int rc;

  /* With a writer thread, the write connection is its alone. */
  g_warn_if_fail (store->writer == NULL || find_binding (store) != NULL);
  rc = al_conn_exec (al_store_conn (store), sql);
  if (rc != SQLITE_OK)
    return al_store_set_error (store, rc, sql, error);
  return TRUE;
}

AlStmt *
al_store_prepare (AlStore    *store,
                  const char *sql,
                  GError    **error)
{
  AlStmt *stmt = NULL;
  int rc;

  g_warn_if_fail (store->writer == NULL || find_binding (store) != NULL);
  rc = al_conn_prepare (al_store_conn (store), sql, &stmt);
  if (rc != SQLITE_OK)
    {
      al_store_set_error (store, rc, "Preparing a query", error);
      return NULL;
    }
  return stmt;
}

gboolean
al_store_begin (AlStore *store,
                GError **error)
{
  return al_store_exec (store, "BEGIN IMMEDIATE", error);
}

/* In a transaction that shares the write lock, a lock of one's own that
 * is held elsewhere is BUSY at once (55P03 for a row): the writer tries
 * that write again on its own, once the rest of its batch is committed,
 * so no batch ever waits holding locks another batch waits for. */
gboolean
al_store_busy (AlStore    *store,
               const char *what,
               GError    **error)
{
  g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_BUSY, _("%s failed on %s: %s"), what,
               store->name, "held by another transaction");
  return FALSE;
}

gboolean
al_store_lock_person (AlStore *store,
                      gint64   user_id,
                      GError **error)
{
  Binding *b = find_binding (store);
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  if (b == NULL || !b->concurrent)
    return TRUE;
  /* The two-number keys are apart from WRITE_LOCK's one-number key. */
  stmt = al_store_prepare (store, b->wait ? "SELECT 1, pg_advisory_xact_lock(7710502, CAST(?1 AS integer))"
                                          : "SELECT pg_try_advisory_xact_lock(7710502,"
                                            " CAST(?1 AS integer))", error);
  if (stmt == NULL)
    return FALSE;
  al_stmt_bind_int64 (stmt, 1, user_id);
  rc = al_stmt_step (stmt);
  if (rc != SQLITE_ROW)
    return al_store_set_error (store, rc, "Locking a participant's work", error);
  if (!b->wait && al_stmt_column_int (stmt, 0) == 0)
    return al_store_busy (store, "Locking a participant's work", error);
  return TRUE;
}

gboolean
al_store_lock_task (AlStore *store,
                    gint64   seq,
                    GError **error)
{
  Binding *b = find_binding (store);
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  if (b == NULL || !b->concurrent)
    return TRUE;
  /* NO KEY: a result or lease that refers to the task may still be added. */
  stmt = al_store_prepare (store, b->wait ? "SELECT seq FROM tasks WHERE seq = ? FOR NO KEY UPDATE"
                                          : "SELECT seq FROM tasks WHERE seq = ?"
                                            " FOR NO KEY UPDATE NOWAIT", error);
  if (stmt == NULL)
    return FALSE;
  al_stmt_bind_int64 (stmt, 1, seq);
  rc = al_stmt_step (stmt);
  if (rc == SQLITE_BUSY && !b->wait)
    return al_store_busy (store, "Locking a task", error);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Locking a task", error);
  return TRUE;
}

AlStoreTxMode
al_store_tx_mode (AlStore *store)
{
  Binding *b = find_binding (store);

  if (b == NULL || !b->concurrent)
    return AL_STORE_TX_ALONE;
  return b->wait ? AL_STORE_TX_SHARED_WAIT : AL_STORE_TX_SHARED;
}

gboolean
al_store_commit (AlStore *store,
                 GError **error)
{
  if (!al_store_exec (store, "COMMIT", error))
    return FALSE;
  atomic_fetch_add (&store->commits, 1);
  return TRUE;
}

gint64
al_store_count_commits (AlStore *store)
{
  g_return_val_if_fail (store != NULL, 0);
  return (gint64) atomic_load (&store->commits);
}

void
al_store_rollback (AlStore *store)
{
  AlConn *db = al_store_conn (store);

  if (!al_conn_get_autocommit (db))
    al_conn_exec (db, "ROLLBACK");
}

static gboolean
check_health (AlStore *store,
              GError **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  /* PostgreSQL checks its own pages as it reads them. */
  if (store->postgres)
    return TRUE;
  rc = al_conn_prepare (store->db, "PRAGMA quick_check", &stmt);
  if (rc != SQLITE_OK)
    return al_store_set_error (store, rc, "Checking the database", error);
  rc = al_stmt_step (stmt);
  if (rc != SQLITE_ROW)
    return al_store_set_error (store, rc, "Checking the database", error);
  if (g_strcmp0 ((const char *) al_stmt_column_text (stmt, 0), "ok") != 0)
    {
      /* The check lists every damaged page; the first line is enough to read. */
      g_auto (GStrv) lines = g_strsplit ((const char *) al_stmt_column_text (stmt, 0), "\n", 3);
      const char *first = lines[0] && g_str_has_prefix (lines[0], "***") && lines[1] ? lines[1]
                                                                                  : lines[0];
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CORRUPT,
                   _("The database %s is damaged (%s). It was left as it is; restore it from a "
                   "backup or move it away."), store->name, first ? first : "?");
      return FALSE;
    }
  return TRUE;
}

static gint64
query_int (AlStore    *store,
           const char *sql)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (store, sql, NULL);
  return stmt && al_stmt_step (stmt) == SQLITE_ROW ? al_stmt_column_int64 (stmt, 0) : -1;
}

static gboolean
has_column (AlStore    *store,
            const char *table,
            const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s LIMIT 0", column, table);
  g_autoptr (AlStmt) stmt = al_store_prepare (store, sql, NULL);
  return stmt != NULL;
}

/* Tasks from before version 5: the listening flag from each task's data,
 * read in C as the import does, so the SQL stays plain. A task that
 * cannot be read stays 0; the lease sets it aside as broken. */
static gboolean
mark_listening (AlStore *store,
                GError **error)
{
  g_autoptr (AlStmt) sel = al_store_prepare (store, "SELECT seq, data FROM tasks", error);
  g_autoptr (AlStmt) upd = NULL;
  int rc;

  if (sel == NULL)
    return FALSE;
  upd = al_store_prepare (store, "UPDATE tasks SET listening = 1 WHERE seq = ?", error);
  if (upd == NULL)
    return FALSE;
  while ((rc = al_stmt_step (sel)) == SQLITE_ROW)
    {
      g_autoptr (AlTask) task = al_store_task_from_row (store, sel, 1, NULL);
      if (task == NULL || !al_task_is_listening (task))
        continue;
      al_stmt_reset (upd);
      al_stmt_bind_int64 (upd, 1, al_stmt_column_int64 (sel, 0));
      if ((rc = al_stmt_step (upd)) != SQLITE_DONE)
        return al_store_set_error (store, rc, "Marking the tasks to listen to", error);
    }
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Marking the tasks to listen to", error);
  return TRUE;
}

/* The schema version lives in PRAGMA user_version, in the header of the
 * file. Databases from before kept it as a text row in meta: such a file
 * is upgraded when it is opened, and the row goes. */
static gboolean
check_schema (AlStore *store,
              GError **error)
{
  g_autofree char *format = NULL;
  g_autofree char *old = NULL;
  gint64 version = 0;

  if (store->postgres)
    {
      g_autofree char *sql = g_strconcat (schema_sql, al_store_proposals_schema, NULL);
      return al_store_pg_schema (store, sql, SCHEMA_VERSION, error);
    }
  if (query_int (store, "SELECT count(*) FROM sqlite_schema") > 0)
    {
      format = al_store_get_meta (store, "format");
      if (g_strcmp0 (format, "annolab") != 0)
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CORRUPT,
                       _("%s is an SQLite file but not an annolab database; it was left as it is."),
                       store->path);
          return FALSE;
        }
      version = query_int (store, "PRAGMA user_version");
      old = al_store_get_meta (store, "schema_version");
      if (version == 0 && old)
        {
          guint64 n = 0;
          if (!g_ascii_string_to_unsigned (old, 10, 1, G_MAXINT32, &n, NULL))
            {
              g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CORRUPT,
                           _("The database %s gives its schema version as \"%s\", which is not a "
                           "number; it was left as it is."), store->path, old);
              return FALSE;
            }
          version = (gint64) n;
        }
      if (version > SCHEMA_VERSION)
        {
          g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, version);
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID,
                       _("%s was made by a newer annolab (schema %s); update annolab to open it."),
                       store->path, v);
          return FALSE;
        }
    }

  if (version == SCHEMA_VERSION && old == NULL)
    return al_store_exec (store, schema_sql, error) && al_store_exec (store, counts_sql, error) &&
           al_store_exec (store, al_store_proposals_schema, error);

  /* Version 1 allowed only box and transcription tasks, version 2 no
   * subtitle reviews, version 5 no boxes on video; version 4 added the
   * proposals table, version 5 the tasks' listening column, version 7
   * the tasks' holders and the leases' counted, version 8 the users'
   * answers and gold_answers. */
  if (version >= 1 && version < 6 && !widen_kinds (store, error))
    return FALSE;

  /* New or older: the whole upgrade is one transaction. The column comes
   * before the schema, whose index needs it. */
  {
    g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", SCHEMA_VERSION);
    gboolean older = version >= 1 && version < 5;
    gboolean uncounted = version >= 1 && version < 8;
    gboolean ok = al_store_begin (store, error) &&
                  (!older || has_column (store, "tasks", "listening") ||
                   al_store_exec (store, "ALTER TABLE tasks ADD COLUMN listening"
                                         " INTEGER NOT NULL DEFAULT 0", error)) &&
                  (!uncounted || has_column (store, "tasks", "holders") ||
                   al_store_exec (store, "ALTER TABLE tasks ADD COLUMN holders"
                                         " INTEGER NOT NULL DEFAULT 0;"
                                         "ALTER TABLE leases ADD COLUMN counted"
                                         " INTEGER NOT NULL DEFAULT 1", error)) &&
                  (!uncounted || has_column (store, "users", "answers") ||
                   al_store_exec (store, "ALTER TABLE users ADD COLUMN answers"
                                         " INTEGER NOT NULL DEFAULT 0;"
                                         "ALTER TABLE users ADD COLUMN gold_answers"
                                         " INTEGER NOT NULL DEFAULT 0", error)) &&
                  al_store_exec (store, schema_sql, error) &&
                  al_store_exec (store, counts_sql, error) &&
                  (!older || mark_listening (store, error)) &&
                  (!uncounted || al_store_recount (store, error)) &&
                  al_store_exec (store, al_store_proposals_schema, error) &&
                  al_store_set_meta (store, "format", "annolab", error) &&
                  al_store_exec (store, "DELETE FROM meta WHERE key = 'schema_version'", error) &&
                  al_store_exec (store, set_version, error) && al_store_commit (store, error);
    if (!ok)
      al_store_rollback (store);
    return ok;
  }
}

AlStore *
al_store_open (const char *path,
               GError    **error)
{
  AlStore *store;
  int rc;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  dir = al_db_is_postgres (path) ? NULL : g_path_get_dirname (path);
  if (dir && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "Cannot create the folder %s for the database: %s", dir, g_strerror (err));
      return NULL;
    }

  store = g_new0 (AlStore, 1);
  store->path = g_strdup (path);
  store->name = al_db_display_name (path);
  store->postgres = al_db_is_postgres (path);
  g_atomic_ref_count_init (&store->ref);
  store->clock = real_clock;
  g_rec_mutex_init (&store->lock);
  g_mutex_init (&store->notify_lock);

  rc = al_conn_open (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                     &store->db);
  if (rc != SQLITE_OK && store->postgres)
    {
      /* libpq may quote the URI, password and all. */
      g_autoptr (GString) detail = g_string_new (store->db ? al_conn_errmsg (store->db)
                                                           : sqlite3_errstr (rc));
      g_string_replace (detail, path, store->name, 0);
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FAILED,
                   _("Cannot connect to the database %s: %s"), store->name, detail->str);
      al_store_unref (store);
      return NULL;
    }
  if (rc == SQLITE_CANTOPEN || rc == SQLITE_READONLY || rc == SQLITE_PERM)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_READONLY,
                   _("Cannot open the database %s for writing: %s"), path,
                   store->db ? al_conn_errmsg (store->db) : sqlite3_errstr (rc));
      al_store_unref (store);
      return NULL;
    }
  if (rc != SQLITE_OK)
    {
      al_store_set_error (store, rc, "Opening the database", error);
      al_store_unref (store);
      return NULL;
    }
  if (!store->postgres)
    {
      sqlite3_busy_timeout (al_conn_sqlite (store->db), 5000);
      sqlite3_extended_result_codes (al_conn_sqlite (store->db), 1);
    }

  /* WAL lets the dashboard read while workstations write; FULL sync keeps
   * an acknowledged result through a power cut, not only a crash. Each
   * write in a shared batch is a savepoint, whose journal is kept in
   * memory, not in a temporary file. */
  if (!check_health (store, error) ||
      !al_store_exec (store, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                             "PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;"
                             "PRAGMA foreign_keys=ON;", error) ||
      !check_schema (store, error))
    {
      al_store_unref (store);
      return NULL;
    }
  if (!store->postgres)
    {
      GStatBuf st;
      if (g_stat (path, &st) == 0)
        {
          store->file_known = TRUE;
          store->file_dev = st.st_dev;
          store->file_ino = st.st_ino;
        }
    }
  return store;
}

gboolean
al_store_file_check (AlStore *store,
                     GError **error)
{
  GStatBuf st;

  if (!store->file_known ||
      (g_stat (store->path, &st) == 0 && st.st_dev == store->file_dev &&
       st.st_ino == store->file_ino))
    return TRUE;
  if (g_atomic_int_compare_and_exchange (&store->file_gone_told, 0, 1))
    g_message ("The database file %s was removed or replaced while in use; nothing more is "
               "written. Stop the server and put the lab's database back.", store->path);
  g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_UNAVAILABLE,
               _("The database file %s was removed or replaced while the server ran: nothing "
               "was changed. The lab's IT person must put it back."), store->name);
  return FALSE;
}

void
al_store_set_shared (AlStore *store)
{
  int on = 1;

  g_return_if_fail (store != NULL);

  /* SQLite deletes the WAL when it closes the last connection, and counts
   * connections by POSIX locks on the database file, which a server loses
   * when anything in it closes a descriptor of that file. */
  store->shared = TRUE;
  if (store->postgres)
    return;
  sqlite3_db_config (al_conn_sqlite (store->db), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_file_control (al_conn_sqlite (store->db), "main", SQLITE_FCNTL_PERSIST_WAL, &on);
  for (guint i = 0; store->read_dbs && i < store->read_dbs->len; i++)
    {
      sqlite3 *db = al_conn_sqlite (store->read_dbs->pdata[i]);
      sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
      sqlite3_file_control (db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
    }
}

/* Group commit. A request waits here until the transaction holding its
 * write is committed with synchronous=FULL, so an acknowledged write is
 * on disk; but all writes waiting at once share that one fsync. */

#define READERS 8
#define MAX_BATCH 256

typedef struct
{
  AlStoreWriteFunc func;   /* NULL: the writer stops */
  gpointer data;
  gboolean concurrent;     /* it takes its own locks (al_store_write_concurrent) */
  gboolean again;          /* BUSY in a shared batch: to be tried again on its own */
  gboolean ok;
  GError *error;
  gboolean done;
  GMutex lock;
  GCond cond;
} AlStoreWrite;

static gboolean
run_direct (AlStore         *store,
            AlStoreWriteFunc func,
            gpointer         data,
            GError         **error)
{
  GError *local = NULL;
  gboolean ok;

  if (!al_store_file_check (store, error))
    return FALSE;
  al_store_lock (store);
  if (!al_conn_get_autocommit (al_store_conn (store)))
    {
      /* Already inside a transaction of this thread: a part of it. */
      ok = al_store_exec (store, "SAVEPOINT nested", &local);
      if (ok && !(ok = func (store, data, &local)))
        al_store_exec (store, "ROLLBACK TO nested", NULL);
      al_store_exec (store, "RELEASE nested", NULL);
    }
  else
    {
      ok = al_store_begin (store, &local) && func (store, data, &local) &&
           al_store_commit (store, &local);
      if (!ok)
        al_store_rollback (store);
    }
  al_store_unlock (store);
  if (local)
    g_propagate_error (error, local);
  return ok;
}

/* Earlier writes of a batch whose transaction is gone fail with @error. */
static void
fail_batch (AlStoreWrite **batch,
            guint          end,
            const GError  *error)
{
  for (guint i = 0; i < end; i++)
    {
      AlStoreWrite *w = batch[i];
      if (w->ok)
        {
          w->ok = FALSE;
          w->error = g_error_copy (error);
        }
    }
}

static void
run_batch (AlStore       *store,
           AlStoreWrite **batch,
           guint          n,
           gboolean       wait)
{
  g_autoptr (GError) error = NULL;
  AlConn *db = store->db;
  gboolean concurrent = store->postgres;
  const char *begin;
  g_autofree AlStoreWrite **retry = NULL;
  Binding *b;
  guint again = 0;

  /* One write that needs the database alone (an import, a deletion, a
   * setting) takes the write lock alone for its whole batch. */
  for (guint i = 0; i < n; i++)
    concurrent = concurrent && batch[i]->concurrent;
  begin = concurrent ? "BEGIN CONCURRENT" : "BEGIN IMMEDIATE";
  bind (store, db, HOLD_WRITER);
  b = find_binding (store);
  b->concurrent = concurrent;
  b->wait = wait;
  if (!al_store_file_check (store, &error) || !al_store_exec (store, begin, &error))
    {
      for (guint i = 0; i < n; i++)
        batch[i]->ok = TRUE;
      fail_batch (batch, n, error);
    }
  else
    {
      for (guint i = 0; i < n; i++)
        {
          AlStoreWrite *w = batch[i];

          if (al_conn_get_autocommit (db) && !al_store_exec (store, begin, &w->error))
            continue;
          w->ok = al_store_exec (store, "SAVEPOINT one", &w->error) &&
                  w->func (store, w->data, &w->error);
          if (w->ok)
            al_store_exec (store, "RELEASE one", NULL);
          else if (al_conn_get_autocommit (db))
            /* Some errors (a full disk, I/O) end the whole transaction:
             * what went before it in this batch is gone too. */
            fail_batch (batch, i, w->error);
          else
            {
              al_store_exec (store, "ROLLBACK TO one", NULL);
              al_store_exec (store, "RELEASE one", NULL);
              if (concurrent && !wait &&
                  g_error_matches (w->error, AL_STORE_ERROR, AL_STORE_ERROR_BUSY))
                {
                  g_clear_error (&w->error);
                  w->again = TRUE;
                  again++;
                }
            }
        }
      if (!al_conn_get_autocommit (db) && !al_store_commit (store, &error))
        {
          al_store_rollback (store);
          fail_batch (batch, n, error);
        }
    }
  unbind (b);

  /* Once told, a write is gone (it lived on its request's stack): the
   * ones to try again are set apart first. */
  retry = again ? g_new (AlStoreWrite *, again) : NULL;
  again = 0;
  for (guint i = 0; i < n; i++)
    {
      AlStoreWrite *w = batch[i];
      if (w->again)
        {
          w->again = FALSE;
          retry[again++] = w;
          continue;
        }
      g_mutex_lock (&w->lock);
      w->done = TRUE;
      g_cond_signal (&w->cond);
      g_mutex_unlock (&w->lock);
    }

  /* What met another server's locks goes again, each write in its own
   * transaction that holds nothing else while it waits: two of them can
   * never wait for each other. */
  for (guint i = 0; i < again; i++)
    run_batch (store, &retry[i], 1, TRUE);
}

static gpointer
writer_main (gpointer data)
{
  AlStore *store = data;
  g_autoptr (GPtrArray) batch = g_ptr_array_new ();
  gboolean stop = FALSE;

  while (!stop)
    {
      AlStoreWrite *w = g_async_queue_pop (store->writes);

      /* Everything that queued up while the last transaction was being
       * written goes into the next one. */
      g_ptr_array_set_size (batch, 0);
      while (w)
        {
          if (w->func == NULL)
            {
              stop = TRUE;
              break;
            }
          g_ptr_array_add (batch, w);
          w = batch->len < MAX_BATCH ? g_async_queue_try_pop (store->writes) : NULL;
        }
      if (batch->len)
        run_batch (store, (AlStoreWrite **) batch->pdata, batch->len, FALSE);
    }
  return NULL;
}

static gboolean
write_with (AlStore         *store,
            AlStoreWriteFunc func,
            gpointer         data,
            gboolean         concurrent,
            GError         **error)
{
  AlStoreWrite w = { func, data, concurrent };

  /* Without a writer, or from inside the store's own lock (where waiting
   * for the writer could wait for ever), the write runs here. */
  if (store->writer == NULL || find_binding (store))
    return run_direct (store, func, data, error);

  g_mutex_init (&w.lock);
  g_cond_init (&w.cond);
  g_async_queue_push (store->writes, &w);
  g_mutex_lock (&w.lock);
  while (!w.done)
    g_cond_wait (&w.cond, &w.lock);
  g_mutex_unlock (&w.lock);
  g_mutex_clear (&w.lock);
  g_cond_clear (&w.cond);
  if (w.error)
    g_propagate_error (error, w.error);
  return w.ok;
}

gboolean
al_store_write (AlStore         *store,
                AlStoreWriteFunc func,
                gpointer         data,
                GError         **error)
{
  g_return_val_if_fail (store != NULL && func != NULL, FALSE);
  return write_with (store, func, data, FALSE, error);
}

gboolean
al_store_write_concurrent (AlStore         *store,
                           AlStoreWriteFunc func,
                           gpointer         data,
                           GError         **error)
{
  g_return_val_if_fail (store != NULL && func != NULL, FALSE);
  return write_with (store, func, data, TRUE, error);
}

static void
close_reader (gpointer db)
{
  al_conn_close (db);
}

static AlConn *
open_reader (AlStore *store,
             GError **error)
{
  AlConn *conn = NULL;
  int rc = al_conn_open (store->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, &conn);
  sqlite3 *db = al_conn_sqlite (conn);
  int on = 1;

  if (rc == SQLITE_OK && db)
    {
      sqlite3_busy_timeout (db, 5000);
      sqlite3_extended_result_codes (db, 1);
      /* A store function that is not sent to the writer may still write
       * through a read connection: just as durably. */
      rc = sqlite3_exec (db, "PRAGMA synchronous=FULL; PRAGMA cache_size=-4096;"
                             "PRAGMA foreign_keys=ON;", NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FAILED,
                   "Opening a read connection to %s failed: %s", store->name,
                   conn ? al_conn_errmsg (conn) : sqlite3_errstr (rc));
      al_conn_close (conn);
      return NULL;
    }
  if (store->shared && db)
    {
      sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
      sqlite3_file_control (db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
    }
  return conn;
}

gboolean
al_store_start_writer (AlStore *store,
                       GError **error)
{
  g_autoptr (GPtrArray) dbs = NULL;

  g_return_val_if_fail (store != NULL, FALSE);

  if (store->writer)
    return TRUE;
  dbs = g_ptr_array_new_with_free_func (close_reader);
  for (int i = 0; i < READERS; i++)
    {
      AlConn *db = open_reader (store, error);
      if (db == NULL)
        return FALSE;
      g_ptr_array_add (dbs, db);
    }
  /* From here on only the writer thread uses the write connection. */
  g_rec_mutex_lock (&store->lock);
  store->writes = g_async_queue_new ();
  store->readers = g_async_queue_new ();
  for (guint i = 0; i < dbs->len; i++)
    g_async_queue_push (store->readers, dbs->pdata[i]);
  store->read_dbs = g_steal_pointer (&dbs);
  store->writer = g_thread_new ("store-writer", writer_main, store);
  g_rec_mutex_unlock (&store->lock);
  return TRUE;
}

AlStore *
al_store_ref (AlStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_atomic_ref_count_inc (&store->ref);
  return store;
}

void
al_store_unref (AlStore *store)
{
  if (store == NULL || !g_atomic_ref_count_dec (&store->ref))
    return;
  if (store->writer)
    {
      AlStoreWrite stop = { NULL };
      g_async_queue_push (store->writes, &stop);
      g_thread_join (store->writer);
      g_async_queue_unref (store->writes);
      g_async_queue_unref (store->readers);
      /* The read connections close first: the write connection stays the
       * last one, which alone may checkpoint. */
      g_ptr_array_unref (store->read_dbs);
    }
  al_store_pg_close (store);
  if (store->db && store->shared && !store->postgres)
    /* Through the WAL's own locks, which a server keeps: the file is whole
     * without the WAL, and an empty WAL cannot cover a later change to the
     * file. Closing then neither checkpoints again nor deletes the WAL. */
    sqlite3_wal_checkpoint_v2 (al_conn_sqlite (store->db), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
                               NULL);
  al_conn_close (store->db);
  g_rec_mutex_clear (&store->lock);
  g_mutex_clear (&store->notify_lock);
  g_free (store->path);
  g_free (store->name);
  g_free (store);
}

gboolean
al_store_ping (AlStore *store,
               GError **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  int rc = SQLITE_OK;

  if (!al_store_file_check (store, error))
    return FALSE;
  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT 1", error);
  if (stmt && (rc = al_stmt_step (stmt)) != SQLITE_ROW)
    al_store_set_error (store, rc, "Asking the database", error);
  al_store_unlock (store);
  return stmt && rc == SQLITE_ROW;
}

char *
al_store_get_meta (AlStore    *store,
                   const char *key)
{
  g_autoptr (AlStmt) stmt = NULL;
  char *value = NULL;

  al_store_lock (store);
  if (al_conn_prepare (al_store_conn (store), "SELECT value FROM meta WHERE key = ?", &stmt) ==
      SQLITE_OK)
    {
      al_stmt_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        value = g_strdup ((const char *) al_stmt_column_text (stmt, 0));
    }
  al_store_unlock (store);
  return value;
}

typedef struct
{
  AlStoreKv table;
  const char *key;
  const char *value;
} Put;

static gboolean
put_write (AlStore *store,
           gpointer data,
           GError **error)
{
  AlStoreKv table = ((Put *) data)->table;
  const char *key = ((Put *) data)->key;
  const char *value = ((Put *) data)->value;
  static const struct
  {
    const char *sql;
    const char *what;
  } tables[] = {
    [AL_STORE_KV_META] = { "INSERT INTO meta(key, value) VALUES (?1, ?2)"
                           " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           "Saving a setting" },
    [AL_STORE_KV_DRAFT] = { "INSERT INTO drafts(task_id, draft, updated_at) VALUES (?1, ?2, ?3)"
                            " ON CONFLICT(task_id) DO UPDATE SET draft = excluded.draft,"
                            " updated_at = excluded.updated_at",
                            "Saving the draft" },
    [AL_STORE_KV_SESSION] = { "INSERT INTO session_state(key, value, updated_at)"
                              " VALUES (?1, ?2, ?3) ON CONFLICT(key) DO UPDATE SET"
                              " value = excluded.value, updated_at = excluded.updated_at",
                              "Saving the session" },
  };
  g_autoptr (AlStmt) stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  g_assert (table < G_N_ELEMENTS (tables));
  stmt = al_store_prepare (store, tables[table].sql, error);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      al_stmt_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      if (al_stmt_bind_parameter_count (stmt) >= 3)
        al_stmt_bind_int64 (stmt, 3, al_store_now_ms (store));
      rc = al_stmt_step (stmt);
      ok = rc == SQLITE_DONE || al_store_set_error (store, rc, tables[table].what, error);
    }
  return ok;
}

gboolean
al_store_put (AlStore    *store,
              AlStoreKv   table,
              const char *key,
              const char *value,
              GError    **error)
{
  Put put = { table, key, value };
  return al_store_write (store, put_write, &put, error);
}

gboolean
al_store_set_meta (AlStore    *store,
                   const char *key,
                   const char *value,
                   GError    **error)
{
  return al_store_put (store, AL_STORE_KV_META, key, value, error);
}

char *
al_format_time_iso (gint64 ms)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) (ms % 1000));
}
