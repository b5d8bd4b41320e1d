/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Boxes on video on the real annolab-queue over HTTP: the demo clip as a
 * practice task with gold tracks, the task as a participant sees it (its
 * frame rate read from the video at import, the video served), answers
 * checked before they are kept, the score and feedback of the tracks, and
 * the coach's figures. */
#include "config.h"

#include <string.h>

#include "server-harness.h"

typedef struct
{
  Server s;
  char *ann;
  char *kim;
} Lab;

static void
lab_set_up (Lab          *lab,
            gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-video-server-XXXXXX", NULL);
  g_autofree char *db = harness_db (dir);
  g_autofree char *src = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo",
                                           "video", "camera-pan.webm", NULL);
  g_autofree char *clip = g_build_filename (dir, "clip.webm", NULL);
  g_autofree char *list = g_build_filename (dir, "clips.jsonl", NULL);
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (src, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (clip, bytes, length, NULL));
  /* The camera from frame 0 to frame 14 of the demo clip, then out of
   * sight: its exact boxes on those frames. */
  g_assert_true (g_file_set_contents (
    list,
    "{\"id\":\"pan\",\"kind\":\"video-boxes\",\"video\":\"clip.webm\",\"labels\":[\"camera\"],"
    "\"training\":true,\"end\":2.3,\"gold\":{\"tracks\":[{\"label\":\"camera\",\"keyframes\":["
    "{\"t\":0,\"x\":72,\"y\":36,\"w\":74,\"h\":56},{\"t\":1.4,\"x\":16,\"y\":36,\"w\":74,"
    "\"h\":56},{\"t\":1.5,\"x\":16,\"y\":36,\"w\":74,\"h\":56,\"outside\":true}]}]}}\n",
    -1, NULL));
  g_free (harness_run (db, "import", list, NULL));
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
        const char *keyframes)
{
  g_autofree char *body = g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"%s\","
                                           "\"lead_time_ms\":1500,\"result\":{\"tracks\":["
                                           "{\"label\":\"camera\",\"keyframes\":[%s]}]}}",
                                           lease_id, key, keyframes);
  return http (&lab->s, "POST", "/api/v1/results", lab->ann, body, NULL);
}

static const char *
error_message (Reply *r)
{
  return json_string_value (json_object_get (json_object_get (r->json, "error"), "message"));
}

static void
test_tracks_over_http (Lab          *lab,
                       gconstpointer data)
{
  g_autoptr (Reply) first = http (&lab->s, "POST", "/api/v1/lease", lab->ann, NULL, NULL);
  json_t *task = json_object_get (first->json, "task");
  const char *lease = json_string_value (json_object_get (json_object_get (first->json, "lease"),
                                                          "id"));
  g_autoptr (Reply) media = NULL;
  g_autoptr (Reply) backwards = NULL;
  g_autoptr (Reply) negative = NULL;
  g_autoptr (Reply) good = NULL;
  g_autoptr (Reply) people = NULL;
  json_t *score;

  g_assert_cmpint (first->status, ==, 200);
  g_assert_cmpstr (json_string_value (json_object_get (task, "kind")), ==, "video-boxes");
  g_assert_cmpfloat (json_number_value (json_object_get (task, "fps")), ==, 10);
  g_assert_cmpint (json_integer_value (json_object_get (task, "width")), ==, 160);
  g_assert_null (json_object_get (task, "gold"));
  g_assert_true (g_str_has_prefix (json_string_value (json_object_get (task, "video")),
                                   "/api/v1/media/"));
  media = http (&lab->s, "GET", json_string_value (json_object_get (task, "video")), lab->ann,
                NULL, NULL);
  g_assert_cmpint (media->status, ==, 200);
  g_assert_cmpuint (media->body_length, >, 10000);

  backwards = submit (lab, lease, "k1", "{\"t\":1,\"x\":1,\"y\":1,\"w\":9,\"h\":9},"
                                        "{\"t\":0.5,\"x\":1,\"y\":1,\"w\":9,\"h\":9}");
  g_assert_cmpint (backwards->status, ==, 400);
  g_assert_nonnull (strstr (error_message (backwards), "track 1, keyframe 2 (at 0.5 s) is not "
                                                       "after keyframe 1"));
  negative = submit (lab, lease, "k2", "{\"t\":0,\"x\":1,\"y\":1,\"w\":9,\"h\":-9}");
  g_assert_cmpint (negative->status, ==, 400);
  g_assert_nonnull (strstr (error_message (negative), "negative size"));

  /* Two keyframes, the camera left 1 s too late. */
  good = submit (lab, lease, "k3", "{\"t\":0,\"x\":72,\"y\":36,\"w\":74,\"h\":56},"
                                   "{\"t\":1.4,\"x\":16,\"y\":36,\"w\":74,\"h\":56},"
                                   "{\"t\":2.0,\"x\":16,\"y\":36,\"w\":74,\"h\":56,"
                                   "\"outside\":true}");
  g_assert_cmpint (good->status, ==, 200);
  score = json_object_get (good->json, "score");
  {
    g_autofree char *text = json_dumps (score, JSON_COMPACT);
    g_test_message ("%s", text);
  }
  g_assert_cmpstr (json_string_value (json_object_get (score, "kind")), ==, "video-boxes");
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (score, "mean_iou")), 1, 1e-9);
  g_assert_cmpint (json_integer_value (json_object_get (score, "extra_frames")), ==, 5);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (
                     json_object_get (score, "feedback"), "tip"), "code")), ==, "track_extra");
  g_assert_nonnull (json_object_get (json_object_get (good->json, "reference"), "tracks"));

  people = http (&lab->s, "GET", "/api/v1/participants", lab->kim, NULL, NULL);
  g_assert_cmpint (people->status, ==, 200);
  {
    json_t *p = json_array_get (json_object_get (people->json, "participants"), 0);
    g_assert_cmpint (json_integer_value (json_object_get (p, "tasks_today")), ==, 1);
  }
  {
    g_autoptr (Reply) history = http (&lab->s, "GET", "/api/v1/participants/1/history", lab->kim,
                                      NULL, NULL);
    json_t *day = json_array_get (json_object_get (history->json, "days"), 0);
    g_assert_cmpint (history->status, ==, 200);
    g_assert_cmpint (json_integer_value (json_object_get (day, "tasks")), ==, 1);
    /* 15 frames right, 5 with a box where the camera had gone: 15 / 20. */
    g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (day, "quality")), 0.75,
                                    1e-6);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/video-server/over-http", Lab, NULL, lab_set_up, test_tracks_over_http,
              lab_tear_down);
  return g_test_run ();
}
