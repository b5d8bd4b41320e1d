/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-live"

#include "config.h"

#include "al-live.h"
#include "al-store.h"

typedef struct
{
  gint64 last_seen;
  gint64 last_activity;
  gboolean in_break;
  gboolean in_pause;
  gboolean help;
  gboolean ended;
  gboolean started;
  int block;
  int blocks;
  gint64 left_ms;
  gint64 left_at;
  json_t *notices;
} Person;

struct _AlLive
{
  GMutex lock;
  GHashTable *people;
  guint64 version;
};

static void
person_free (Person *p)
{
  json_decref (p->notices);
  g_free (p);
}

AlLive *
al_live_new (void)
{
  AlLive *live = g_new0 (AlLive, 1);
  g_mutex_init (&live->lock);
  live->people = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                        (GDestroyNotify) person_free);
  return live;
}

void
al_live_free (AlLive *live)
{
  if (live == NULL)
    return;
  g_hash_table_unref (live->people);
  g_mutex_clear (&live->lock);
  g_free (live);
}

static Person *
person (AlLive *live,
        gint64  user_id)
{
  Person *p = g_hash_table_lookup (live->people, &user_id);
  if (p == NULL)
    {
      p = g_new0 (Person, 1);
      p->notices = json_array ();
      g_hash_table_insert (live->people, g_memdup2 (&user_id, sizeof user_id), p);
    }
  return p;
}

void
al_live_event (AlLive     *live,
               gint64      user_id,
               const char *type,
               gint64      at_ms,
               json_t     *data)
{
  Person *p;
  json_t *v;

  g_mutex_lock (&live->lock);
  p = person (live, user_id);
  p->last_seen = MAX (p->last_seen, at_ms);
  if (!g_str_equal (type, "heartbeat"))
    p->last_activity = MAX (p->last_activity, at_ms);
  p->started = TRUE;
  if (g_str_equal (type, "session_start") || g_str_equal (type, "block_start"))
    p->ended = p->in_break = p->in_pause = FALSE;
  else if (g_str_equal (type, "break_start"))
    p->in_break = TRUE;
  else if (g_str_equal (type, "break_end"))
    p->in_break = FALSE;
  else if (g_str_equal (type, "pause_start"))
    p->in_pause = TRUE;
  else if (g_str_equal (type, "pause_end"))
    p->in_pause = FALSE;
  else if (g_str_equal (type, "help"))
    p->help = TRUE;
  else if (g_str_equal (type, "session_end"))
    p->ended = TRUE;

  /* Workstations send their pacing state with every event. */
  if (json_is_integer (v = json_object_get (data, "block")))
    p->block = json_integer_value (v);
  if (json_is_integer (v = json_object_get (data, "blocks")))
    p->blocks = json_integer_value (v);
  if (json_is_integer (v = json_object_get (data, "ms_left")))
    {
      p->left_ms = json_integer_value (v);
      p->left_at = at_ms;
    }
  if (json_is_string (v = json_object_get (data, "state")))
    {
      const char *state = json_string_value (v);
      p->in_break = g_str_equal (state, "break");
      p->in_pause = g_str_equal (state, "pause");
      p->ended = g_str_equal (state, "ended");
    }
  live->version++;
  g_mutex_unlock (&live->lock);
}

void
al_live_result (AlLive *live,
                gint64  user_id,
                gint64  at_ms)
{
  Person *p;

  g_mutex_lock (&live->lock);
  p = person (live, user_id);
  p->last_seen = MAX (p->last_seen, at_ms);
  p->last_activity = MAX (p->last_activity, at_ms);
  live->version++;
  g_mutex_unlock (&live->lock);
}

gboolean
al_live_ack_help (AlLive *live,
                  gint64  user_id)
{
  Person *p;
  gboolean was;

  g_mutex_lock (&live->lock);
  p = person (live, user_id);
  was = p->help;
  p->help = FALSE;
  json_array_append_new (p->notices, json_pack ("{s:s}", "type", "help_ack"));
  live->version++;
  g_mutex_unlock (&live->lock);
  return was;
}

json_t *
al_live_describe (AlLive *live,
                  gint64  user_id,
                  gint64  now_ms)
{
  Person *p;
  const char *state;
  json_t *out;
  g_autofree char *seen = NULL;
  g_autofree char *active = NULL;

  g_mutex_lock (&live->lock);
  p = g_hash_table_lookup (live->people, &user_id);
  if (p == NULL || !p->started)
    state = "offline";
  else if (p->ended)
    state = "ended";
  else if (now_ms - p->last_seen > AL_LIVE_OFFLINE_MS)
    state = "offline";
  else if (p->help)
    state = "help";
  else if (p->in_break)
    state = "break";
  else if (p->in_pause)
    state = "pause";
  else if (now_ms - p->last_activity > AL_LIVE_IDLE_MS)
    state = "idle";
  else
    state = "working";
  seen = p && p->last_seen ? al_format_time_iso (p->last_seen) : NULL;
  active = p && p->last_activity ? al_format_time_iso (p->last_activity) : NULL;
  out = json_pack ("{s:s,s:o,s:o,s:o,s:o,s:o}", "state", state,
                   "block", p && p->block ? json_integer (p->block) : json_null (),
                   "blocks", p && p->blocks ? json_integer (p->blocks) : json_null (),
                   "time_left_ms", p && p->left_at ? json_integer (MAX (0, p->left_ms - (now_ms - p->left_at)))
                                                   : json_null (),
                   "last_seen", seen ? json_string (seen) : json_null (),
                   "last_activity", active ? json_string (active) : json_null ());
  g_mutex_unlock (&live->lock);
  return out;
}

void
al_live_push_notice (AlLive *live,
                     gint64  user_id,
                     json_t *notice)
{
  g_mutex_lock (&live->lock);
  json_array_append (person (live, user_id)->notices, notice);
  live->version++;
  g_mutex_unlock (&live->lock);
}

json_t *
al_live_take_notices (AlLive *live,
                      gint64  user_id)
{
  Person *p;
  json_t *out;

  g_mutex_lock (&live->lock);
  p = person (live, user_id);
  out = p->notices;
  p->notices = json_array ();
  g_mutex_unlock (&live->lock);
  return out;
}

guint64
al_live_version (AlLive *live)
{
  guint64 v;
  g_mutex_lock (&live->lock);
  v = live->version;
  g_mutex_unlock (&live->lock);
  return v;
}
