/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Classification on the real annolab-queue over HTTP: the task as a
 * participant sees it, answers checked against its choices, the score and
 * the feedback on a practice task, and the coach's figures. */
#include "config.h"

#include <string.h>

#include "server-harness.h"

typedef struct
{
  Server s;
  char *ann, *kim;
} Lab;

static void
copy_demo (const char *dir,
           const char *from,
           const char *name)
{
  g_autofree char *src = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo", from,
                                           NULL);
  g_autofree char *dst = g_build_filename (dir, name, NULL);
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (src, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (dst, bytes, length, NULL));
}

static void
lab_set_up (Lab          *lab,
            gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-classify-server-XXXXXX", NULL);
  g_autofree char *tasks = g_build_filename (dir, "tasks.jsonl", NULL);
  g_autofree char *db = harness_db (dir);
  const char *text =
    "{\"id\":\"photo\",\"kind\":\"classify\",\"image\":\"cat.jpg\",\"training\":true,"
    "\"choices\":[\"hond\",\"kat\",\"paard\"],\"gold\":{\"choices\":[\"kat\"]},"
    "\"explanation\":{\"nl\":\"Een kat.\",\"en\":\"A cat.\"}}\n"
    "{\"id\":\"sound\",\"kind\":\"classify\",\"audio\":\"a.wav\",\"start\":0,\"end\":1,"
    "\"multiple\":true,\"choices\":[\"muziek\",\"spraak\",\"stilte\"]}\n";

  copy_demo (dir, "images/chelsea.jpg", "cat.jpg");
  copy_demo (dir, "audio/cards-001.wav", "a.wav");
  g_assert_true (g_file_set_contents (tasks, text, -1, NULL));
  g_free (harness_run (db, "import", tasks, NULL));
  g_free (harness_run (db, "set", "gold_share", "0", NULL));
  lab->ann = harness_run (db, "user", "add", "ann", "--role", "participant", "--group", "a", NULL);
  lab->kim = harness_run (db, "user", "add", "kim", "--role", "coach", "--group", "a", NULL);
  server_start (&lab->s, dir);
}

static void
lab_tear_down (Lab          *lab,
               gconstpointer data)
{
  server_cleanup (&lab->s);
  g_free (lab->ann);
  g_free (lab->kim);
}

static Reply *
submit (Lab        *lab,
        const char *lease_id,
        const char *key,
        const char *choices)
{
  g_autofree char *body = g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"%s\","
                                           "\"lead_time_ms\":1500,\"result\":{\"choices\":%s}}",
                                           lease_id, key, choices);
  return http (&lab->s, "POST", "/api/v1/results", lab->ann, body, NULL);
}

static const char *
error_code (Reply *r)
{
  return json_string_value (json_object_get (json_object_get (r->json, "error"), "code"));
}

static const char *
error_message (Reply *r)
{
  return json_string_value (json_object_get (json_object_get (r->json, "error"), "message"));
}

static void
test_classify_over_http (Lab          *lab,
                         gconstpointer data)
{
  g_autoptr (Reply) first = http (&lab->s, "POST", "/api/v1/lease", lab->ann, NULL, NULL);
  json_t *task = json_object_get (first->json, "task");
  const char *lease = json_string_value (json_object_get (json_object_get (first->json, "lease"),
                                                          "id"));
  g_autoptr (Reply) unknown = NULL;
  g_autoptr (Reply) two = NULL;
  g_autoptr (Reply) wrong = NULL;
  g_autoptr (Reply) second = NULL;
  g_autoptr (Reply) none = NULL;
  g_autoptr (Reply) media = NULL;
  g_autoptr (Reply) people = NULL;
  json_t *want_reference = json_pack ("{s:[s]}", "choices", "kat");
  g_autofree char *media_path = NULL;
  json_t *score, *tip;

  g_assert_cmpint (first->status, ==, 200);
  g_assert_cmpstr (json_string_value (json_object_get (task, "id")), ==, "photo");
  g_assert_cmpstr (json_string_value (json_object_get (task, "kind")), ==, "classify");
  g_assert_null (json_object_get (task, "gold"));
  g_assert_null (json_object_get (task, "explanation"));
  g_assert_cmpuint (json_array_size (json_object_get (task, "choices")), ==, 3);
  g_assert_true (json_is_false (json_object_get (task, "multiple")));
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (task, "image")),
                                   "/api/v1/media/"));
  media_path = g_strdup (json_string_value (json_object_get (task, "image")));
  media = http (&lab->s, "GET", media_path, lab->ann, NULL, NULL);
  g_assert_cmpint (media->status, ==, 200);
  g_assert_cmpuint (media->body_length, >, 1000);

  /* Answers outside the task's choices, or two where one is asked, are refused. */
  unknown = submit (lab, lease, "k1", "[\"koe\"]");
  g_assert_cmpint (unknown->status, ==, 400);
  g_assert_cmpstr (error_code (unknown), ==, "invalid_result");
  g_assert_nonnull (strstr (error_message (unknown), "\"koe\""));
  two = submit (lab, lease, "k2", "[\"kat\",\"hond\"]");
  g_assert_cmpint (two->status, ==, 400);
  g_assert_nonnull (strstr (error_message (two), "exactly one choice"));

  /* The practice task is scored at once; the feedback names the expected choice. */
  wrong = submit (lab, lease, "k3", "[\"hond\"]");
  g_assert_cmpint (wrong->status, ==, 200);
  score = json_object_get (wrong->json, "score");
  g_assert_cmpstr (json_string_value (json_object_get (score, "kind")), ==, "classify");
  g_assert_cmpfloat (json_number_value (json_object_get (score, "score")), ==, 0);
  tip = json_object_get (json_object_get (score, "feedback"), "tip");
  g_assert_cmpstr (json_string_value (json_object_get (tip, "code")), ==, "expected_choice");
  g_assert_cmpstr (json_string_value (json_object_get (tip, "expected")), ==, "kat");
  g_assert_true (json_equal (json_object_get (wrong->json, "reference"), want_reference));
  json_decref (want_reference);

  /* A recording where several may apply: none is an answer too. */
  second = http (&lab->s, "POST", "/api/v1/lease", lab->ann, NULL, NULL);
  task = json_object_get (second->json, "task");
  g_assert_cmpstr (json_string_value (json_object_get (task, "id")), ==, "sound");
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (task, "audio")),
                                   "/api/v1/media/"));
  g_assert_true (json_is_true (json_object_get (task, "multiple")));
  none = submit (lab, json_string_value (json_object_get (json_object_get (second->json, "lease"),
                                                          "id")), "k4", "[]");
  g_assert_cmpint (none->status, ==, 200);

  /* The coach sees the tasks done and the practice score among the figures. */
  people = http (&lab->s, "GET", "/api/v1/participants", lab->kim, NULL, NULL);
  g_assert_cmpint (people->status, ==, 200);
  {
    json_t *p = json_array_get (json_object_get (people->json, "participants"), 0);
    g_assert_cmpint (json_integer_value (json_object_get (p, "tasks_today")), ==, 2);
    g_assert_nonnull (json_object_get (p, "quality_trend"));
  }
  {
    g_autoptr (Reply) history = http (&lab->s, "GET", "/api/v1/participants/1/history", lab->kim,
                                      NULL, NULL);
    json_t *day = json_array_get (json_object_get (history->json, "days"), 0);
    g_assert_cmpint (history->status, ==, 200);
    g_assert_cmpint (json_integer_value (json_object_get (day, "tasks")), ==, 2);
    /* Only the practice task was scored, and its answer was wrong. */
    g_assert_true (json_is_number (json_object_get (day, "quality")));
    g_assert_cmpfloat (json_number_value (json_object_get (day, "quality")), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/classify-server/over-http", Lab, NULL, lab_set_up, test_classify_over_http,
              lab_tear_down);
  return g_test_run ();
}
