/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Load signals of one person against their own last two weeks, from real
 * leases, results and events in a real SQLite file on a fake clock. */
#include "config.h"

#include <glib/gstdio.h>

#include "al-jsonl.h"
#include "al-store-signals.h"
#include "al-store.h"
#include "test-db.h"

typedef struct
{
  char *dir;
  AlStore *store;
  gint64 now;
  double score;   /* what the scorer gives the next result */
  int next_key;
} Fixture;

static gint64
fake_clock (gpointer data)
{
  return ((Fixture *) data)->now;
}

static json_t *
fake_scorer (const AlTask *task,
             json_t       *result,
             gpointer      data)
{
  return json_pack ("{s:f}", "score", ((Fixture *) data)->score);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) jsonl = g_string_new (NULL);
  g_autoptr (GPtrArray) tasks = NULL;
  g_autofree char *db = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("annolab-signals-XXXXXX", &error);
  g_assert_no_error (error);
  db = test_db_location (f->dir, "queue.db");
  f->store = al_store_open (db, &error);
  g_assert_no_error (error);
  al_store_set_clock (f->store, fake_clock, f);
  al_store_set_scorer (f->store, fake_scorer, f);
  for (int i = 0; i < 400; i++)
    g_string_append_printf (jsonl, "{\"id\":\"t%d\",\"kind\":\"transcribe\",\"audio\":\"/a.wav\","
                                   "\"language\":\"nl\",\"gold\":{\"text\":\"x\"}}\n", i);
  path = g_build_filename (f->dir, "tasks.jsonl", NULL);
  g_assert_true (g_file_set_contents (path, jsonl->str, -1, NULL));
  tasks = al_jsonl_read_tasks (path, &error);
  g_assert_no_error (error);
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0", &error));
  g_assert_true (al_store_import_tasks (f->store, tasks, "demo", "jsonl", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_clear_pointer (&f->store, al_store_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

/* 10 March 2026 (no clock change in the two weeks before), @days_back
 * days earlier, at @hour:@minute local time. */
static gint64
at (int days_back,
    int hour,
    int minute)
{
  g_autoptr (GDateTime) d = g_date_time_new_local (2026, 3, 10, hour, minute, 0);
  g_autoptr (GDateTime) back = g_date_time_add_days (d, -days_back);
  return g_date_time_to_unix (back) * 1000;
}

static void
event (Fixture      *f,
       const AlUser *user,
       const char   *type,
       gint64        when)
{
  g_autoptr (GError) error = NULL;
  gint64 now = f->now;

  /* Received when it happened: the signals count by the server's clock. */
  f->now = when;
  g_assert_true (al_store_add_event (f->store, user, type, when, NULL, &error));
  g_assert_no_error (error);
  f->now = now;
}

/* A real lease and submit at @when, the task having taken @lead_s. */
static void
result (Fixture      *f,
        const AlUser *user,
        gint64        when,
        int           lead_s,
        double        score)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) task = NULL;
  g_autoptr (json_t) text = json_pack ("{s:s}", "text", "x");
  g_autoptr (json_t) reply = NULL;
  g_autofree char *key = g_strdup_printf ("k%d", f->next_key++);

  f->now = when;
  f->score = score;
  task = al_store_lease (f->store, user, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task);
  reply = al_store_submit (f->store, user, task->lease_id, key, text, lead_s * 1000, &error);
  g_assert_no_error (error);
}

/* Ten earlier days of one 45-minute block with 15 tasks of a minute each
 * at quality 0.9, and no extra pauses. */
static void
usual_weeks (Fixture      *f,
             const AlUser *user)
{
  for (int d = 1; d <= 10; d++)
    {
      event (f, user, "block_start", at (d, 9, 0));
      for (int i = 0; i < 15; i++)
        result (f, user, at (d, 9, 2 + 3 * i), 60, 0.9);
      event (f, user, "break_start", at (d, 9, 45));
    }
}

static gboolean
has_hint (json_t     *signals,
          const char *kind)
{
  json_t *hints = json_object_get (signals, "hints");
  size_t i;
  json_t *h;

  json_array_foreach (hints, i, h)
    if (g_str_equal (json_string_value (json_object_get (h, "kind")), kind))
      return TRUE;
  return FALSE;
}

static double
number (json_t     *obj,
        const char *path_a,
        const char *path_b)
{
  json_t *v = json_object_get (json_object_get (obj, path_a), path_b);
  g_assert_true (json_is_number (v));
  return json_number_value (v);
}

static void
test_heavier_block (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) ann = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);
  g_autoptr (json_t) signals = NULL;

  usual_weeks (f, ann);
  /* Today: slower, weaker, two extra pauses, and the last tasks slowest. */
  event (f, ann, "block_start", at (0, 9, 0));
  for (int i = 0; i < 6; i++)
    result (f, ann, at (0, 9, 3 + 4 * i), 60, 0.9);
  event (f, ann, "pause_start", at (0, 9, 24));
  event (f, ann, "pause_end", at (0, 9, 25));
  event (f, ann, "pause_start", at (0, 9, 26));
  event (f, ann, "pause_end", at (0, 9, 27));
  for (int i = 0; i < 3; i++)
    result (f, ann, at (0, 9, 30 + 4 * i), 120, 0.5);
  f->now = at (0, 9, 40);

  signals = al_store_signals (f->store, ann, &error);
  g_assert_no_error (error);
  g_assert_cmpint (number (signals, "usual", "days"), ==, 10);
  g_assert_cmpfloat_with_epsilon (number (signals, "usual", "tasks_per_hour"), 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (number (signals, "usual", "quality"), 0.9, 1e-9);
  g_assert_cmpfloat_with_epsilon (number (signals, "usual", "task_seconds"), 60, 1e-9);
  g_assert_cmpint (number (signals, "block", "tasks"), ==, 9);
  /* 40 minutes minus two one-minute pauses. */
  g_assert_cmpfloat_with_epsilon (number (signals, "block", "minutes"), 38, 1e-9);
  g_assert_cmpfloat_with_epsilon (number (signals, "block", "tasks_per_hour"), 9 / (38 / 60.0), 1e-9);
  g_assert_true (has_hint (signals, "pace_lower"));
  g_assert_true (has_hint (signals, "quality_lower"));
  g_assert_true (has_hint (signals, "slower_recent"));
  g_assert_true (has_hint (signals, "more_pauses"));
  g_assert_false (has_hint (signals, "pace_higher"));
}

static void
test_usual_block_says_nothing (Fixture      *f,
                               gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) ann = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);
  g_autoptr (json_t) signals = NULL;

  usual_weeks (f, ann);
  event (f, ann, "block_start", at (0, 9, 0));
  for (int i = 0; i < 10; i++)
    result (f, ann, at (0, 9, 2 + 3 * i), 60, 0.9);
  f->now = at (0, 9, 31);
  signals = al_store_signals (f->store, ann, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_size (json_object_get (signals, "hints")), ==, 0);
}

static void
test_first_day_compares_only_within_block (Fixture      *f,
                                           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) bo = al_store_ensure_user (f->store, "bo", "participant", NULL, &error);
  g_autoptr (json_t) signals = NULL;

  event (f, bo, "block_start", at (0, 9, 0));
  for (int i = 0; i < 5; i++)
    result (f, bo, at (0, 9, 2 + 2 * i), 60, 0.9);
  event (f, bo, "pause_start", at (0, 9, 15));
  event (f, bo, "pause_end", at (0, 9, 16));
  for (int i = 0; i < 3; i++)
    result (f, bo, at (0, 9, 30 + 4 * i), 150, 0.9);
  f->now = at (0, 9, 41);
  signals = al_store_signals (f->store, bo, &error);
  g_assert_no_error (error);
  g_assert_true (json_is_null (json_object_get (json_object_get (signals, "usual"), "tasks_per_hour")));
  g_assert_true (json_is_null (json_object_get (json_object_get (signals, "usual"), "quality")));
  /* No usual day: nothing is compared with it, not even the pause. */
  g_assert_false (has_hint (signals, "pace_lower"));
  g_assert_false (has_hint (signals, "more_pauses"));
  g_assert_true (has_hint (signals, "slowing"));
}

static void
test_block_history (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) ann = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);
  g_autoptr (json_t) blocks = NULL;
  json_t *first, *last;

  usual_weeks (f, ann);
  event (f, ann, "block_start", at (0, 9, 0));
  result (f, ann, at (0, 9, 4), 60, 0.5);
  f->now = at (0, 9, 10);
  blocks = al_store_block_history (f->store, ann, 28, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_size (blocks), ==, 11);
  first = json_array_get (blocks, 0);
  last = json_array_get (blocks, 10);
  g_assert_cmpstr (json_string_value (json_object_get (first, "date")), ==, "2026-02-28");
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (first, "tasks_per_hour")), 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (first, "quality")), 0.9, 1e-9);
  g_assert_true (json_is_true (json_object_get (last, "open")));
  g_assert_cmpint (json_integer_value (json_object_get (last, "tasks")), ==, 1);

  /* Fewer days back leave the oldest out. */
  g_clear_pointer (&blocks, json_decref);
  blocks = al_store_block_history (f->store, ann, 3, &error);
  g_assert_cmpint (json_array_size (blocks), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/signals/heavier-block", test_heavier_block);
  ADD ("/signals/usual-block-says-nothing", test_usual_block_says_nothing);
  ADD ("/signals/first-day", test_first_day_compares_only_within_block);
  ADD ("/signals/block-history", test_block_history);
  return g_test_run ();
}
