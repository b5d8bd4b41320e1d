/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include "al-store-coach.h"
#include "al-store-private.h"
#include "al-work-record.h"

GPtrArray *
al_store_list_participants (AlStore    *store,
                            const char *group)
{
  g_autoptr (AlStmt) stmt = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) al_user_free);

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT id FROM users WHERE role = 'participant' AND grp = ?"
                                  " ORDER BY name", NULL);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, group, -1, SQLITE_STATIC);
      while (al_stmt_step (stmt) == SQLITE_ROW)
        {
          AlUser *user = al_store_get_user (store, al_stmt_column_int64 (stmt, 0));
          if (user)
            g_ptr_array_add (out, user);
        }
    }
  al_store_unlock (store);
  return out;
}

AlUser *
al_store_get_user (AlStore *store,
                   gint64   user_id)
{
  g_autoptr (AlStmt) stmt = NULL;
  g_autofree char *name = NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT name FROM users WHERE id = ?", NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, user_id);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        name = g_strdup ((const char *) al_stmt_column_text (stmt, 0));
    }
  al_store_unlock (store);
  return name ? al_store_find_user (store, name) : NULL;
}

static gint64
day_start_ms (gint64 ms)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr (GDateTime) d = g_date_time_new_local (g_date_time_get_year (t),
                                                   g_date_time_get_month (t),
                                                   g_date_time_get_day_of_month (t), 0, 0, 0);
  return g_date_time_to_unix (d) * 1000;
}

static gint64
count2 (AlStore    *store,
        const char *sql,
        gint64      a,
        gint64      b)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (store, sql, NULL);
  if (!stmt)
    return 0;
  al_stmt_bind_int64 (stmt, 1, a);
  al_stmt_bind_int64 (stmt, 2, b);
  return al_stmt_step (stmt) == SQLITE_ROW ? al_stmt_column_int64 (stmt, 0) : 0;
}

json_t *
al_store_participant_today (AlStore      *store,
                            const AlUser *user)
{
  gint64 since = day_start_ms (al_store_now_ms (store));
  json_t *out;

  al_store_lock (store);
  out = json_pack ("{s:I,s:I,s:I,s:I}", "refusals_today",
                   (json_int_t) count2 (store, "SELECT count(*) FROM refusals WHERE user_id = ?1"
                                               " AND at >= ?2", user->id, since),
                   "tasks_today",
                   (json_int_t) count2 (store, "SELECT count(*) FROM results WHERE user_id = ?1"
                                               " AND submitted_at >= ?2", user->id, since),
                   "breaks_today",
                   (json_int_t) count2 (store, "SELECT count(*) FROM events WHERE user_id = ?1"
                                               " AND type = 'break_start' AND received_at >= ?2",
                                        user->id, since),
                   "pauses_today",
                   (json_int_t) count2 (store, "SELECT count(*) FROM events WHERE user_id = ?1"
                                               " AND type = 'pause_start' AND received_at >= ?2",
                                        user->id, since));
  al_store_unlock (store);
  json_object_set_new (out, "proposals_today", al_store_proposal_use (store, user->id, since));
  return out;
}

json_t *
al_store_quality_trend (AlStore      *store,
                        const AlUser *user,
                        guint         last_n)
{
  g_autoptr (AlStmt) stmt = NULL;
  json_t *values = json_array ();

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT json_extract(score, '$.score') FROM results"
                                  " WHERE user_id = ? AND score IS NOT NULL"
                                  " ORDER BY id DESC LIMIT ?", NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, user->id);
      al_stmt_bind_int (stmt, 2, last_n);
      while (al_stmt_step (stmt) == SQLITE_ROW)
        json_array_insert_new (values, 0, json_real (al_stmt_column_double (stmt, 0)));
    }
  al_store_unlock (store);
  return values;
}

typedef struct
{
  char *date;
  gint64 tasks;
  gint64 work_ms;
  double score_sum;
  int scored;
  int breaks;
  int pauses;
} Day;

static Day *
day_for (GHashTable *days,
         GPtrArray  *order,
         gint64      ms)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (ms / 1000);
  g_autofree char *date = g_date_time_format (t, "%Y-%m-%d");
  Day *d = g_hash_table_lookup (days, date);

  if (d == NULL)
    {
      d = g_new0 (Day, 1);
      d->date = g_steal_pointer (&date);
      g_hash_table_insert (days, d->date, d);
      g_ptr_array_add (order, d);
    }
  return d;
}

static void
day_free (Day *d)
{
  g_free (d->date);
  g_free (d);
}

static int
day_cmp (gconstpointer a,
         gconstpointer b)
{
  return g_strcmp0 ((*(Day **) a)->date, (*(Day **) b)->date);
}

/* Days from results and session events; blocks from block_start and
 * break_end events, each block's quality the mean score of its results. */
json_t *
al_store_history (AlStore      *store,
                  const AlUser *user,
                  GError      **error)
{
  g_autoptr (GHashTable) days = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func ((GDestroyNotify) day_free);
  g_autoptr (AlStmt) ev = NULL;
  g_autoptr (AlStmt) res = NULL;
  g_autoptr (GArray) block_starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  json_t *out_days = json_array ();
  json_t *out_blocks = json_array ();
  g_autoptr (GArray) spans = NULL;
  g_autoptr (AlStmt) refused = NULL;
  json_t *out_refusals = json_array ();

  al_store_lock (store);
  /* By the time the server received each event: a workstation's own clock
   * could date a block in 1999 or a break in 9999. */
  ev = al_store_prepare (store, "SELECT type, received_at FROM events WHERE user_id = ?"
                                " ORDER BY received_at, id", error);
  res = al_store_prepare (store, "SELECT submitted_at, json_extract(score, '$.score') FROM results"
                                 " WHERE user_id = ? ORDER BY submitted_at", error);
  if (!ev || !res)
    {
      al_store_unlock (store);
      json_decref (out_days);
      json_decref (out_blocks);
      json_decref (out_refusals);
      return NULL;
    }
  al_stmt_bind_int64 (ev, 1, user->id);
  while (al_stmt_step (ev) == SQLITE_ROW)
    {
      const char *type = (const char *) al_stmt_column_text (ev, 0);
      gint64 at = al_stmt_column_int64 (ev, 1);
      Day *d = day_for (days, order, at);

      d->breaks += g_str_equal (type, "break_start");
      d->pauses += g_str_equal (type, "pause_start");
      if (g_str_equal (type, "block_start") || g_str_equal (type, "break_end"))
        g_array_append_val (block_starts, at);
    }
  spans = al_work_spans (store, user, NULL, NULL, NULL);
  for (guint i = 0; i < spans->len; i++)
    {
      AlWorkSpan *span = &g_array_index (spans, AlWorkSpan, i);
      day_for (days, order, span->start)->work_ms += span->end - span->start;
    }
  /* What the server refused of this participant's work, newest first. */
  refused = al_store_prepare (store, "SELECT at, code, message FROM refusals WHERE user_id = ?"
                                     " ORDER BY id DESC LIMIT 50", NULL);
  if (refused)
    {
      al_stmt_bind_int64 (refused, 1, user->id);
      while (al_stmt_step (refused) == SQLITE_ROW)
        {
          g_autofree char *when = al_format_time_iso (al_stmt_column_int64 (refused, 0));
          json_array_append_new (out_refusals,
                                 json_pack ("{s:s,s:s,s:s}", "at", when, "code",
                                            (const char *) al_stmt_column_text (refused, 1),
                                            "message",
                                            (const char *) al_stmt_column_text (refused, 2)));
        }
    }

  {
    guint b = 0;
    double sum = 0;
    int n = 0;
    al_stmt_bind_int64 (res, 1, user->id);
    while (al_stmt_step (res) == SQLITE_ROW)
      {
        gint64 at = al_stmt_column_int64 (res, 0);
        Day *d = day_for (days, order, at);
        gboolean scored = al_stmt_column_type (res, 1) != SQLITE_NULL;
        double score = al_stmt_column_double (res, 1);

        d->tasks++;
        if (scored)
          {
            d->score_sum += score;
            d->scored++;
          }
        /* Close the blocks this result comes after. */
        while (b + 1 < block_starts->len && at >= g_array_index (block_starts, gint64, b + 1))
          {
            json_array_append_new (out_blocks, json_pack ("{s:I,s:o}", "start",
                                                          g_array_index (block_starts, gint64, b),
                                                          "quality",
                                                          n ? json_real (sum / n) : json_null ()));
            b++;
            sum = 0;
            n = 0;
          }
        if (scored)
          {
            sum += score;
            n++;
          }
      }
    if (block_starts->len > 0)
      json_array_append_new (out_blocks, json_pack ("{s:I,s:o}", "start",
                                                    g_array_index (block_starts, gint64, b),
                                                    "quality", n ? json_real (sum / n) : json_null ()));
  }
  al_store_unlock (store);

  g_ptr_array_sort (order, day_cmp);
  for (guint i = 0; i < order->len; i++)
    {
      Day *d = g_ptr_array_index (order, i);
      json_array_append_new (out_days,
                             json_pack ("{s:s,s:I,s:f,s:o,s:i,s:i}", "date", d->date, "tasks",
                                        (json_int_t) d->tasks, "hours", d->work_ms / 3600000.0,
                                        "quality", d->scored ? json_real (d->score_sum / d->scored)
                                                             : json_null (),
                                        "breaks", d->breaks, "pauses", d->pauses));
    }
  return json_pack ("{s:o,s:o,s:o}", "days", out_days, "blocks", out_blocks, "refusals",
                    out_refusals);
}

typedef struct
{
  const AlUser *user;
  const char *actor;
} Deletion;

static gboolean
delete_write (AlStore *store,
              gpointer data,
              GError **error)
{
  const AlUser *user = ((Deletion *) data)->user;
  const char *actor = ((Deletion *) data)->actor;
  static const char *const deletes[] = {
    /* done is recounted from the results that stay, so the tasks are
     * offered again however the count came about. */
    ("UPDATE tasks SET done = (SELECT count(*) FROM results r WHERE r.task_seq = tasks.seq"
     " AND r.user_id != ?1) WHERE seq IN (SELECT task_seq FROM results WHERE user_id = ?1)"),
    "UPDATE broken_reports SET user_id = NULL WHERE user_id = ?",
    "DELETE FROM refusals WHERE user_id = ?",
    "DELETE FROM passes WHERE user_id = ?",
    "DELETE FROM results WHERE user_id = ?",
    "DELETE FROM leases WHERE user_id = ?",
    "DELETE FROM events WHERE user_id = ?",
    "DELETE FROM users WHERE id = ?",
  };
  g_autoptr (AlStmt) log = NULL;
  gboolean ok;
  int rc;

  ok = TRUE;
  for (gsize i = 0; ok && i < G_N_ELEMENTS (deletes); i++)
    {
      g_autoptr (AlStmt) stmt = al_store_prepare (store, deletes[i], error);
      ok = stmt != NULL;
      if (ok)
        {
          al_stmt_bind_int64 (stmt, 1, user->id);
          rc = al_stmt_step (stmt);
          ok = rc == SQLITE_DONE || al_store_set_error (store, rc, "Deleting data", error);
        }
    }
  /* The deletion itself is kept, without the data it removed. */
  if (ok && (log = al_store_prepare (store, "INSERT INTO audit_log(at, actor, action, subject)"
                                            " VALUES (?, ?, 'delete-participant-data', ?)",
                                     error)))
    {
      al_stmt_bind_int64 (log, 1, al_store_now_ms (store));
      al_stmt_bind_text (log, 2, actor, -1, SQLITE_STATIC);
      al_stmt_bind_text (log, 3, user->name, -1, SQLITE_STATIC);
      rc = al_stmt_step (log);
      ok = rc == SQLITE_DONE || al_store_set_error (store, rc, "Logging the deletion", error);
    }
  else
    ok = FALSE;
  return ok;
}

gboolean
al_store_delete_user_data (AlStore      *store,
                           const AlUser *user,
                           const char   *actor,
                           GError      **error)
{
  Deletion d = { user, actor };
  return al_store_write (store, delete_write, &d, error);
}

json_t *
al_store_list_broken (AlStore    *store,
                      const char *group,
                      GError    **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  json_t *list = json_array ();
  int rc;

  al_store_lock (store);
  stmt = al_store_prepare (store,
                           "SELECT t.id, t.kind, t.broken, b.at, u.name, u.grp FROM tasks t"
                           " LEFT JOIN broken_reports b ON b.id = (SELECT max(id) FROM"
                           "  broken_reports WHERE task_seq = t.seq AND restored_at IS NULL)"
                           " LEFT JOIN users u ON u.id = b.user_id"
                           " WHERE t.broken IS NOT NULL ORDER BY t.seq", error);
  while (stmt && (rc = al_stmt_step (stmt)) == SQLITE_ROW)
    {
      const char *grp = (const char *) al_stmt_column_text (stmt, 5);
      gboolean own = grp && g_str_equal (grp, group);
      json_t *item = json_pack ("{s:s,s:s,s:s}", "task_id",
                                (const char *) al_stmt_column_text (stmt, 0), "kind",
                                (const char *) al_stmt_column_text (stmt, 1), "reason",
                                (const char *) al_stmt_column_text (stmt, 2));
      if (al_stmt_column_type (stmt, 3) != SQLITE_NULL)
        {
          g_autofree char *when = al_format_time_iso (al_stmt_column_int64 (stmt, 3));
          json_object_set_new (item, "reported_at", json_string (when));
        }
      else
        json_object_set_new (item, "reported_at", json_null ());
      json_object_set_new (item, "reported_by",
                           own ? json_string ((const char *) al_stmt_column_text (stmt, 4))
                               : json_null ());
      json_array_append_new (list, item);
    }
  if (stmt && rc != SQLITE_DONE)
    al_store_set_error (store, rc, "Listing broken tasks", error);
  al_store_unlock (store);
  if (stmt == NULL || rc != SQLITE_DONE)
    return json_decref (list), NULL;
  return json_pack ("{s:o}", "tasks", list);
}

static gboolean
restore_locked (AlStore    *store,
                const char *task_id,
                const char *actor,
                GError    **error)
{
  static const char *const steps[] = {
    ("UPDATE broken_reports SET restored_at = ?2, restored_by = ?3 WHERE restored_at IS NULL"
     " AND task_seq = (SELECT seq FROM tasks WHERE id = ?1)"),
    "UPDATE tasks SET broken = NULL WHERE id = ?1",
    "INSERT INTO audit_log(at, actor, action, subject) VALUES (?2, ?3, 'restore-task', ?1)",
  };
  g_autoptr (AlStmt) find = al_store_prepare (store, "SELECT broken IS NOT NULL FROM tasks"
                                                           " WHERE id = ?", error);
  int rc;

  if (!find)
    return FALSE;
  al_stmt_bind_text (find, 1, task_id, -1, SQLITE_STATIC);
  rc = al_stmt_step (find);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_NOT_FOUND, "There is no task %s",
                   task_id);
      return FALSE;
    }
  if (!al_stmt_column_int (find, 0))
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CONFLICT,
                   "Task %s is not set aside as broken", task_id);
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr (AlStmt) stmt = al_store_prepare (store, steps[i], error);
      if (!stmt)
        return FALSE;
      al_stmt_bind_text (stmt, 1, task_id, -1, SQLITE_STATIC);
      al_stmt_bind_int64 (stmt, 2, al_store_now_ms (store));
      al_stmt_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
      if ((rc = al_stmt_step (stmt)) != SQLITE_DONE)
        return al_store_set_error (store, rc, "Putting a task back", error);
    }
  return TRUE;
}

typedef struct
{
  const char *task_id;
  const char *actor;
} Restore;

static gboolean
restore_write (AlStore *store,
               gpointer data,
               GError **error)
{
  Restore *r = data;
  return restore_locked (store, r->task_id, r->actor, error);
}

gboolean
al_store_restore_task (AlStore    *store,
                       const char *task_id,
                       const char *actor,
                       GError    **error)
{
  Restore r = { task_id, actor };
  return al_store_write (store, restore_write, &r, error);
}
