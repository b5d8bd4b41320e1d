/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include "al-store-private.h"

/* The short list a participant chooses from; the words are the
 * workstation's and the dashboard's, these are the codes. */
static const char *const reasons[] = { "noisy", "language", "not_for_me", "other", NULL };

const char *const *
al_store_pass_reasons (void)
{
  return reasons;
}

static gint64
max_passes_for (AlStore *store)
{
  g_autofree char *meta = al_store_get_meta (store, "max_passes");
  gint64 n = meta ? g_ascii_strtoll (meta, NULL, 10) : AL_STORE_MAX_PASSES;
  return CLAMP (n, 0, 1000);
}

static gint64
passes_since (AlStore      *store,
              const AlUser *user,
              gint64        since_ms)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (
    store, "SELECT count(*) FROM passes WHERE user_id = ? AND at >= ?", NULL);

  if (stmt == NULL)
    return 0;
  al_stmt_bind_int64 (stmt, 1, user->id);
  al_stmt_bind_int64 (stmt, 2, since_ms);
  return al_stmt_step (stmt) == SQLITE_ROW ? al_stmt_column_int64 (stmt, 0) : 0;
}

/* Like a broken report, only for the lease held now; unlike one, the task
 * stays in the pool for everyone else. */
static gboolean
pass_locked (AlStore      *store,
             const AlUser *user,
             const char   *lease_id,
             const char   *reason,
             GError      **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  g_auto (AlStoreLeaseRow) row = { 0 };
  const char *state, *task_id;
  gint64 now = al_store_now_ms (store), max;
  int rc;

  if (!al_store_lock_person (store, user->id, error) ||
      !al_store_find_lease (store, user, lease_id, &row, error))
    return FALSE;
  state = row.state;
  task_id = row.task_id;
  if (g_strcmp0 (state, "done") == 0)
    return g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_ALREADY_SUBMITTED,
                        "Task %s was already submitted; only a task you hold can be passed on",
                        task_id), FALSE;
  if (g_strcmp0 (state, "active") != 0 || row.expires_at <= now)
    return g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_LEASE_GONE,
                        "The lease on task %s is no longer yours (%s); only a task you hold can "
                        "be passed on", task_id,
                        g_strcmp0 (state, "active") == 0 ? "expired" : state), FALSE;
  max = max_passes_for (store);
  if (max == 0)
    return g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_PASSES,
                        "Passing on tasks is switched off in this lab; task %s stays yours. "
                        "Please ask your coach.", task_id), FALSE;
  if (passes_since (store, user, now - 24 * 3600 * (gint64) 1000) >= max)
    return g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_PASSES,
                        "You passed on %" G_GINT64_FORMAT " tasks in the last 24 hours, as many "
                        "as allowed; task %s stays yours. Please ask your coach.", max,
                        task_id), FALSE;
  if (!al_store_release_lease (store, lease_id, "passed", error))
    return FALSE;
  stmt = al_store_prepare (store, "INSERT INTO passes(task_seq, user_id, lease_id, reason, at)"
                                  " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  al_stmt_bind_int64 (stmt, 1, row.task_seq);
  al_stmt_bind_int64 (stmt, 2, user->id);
  al_stmt_bind_text (stmt, 3, lease_id, -1, SQLITE_STATIC);
  al_stmt_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (stmt, 5, now);
  rc = al_stmt_step (stmt);
  return rc == SQLITE_DONE || al_store_set_error (store, rc, "Passing on a task", error);
}

typedef struct
{
  const AlUser *user;
  const char *lease_id;
  const char *reason;
} Pass;

static gboolean
pass_write (AlStore *store,
            gpointer data,
            GError **error)
{
  Pass *p = data;
  return pass_locked (store, p->user, p->lease_id, p->reason, error);
}

gboolean
al_store_pass (AlStore      *store,
               const AlUser *user,
               const char   *lease_id,
               const char   *reason,
               GError      **error)
{
  Pass p;

  g_return_val_if_fail (store != NULL && user != NULL && lease_id != NULL, FALSE);

  if (reason == NULL || !g_strv_contains (reasons, reason))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) reasons);
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID,
                   "\"reason\" is one of %s", list);
      return FALSE;
    }
  p.user = user;
  p.lease_id = lease_id;
  p.reason = reason;
  return al_store_write_concurrent (store, pass_write, &p, error);
}

json_t *
al_store_count_passes (AlStore      *store,
                       const AlUser *user,
                       gint64        since_ms)
{
  g_autoptr (AlStmt) stmt = NULL;
  json_t *by_reason = json_object ();
  json_int_t total = 0;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT reason, count(*) FROM passes WHERE user_id = ?"
                                  " AND at >= ? GROUP BY reason ORDER BY reason", NULL);
  if (stmt)
    {
      al_stmt_bind_int64 (stmt, 1, user->id);
      al_stmt_bind_int64 (stmt, 2, since_ms);
      while (al_stmt_step (stmt) == SQLITE_ROW)
        {
          json_int_t n = al_stmt_column_int64 (stmt, 1);
          json_object_set_new (by_reason, (const char *) al_stmt_column_text (stmt, 0),
                               json_integer (n));
          total += n;
        }
    }
  al_store_unlock (store);
  return json_pack ("{s:I,s:o}", "count", total, "reasons", by_reason);
}
