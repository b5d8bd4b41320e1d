/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include "al-store-private.h"

gint64
al_store_count_tasks (AlStore *store)
{
  g_autoptr (AlStmt) stmt = NULL;
  gint64 n = -1;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT count(*) FROM tasks", NULL);
  if (stmt && al_stmt_step (stmt) == SQLITE_ROW)
    n = al_stmt_column_int64 (stmt, 0);
  al_store_unlock (store);
  return n;
}

static gint64
media_id_for (AlStore    *store,
              const char *path,
              GError    **error)
{
  g_autoptr (AlStmt) ins = NULL;
  g_autoptr (AlStmt) sel = NULL;
  int rc;

  ins = al_store_prepare (store, "INSERT INTO media(path) VALUES (?) ON CONFLICT DO NOTHING", error);
  if (!ins)
    return -1;
  al_stmt_bind_text (ins, 1, path, -1, SQLITE_STATIC);
  rc = al_stmt_step (ins);
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Registering media", error), -1;

  sel = al_store_prepare (store, "SELECT id FROM media WHERE path = ?", error);
  if (!sel)
    return -1;
  al_stmt_bind_text (sel, 1, path, -1, SQLITE_STATIC);
  if (al_stmt_step (sel) != SQLITE_ROW)
    return al_store_set_error (store, SQLITE_ERROR, "Registering media", error), -1;
  return al_stmt_column_int64 (sel, 0);
}

/* A proposal in a task file goes to the proposals table, like a model's
 * run, and out of the task's data: the table is where the lease finds
 * it, and where a later run replaces it. A file that does not name the
 * model has "import" (al_task_new_from_json). */
static gboolean
store_proposal (AlStore      *store,
                AlStmt *ins,
                gint64        seq,
                const AlTask *task,
                gint64        now,
                GError      **error)
{
  g_autoptr (json_t) proposal = json_deep_copy (task->proposal);
  g_autofree char *text = NULL;
  int rc;

  /* Checked again now that the image's size is known. */
  if (!al_task_validate_proposal (task, proposal, error))
    return FALSE;
  text = json_dumps (proposal, JSON_COMPACT | JSON_REAL_PRECISION (6));
  al_stmt_reset (ins);
  al_stmt_bind_int64 (ins, 1, seq);
  al_stmt_bind_text (ins, 2, json_string_value (json_object_get (proposal, "model")), -1,
                     SQLITE_STATIC);
  al_stmt_bind_text (ins, 3, json_string_value (json_object_get (proposal, "version")), -1,
                     SQLITE_STATIC);
  al_stmt_bind_text (ins, 4, text, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (ins, 5, now);
  rc = al_stmt_step (ins);
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Storing a proposal", error);
  return TRUE;
}

static gboolean
import_locked (AlStore    *store,
               GPtrArray  *tasks,
               const char *dataset,
               const char *format,
               GError    **error)
{
  g_autoptr (AlStmt) ds = NULL;
  g_autoptr (AlStmt) ins = NULL;
  g_autoptr (AlStmt) prop = NULL;
  gint64 now = al_store_now_ms (store);
  gint64 dataset_id;
  int rc;

  ds = al_store_prepare (store,
                         "INSERT INTO datasets(name, format, imported_at) VALUES (?, ?, ?)", error);
  if (!ds)
    return FALSE;
  al_stmt_bind_text (ds, 1, dataset, -1, SQLITE_STATIC);
  al_stmt_bind_text (ds, 2, format, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (ds, 3, now);
  rc = al_stmt_step (ds);
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Recording the import", error);
  dataset_id = al_conn_last_insert_rowid (al_store_conn (store));

  ins = al_store_prepare (store,
                          "INSERT INTO tasks(id, dataset_id, kind, media_id, data, is_gold, "
                          "training, overlap, created_at, listening)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          error);
  if (!ins)
    return FALSE;
  prop = al_store_prepare (store,
                           "INSERT INTO proposals(task_seq, model, version, proposal, created_at)"
                           " VALUES (?, ?, ?, ?, ?)", error);
  if (!prop)
    return FALSE;

  for (guint i = 0; i < tasks->len; i++)
    {
      AlTask *task = g_ptr_array_index (tasks, i);
      g_autoptr (json_t) data = al_task_to_json (task);
      g_autofree char *text = NULL;
      gint64 media_id;

      media_id = media_id_for (store, task->media, error);
      if (media_id < 0)
        return FALSE;
      json_object_del (data, "proposal");
      text = json_dumps (data, JSON_COMPACT);

      al_stmt_reset (ins);
      al_stmt_bind_text (ins, 1, task->id, -1, SQLITE_STATIC);
      al_stmt_bind_int64 (ins, 2, dataset_id);
      al_stmt_bind_text (ins, 3, al_task_kind_to_string (task->kind), -1, SQLITE_STATIC);
      al_stmt_bind_int64 (ins, 4, media_id);
      al_stmt_bind_text (ins, 5, text, -1, SQLITE_STATIC);
      al_stmt_bind_int (ins, 6, task->gold != NULL);
      al_stmt_bind_int (ins, 7, task->training);
      al_stmt_bind_int (ins, 8, task->overlap > 0 ? task->overlap : 1);
      al_stmt_bind_int64 (ins, 9, now);
      al_stmt_bind_int (ins, 10, al_task_is_listening (task));
      rc = al_stmt_step (ins);
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_IMPORT,
                       "task %s is already in the database (task ids must be unique)", task->id);
          return FALSE;
        }
      if (rc != SQLITE_DONE)
        return al_store_set_error (store, rc, "Importing tasks", error);
      if (task->proposal &&
          !store_proposal (store, prop, al_conn_last_insert_rowid (al_store_conn (store)), task,
                           now, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
al_store_import_dataset (AlStore    *store,
                         GPtrArray  *tasks,
                         const char *dataset,
                         const char *format,
                         const char *media_root,
                         GError    **error)
{
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);

  al_store_lock (store);
  ok = al_store_begin (store, error) &&
       (media_root == NULL || al_store_add_media_root (store, media_root, error)) &&
       import_locked (store, tasks, dataset, format, error) &&
       al_store_commit (store, error);
  if (!ok)
    al_store_rollback (store);
  al_store_unlock (store);
  return ok;
}

gboolean
al_store_import_tasks (AlStore    *store,
                       GPtrArray  *tasks,
                       const char *dataset,
                       const char *format,
                       GError    **error)
{
  return al_store_import_dataset (store, tasks, dataset, format, NULL, error);
}

AlTask *
al_store_task_from_row (AlStore      *store,
                        AlStmt *stmt,
                        int           column,
                        GError      **error)
{
  json_error_t jerr;
  g_autoptr (json_t) data = json_loads ((const char *) al_stmt_column_text (stmt, column), 0,
                                        &jerr);
  if (data == NULL)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CORRUPT,
                   "A task in %s cannot be read: %s", store->path, jerr.text);
      return NULL;
    }
  return al_task_new_from_json (data, NULL, error);
}

AlTask *
al_store_get_task (AlStore    *store,
                   const char *task_id,
                   GError    **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  AlTask *task = NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT data FROM tasks WHERE id = ?", error);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, task_id, -1, SQLITE_STATIC);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        task = al_store_task_from_row (store, stmt, 0, error);
      else
        g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_NOT_FOUND, "No task %s", task_id);
    }
  al_store_unlock (store);
  return task;
}

char *
al_store_get_media_path (AlStore *store,
                         gint64   media_id)
{
  g_autoptr (AlStmt) stmt = NULL;
  char *path = NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT path FROM media WHERE id = ?", NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, media_id);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        path = g_strdup ((const char *) al_stmt_column_text (stmt, 0));
    }
  al_store_unlock (store);
  return path;
}

gint64
al_store_task_media_id (AlStore    *store,
                        const char *task_id)
{
  g_autoptr (AlStmt) stmt = NULL;
  gint64 id = -1;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT media_id FROM tasks WHERE id = ?", NULL);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, task_id, -1, SQLITE_STATIC);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        id = al_stmt_column_int64 (stmt, 0);
    }
  al_store_unlock (store);
  return id;
}

gboolean
al_store_user_held_media (AlStore *store,
                          gint64   user_id,
                          gint64   media_id)
{
  g_autoptr (AlStmt) stmt = NULL;
  gboolean held = FALSE;

  al_store_lock (store);
  stmt = al_store_prepare (store,
                           "SELECT 1 FROM leases l JOIN tasks t ON t.seq = l.task_seq"
                           " WHERE t.media_id = ? AND l.user_id = ? LIMIT 1", NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, media_id);
      al_stmt_bind_int64 (stmt, 2, user_id);
      held = al_stmt_step (stmt) == SQLITE_ROW;
    }
  al_store_unlock (store);
  return held;
}

static gboolean
set_gold_locked (AlStore             *store,
                 const char *const   *task_ids,
                 AlStoreTaskEditFunc  edit,
                 gpointer             user_data,
                 GError             **error)
{
  g_autoptr (AlStmt) sel = al_store_prepare (store, "SELECT data FROM tasks WHERE id = ?",
                                                   error);
  g_autoptr (AlStmt) upd = NULL;
  int rc;

  if (!sel)
    return FALSE;
  upd = al_store_prepare (store, "UPDATE tasks SET data = ?, is_gold = 1 WHERE id = ?", error);
  if (!upd)
    return FALSE;
  for (guint i = 0; task_ids[i]; i++)
    {
      g_autoptr (json_t) data = NULL;
      g_autofree char *text = NULL;

      al_stmt_reset (sel);
      al_stmt_bind_text (sel, 1, task_ids[i], -1, SQLITE_STATIC);
      if (al_stmt_step (sel) == SQLITE_ROW)
        data = json_loads ((const char *) al_stmt_column_text (sel, 0), 0, NULL);
      if (!edit (i, data, user_data, error))
        return FALSE;
      if (data == NULL)
        continue;
      text = json_dumps (data, JSON_COMPACT);
      al_stmt_reset (upd);
      al_stmt_bind_text (upd, 1, text, -1, SQLITE_STATIC);
      al_stmt_bind_text (upd, 2, task_ids[i], -1, SQLITE_STATIC);
      rc = al_stmt_step (upd);
      if (rc != SQLITE_DONE)
        return al_store_set_error (store, rc, "Setting gold transcripts", error);
    }
  return TRUE;
}

gboolean
al_store_set_gold (AlStore             *store,
                   const char *const   *task_ids,
                   AlStoreTaskEditFunc  edit,
                   gpointer             user_data,
                   GError             **error)
{
  gboolean ok;

  g_return_val_if_fail (store != NULL && task_ids != NULL && edit != NULL, FALSE);

  al_store_lock (store);
  ok = al_store_begin (store, error) && set_gold_locked (store, task_ids, edit, user_data, error) &&
       al_store_commit (store, error);
  if (!ok)
    al_store_rollback (store);
  al_store_unlock (store);
  return ok;
}
