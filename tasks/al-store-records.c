/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include "al-store-private.h"

/* What exports and work records read: the rows, without SQL. */

static gboolean
read_work_locked (AlStore             *store,
                  const char          *annotator,
                  AlStoreTaskRowFunc   on_task,
                  AlStoreResultRowFunc on_result,
                  gpointer             user_data,
                  GError             **error)
{
  g_autoptr (AlStmt) tasks = NULL;
  g_autoptr (AlStmt) results = NULL;
  int rc;

  tasks = al_store_prepare (store, "SELECT seq, data FROM tasks ORDER BY seq", error);
  if (!tasks)
    return FALSE;
  while ((rc = al_stmt_step (tasks)) == SQLITE_ROW)
    {
      json_error_t jerr;
      g_autoptr (json_t) data = json_loads ((const char *) al_stmt_column_text (tasks, 1), 0,
                                            &jerr);
      if (data == NULL)
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CORRUPT,
                       "A task in %s cannot be read: %s", store->name, jerr.text);
          return FALSE;
        }
      if (!on_task (al_stmt_column_int64 (tasks, 0), data, user_data, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Reading tasks", error);

  results = al_store_prepare (store,
                              "SELECT r.task_seq, u.id, u.name, r.result FROM results r"
                              " JOIN users u ON u.id = r.user_id"
                              " WHERE ?1 IS NULL OR u.name = ?1"
                              " ORDER BY r.task_seq, u.name, r.id", error);
  if (!results)
    return FALSE;
  if (annotator)
    al_stmt_bind_text (results, 1, annotator, -1, SQLITE_STATIC);
  while ((rc = al_stmt_step (results)) == SQLITE_ROW)
    {
      g_autoptr (json_t) result = json_loads ((const char *) al_stmt_column_text (results, 3), 0,
                                              NULL);
      if (result)
        on_result (al_stmt_column_int64 (results, 0), al_stmt_column_int64 (results, 1),
                   (const char *) al_stmt_column_text (results, 2), result, user_data);
    }
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Reading results", error);
  return TRUE;
}

gboolean
al_store_read_work (AlStore             *store,
                    const char          *annotator,
                    AlStoreTaskRowFunc   on_task,
                    AlStoreResultRowFunc on_result,
                    gpointer             user_data,
                    GError             **error)
{
  gboolean ok, own;

  g_return_val_if_fail (store != NULL && on_task != NULL && on_result != NULL, FALSE);

  /* One read transaction: a result that arrives meanwhile cannot point at
   * a task the export has not seen. */
  al_store_lock (store);
  own = al_conn_get_autocommit (al_store_conn (store));
  ok = !own || al_store_exec (store, "BEGIN", error);
  ok = ok && read_work_locked (store, annotator, on_task, on_result, user_data, error);
  if (own)
    al_store_rollback (store);
  al_store_unlock (store);
  return ok;
}

static void
moment_free (AlStoreMoment *m)
{
  g_free (m->type);
  g_free (m);
}

GPtrArray *
al_store_list_moments (AlStore *store,
                       gint64   user_id)
{
  GPtrArray *moments = g_ptr_array_new_with_free_func ((GDestroyNotify) moment_free);
  g_autoptr (AlStmt) stmt = NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT type, received_at, id FROM events WHERE user_id = ?1"
                                  " UNION ALL SELECT 'result', submitted_at, id FROM results"
                                  " WHERE user_id = ?1 ORDER BY 2, 3", NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, user_id);
      while (al_stmt_step (stmt) == SQLITE_ROW)
        {
          AlStoreMoment *m = g_new0 (AlStoreMoment, 1);
          m->type = g_strdup ((const char *) al_stmt_column_text (stmt, 0));
          m->at_ms = al_stmt_column_int64 (stmt, 1);
          g_ptr_array_add (moments, m);
        }
    }
  al_store_unlock (store);
  return moments;
}

static void
result_row_free (AlStoreResultRow *row)
{
  g_free (row->kind);
  json_decref (row->score);
  json_decref (row->task);
  json_decref (row->result);
  g_free (row);
}

GPtrArray *
al_store_list_result_rows (AlStore *store,
                           gint64   user_id,
                           GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) result_row_free);
  g_autoptr (AlStmt) stmt = NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store,
                           /* A task time no longer than the server held the lease. */
                           "SELECT t.kind, r.submitted_at, MAX(0, MIN(r.lead_time_ms,"
                           " COALESCE(r.submitted_at - l.created_at, 0))), r.score, t.data, r.result"
                           " FROM results r JOIN tasks t ON t.seq = r.task_seq"
                           " LEFT JOIN leases l ON l.id = r.lease_id"
                           " WHERE r.user_id = ? ORDER BY r.submitted_at, r.id", error);
  if (stmt == NULL)
    {
      al_store_unlock (store);
      return NULL;
    }
  al_stmt_bind_int64 (stmt, 1, user_id);
  while (al_stmt_step (stmt) == SQLITE_ROW)
    {
      AlStoreResultRow *row = g_new0 (AlStoreResultRow, 1);
      const char *score = (const char *) al_stmt_column_text (stmt, 3);

      row->kind = g_strdup ((const char *) al_stmt_column_text (stmt, 0));
      row->submitted_ms = al_stmt_column_int64 (stmt, 1);
      row->task_ms = al_stmt_column_int64 (stmt, 2);
      row->score = score ? json_loads (score, 0, NULL) : NULL;
      row->task = json_loads ((const char *) al_stmt_column_text (stmt, 4), 0, NULL);
      row->result = json_loads ((const char *) al_stmt_column_text (stmt, 5), 0, NULL);
      g_ptr_array_add (rows, row);
    }
  al_store_unlock (store);
  return g_steal_pointer (&rows);
}
