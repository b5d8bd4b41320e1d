/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Subtitle review on the real annolab-queue over HTTP: a programme
 * imported with its subtitles, a cue as a participant sees it, and
 * reviews checked before they are kept. */
#include "config.h"

#include <string.h>

#include "server-harness.h"

typedef struct
{
  Server s;
  char *ann;
} Lab;

static void
lab_set_up (Lab          *lab,
            gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-subtitle-server-XXXXXX", NULL);
  g_autofree char *db = harness_db (dir);
  g_autofree char *vtt = g_build_filename (dir, "programme.vtt", NULL);
  g_autofree char *wav = g_build_filename (dir, "programme.wav", NULL);

  harness_copy_demo (dir, "programme/programme.vtt", "programme.vtt");
  harness_copy_demo (dir, "programme/programme.wav", "programme.wav");
  g_free (harness_run (db, "import", vtt, "--media", wav, "--language", "en", NULL));
  lab->ann = harness_add_user (db, "ann", "participant", "a");
  server_start (&lab->s, dir);
}

static void
lab_tear_down (Lab          *lab,
               gconstpointer data)
{
  server_cleanup (&lab->s);
  g_free (lab->ann);
}

static Reply *
submit (Lab        *lab,
        const char *lease_id,
        const char *key,
        const char *result)
{
  g_autofree char *body = g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"%s\","
                                           "\"lead_time_ms\":1500,\"result\":%s}",
                                           lease_id, key, result);
  return http (&lab->s, "POST", "/api/v1/results", lab->ann, body, NULL);
}

static const char *
error_message (Reply *r)
{
  return json_string_value (json_object_get (json_object_get (r->json, "error"), "message"));
}

static void
test_review_over_http (Lab          *lab,
                       gconstpointer data)
{
  g_autoptr (Reply) first = http (&lab->s, "POST", "/api/v1/lease", lab->ann, NULL, NULL);
  json_t *task = json_object_get (first->json, "task");
  const char *lease = json_string_value (json_object_get (json_object_get (first->json, "lease"),
                                                          "id"));
  g_autoptr (Reply) unknown = NULL;
  g_autoptr (Reply) backwards = NULL;
  g_autoptr (Reply) good = NULL;
  g_autoptr (Reply) media = NULL;

  g_assert_cmpint (first->status, ==, 200);
  g_assert_cmpstr (json_string_value (json_object_get (task, "id")), ==, "programme-cue-1");
  g_assert_cmpstr (json_string_value (json_object_get (task, "kind")), ==, "subtitle-review");
  g_assert_cmpstr (json_string_value (json_object_get (task, "language")), ==, "en");
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (task, "subtitle")),
                                   "And Mister John Dashwood"));
  g_assert_cmpfloat (json_number_value (json_object_get (task, "end")), ==, 7.1);
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (task, "audio")),
                                   "/api/v1/media/"));
  media = http (&lab->s, "GET", json_string_value (json_object_get (task, "audio")), lab->ann,
                NULL, NULL);
  g_assert_cmpint (media->status, ==, 200);
  g_assert_cmpuint (media->body_length, >, 800000);

  unknown = submit (lab, lease, "k1", "{\"verdict\":\"maybe\",\"text\":\"x\",\"start\":0,"
                                      "\"end\":7.1}");
  g_assert_cmpint (unknown->status, ==, 400);
  g_assert_nonnull (strstr (error_message (unknown), "\"verdict\" must be \"correct\", \"text\" "
                                                     "or \"timing\""));
  backwards = submit (lab, lease, "k2", "{\"verdict\":\"timing\",\"text\":\"x\",\"start\":5,"
                                        "\"end\":4}");
  g_assert_cmpint (backwards->status, ==, 400);
  g_assert_nonnull (strstr (error_message (backwards), "end after start"));
  good = submit (lab, lease, "k3", "{\"verdict\":\"timing\",\"text\":\"x\",\"start\":0.1,"
                                   "\"end\":7}");
  g_assert_cmpint (good->status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/subtitle-server/over-http", Lab, NULL, lab_set_up, test_review_over_http,
              lab_tear_down);
  return g_test_run ();
}
