/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "al-box-fit.h"
#include "al-store-private.h"

static double
gold_share_for (AlStore      *store,
                const AlUser *user)
{
  json_t *v = json_object_get (user->settings, "gold_share");
  g_autofree char *meta = NULL;

  if (json_is_number (v))
    return CLAMP (json_number_value (v), 0.0, 1.0);
  meta = al_store_get_meta (store, "gold_share");
  return meta ? CLAMP (g_ascii_strtod (meta, NULL), 0.0, 1.0) : 0.1;
}

static gint64
lease_ms_for (AlStore *store)
{
  g_autofree char *meta = al_store_get_meta (store, "lease_seconds");
  gint64 seconds = meta ? g_ascii_strtoll (meta, NULL, 10) : 600;
  return CLAMP (seconds, 1, 24 * 3600) * 1000;
}

/* A workstation holds the task on screen, one prefetched and at most one
 * whose result is still on its way; more is hoarding. */
static gint64
max_leases_for (AlStore *store)
{
  g_autofree char *meta = al_store_get_meta (store, "max_leases");
  gint64 n = meta ? g_ascii_strtoll (meta, NULL, 10) : 3;
  return CLAMP (n, 1, 16);
}

/* ",bbox,transcribe," or NULL for every kind the participant asked for. */
static char *
kinds_filter (const AlUser *user)
{
  json_t *kinds = json_object_get (user->settings, "kinds");
  g_autoptr (GString) s = NULL;
  size_t i;
  json_t *k;

  if (!json_is_array (kinds) || json_array_size (kinds) == 0)
    return NULL;
  s = g_string_new (",");
  json_array_foreach (kinds, i, k)
    if (json_is_string (k))
      g_string_append_printf (s, "%s,", json_string_value (k));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* In voice mode only the tasks that are listened to (the tasks'
 * listening column), unless the coach allowed image tasks: a blind
 * worker must not get "draw a box around each coin". */
static gboolean
by_ear (const AlUser *user,
        AlLeaseMode   mode)
{
  gboolean voice = mode == AL_LEASE_VOICE ||
                   (mode == AL_LEASE_AS_SETTINGS &&
                    json_is_true (json_object_get (user->settings, "voice")));
  return voice && !json_is_true (json_object_get (user->settings, "voice_images"));
}

/* Midnight here, for "today"; kept until the next midnight, or a minute
 * (in case the machine's time zone changes): asking GLib for the local
 * time zone reads /etc/localtime each time, on every lease. */
static gint64
start_of_today_ms (gint64 now_ms)
{
  static GMutex lock;
  static gint64 from_ms = 0, until_ms = 0, checked_ms = 0;
  gint64 start;

  g_mutex_lock (&lock);
  if (now_ms < from_ms || now_ms >= until_ms || now_ms >= checked_ms + 60 * 1000)
    {
      g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
      g_autoptr (GDateTime) day = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         0, 0, 0);
      g_autoptr (GDateTime) next = g_date_time_add_days (day, 1);

      from_ms = g_date_time_to_unix (day) * 1000;
      until_ms = g_date_time_to_unix (next) * 1000;
      checked_ms = now_ms;
    }
  start = from_ms;
  g_mutex_unlock (&lock);
  return start;
}

static gint64
count_where (AlStore    *store,
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

/* Training tasks come first, gold tasks are mixed in at the share, and
 * ordinary tasks go to as many different people as their overlap asks.
 * Gold and training tasks are for everyone, so overlap does not apply.
 * @lock: " FOR …" to lock the task chosen; @only: that task alone (> 0),
 * or only tasks after it (< 0). */
static gint64
pick_task_where (AlStore      *store,
                 const AlUser *user,
                 const char   *kinds,
                 gboolean      listening,
                 int           category,
                 gint64        now,
                 const char   *lock,
                 gint64        only,
                 GError      **error)
{
  static const char *const where[] = {
    "t.training = 1",
    "t.training = 0 AND t.is_gold = 1",
    /* Their own lease counts among the holders too; the task is not
     * theirs to take again either way. */
    "t.training = 0 AND t.is_gold = 0 AND t.overlap > t.done + t.holders",
  };
  g_autofree char *sql = g_strdup_printf (
    "SELECT t.seq FROM tasks t WHERE t.broken IS NULL AND %s%s%s"
    " AND (CAST(?2 AS TEXT) IS NULL OR instr(?2, ',' || t.kind || ',') > 0)"
    " AND NOT EXISTS (SELECT 1 FROM results r WHERE r.task_seq = t.seq AND r.user_id = ?1)"
    " AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_seq = t.seq AND l.user_id = ?1"
    "  AND l.state = 'active' AND l.expires_at > ?3)"
    " AND NOT EXISTS (SELECT 1 FROM passes p WHERE p.user_id = ?1 AND p.task_seq = t.seq"
    "  AND p.at >= ?4)"
    " ORDER BY t.seq LIMIT 1%s", where[category],
    /* Written out, not bound, so that the listening index applies. */
    listening ? " AND t.listening = 1" : "",
    only > 0 ? " AND t.seq = ?5" : only < 0 ? " AND t.seq > ?5" : "", lock ? lock : "");
  g_autoptr (AlStmt) stmt = al_store_prepare (store, sql, error);
  int rc;

  if (!stmt)
    return -2;
  if (only != 0)
    al_stmt_bind_int64 (stmt, 5, ABS (only));
  al_stmt_bind_int64 (stmt, 1, user->id);
  if (kinds)
    al_stmt_bind_text (stmt, 2, kinds, -1, SQLITE_STATIC);
  else
    al_stmt_bind_null (stmt, 2);
  al_stmt_bind_int64 (stmt, 3, now);
  al_stmt_bind_int64 (stmt, 4, start_of_today_ms (now));
  rc = al_stmt_step (stmt);
  if (rc == SQLITE_ROW)
    return al_stmt_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Choosing a task", error), -2;
  return -1;
}

/* Beside other servers (a shared transaction on PostgreSQL), the
 * ordinary task chosen is locked, and a task another transaction has
 * locked is passed over: two servers lease different tasks at once. The
 * lock waits for whoever leased the task before, so the task is checked
 * again in a new statement, which sees their lease. */
static gint64
pick_task (AlStore      *store,
           const AlUser *user,
           const char   *kinds,
           gboolean      listening,
           int           category,
           gint64        now,
           GError      **error)
{
  AlStoreTxMode mode = al_store_tx_mode (store);
  gint64 after = 0, seq, free;

  if (mode == AL_STORE_TX_ALONE || category != 2)
    return pick_task_where (store, user, kinds, listening, category, now, NULL, 0, error);
  /* Each round either leases, or moves past a task that is full, or
   * (waiting) finds the task it waited for taken: a few are enough. */
  for (int round = 0; round < 16; round++)
    {
      seq = pick_task_where (store, user, kinds, listening, category, now,
                             " FOR NO KEY UPDATE OF t SKIP LOCKED", -after, error);
      if (seq == -1)
        {
          /* Nothing free: is there a task that others hold locked now? */
          free = pick_task_where (store, user, kinds, listening, category, now, NULL, -after,
                                  error);
          if (free < 0)
            return free;
          if (mode == AL_STORE_TX_SHARED)
            return al_store_busy (store, "Choosing a task", error), -2;
          seq = pick_task_where (store, user, kinds, listening, category, now,
                                 " FOR NO KEY UPDATE OF t", -after, error);
          if (seq == -1)
            continue;
        }
      if (seq == -2)
        return -2;
      free = pick_task_where (store, user, kinds, listening, category, now, NULL, seq, error);
      if (free != -1)
        return free;
      after = seq;
    }
  return al_store_busy (store, "Choosing a task", error), -2;
}

gboolean
al_store_recount (AlStore *store,
                  GError **error)
{
  return al_store_exec (store, "UPDATE tasks SET holders = (SELECT count(*) FROM leases l"
                               " WHERE l.task_seq = tasks.seq AND l.counted = 1"
                               " AND l.state = 'active');"
                               "UPDATE users SET answers = (SELECT count(*) FROM results r"
                               " WHERE r.user_id = users.id), gold_answers = (SELECT count(*)"
                               " FROM results r JOIN tasks t ON t.seq = r.task_seq"
                               " WHERE r.user_id = users.id AND t.is_gold = 1"
                               " AND t.training = 0)", error);
}

/* Leases that ran out stop counting among their tasks' holders (the
 * triggers lower the count), so the tasks are free again. Beside other
 * servers, a lease another one is counting out now is left to it. */
static gboolean
count_expired (AlStore *store,
               gint64   now,
               GError **error)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (
    store, store->postgres
      ? "UPDATE leases SET counted = 0 WHERE id IN (SELECT id FROM leases"
        " WHERE counted = 1 AND state = 'active' AND expires_at <= ?1 FOR UPDATE SKIP LOCKED)"
      : "UPDATE leases SET counted = 0 WHERE counted = 1 AND state = 'active'"
        " AND expires_at <= ?1", error);
  int rc;

  if (!stmt)
    return FALSE;
  al_stmt_bind_int64 (stmt, 1, now);
  rc = al_stmt_step (stmt);
  return rc == SQLITE_DONE || al_store_set_error (store, rc, "Counting expired leases", error);
}

/* Whether a gold task is due at the person's share: their answers and
 * gold answers are kept on their row (counting their results here took
 * longer with every result). */
static gboolean
gold_due_for (AlStore      *store,
              const AlUser *user,
              gboolean     *due,
              GError      **error)
{
  double share = gold_share_for (store, user);
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  *due = FALSE;
  if (share <= 0)
    return TRUE;
  stmt = al_store_prepare (store, "SELECT answers, gold_answers FROM users WHERE id = ?", error);
  if (!stmt)
    return FALSE;
  al_stmt_bind_int64 (stmt, 1, user->id);
  rc = al_stmt_step (stmt);
  if (rc == SQLITE_ROW)
    *due = (double) (al_stmt_column_int64 (stmt, 1) + 1)
           <= share * (double) (al_stmt_column_int64 (stmt, 0) + 1) + 1e-9;
  else if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Reading the gold share", error);
  return TRUE;
}

static AlTask *
lease_locked (AlStore           *store,
              const AlUser      *user,
              const char *const *exclude,
              AlLeaseMode        mode,
              GError           **error)
{
  gint64 now = al_store_now_ms (store);
  gint64 expires = now + lease_ms_for (store);
  g_autofree char *kinds = kinds_filter (user);
  gboolean listening = by_ear (user, mode);
  g_autoptr (GPtrArray) released = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *lease_id = NULL;
  g_autoptr (AlStmt) stmt = NULL;
  gint64 seq = -1;
  AlTask *task;
  int rc;

  /* Their leases, results and passes are theirs alone while this runs:
   * the same person through another server waits. */
  if (!al_store_lock_person (store, user->id, error))
    return NULL;
  /* A participant who comes back (after a restart or a break) gets the
   * task they were working on, so the draft finds its task again. */
  stmt = al_store_prepare (store,
                           "SELECT l.id, l.task_seq, t.kind, t.listening"
                           " FROM leases l JOIN tasks t"
                           " ON t.seq = l.task_seq"
                           " WHERE l.user_id = ? AND l.state = 'active' AND l.expires_at > ?"
                           " AND t.broken IS NULL ORDER BY l.created_at, l.rowid", error);
  if (!stmt)
    return NULL;
  al_stmt_bind_int64 (stmt, 1, user->id);
  al_stmt_bind_int64 (stmt, 2, now);
  while (lease_id == NULL && al_stmt_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) al_stmt_column_text (stmt, 0);
      g_autofree char *kind = g_strdup_printf (",%s,", al_stmt_column_text (stmt, 2));
      if (exclude && g_strv_contains (exclude, id))
        continue;
      /* Held from before voice mode came on (or the kinds changed): it
       * goes back to the pool instead of to this participant. */
      if ((kinds && strstr (kinds, kind) == NULL) || (listening && !al_stmt_column_int (stmt, 3)))
        {
          g_ptr_array_add (released, g_strdup (id));
          continue;
        }
      lease_id = g_strdup (id);
      seq = al_stmt_column_int64 (stmt, 1);
    }
  g_clear_pointer (&stmt, al_stmt_finalize);
  for (guint i = 0; i < released->len; i++)
    if (!al_store_release_lease (store, g_ptr_array_index (released, i), "released", error))
      return NULL;

  if (lease_id == NULL)
    {
      gint64 held = count_where (store, "SELECT count(*) FROM leases l JOIN tasks t"
                                        " ON t.seq = l.task_seq WHERE l.user_id = ?1"
                                        " AND l.state = 'active' AND l.expires_at > ?2"
                                        " AND t.broken IS NULL", user->id, now);
      gint64 max = max_leases_for (store);
      if (held >= max)
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_LEASES,
                       "You already hold %" G_GINT64_FORMAT " tasks (at most %" G_GINT64_FORMAT
                       "); finish one before taking another", held, max);
          return NULL;
        }
    }
  if (lease_id == NULL)
    {
      gboolean gold_due = FALSE;
      int order[3];

      if (!count_expired (store, now, error) || !gold_due_for (store, user, &gold_due, error))
        return NULL;
      order[0] = 0;
      order[1] = gold_due ? 1 : 2;
      order[2] = gold_due ? 2 : 1;
      for (int i = 0; i < 3 && seq == -1; i++)
        {
          seq = pick_task (store, user, kinds, listening, order[i], now, error);
          if (seq == -2)
            return NULL;
        }
      if (seq == -1)
        return NULL;

      lease_id = g_uuid_string_random ();
      stmt = al_store_prepare (store, "INSERT INTO leases(id, task_seq, user_id, created_at,"
                                      " expires_at) VALUES (?, ?, ?, ?, ?)", error);
      if (!stmt)
        return NULL;
      al_stmt_bind_text (stmt, 1, lease_id, -1, SQLITE_STATIC);
      al_stmt_bind_int64 (stmt, 2, seq);
      al_stmt_bind_int64 (stmt, 3, user->id);
      al_stmt_bind_int64 (stmt, 4, now);
      al_stmt_bind_int64 (stmt, 5, expires);
    }
  else
    {
      stmt = al_store_prepare (store, "UPDATE leases SET expires_at = ?2, counted = 1 WHERE id = ?1",
                               error);
      if (!stmt)
        return NULL;
      al_stmt_bind_text (stmt, 1, lease_id, -1, SQLITE_STATIC);
      al_stmt_bind_int64 (stmt, 2, expires);
    }
  rc = al_stmt_step (stmt);
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Leasing a task", error), NULL;
  g_clear_pointer (&stmt, al_stmt_finalize);

  stmt = al_store_prepare (store, "SELECT data FROM tasks WHERE seq = ?", error);
  if (!stmt)
    return NULL;
  al_stmt_bind_int64 (stmt, 1, seq);
  if (al_stmt_step (stmt) != SQLITE_ROW)
    return al_store_set_error (store, SQLITE_CORRUPT, "Reading a task", error), NULL;
  {
    g_autoptr (GError) unreadable = NULL;

    task = al_store_task_from_row (store, stmt, 0, &unreadable);
    if (task == NULL)
      {
        /* One task that cannot be read must not stop the whole queue: it
         * is set aside as broken, with the reason, and the next one goes. */
        g_clear_pointer (&stmt, al_stmt_finalize);
        if (!al_store_lock_task (store, seq, error))
          return NULL;
        stmt = al_store_prepare (store, "UPDATE tasks SET broken = ? WHERE seq = ?", error);
        if (!stmt)
          return NULL;
        al_stmt_bind_text (stmt, 1, unreadable->message, -1, SQLITE_TRANSIENT);
        al_stmt_bind_int64 (stmt, 2, seq);
        if ((rc = al_stmt_step (stmt)) != SQLITE_DONE)
          return al_store_set_error (store, rc, "Setting an unreadable task aside", error), NULL;
        g_clear_pointer (&stmt, al_stmt_finalize);
        stmt = al_store_prepare (store, "UPDATE leases SET state = 'broken' WHERE id = ?", error);
        if (!stmt)
          return NULL;
        al_stmt_bind_text (stmt, 1, lease_id, -1, SQLITE_STATIC);
        if ((rc = al_stmt_step (stmt)) != SQLITE_DONE)
          return al_store_set_error (store, rc, "Setting an unreadable task aside", error), NULL;
        g_warning ("Task %" G_GINT64_FORMAT " is set aside as broken: %s", seq,
                   unreadable->message);
        return lease_locked (store, user, exclude, mode, error);
      }
  }
  if (!al_store_attach_proposal (store, seq, task, error))
    {
      al_task_unref (task);
      return NULL;
    }
  task->lease_id = g_steal_pointer (&lease_id);
  task->lease_expires_ms = expires;
  task->number_today = 1 + (int) count_where (store, "SELECT count(*) FROM results "
                                                     "WHERE user_id = ?1 AND submitted_at >= ?2",
                                              user->id, start_of_today_ms (now));
  return task;
}

AlTask *
al_store_lease (AlStore      *store,
                const AlUser *user,
                GError      **error)
{
  return al_store_lease_excluding (store, user, NULL, error);
}

typedef struct
{
  const AlUser *user;
  const char *const *exclude;
  AlLeaseMode mode;
  AlTask *task;
} Lease;

static gboolean
lease_write (AlStore *store,
             gpointer data,
             GError **error)
{
  Lease *l = data;
  GError *local = NULL;

  l->task = lease_locked (store, l->user, l->exclude, l->mode, &local);
  if (local == NULL)
    return TRUE;
  g_clear_pointer (&l->task, al_task_unref);
  g_propagate_error (error, local);
  return FALSE;
}

AlTask *
al_store_lease_excluding (AlStore           *store,
                          const AlUser      *user,
                          const char *const *exclude,
                          GError           **error)
{
  return al_store_lease_mode (store, user, exclude, AL_LEASE_AS_SETTINGS, error);
}

AlTask *
al_store_lease_mode (AlStore           *store,
                     const AlUser      *user,
                     const char *const *exclude,
                     AlLeaseMode        mode,
                     GError           **error)
{
  Lease l = { user, exclude, mode, NULL };

  g_return_val_if_fail (store != NULL && user != NULL, NULL);

  if (!al_store_write_concurrent (store, lease_write, &l, error))
    g_clear_pointer (&l.task, al_task_unref);
  return l.task;
}

gboolean
al_store_release_lease (AlStore    *store,
                        const char *lease_id,
                        const char *state,
                        GError    **error)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (
    store, "UPDATE leases SET state = ?2 WHERE id = ?1 AND state = 'active'", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  al_stmt_bind_text (stmt, 1, lease_id, -1, SQLITE_STATIC);
  al_stmt_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  rc = al_stmt_step (stmt);
  return rc == SQLITE_DONE || al_store_set_error (store, rc, "Releasing a lease", error);
}

void
al_store_lease_row_clear (AlStoreLeaseRow *row)
{
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->task_id, g_free);
}

gboolean
al_store_find_lease (AlStore         *store,
                     const AlUser    *user,
                     const char      *lease_id,
                     AlStoreLeaseRow *row,
                     GError         **error)
{
  g_autoptr (AlStmt) stmt = NULL;

  stmt = al_store_prepare (store, "SELECT l.task_seq, l.user_id, l.expires_at, l.state, t.id"
                                  " FROM leases l JOIN tasks t ON t.seq = l.task_seq"
                                  " WHERE l.id = ?", error);
  if (!stmt)
    return FALSE;
  al_stmt_bind_text (stmt, 1, lease_id, -1, SQLITE_STATIC);
  if (al_stmt_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_NOT_FOUND, "There is no lease %s",
                   lease_id);
      return FALSE;
    }
  row->task_seq = al_stmt_column_int64 (stmt, 0);
  row->user_id = al_stmt_column_int64 (stmt, 1);
  row->expires_at = al_stmt_column_int64 (stmt, 2);
  row->state = g_strdup ((const char *) al_stmt_column_text (stmt, 3));
  row->task_id = g_strdup ((const char *) al_stmt_column_text (stmt, 4));
  if (row->user_id != user->id)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FORBIDDEN,
                   "Lease %s belongs to someone else", lease_id);
      al_store_lease_row_clear (row);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const AlUser *user;
  const char *lease_id;
  gint64 expires_ms;
} Heartbeat;

static gboolean
heartbeat_write (AlStore *store,
                 gpointer data,
                 GError **error)
{
  Heartbeat *h = data;
  const AlUser *user = h->user;
  const char *lease_id = h->lease_id;
  gint64 *expires_ms = &h->expires_ms;
  AlStoreLeaseRow row = { 0 };
  g_autoptr (AlStmt) stmt = NULL;
  gboolean ok = FALSE;
  gint64 now, expires;

  al_store_lock (store);
  now = al_store_now_ms (store);
  expires = now + lease_ms_for (store);
  if (al_store_lock_person (store, user->id, error) &&
      al_store_find_lease (store, user, lease_id, &row, error))
    {
      if (g_strcmp0 (row.state, "active") != 0)
        g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CONFLICT,
                     "Lease %s is %s and cannot be renewed", lease_id, row.state);
      else if ((stmt = al_store_prepare (store, "UPDATE leases SET expires_at = ?, counted = 1"
                                                        " WHERE id = ?",
                                         error)))
        {
          al_stmt_bind_int64 (stmt, 1, expires);
          al_stmt_bind_text (stmt, 2, lease_id, -1, SQLITE_STATIC);
          ok = al_stmt_step (stmt) == SQLITE_DONE;
          if (!ok)
            al_store_set_error (store, SQLITE_ERROR, "Renewing a lease", error);
          else if (expires_ms)
            *expires_ms = expires;
        }
    }
  al_store_lease_row_clear (&row);
  al_store_unlock (store);
  return ok;
}

gboolean
al_store_heartbeat (AlStore      *store,
                    const AlUser *user,
                    const char   *lease_id,
                    gint64       *expires_ms,
                    GError      **error)
{
  Heartbeat h = { user, lease_id, 0 };

  if (!al_store_write_concurrent (store, heartbeat_write, &h, error))
    return FALSE;
  if (expires_ms)
    *expires_ms = h.expires_ms;
  return TRUE;
}

typedef struct
{
  char *lease_id;
  json_t *result;
  json_t *response;
} Prior;

static void
prior_clear (Prior *p)
{
  g_clear_pointer (&p->lease_id, g_free);
  g_clear_pointer (&p->result, json_decref);
  g_clear_pointer (&p->response, json_decref);
}

/* The result stored before under this idempotency key, if any. */
static gboolean
find_prior (AlStore      *store,
            const AlUser *user,
            const char   *key,
            Prior        *prior)
{
  g_autoptr (AlStmt) stmt = NULL;

  stmt = al_store_prepare (store, "SELECT lease_id, result, response FROM results "
                                  "WHERE user_id = ? AND idempotency_key = ?", NULL);
  if (!stmt)
    return FALSE;
  al_stmt_bind_int64 (stmt, 1, user->id);
  al_stmt_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  if (al_stmt_step (stmt) != SQLITE_ROW)
    return FALSE;
  prior->lease_id = g_strdup ((const char *) al_stmt_column_text (stmt, 0));
  prior->result = json_loads ((const char *) al_stmt_column_text (stmt, 1), 0, NULL);
  prior->response = json_loads ((const char *) al_stmt_column_text (stmt, 2), 0, NULL);
  return TRUE;
}

/* The answer as it will be stored: checked against the task, boxes
 * clipped to the image. */
static json_t *
fit_result (AlStore      *store,
            const AlTask *task,
            json_t       *result,
            GError      **error)
{
  g_autoptr (json_t) fitted = json_deep_copy (result);
  g_autofree char *problem = NULL;
  int width = task->width, height = task->height;

  if (!al_task_validate_result (task, fitted, error))
    {
      (*error)->domain = AL_STORE_ERROR;
      (*error)->code = AL_STORE_ERROR_INVALID;
      return NULL;
    }
  if (task->kind != AL_TASK_KIND_BBOX)
    return g_steal_pointer (&fitted);
  if ((width <= 0 || height <= 0) && store->image_size && task->media &&
      !store->image_size (task->media, &width, &height))
    width = height = 0;
  if (!al_boxes_fit (fitted, width, height, &problem))
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID, "The answer's %s", problem);
      return NULL;
    }
  return g_steal_pointer (&fitted);
}

static gint64
count_str (AlStore    *store,
           const char *sql,
           gint64      a,
           gint64      b,
           const char *text)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (store, sql, NULL);
  if (!stmt)
    return 0;
  al_stmt_bind_int64 (stmt, 1, a);
  al_stmt_bind_int64 (stmt, 2, b);
  al_stmt_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  return al_stmt_step (stmt) == SQLITE_ROW ? al_stmt_column_int64 (stmt, 0) : 0;
}

static json_t *
submit_locked (AlStore      *store,
               const AlUser *user,
               const char   *lease_id,
               const char   *key,
               json_t       *result,
               gint64        lead_time_ms,
               GError      **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  g_autoptr (AlTask) task = NULL;
  g_autoptr (json_t) response = NULL;
  g_autoptr (json_t) fitted = NULL;
  g_autofree char *result_text = NULL;
  g_autofree char *response_text = NULL;
  g_autofree char *score_text = NULL;
  AlStoreLeaseRow row = { 0 };
  Prior prior = { 0 };
  gint64 now = al_store_now_ms (store);
  gboolean late, counted = FALSE;
  gint64 result_id, overlap = 1, done = 0;
  int rc;

  /* The key, the lease and the person's results are theirs alone while
   * this runs: the same submit through another server waits, then finds
   * this one's result. */
  if (!al_store_lock_person (store, user->id, error))
    goto out;
  if (find_prior (store, user, key, &prior) && g_strcmp0 (prior.lease_id, lease_id) != 0)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_KEY_REUSED,
                   "The idempotency key %s was already used for a result on another lease; "
                   "nothing was stored", key);
      goto out;
    }
  if (!al_store_find_lease (store, user, lease_id, &row, error))
    goto out;
  /* Its count of results and its leases (a late result) stay as read. */
  if (!al_store_lock_task (store, row.task_seq, error))
    goto out;

  stmt = al_store_prepare (store, "SELECT data, is_gold = 0 AND training = 0, overlap, done"
                                  " FROM tasks WHERE seq = ?", error);
  if (!stmt)
    goto out;
  al_stmt_bind_int64 (stmt, 1, row.task_seq);
  if (al_stmt_step (stmt) != SQLITE_ROW || !(task = al_store_task_from_row (store, stmt, 0, error)))
    goto out;
  counted = al_stmt_column_int (stmt, 1);
  overlap = al_stmt_column_int64 (stmt, 2);
  done = al_stmt_column_int64 (stmt, 3);
  g_clear_pointer (&stmt, al_stmt_finalize);
  if ((fitted = fit_result (store, task, result, error)) == NULL)
    goto out;

  if (prior.lease_id)
    {
      /* The same request again (a retry after a lost answer) gets the same
       * answer; anything else under the key would be lost, so it is refused. */
      if (prior.response && json_equal (prior.result, fitted))
        response = json_incref (prior.response);
      else
        g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_KEY_REUSED,
                     "The idempotency key %s was already used for a different result on this "
                     "lease; nothing was stored", key);
      goto out;
    }
  if (g_strcmp0 (row.state, "done") == 0 ||
      count_where (store, "SELECT count(*) FROM results WHERE task_seq = ?1 AND user_id = ?2",
                   row.task_seq, user->id) > 0)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_ALREADY_SUBMITTED,
                   "Task %s was already submitted", row.task_id);
      goto out;
    }
  if (g_strcmp0 (row.state, "active") != 0)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_LEASE_GONE,
                   "The lease on task %s was %s; the result was not stored", row.task_id,
                   g_strcmp0 (row.state, "passed") == 0     ? "passed on"
                   : g_strcmp0 (row.state, "released") == 0 ? "given back to the pool"
                                                            : "reported broken");
      goto out;
    }
  late = row.expires_at <= now;
  /* A late result still counts when the task has room for it; once the
   * task went to others it would be one answer more than the overlap. */
  if (late && counted &&
      done + count_str (store, "SELECT count(*) FROM leases WHERE task_seq = ?1"
                               " AND state = 'active' AND expires_at > ?2 AND id != ?3",
                        row.task_seq, now, lease_id) >= overlap)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_LEASE_GONE,
                   "The lease on task %s expired and the task went to someone else; the result "
                   "was not stored", row.task_id);
      goto out;
    }
  result = fitted;

  response = json_object ();
  json_object_set_new (response, "task_id", json_string (task->id));
  json_object_set_new (response, "late", json_boolean (late));
  if (task->training && (task->explanation_nl || task->explanation_en))
    json_object_set_new (response, "explanation",
                         json_pack ("{s:s?,s:s?}", "nl", task->explanation_nl, "en",
                                    task->explanation_en));
  if (store->scorer && task->gold)
    {
      json_t *score = store->scorer (task, result, store->scorer_data);
      if (score)
        {
          score_text = json_dumps (score, JSON_COMPACT);
          json_object_set_new (response, "score", score);
          /* Once answered, the participant may compare with the reference. */
          json_object_set (response, "reference", task->gold);
        }
    }

  stmt = al_store_prepare (store, "INSERT INTO results(task_seq, user_id, lease_id,"
                                  " idempotency_key, result, lead_time_ms, submitted_at, late,"
                                  " score, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
                           error);
  if (!stmt)
    goto out;
  result_text = json_dumps (result, JSON_COMPACT);
  al_stmt_bind_int64 (stmt, 1, row.task_seq);
  al_stmt_bind_int64 (stmt, 2, user->id);
  al_stmt_bind_text (stmt, 3, lease_id, -1, SQLITE_STATIC);
  al_stmt_bind_text (stmt, 4, key, -1, SQLITE_STATIC);
  al_stmt_bind_text (stmt, 5, result_text, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (stmt, 6, MAX (lead_time_ms, 0));
  al_stmt_bind_int64 (stmt, 7, now);
  al_stmt_bind_int (stmt, 8, late);
  if (score_text)
    al_stmt_bind_text (stmt, 9, score_text, -1, SQLITE_STATIC);
  else
    al_stmt_bind_null (stmt, 9);
  rc = al_stmt_step (stmt);
  if (rc != SQLITE_DONE)
    {
      al_store_set_error (store, rc, "Saving the result", error);
      goto out;
    }
  result_id = al_conn_last_insert_rowid (al_store_conn (store));
  g_clear_pointer (&stmt, al_stmt_finalize);

  json_object_set_new (response, "result_id", json_integer (result_id));
  response_text = json_dumps (response, JSON_COMPACT | JSON_SORT_KEYS);
  stmt = al_store_prepare (store, "UPDATE results SET response = ? WHERE id = ?", error);
  if (!stmt)
    goto out;
  al_stmt_bind_text (stmt, 1, response_text, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (stmt, 2, result_id);
  if ((rc = al_stmt_step (stmt)) != SQLITE_DONE)
    {
      al_store_set_error (store, rc, "Saving the result", error);
      goto out;
    }
  g_clear_pointer (&stmt, al_stmt_finalize);

  stmt = al_store_prepare (store, "UPDATE leases SET state = 'done' WHERE id = ?", error);
  if (!stmt)
    goto out;
  al_stmt_bind_text (stmt, 1, lease_id, -1, SQLITE_STATIC);
  if ((rc = al_stmt_step (stmt)) != SQLITE_DONE)
    {
      al_store_set_error (store, rc, "Closing the lease", error);
      goto out;
    }
  g_clear_pointer (&stmt, al_stmt_finalize);

  stmt = al_store_prepare (store, "UPDATE tasks SET done = done + 1 WHERE seq = ?", error);
  if (!stmt)
    goto out;
  al_stmt_bind_int64 (stmt, 1, row.task_seq);
  if ((rc = al_stmt_step (stmt)) != SQLITE_DONE)
    al_store_set_error (store, rc, "Counting the result", error);

out:
  al_store_lease_row_clear (&row);
  prior_clear (&prior);
  if (error && *error)
    return NULL;
  return g_steal_pointer (&response);
}

typedef struct
{
  const AlUser *user;
  const char *lease_id;
  const char *key;
  json_t *result;
  gint64 lead_time_ms;
  json_t *response;
} Submit;

static gboolean
submit_write (AlStore *store,
              gpointer data,
              GError **error)
{
  Submit *s = data;
  GError *local = NULL;

  s->response = submit_locked (store, s->user, s->lease_id, s->key, s->result, s->lead_time_ms,
                               &local);
  if (local == NULL)
    return TRUE;
  g_clear_pointer (&s->response, json_decref);
  g_propagate_error (error, local);
  return FALSE;
}

json_t *
al_store_submit (AlStore      *store,
                 const AlUser *user,
                 const char   *lease_id,
                 const char   *idempotency_key,
                 json_t       *result,
                 gint64        lead_time_ms,
                 GError      **error)
{
  Submit s = { user, lease_id, idempotency_key, result, lead_time_ms, NULL };

  g_return_val_if_fail (store && user && lease_id && idempotency_key && result, NULL);

  if (!al_store_write_concurrent (store, submit_write, &s, error))
    g_clear_pointer (&s.response, json_decref);
  return s.response;
}

static gboolean
step_bound (AlStore    *store,
            const char *sql,
            const char *text,
            gint64      number,
            GError    **error)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (store, sql, error);
  int rc;

  if (!stmt)
    return FALSE;
  al_stmt_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (stmt, 2, number);
  rc = al_stmt_step (stmt);
  return rc == SQLITE_DONE || al_store_set_error (store, rc, "Reporting a broken task", error);
}

static gint64
open_broken_reports (AlStore      *store,
                     const AlUser *user)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (
    store, "SELECT count(*) FROM broken_reports WHERE user_id = ? AND restored_at IS NULL"
           " AND at >= ?", NULL);

  if (stmt == NULL)
    return 0;
  al_stmt_bind_int64 (stmt, 1, user->id);
  al_stmt_bind_int64 (stmt, 2, al_store_now_ms (store) - 24 * 3600 * (gint64) 1000);
  return al_stmt_step (stmt) == SQLITE_ROW ? al_stmt_column_int64 (stmt, 0) : 0;
}

/* Only the task a participant holds now can be reported: a report takes
 * it out of everyone's pool until a coach puts it back. */
static gboolean
report_broken_locked (AlStore      *store,
                      const AlUser *user,
                      const char   *lease_id,
                      const char   *reason,
                      GError      **error)
{
  AlStoreLeaseRow row = { 0 };
  g_autoptr (AlStmt) stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  if (!al_store_lock_person (store, user->id, error) ||
      !al_store_find_lease (store, user, lease_id, &row, error))
    return FALSE;
  if (!al_store_lock_task (store, row.task_seq, error))
    {
      al_store_lease_row_clear (&row);
      return FALSE;
    }
  if (g_strcmp0 (row.state, "done") == 0)
    g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_ALREADY_SUBMITTED,
                 "Task %s was already submitted; only a task you hold can be reported broken",
                 row.task_id);
  else if (g_strcmp0 (row.state, "active") != 0 || row.expires_at <= al_store_now_ms (store))
    g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_LEASE_GONE,
                 "The lease on task %s is no longer yours (%s); only a task you hold can be "
                 "reported broken", row.task_id,
                 g_strcmp0 (row.state, "active") == 0 ? "expired" : "already reported");
  else if (open_broken_reports (store, user) >= AL_STORE_MAX_OPEN_BROKEN)
    g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_BROKEN,
                 "You reported %d tasks as broken today that your coach has not looked at yet; "
                 "task %s stays in the pool. Please ask your coach.", AL_STORE_MAX_OPEN_BROKEN,
                 row.task_id);
  else if (step_bound (store, "UPDATE tasks SET broken = ?1 WHERE seq = ?2", reason,
                       row.task_seq, error) &&
           step_bound (store, "UPDATE leases SET state = 'broken' WHERE id = ?1 AND ?2 <> 0",
                       lease_id, 1, error) &&
           (stmt = al_store_prepare (store, "INSERT INTO broken_reports(task_seq, user_id,"
                                            " lease_id, reason, at) VALUES (?, ?, ?, ?, ?)",
                                     error)))
    {
      al_stmt_bind_int64 (stmt, 1, row.task_seq);
      al_stmt_bind_int64 (stmt, 2, user->id);
      al_stmt_bind_text (stmt, 3, lease_id, -1, SQLITE_STATIC);
      al_stmt_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
      al_stmt_bind_int64 (stmt, 5, al_store_now_ms (store));
      rc = al_stmt_step (stmt);
      ok = rc == SQLITE_DONE || al_store_set_error (store, rc, "Reporting a broken task", error);
    }
  al_store_lease_row_clear (&row);
  return ok;
}

typedef struct
{
  const AlUser *user;
  const char *lease_id;
  const char *reason;
} Broken;

static gboolean
broken_write (AlStore *store,
              gpointer data,
              GError **error)
{
  Broken *b = data;
  return report_broken_locked (store, b->user, b->lease_id, b->reason ? b->reason : "broken",
                               error);
}

gboolean
al_store_report_broken (AlStore      *store,
                        const AlUser *user,
                        const char   *lease_id,
                        const char   *reason,
                        GError      **error)
{
  Broken b = { user, lease_id, reason };
  return al_store_write_concurrent (store, broken_write, &b, error);
}

typedef struct
{
  const AlUser *user;
  const char *code;
  const char *message;
  const char *lease_id;
} Refusal;

static gboolean
refusal_write (AlStore *store,
               gpointer data,
               GError **error)
{
  Refusal *r = data;
  const AlUser *user = r->user;
  const char *code = r->code;
  const char *message = r->message;
  const char *lease_id = r->lease_id;
  gboolean ok = FALSE;
  g_autoptr (AlStmt) stmt = NULL;
  g_autoptr (AlStmt) trim = NULL;
  /* Messages may quote what was sent: keep them short, and only the
   * latest refusals, so that refusals cannot fill the disk either. */
  g_autofree char *text = g_utf8_make_valid (message, MIN (strlen (message), 300));

  al_store_lock (store);
  if (!al_store_lock_person (store, user->id, error))
    {
      al_store_unlock (store);
      return FALSE;
    }
  stmt = al_store_prepare (store, "INSERT INTO refusals(user_id, at, code, message, lease_id)"
                                  " VALUES (?, ?, ?, ?, ?)", NULL);
  trim = al_store_prepare (store, "DELETE FROM refusals WHERE user_id = ?1 AND id <= "
                                  "(SELECT id FROM refusals WHERE user_id = ?1"
                                  " ORDER BY id DESC LIMIT 1 OFFSET 100)", NULL);
  if (stmt && trim)
    {
      al_stmt_bind_int64 (trim, 1, user->id);
      al_stmt_bind_int64 (stmt, 1, user->id);
      al_stmt_bind_int64 (stmt, 2, al_store_now_ms (store));
      al_stmt_bind_text (stmt, 3, code, -1, SQLITE_STATIC);
      al_stmt_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
      if (lease_id)
        al_stmt_bind_text (stmt, 5, lease_id, -1, SQLITE_STATIC);
      else
        al_stmt_bind_null (stmt, 5);
      int rc = al_stmt_step (stmt);
      if (rc == SQLITE_DONE)
        rc = al_stmt_step (trim);
      ok = rc == SQLITE_DONE || al_store_set_error (store, rc, "Recording a refusal", error);
    }
  else
    g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FAILED, "Cannot record a refusal");
  al_store_unlock (store);
  return ok;
}

void
al_store_add_refusal (AlStore      *store,
                      const AlUser *user,
                      const char   *code,
                      const char   *message,
                      const char   *lease_id)
{
  Refusal r = { user, code, message, lease_id };
  g_autoptr (GError) error = NULL;

  if (!al_store_write_concurrent (store, refusal_write, &r, &error))
    g_warning ("Could not record a refusal for %s: %s", user->name, error->message);
}

gint64
al_store_count_results (AlStore *store,
                        gint64   user_id)
{
  gint64 n;

  al_store_lock (store);
  n = user_id > 0 ? count_where (store, "SELECT count(*) FROM results WHERE user_id = ?1 AND ?2 <> 0",
                                 user_id, 1)
                  : count_where (store, "SELECT count(*) FROM results WHERE ?1 <> 0 AND ?2 <> 0", 1, 1);
  al_store_unlock (store);
  return n;
}

gboolean
al_store_export_jsonl (AlStore *store,
                       FILE    *out,
                       GError **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  al_store_lock (store);
  stmt = al_store_prepare (store,
                           "SELECT t.id, u.name, t.kind, r.result, r.submitted_at, r.lead_time_ms,"
                           " t.is_gold, r.late, r.score, json_extract(t.data, '$.width'),"
                           " json_extract(t.data, '$.height'), m.path FROM results r"
                           " JOIN tasks t ON t.seq = r.task_seq JOIN users u ON u.id = r.user_id"
                           " LEFT JOIN media m ON m.id = t.media_id"
                           " ORDER BY r.id", error);
  if (!stmt)
    ok = FALSE;
  while (ok && (rc = al_stmt_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (json_t) line = json_object ();
      g_autofree char *when = al_format_time_iso (al_stmt_column_int64 (stmt, 4));
      json_t *result = json_loads ((const char *) al_stmt_column_text (stmt, 3), 0, NULL);
      const char *score = (const char *) al_stmt_column_text (stmt, 8);
      const char *media = (const char *) al_stmt_column_text (stmt, 11);
      g_autofree char *problem = NULL;
      int width = al_stmt_column_int (stmt, 9), height = al_stmt_column_int (stmt, 10);
      gboolean box = g_strcmp0 ((const char *) al_stmt_column_text (stmt, 2), "bbox") == 0;

      if (box && (width <= 0 || height <= 0) && store->image_size && media &&
          !store->image_size (media, &width, &height))
        width = height = 0;
      /* Results stored before boxes were checked go out inside the image
       * too, or the export stops and names the box. */
      if (result && box && !al_boxes_fit (result, width, height, &problem))
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID,
                       "task %s, the result of %s: %s; the export stopped at this result",
                       (const char *) al_stmt_column_text (stmt, 0),
                       (const char *) al_stmt_column_text (stmt, 1), problem);
          json_decref (result);
          ok = FALSE;
          break;
        }

      json_object_set_new (line, "task_id", json_string ((const char *) al_stmt_column_text (stmt, 0)));
      json_object_set_new (line, "participant",
                           json_string ((const char *) al_stmt_column_text (stmt, 1)));
      json_object_set_new (line, "kind", json_string ((const char *) al_stmt_column_text (stmt, 2)));
      json_object_set_new (line, "result", result ? result : json_null ());
      json_object_set_new (line, "submitted_at", json_string (when));
      json_object_set_new (line, "lead_time_ms", json_integer (al_stmt_column_int64 (stmt, 5)));
      json_object_set_new (line, "gold", json_boolean (al_stmt_column_int (stmt, 6)));
      json_object_set_new (line, "late", json_boolean (al_stmt_column_int (stmt, 7)));
      if (score)
        json_object_set_new (line, "score", json_loads (score, 0, NULL));
      if (json_dumpf (line, out, JSON_COMPACT | JSON_ENSURE_ASCII) != 0 || fputc ('\n', out) == EOF)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "Cannot write the export");
          ok = FALSE;
        }
    }
  if (ok && rc != SQLITE_DONE)
    ok = al_store_set_error (store, rc, "Exporting results", error);
  al_store_unlock (store);
  return ok;
}

typedef struct
{
  const AlUser *user;
  const char *type;
  gint64 at_ms;
  const char *text;
} Event;

static gboolean
event_write (AlStore *store,
             gpointer data,
             GError **error)
{
  Event *e = data;
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  stmt = al_store_prepare (store, "INSERT INTO events(user_id, type, at, data, received_at)"
                                  " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  al_stmt_bind_int64 (stmt, 1, e->user->id);
  al_stmt_bind_text (stmt, 2, e->type, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (stmt, 3, e->at_ms);
  al_stmt_bind_text (stmt, 4, e->text, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (stmt, 5, al_store_now_ms (store));
  rc = al_stmt_step (stmt);
  return rc == SQLITE_DONE || al_store_set_error (store, rc, "Saving an event", error);
}

gboolean
al_store_add_event (AlStore      *store,
                    const AlUser *user,
                    const char   *type,
                    gint64        at_ms,
                    json_t       *data,
                    GError      **error)
{
  static const char *const known[] = { "state", "block", "blocks", "ms_left", NULL };
  g_autoptr (json_t) kept = json_object ();
  g_autofree char *text = NULL;
  Event e = { user, type, at_ms, NULL };

  /* Only what a workstation sends about its pacing is kept, each field
   * small: the history is no place for anything else. */
  for (const char *const *k = known; *k; k++)
    {
      json_t *v = json_object_get (data, *k);
      if (json_is_integer (v) || (json_is_string (v) && json_string_length (v) <= 32))
        json_object_set (kept, *k, v);
    }
  e.text = text = json_dumps (kept, JSON_COMPACT);
  return al_store_write_concurrent (store, event_write, &e, error);
}

gboolean
al_store_save_draft (AlStore    *store,
                     const char *task_id,
                     json_t     *draft,
                     GError    **error)
{
  g_autofree char *text = json_dumps (draft, JSON_COMPACT);

  return al_store_put (store, AL_STORE_KV_DRAFT, task_id, text, error);
}

json_t *
al_store_load_draft (AlStore    *store,
                     const char *task_id)
{
  g_autoptr (AlStmt) stmt = NULL;
  json_t *draft = NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT draft FROM drafts WHERE task_id = ?", NULL);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, task_id, -1, SQLITE_STATIC);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        draft = json_loads ((const char *) al_stmt_column_text (stmt, 0), 0, NULL);
    }
  al_store_unlock (store);
  return draft;
}

gboolean
al_store_clear_draft (AlStore    *store,
                      const char *task_id,
                      GError    **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  al_store_lock (store);
  stmt = al_store_prepare (store, "DELETE FROM drafts WHERE task_id = ?", error);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, task_id, -1, SQLITE_STATIC);
      rc = al_stmt_step (stmt);
      ok = rc == SQLITE_DONE || al_store_set_error (store, rc, "Clearing the draft", error);
    }
  al_store_unlock (store);
  return ok;
}

gboolean
al_store_set_session (AlStore    *store,
                      const char *key,
                      const char *value,
                      GError    **error)
{
  return al_store_put (store, AL_STORE_KV_SESSION, key, value, error);
}

char *
al_store_get_session (AlStore    *store,
                      const char *key,
                      gint64     *updated_ms)
{
  g_autoptr (AlStmt) stmt = NULL;
  char *value = NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT value, updated_at FROM session_state WHERE key = ?", NULL);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        {
          value = g_strdup ((const char *) al_stmt_column_text (stmt, 0));
          if (updated_ms)
            *updated_ms = al_stmt_column_int64 (stmt, 1);
        }
    }
  al_store_unlock (store);
  return value;
}
