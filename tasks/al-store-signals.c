/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include "al-store-private.h"
#include "al-store-signals.h"

/* Below these amounts a figure says more about chance than about the
 * person, so no hint is given. */
#define MIN_BLOCK_WORK_MS (10 * 60 * 1000)
#define MIN_USUAL_WORK_MS (60 * 60 * 1000)
#define MIN_BLOCK_SCORED 3
#define MIN_USUAL_SCORED 5
#define MIN_RECENT_TASKS 3
#define MIN_USUAL_TASKS 10

typedef struct
{
  gint64 start;
  gint64 end;
  gint64 work_ms;
  gboolean open;
  int tasks;
  int scored;
  double score_sum;
} Block;

typedef struct
{
  gint64 at;
  gint64 lead_ms;
  gboolean scored;
  double score;
} Result;

typedef struct
{
  GArray *blocks;   /* Block */
  GArray *results;  /* Result */
  GArray *pauses;   /* gint64, when each extra pause began */
} Work;

static void
work_clear (Work *w)
{
  g_clear_pointer (&w->blocks, g_array_unref);
  g_clear_pointer (&w->results, g_array_unref);
  g_clear_pointer (&w->pauses, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Work, work_clear)

static gint64
days_back_ms (gint64 now_ms,
              int    days)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (now_ms / 1000);
  g_autoptr (GDateTime) d = g_date_time_new_local (g_date_time_get_year (t),
                                                   g_date_time_get_month (t),
                                                   g_date_time_get_day_of_month (t), 0, 0, 0);
  g_autoptr (GDateTime) back = g_date_time_add_days (d, -days);
  return g_date_time_to_unix (back) * 1000;
}

static void
close_block (Block *b,
             gint64 at,
             gint64 working_since)
{
  if (working_since >= 0 && at > working_since)
    b->work_ms += at - working_since;
  b->end = at;
}

/* Blocks are cut from the workstation's events: a block runs from
 * block_start or break_end to break_start or session_end, without its
 * extra pauses. A start without a stop before it (a crash, a lost
 * network) ends the earlier block at the last event seen. */
static gboolean
load_work (AlStore      *store,
           const AlUser *user,
           gint64        since,
           gint64        now,
           Work         *w,
           GError      **error)
{
  g_autoptr (AlStmt) ev = NULL;
  g_autoptr (AlStmt) res = NULL;
  Block *cur = NULL;
  gint64 working_since = -1, last_at = since;

  w->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  w->results = g_array_new (FALSE, TRUE, sizeof (Result));
  w->pauses = g_array_new (FALSE, FALSE, sizeof (gint64));

  ev = al_store_prepare (store, "SELECT type, received_at FROM events WHERE user_id = ?1"
                                " AND received_at >= ?2 AND received_at <= ?3"
                                " ORDER BY received_at, id", error);
  res = al_store_prepare (store, "SELECT submitted_at, lead_time_ms, json_extract(score, '$.score')"
                                 " FROM results WHERE user_id = ?1 AND submitted_at >= ?2"
                                 " AND submitted_at <= ?3 ORDER BY submitted_at, id", error);
  if (!ev || !res)
    return FALSE;

  al_stmt_bind_int64 (ev, 1, user->id);
  al_stmt_bind_int64 (ev, 2, since);
  al_stmt_bind_int64 (ev, 3, now);
  while (al_stmt_step (ev) == SQLITE_ROW)
    {
      const char *type = (const char *) al_stmt_column_text (ev, 0);
      gint64 at = al_stmt_column_int64 (ev, 1);

      if (g_str_equal (type, "block_start") || g_str_equal (type, "break_end"))
        {
          Block b = { .start = at };
          if (cur)
            close_block (cur, last_at, working_since);
          g_array_append_val (w->blocks, b);
          cur = &g_array_index (w->blocks, Block, w->blocks->len - 1);
          working_since = at;
        }
      else if (g_str_equal (type, "pause_start"))
        {
          g_array_append_val (w->pauses, at);
          if (cur && working_since >= 0)
            {
              cur->work_ms += at - working_since;
              working_since = -1;
            }
        }
      else if (g_str_equal (type, "pause_end"))
        {
          if (cur && working_since < 0)
            working_since = at;
        }
      else if (g_str_equal (type, "break_start") || g_str_equal (type, "session_end"))
        {
          if (cur)
            close_block (cur, at, working_since);
          cur = NULL;
          working_since = -1;
        }
      last_at = at;
    }
  /* A block of today that has not stopped is going on now. */
  if (cur && cur->start >= days_back_ms (now, 0))
    {
      close_block (cur, now, working_since);
      cur->open = TRUE;
    }
  else if (cur)
    close_block (cur, last_at, working_since);

  al_stmt_bind_int64 (res, 1, user->id);
  al_stmt_bind_int64 (res, 2, since);
  al_stmt_bind_int64 (res, 3, now);
  {
    guint b = 0;
    while (al_stmt_step (res) == SQLITE_ROW)
      {
        Result r = { .at = al_stmt_column_int64 (res, 0), .lead_ms = al_stmt_column_int64 (res, 1),
                     .scored = al_stmt_column_type (res, 2) != SQLITE_NULL,
                     .score = al_stmt_column_double (res, 2) };
        g_array_append_val (w->results, r);
        while (b < w->blocks->len && g_array_index (w->blocks, Block, b).end < r.at)
          b++;
        if (b < w->blocks->len && g_array_index (w->blocks, Block, b).start <= r.at)
          {
            Block *blk = &g_array_index (w->blocks, Block, b);
            blk->tasks++;
            blk->scored += r.scored;
            blk->score_sum += r.scored ? r.score : 0;
          }
      }
  }
  return TRUE;
}

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* The median time per task of results in [from, to), or 0 with fewer than
 * @min_n results that carry a time. */
static double
median_lead_s (GArray *results,
               gint64  from,
               gint64  to,
               guint   min_n)
{
  g_autoptr (GArray) leads = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < results->len; i++)
    {
      const Result *r = &g_array_index (results, Result, i);
      if (r->at >= from && r->at < to && r->lead_ms > 0)
        g_array_append_val (leads, r->lead_ms);
    }
  if (leads->len < min_n || leads->len == 0)
    return 0;
  g_array_sort (leads, cmp_gint64);
  if (leads->len % 2)
    return g_array_index (leads, gint64, leads->len / 2) / 1000.0;
  return (g_array_index (leads, gint64, leads->len / 2 - 1) +
          g_array_index (leads, gint64, leads->len / 2)) / 2000.0;
}

static json_t *
number_or_null (gboolean known,
                double   value)
{
  return known ? json_real (value) : json_null ();
}

static void
add_hint (json_t     *hints,
          const char *kind,
          double      now,
          double      usual)
{
  json_array_append_new (hints, json_pack ("{s:s,s:f,s:f}", "kind", kind, "now", now,
                                           "usual", usual));
}

static char *
local_date (gint64 ms)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_local (ms / 1000);
  return g_date_time_format (t, "%Y-%m-%d");
}

json_t *
al_store_signals (AlStore      *store,
                  const AlUser *user,
                  GError      **error)
{
  g_auto (Work) w = { 0 };
  g_autoptr (GHashTable) dates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 now = al_store_now_ms (store);
  gint64 today = days_back_ms (now, 0);
  gint64 since = days_back_ms (now, AL_SIGNALS_USUAL_DAYS);
  gint64 usual_work = 0, usual_tasks = 0, usual_scored = 0;
  double usual_score = 0, usual_tph = 0, usual_quality = 0, usual_lead, usual_pauses = 0;
  gboolean tph_known, quality_known, pauses_known;
  int pauses_today = 0, usual_pause_count = 0;
  const Block *cur = NULL;
  json_t *hints = json_array ();
  json_t *block = json_null ();
  g_autoptr (json_t) passes = NULL;
  gboolean ok;

  al_store_lock (store);
  ok = load_work (store, user, since, now, &w, error);
  al_store_unlock (store);
  if (!ok)
    {
      json_decref (hints);
      return NULL;
    }

  for (guint i = 0; i < w.blocks->len; i++)
    {
      const Block *b = &g_array_index (w.blocks, Block, i);
      if (b->start >= today)
        cur = b;
      else
        {
          usual_work += b->work_ms;
          usual_tasks += b->tasks;
          usual_scored += b->scored;
          usual_score += b->score_sum;
          g_hash_table_add (dates, local_date (b->start));
        }
    }
  for (guint i = 0; i < w.pauses->len; i++)
    {
      gint64 at = g_array_index (w.pauses, gint64, i);
      pauses_today += at >= today;
      usual_pause_count += at < today;
    }
  if ((tph_known = usual_work >= MIN_USUAL_WORK_MS))
    usual_tph = usual_tasks / (usual_work / 3600000.0);
  if ((quality_known = usual_scored >= MIN_USUAL_SCORED))
    usual_quality = usual_score / usual_scored;
  if ((pauses_known = g_hash_table_size (dates) >= 2))
    usual_pauses = (double) usual_pause_count / g_hash_table_size (dates);
  usual_lead = median_lead_s (w.results, since, today, MIN_USUAL_TASKS);

  if (cur)
    {
      gboolean rate_known = cur->work_ms >= MIN_BLOCK_WORK_MS;
      double tph = rate_known ? cur->tasks / (cur->work_ms / 3600000.0) : 0;
      gboolean q_known = cur->scored >= MIN_BLOCK_SCORED;
      double quality = q_known ? cur->score_sum / cur->scored : 0;
      gint64 recent_from = MAX (cur->start, now - AL_SIGNALS_RECENT_MS);
      double recent = cur->open ? median_lead_s (w.results, recent_from, now + 1, MIN_RECENT_TASKS) : 0;
      double earlier = median_lead_s (w.results, cur->start, recent_from, MIN_RECENT_TASKS);
      g_autofree char *start = al_format_time_iso (cur->start);

      block = json_pack ("{s:s,s:b,s:f,s:i,s:o,s:o,s:o}", "start", start, "open", cur->open,
                         "minutes", cur->work_ms / 60000.0, "tasks", cur->tasks,
                         "tasks_per_hour", number_or_null (rate_known, tph),
                         "quality", number_or_null (q_known, quality),
                         "recent_task_seconds", number_or_null (recent > 0, recent));
      if (rate_known && tph_known && tph < 0.75 * usual_tph)
        add_hint (hints, "pace_lower", tph, usual_tph);
      else if (rate_known && tph_known && usual_tph > 0 && tph > 1.33 * usual_tph)
        add_hint (hints, "pace_higher", tph, usual_tph);
      if (q_known && quality_known && quality <= usual_quality - 0.1)
        add_hint (hints, "quality_lower", quality, usual_quality);
      else if (q_known && quality_known && quality >= usual_quality + 0.1)
        add_hint (hints, "quality_higher", quality, usual_quality);
      if (recent > 0 && usual_lead > 0 && recent >= 1.3 * usual_lead)
        add_hint (hints, "slower_recent", recent, usual_lead);
      else if (recent > 0 && earlier > 0 && recent >= 1.3 * earlier)
        add_hint (hints, "slowing", recent, earlier);
    }
  if (pauses_known && pauses_today >= 1 && pauses_today >= usual_pauses + 1)
    add_hint (hints, "more_pauses", pauses_today, usual_pauses);

  /* Passes are neither right nor wrong: the coach sees them apart, with
   * their reasons, never in the pace or the quality. */
  passes = al_store_count_passes (store, user, today);
  return json_pack ("{s:I,s:o,s:{s:i,s:o,s:o,s:o,s:o},s:i,s:o,s:O,s:O}", "id",
                    (json_int_t) user->id,
                    "block", block, "usual", "days", g_hash_table_size (dates), "tasks_per_hour",
                    number_or_null (tph_known, usual_tph), "quality",
                    number_or_null (quality_known, usual_quality), "task_seconds",
                    number_or_null (usual_lead > 0, usual_lead), "pauses_per_day",
                    number_or_null (pauses_known, usual_pauses),
                    "pauses_today", pauses_today, "hints", hints, "passes_today",
                    json_object_get (passes, "count"), "pass_reasons",
                    json_object_get (passes, "reasons"));
}

json_t *
al_store_block_history (AlStore      *store,
                        const AlUser *user,
                        int           days,
                        GError      **error)
{
  g_auto (Work) w = { 0 };
  gint64 now = al_store_now_ms (store);
  json_t *out;
  gboolean ok;

  g_return_val_if_fail (days > 0, NULL);
  al_store_lock (store);
  ok = load_work (store, user, days_back_ms (now, days - 1), now, &w, error);
  al_store_unlock (store);
  if (!ok)
    return NULL;

  out = json_array ();
  for (guint i = 0; i < w.blocks->len; i++)
    {
      const Block *b = &g_array_index (w.blocks, Block, i);
      g_autofree char *start = al_format_time_iso (b->start);
      g_autofree char *date = local_date (b->start);
      /* Under five minutes of work is too little for a rate. */
      gboolean rate_known = b->work_ms >= 5 * 60 * 1000;

      json_array_append_new (out, json_pack ("{s:s,s:s,s:b,s:f,s:i,s:o,s:o}", "start", start,
                                             "date", date, "open", b->open,
                                             "minutes", b->work_ms / 60000.0, "tasks", b->tasks,
                                             "tasks_per_hour",
                                             number_or_null (rate_known,
                                                             b->tasks / (b->work_ms / 3600000.0)),
                                             "quality",
                                             number_or_null (b->scored > 0,
                                                             b->score_sum / MAX (b->scored, 1))));
    }
  return out;
}
