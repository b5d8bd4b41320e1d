/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "al-jsonl.h"
#include <math.h>

#include "al-work-record.h"
#include "test-db.h"

static gint64 now_ms;

static gint64
fake_clock (gpointer data)
{
  return now_ms;
}

static void
add_event (AlStore    *store,
           AlUser     *user,
           const char *type,
           gint64      at)
{
  g_autoptr (GError) error = NULL;
  /* Received as it happens, as a workstation online sends it. */
  now_ms = at;
  g_assert_true (al_store_add_event (store, user, type, at, NULL, &error));
}

static void
test_record_matches_results (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("annolab-record-XXXXXX", &error);
  g_autofree char *db = test_db_location (dir, "q.db");
  g_autoptr (AlStore) store = al_store_open (db, &error);
  g_autoptr (GPtrArray) tasks = NULL;
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (json_t) record = NULL;
  g_autofree char *html = NULL;
  const char *text =
    "{\"id\":\"b\",\"kind\":\"bbox\",\"image\":\"a.png\",\"labels\":[\"x\"]}\n"
    "{\"id\":\"t1\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"language\":\"en\"}\n"
    "{\"id\":\"t2\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"language\":\"nl\"}\n";
  gint64 day = 1700000000000;

  g_assert_no_error (error);
  al_store_set_clock (store, fake_clock, NULL);
  al_store_set_meta (store, "gold_share", "0", NULL);
  tasks = al_jsonl_parse_tasks (text, strlen (text), "t.jsonl", "/data", &error);
  g_assert_true (al_store_import_tasks (store, tasks, "d", "jsonl", &error));
  ann = al_store_ensure_user (store, "Ann", "participant", NULL, &error);

  /* 45 minutes of work, a break, 30 more minutes, a pause of 5, 10 more. */
  add_event (store, ann, "session_start", day);
  add_event (store, ann, "block_start", day);
  add_event (store, ann, "break_start", day + 45 * 60000);
  add_event (store, ann, "break_end", day + 60 * 60000);
  add_event (store, ann, "pause_start", day + 90 * 60000);
  add_event (store, ann, "pause_end", day + 95 * 60000);
  add_event (store, ann, "session_end", day + 105 * 60000);

  for (int i = 0; i < 3; i++)
    {
      g_autoptr (AlTask) t = NULL;
      g_autoptr (json_t) r = NULL;
      g_autoptr (json_t) result = NULL;
      g_autofree char *key = g_strdup_printf ("k%d", i);
      now_ms = day + (i + 1) * 60000;
      t = al_store_lease (store, ann, &error);
      g_assert_no_error (error);
      result = t->kind == AL_TASK_KIND_BBOX
                 ? json_pack ("{s:[{s:s,s:i,s:i,s:i,s:i}]}", "boxes", "label", "x", "x", 1, "y", 1,
                              "w", 2, "h", 2)
                 : json_pack ("{s:s}", "text", "hallo");
      r = al_store_submit (store, ann, t->lease_id, key, result, 1000, &error);
      g_assert_no_error (error);
    }

  record = al_work_record_build (store, ann, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_string_value (json_object_get (record, "participant")), ==, "Ann");
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (record, "hours_worked")),
                                  85.0 / 60.0, 0.01);
  g_assert_cmpint (json_integer_value (json_object_get (record, "tasks_total")), ==, 3);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (record, "tasks_by_kind"),
                                                        "transcribe")), ==, 2);
  g_assert_cmpint (json_integer_value (json_object_get (record, "breaks")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (record, "extra_pauses")), ==, 1);
  g_assert_cmpint (json_array_size (json_object_get (record, "skills")), ==, 4);
  g_assert_cmpint (json_array_size (json_object_get (record, "quality_by_week")), ==, 1);

  html = al_work_record_to_html (record);
  g_assert_nonnull (strstr (html, "<h1>"));
  /* A person reads dates and weeks in words, not 2026-W49. */
  g_assert_null (strstr (html, "-W"));
  {
    g_autofree char *json = al_work_record_to_json (record);
    json_t *week = json_array_get (json_object_get (record, "quality_by_week"), 0);
    double q = json_number_value (json_object_get (week, "quality"));
    g_assert_cmpfloat (q, ==, round (q * 100) / 100);
    g_assert_null (strstr (json, "0000000"));
  }
  g_assert_nonnull (strstr (html, "Ann"));
  g_assert_null (strstr (html, "<script"));

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

static void
test_record_words (void)
{
  g_autofree char *day = al_work_record_date_in_words ("2026-12-01");
  g_autofree char *week = al_work_record_week_in_words ("2026-W49");
  g_autofree char *turn = al_work_record_week_in_words ("2026-W53");
  g_autofree char *first = al_work_record_week_in_words ("2027-W01");
  g_autofree char *bad = al_work_record_week_in_words ("soon");
  g_autoptr (json_t) record = json_pack ("{s:f,s:f}", "a", 0.05, "b", 0.1 + 0.2);
  g_autofree char *json = al_work_record_to_json (record);

  g_assert_cmpstr (day, ==, "1 December 2026");
  g_assert_cmpstr (week, ==, "30 November to 6 December 2026");
  g_assert_cmpstr (turn, ==, "28 December 2026 to 3 January 2027");
  g_assert_cmpstr (first, ==, "4 January to 10 January 2027");
  g_assert_cmpstr (bad, ==, "soon");
  g_assert_cmpstr (json, ==, "{\n  \"a\": 0.05,\n  \"b\": 0.3\n}\n");
}

static AlStore *
record_store (char   **dir,
              AlUser **ann)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  g_autoptr (GPtrArray) tasks = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  AlStore *store;

  *dir = g_dir_make_tmp ("annolab-record-XXXXXX", &error);
  db = test_db_location (*dir, "q.db");
  store = al_store_open (db, &error);
  g_assert_no_error (error);
  al_store_set_clock (store, fake_clock, NULL);
  al_store_set_meta (store, "gold_share", "0", NULL);
  for (int i = 0; i < 8; i++)
    g_string_append_printf (text, "{\"id\":\"t%d\",\"kind\":\"transcribe\",\"audio\":"
                                  "\"a.wav\",\"language\":\"nl\"}\n", i);
  tasks = al_jsonl_parse_tasks (text->str, text->len, "t.jsonl", "/data", &error);
  g_assert_true (al_store_import_tasks (store, tasks, "d", "jsonl", &error));
  *ann = al_store_ensure_user (store, "Ann", "participant", NULL, &error);
  g_assert_no_error (error);
  return store;
}

static void
remove_dir (const char *dir)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* Times a workstation writes into its events are not believed: a block
 * "started" in 2000 and a session "ended" in 2026, sent a minute apart,
 * are a minute of work. */
static void
test_record_ignores_forged_times (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (AlStore) store = record_store (&dir, &ann);
  g_autoptr (json_t) record = NULL;
  gint64 y2000 = 946684800000, y2026 = 1798761600000;

  now_ms = 1700000000000;
  g_assert_true (al_store_add_event (store, ann, "session_start", y2000, NULL, &error));
  g_assert_true (al_store_add_event (store, ann, "block_start", y2000, NULL, &error));
  now_ms += 60000;
  g_assert_true (al_store_add_event (store, ann, "session_end", y2026, NULL, &error));
  record = al_work_record_build (store, ann, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (record, "hours_worked")),
                                  1.0 / 60.0, 0.006);
  remove_dir (dir);
}

/* About three minutes of work, eight results, and the workstation still
 * open: the hours run to the last result the server received, not to the
 * last event (0) or the summed task times (0.02 h). */
static void
test_record_honest_open_block (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (AlStore) store = record_store (&dir, &ann);
  g_autoptr (json_t) record = NULL;
  gint64 start = 1700000000000;

  now_ms = start;
  g_assert_true (al_store_add_event (store, ann, "session_start", now_ms, NULL, &error));
  g_assert_true (al_store_add_event (store, ann, "block_start", now_ms, NULL, &error));
  for (int i = 0; i < 8; i++)
    {
      g_autoptr (AlTask) t = al_store_lease (store, ann, &error);
      g_autoptr (json_t) result = json_pack ("{s:s}", "text", "hallo");
      g_autoptr (json_t) r = NULL;
      g_autofree char *key = g_strdup_printf ("k%d", i);
      now_ms += 22500;
      r = al_store_submit (store, ann, t->lease_id, key, result, 9000, &error);
      g_assert_no_error (error);
    }
  record = al_work_record_build (store, ann, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (record, "hours_worked")),
                                  0.05, 0.001);

  /* A block left open is capped at the plan's block length. */
  {
    g_autoptr (json_t) settings = json_pack ("{s:{s:i}}", "plan", "work_minutes", 2);
    g_autoptr (AlUser) again = NULL;
    g_clear_pointer (&record, json_decref);
    g_assert_true (al_store_set_user_settings (store, ann->id, settings, &error));
    again = al_store_find_user (store, "Ann");
    record = al_work_record_build (store, again, &error);
    g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (record, "hours_worked")),
                                    2.0 / 60.0, 0.006);
  }
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/work-record/matches-results", test_record_matches_results);
  g_test_add_func ("/work-record/words", test_record_words);
  g_test_add_func ("/work-record/ignores-forged-times", test_record_ignores_forged_times);
  g_test_add_func ("/work-record/honest-open-block", test_record_honest_open_block);
  return g_test_run ();
}
