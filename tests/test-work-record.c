/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "al-jsonl.h"
#include "al-work-record.h"

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
  g_assert_true (al_store_add_event (store, user, type, at, NULL, &error));
}

static void
test_record_matches_results (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("annolab-record-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "q.db", NULL);
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
  g_assert_nonnull (strstr (html, "Ann"));
  g_assert_null (strstr (html, "<script"));

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/work-record/matches-results", test_record_matches_results);
  return g_test_run ();
}
