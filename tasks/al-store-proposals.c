/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include <math.h>

#include "al-store-private.h"

/* A model's proposal for a task, one per task, kept beside the task and
 * never in its data: the gold answer stays the gold answer, and a new
 * run of a model replaces only this row. Plain SQL only, so another
 * database can hold the same table. */
const char al_store_proposals_schema[] =
  "CREATE TABLE IF NOT EXISTS proposals ("
  "  task_seq INTEGER PRIMARY KEY REFERENCES tasks(seq),"
  "  model TEXT NOT NULL,"
  "  version TEXT NOT NULL,"
  "  proposal TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);";

void
al_store_proposal_row_free (AlStoreProposalRow *row)
{
  if (row == NULL)
    return;
  g_clear_pointer (&row->task, al_task_unref);
  g_clear_pointer (&row->proposal, json_decref);
  g_free (row->dataset);
  g_free (row);
}

static json_t *
load_proposal (AlStmt *stmt,
               int           column)
{
  const char *text = (const char *) al_stmt_column_text (stmt, column);
  json_t *proposal = text ? json_loads (text, 0, NULL) : NULL;

  if (proposal && !json_is_object (proposal))
    g_clear_pointer (&proposal, json_decref);
  return proposal;
}

/* Inside the lease's transaction. A task with a gold answer (gold or
 * practice) never gets one: it measures the person, not the model. */
gboolean
al_store_attach_proposal (AlStore *store,
                          gint64   seq,
                          AlTask  *task,
                          GError **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  g_clear_pointer (&task->proposal, json_decref);
  if (task->gold || task->training)
    return TRUE;
  stmt = al_store_prepare (store, "SELECT proposal FROM proposals WHERE task_seq = ?", error);
  if (!stmt)
    return FALSE;
  al_stmt_bind_int64 (stmt, 1, seq);
  rc = al_stmt_step (stmt);
  if (rc == SQLITE_ROW)
    task->proposal = load_proposal (stmt, 0);
  else if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Reading a proposal", error);
  return TRUE;
}

static GPtrArray *
list_locked (AlStore    *store,
             const char *dataset,
             GError    **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (
    (GDestroyNotify) al_store_proposal_row_free);
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  if (dataset)
    {
      stmt = al_store_prepare (store, "SELECT count(*) FROM datasets WHERE name = ?", error);
      if (!stmt)
        return NULL;
      al_stmt_bind_text (stmt, 1, dataset, -1, SQLITE_STATIC);
      if (al_stmt_step (stmt) != SQLITE_ROW || al_stmt_column_int64 (stmt, 0) == 0)
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_NOT_FOUND,
                       "there is no dataset named \"%s\"", dataset);
          return NULL;
        }
      g_clear_pointer (&stmt, al_stmt_finalize);
    }

  stmt = al_store_prepare (store,
                           "SELECT t.seq, t.data, t.is_gold, d.name, p.proposal FROM tasks t"
                           " LEFT JOIN datasets d ON d.id = t.dataset_id"
                           " LEFT JOIN proposals p ON p.task_seq = t.seq"
                           " WHERE t.broken IS NULL AND (CAST(?1 AS TEXT) IS NULL OR d.name = ?1)"
                           " ORDER BY t.seq", error);
  if (!stmt)
    return NULL;
  if (dataset)
    al_stmt_bind_text (stmt, 1, dataset, -1, SQLITE_STATIC);
  else
    al_stmt_bind_null (stmt, 1);
  while ((rc = al_stmt_step (stmt)) == SQLITE_ROW)
    {
      AlStoreProposalRow *row = g_new0 (AlStoreProposalRow, 1);
      row->task = al_store_task_from_row (store, stmt, 1, error);
      if (row->task == NULL)
        {
          al_store_proposal_row_free (row);
          return NULL;
        }
      /* What a workstation gets is the lease's business; here the stored one. */
      g_clear_pointer (&row->task->proposal, json_decref);
      row->seq = al_stmt_column_int64 (stmt, 0);
      row->gold = al_stmt_column_int (stmt, 2) != 0 || row->task->gold || row->task->training;
      row->dataset = g_strdup ((const char *) al_stmt_column_text (stmt, 3));
      row->proposal = load_proposal (stmt, 4);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Reading tasks", error), NULL;
  return g_steal_pointer (&rows);
}

GPtrArray *
al_store_list_proposals (AlStore    *store,
                         const char *dataset,
                         GError    **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (store != NULL, NULL);

  al_store_lock (store);
  rows = list_locked (store, dataset, error);
  al_store_unlock (store);
  return rows;
}

typedef struct
{
  GPtrArray *rows;
  gboolean replace;
  guint stored;
} Put;

static gboolean
put_write (AlStore *store,
           gpointer data,
           GError **error)
{
  Put *put = data;
  g_autoptr (AlStmt) del = NULL;
  g_autoptr (AlStmt) ins = NULL;
  gint64 now = al_store_now_ms (store);
  int rc;

  put->stored = 0;
  del = al_store_prepare (store, "DELETE FROM proposals WHERE task_seq = ?", error);
  /* Without --replace a proposal that appeared meanwhile stays. */
  ins = al_store_prepare (store,
                          "INSERT INTO proposals(task_seq, model, version, proposal, created_at)"
                          " SELECT ?1, ?2, ?3, ?4, ?5 FROM tasks WHERE seq = ?1"
                          " AND NOT EXISTS (SELECT 1 FROM proposals WHERE task_seq = ?1)"
                          " RETURNING task_seq", error);
  if (!del || !ins)
    return FALSE;
  for (guint i = 0; i < put->rows->len; i++)
    {
      AlStoreProposalRow *row = g_ptr_array_index (put->rows, i);
      const char *model = json_string_value (json_object_get (row->proposal, "model"));
      const char *version = json_string_value (json_object_get (row->proposal, "version"));
      g_autofree char *text = NULL;

      if (row->proposal == NULL || model == NULL || version == NULL)
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID,
                       "the proposal for task %s has no \"model\" and \"version\"",
                       row->task ? row->task->id : "?");
          return FALSE;
        }
      if (put->replace)
        {
          al_stmt_reset (del);
          al_stmt_bind_int64 (del, 1, row->seq);
          if ((rc = al_stmt_step (del)) != SQLITE_DONE)
            return al_store_set_error (store, rc, "Replacing a proposal", error);
        }
      text = json_dumps (row->proposal, JSON_COMPACT | JSON_REAL_PRECISION (6));
      al_stmt_reset (ins);
      al_stmt_bind_int64 (ins, 1, row->seq);
      al_stmt_bind_text (ins, 2, model, -1, SQLITE_STATIC);
      al_stmt_bind_text (ins, 3, version, -1, SQLITE_STATIC);
      al_stmt_bind_text (ins, 4, text, -1, SQLITE_STATIC);
      al_stmt_bind_int64 (ins, 5, now);
      /* A row back is a proposal stored: both backends count the same way. */
      if ((rc = al_stmt_step (ins)) == SQLITE_ROW)
        {
          put->stored++;
          rc = al_stmt_step (ins);
        }
      if (rc != SQLITE_DONE)
        return al_store_set_error (store, rc, "Storing a proposal", error);
    }
  return TRUE;
}

gboolean
al_store_put_proposals (AlStore   *store,
                        GPtrArray *rows,
                        gboolean   replace,
                        guint     *stored,
                        GError   **error)
{
  Put put = { rows, replace, 0 };
  gboolean ok;

  g_return_val_if_fail (store != NULL && rows != NULL, FALSE);

  ok = al_store_write (store, put_write, &put, error);
  if (stored)
    *stored = ok ? put.stored : 0;
  return ok;
}

/* Read in C, not with the database's JSON functions, so the SQL stays
 * plain. */
json_t *
al_store_proposal_use (AlStore *store,
                       gint64   user_id,
                       gint64   since_ms)
{
  static const char *const counts[] = { "accepted", "changed", "added", "rejected" };
  g_autoptr (AlStmt) stmt = NULL;
  gint64 tasks = 0, items = 0, accepted = 0;

  g_return_val_if_fail (store != NULL, NULL);

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT result FROM results WHERE user_id = ? AND submitted_at >= ?",
                           NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, user_id);
      al_stmt_bind_int64 (stmt, 2, since_ms);
      while (al_stmt_step (stmt) == SQLITE_ROW)
        {
          g_autoptr (json_t) result = json_loads ((const char *) al_stmt_column_text (stmt, 0), 0,
                                                  NULL);
          json_t *marks = json_object_get (result, "proposal");
          if (!json_is_object (marks))
            continue;
          tasks++;
          accepted += json_integer_value (json_object_get (marks, "accepted"));
          for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
            items += json_integer_value (json_object_get (marks, counts[i]));
        }
    }
  al_store_unlock (store);
  return json_pack ("{s:I,s:I,s:I,s:o}", "tasks", (json_int_t) tasks, "items", (json_int_t) items,
                    "accepted", (json_int_t) accepted, "share_accepted",
                    items ? json_real (round ((double) accepted / (double) items * 100) / 100)
                          : json_null ());
}
