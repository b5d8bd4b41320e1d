/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-outbox"

#include "config.h"

#include "al-store-private.h"

gint64
al_store_outbox_add (AlStore    *store,
                     const char *kind,
                     json_t     *body,
                     GError    **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  g_autofree char *text = json_dumps (body, JSON_COMPACT);
  gint64 id = -1;
  int rc;

  al_store_lock (store);
  stmt = al_store_prepare (store, "INSERT INTO outbox(kind, body, created_at) VALUES (?, ?, ?)",
                           error);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      al_stmt_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
      al_stmt_bind_int64 (stmt, 3, al_store_now_ms (store));
      rc = al_stmt_step (stmt);
      if (rc == SQLITE_DONE)
        id = al_conn_last_insert_rowid (al_store_conn (store));
      else
        al_store_set_error (store, rc, "Keeping the result for sending", error);
    }
  al_store_unlock (store);
  return id;
}

/* Oldest first, so the server sees things in the order they happened. */
gboolean
al_store_outbox_next (AlStore *store,
                      gint64   now_ms,
                      gint64  *id,
                      char   **kind,
                      json_t **body,
                      int     *attempts)
{
  g_autoptr (AlStmt) stmt = NULL;
  gboolean found = FALSE;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT id, kind, body, attempts FROM outbox WHERE error IS NULL"
                                  " AND next_attempt_at <= ? ORDER BY id LIMIT 1", NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, now_ms);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        {
          *id = al_stmt_column_int64 (stmt, 0);
          *kind = g_strdup ((const char *) al_stmt_column_text (stmt, 1));
          *body = json_loads ((const char *) al_stmt_column_text (stmt, 2), 0, NULL);
          *attempts = al_stmt_column_int (stmt, 3);
          found = *body != NULL;
        }
    }
  al_store_unlock (store);
  return found;
}

static void
update (AlStore    *store,
        const char *sql,
        gint64      id,
        gint64      number,
        const char *text)
{
  g_autoptr (AlStmt) stmt = NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store, sql, NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, id);
      al_stmt_bind_int64 (stmt, 2, number);
      al_stmt_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
      if (al_stmt_step (stmt) != SQLITE_DONE)
        g_warning ("Could not update the outbox: %s", al_conn_errmsg (al_store_conn (store)));
    }
  al_store_unlock (store);
}

void
al_store_outbox_done (AlStore *store,
                      gint64   id)
{
  update (store, "DELETE FROM outbox WHERE id = ?1 AND ?2 = ?2 AND ?3 IS ?3", id, 0, NULL);
}

void
al_store_outbox_retry (AlStore *store,
                       gint64   id,
                       gint64   next_attempt_ms)
{
  update (store, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2"
                 " WHERE id = ?1 AND ?3 IS ?3", id, next_attempt_ms, NULL);
}

void
al_store_outbox_fail (AlStore    *store,
                      gint64      id,
                      const char *message)
{
  update (store, "UPDATE outbox SET attempts = attempts + 1, error = ?3 WHERE id = ?1 AND ?2 = ?2",
          id, 0, message ? message : "refused");
}

gint64
al_store_outbox_pending (AlStore *store)
{
  g_autoptr (AlStmt) stmt = NULL;
  gint64 n = 0;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT count(*) FROM outbox WHERE error IS NULL", NULL);
  if (stmt && al_stmt_step (stmt) == SQLITE_ROW)
    n = al_stmt_column_int64 (stmt, 0);
  al_store_unlock (store);
  return n;
}

/* Rows the sender should try now: what a short wait at quit waits for. */
gint64
al_store_outbox_due (AlStore *store,
                     gint64   now_ms)
{
  g_autoptr (AlStmt) stmt = NULL;
  gint64 n = 0;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT count(*) FROM outbox WHERE error IS NULL"
                                  " AND next_attempt_at <= ?", NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, now_ms);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        n = al_stmt_column_int64 (stmt, 0);
    }
  al_store_unlock (store);
  return n;
}

/* A field (such as "lease_id") of every answer, broken-task report and
 * pass kept here, waiting or refused: those tasks are done on this side. */
GPtrArray *
al_store_outbox_handed_in (AlStore    *store,
                           const char *field)
{
  g_autoptr (AlStmt) stmt = NULL;
  g_autofree char *path = g_strconcat ("$.", field, NULL);
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT json_extract(body, ?) FROM outbox"
                                  " WHERE kind IN ('result', 'broken', 'pass')", NULL);
  if (stmt)
    al_stmt_bind_text (stmt, 1, path, -1, SQLITE_STATIC);
  while (stmt && al_stmt_step (stmt) == SQLITE_ROW)
    if (al_stmt_column_type (stmt, 0) == SQLITE_TEXT)
      g_ptr_array_add (values, g_strdup ((const char *) al_stmt_column_text (stmt, 0)));
  al_store_unlock (store);
  return values;
}

/* Results still to go (@refused FALSE), or refused for good since
 * @since_ms: what the participant is told at the end of the work. */
gint64
al_store_outbox_results (AlStore *store,
                         gboolean refused,
                         gint64   since_ms)
{
  g_autoptr (AlStmt) stmt = NULL;
  gint64 n = 0;

  al_store_lock (store);
  stmt = al_store_prepare (store, refused ? "SELECT count(*) FROM outbox WHERE kind = 'result'"
                                            " AND error IS NOT NULL AND created_at >= ?"
                                          : "SELECT count(*) FROM outbox WHERE kind = 'result'"
                                            " AND error IS NULL AND created_at >= ?", NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, since_ms);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        n = al_stmt_column_int64 (stmt, 0);
    }
  al_store_unlock (store);
  return n;
}
