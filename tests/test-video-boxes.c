/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Boxes on video through a real SQLite queue and the real GStreamer
 * decoder: a task list with a video-boxes task in, its frame rate read
 * from the video; tracks submitted, exported as CVAT for video 1.1 XML and
 * MOTChallenge text, and the XML back in as gold; malformed tracks and an
 * undecodable video refused by record; and the demo clip's tracks against
 * its exact gold. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <math.h>
#include <string.h>

#include "al-export.h"
#include "al-feedback.h"
#include "al-quality.h"
#include "al-track.h"
#include "al-video-frames.h"

typedef struct
{
  char *dir;
  char *video;
  char *gold_xml;
  AlStore *store;
  gint64 now;
} Fixture;

static gint64
fake_clock (gpointer data)
{
  return ((Fixture *) data)->now += 1000;
}

static gboolean
check_video (const char       *path,
             gpointer          data,
             AlVideoCheckInfo *info,
             GError          **error)
{
  AlVideoInfo v;

  if (!al_video_probe (path, &v, error))
    return FALSE;
  info->fps = v.fps;
  info->duration = v.duration;
  info->width = v.width;
  info->height = v.height;
  return TRUE;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  const char *root = g_getenv ("ANNOLAB_SOURCE_ROOT");

  f->dir = g_dir_make_tmp ("annolab-video-boxes-XXXXXX", &error);
  f->video = g_build_filename (root, "data", "demo", "video", "camera-pan.webm", NULL);
  f->gold_xml = g_build_filename (root, "data", "demo", "video", "camera-pan.gold.xml", NULL);
  f->now = 1700000000000;
  db = g_build_filename (f->dir, "lab.db", NULL);
  f->store = al_store_open (db, &error);
  g_assert_no_error (error);
  al_store_set_clock (f->store, fake_clock, f);
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0", &error));
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_clear_pointer (&f->store, al_store_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->video);
  g_free (f->gold_xml);
}

static gboolean
import (Fixture    *f,
        const char *path,
        const char *format,
        const char *dataset,
        GError    **error)
{
  AlImportOptions options = { .dataset = dataset, .media = f->video,
                              .media_root = g_getenv ("ANNOLAB_SOURCE_ROOT"),
                              .check_video = check_video };
  guint count = 0;
  return al_format_import (f->store, path, format, &options, &count, error);
}

static char *
write_tasks (Fixture    *f,
             const char *name,
             json_t     *task)
{
  g_autofree char *line = json_dumps (task, JSON_COMPACT);
  char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *text = g_strconcat (line, "\n", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  json_decref (task);
  return path;
}

static AlTask *
task_by_id (AlStore    *store,
            const char *id)
{
  g_autoptr (GError) error = NULL;
  AlExportOptions options = { 0 };
  g_autoptr (AlExport) export = al_export_collect (store, &options, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < export->tasks->len; i++)
    if (g_str_equal (((AlTask *) export->tasks->pdata[i])->id, id))
      return al_task_ref (export->tasks->pdata[i]);
  g_error ("no task %s", id);
}

/* Leases the next task as @name and submits @result; the store's answer. */
static json_t *
submit (Fixture    *f,
        const char *name,
        json_t     *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) user = al_store_ensure_user (f->store, name, "participant", NULL, &error);
  g_autoptr (AlTask) task = al_store_lease (f->store, user, &error);
  json_t *response;

  g_assert_no_error (error);
  g_assert_nonnull (task);
  g_assert_cmpint (task->kind, ==, AL_TASK_KIND_VIDEO_BOXES);
  response = al_store_submit (f->store, user, task->lease_id, task->id, result, 900, &error);
  g_assert_no_error (error);
  json_decref (result);
  return response;
}

static char *
only_file (const char *dir,
           const char *ext)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ext))
      {
        g_assert_null (found);
        found = g_build_filename (dir, name, NULL);
      }
  g_assert_nonnull (found);
  return found;
}

static char *
export_to (Fixture    *f,
           const char *format,
           const char *ext)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (f->dir, format, NULL);
  AlExportOptions options = { .annotator = "ann" };

  g_assert_true (al_format_export (f->store, format, &options, dir, &error));
  g_assert_no_error (error);
  return only_file (dir, ext);
}

/* Two keyframes, the stretch between them interpolated, out of sight at
 * 2 s and back at 3 s. */
static json_t *
two_keyframes (void)
{
  return json_pack ("{s:[{s:s,s:[{s:f,s:f,s:f,s:f,s:f,s:b},{s:f,s:f,s:f,s:f,s:f,s:b},"
                    "{s:f,s:f,s:f,s:f,s:f,s:b},{s:f,s:f,s:f,s:f,s:f,s:b}]}]}",
                    "tracks", "label", "camera", "keyframes",
                    "t", 0.0, "x", 72.0, "y", 36.0, "w", 74.0, "h", 56.0, "outside", FALSE,
                    "t", 1.0, "x", 32.0, "y", 36.0, "w", 74.0, "h", 56.0, "outside", FALSE,
                    "t", 2.0, "x", 32.0, "y", 36.0, "w", 74.0, "h", 56.0, "outside", TRUE,
                    "t", 3.0, "x", 10.0, "y", 20.0, "w", 50.0, "h", 40.0, "outside", FALSE);
}

static void
test_round_trip (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *list = write_tasks (f, "clips.jsonl",
                                       json_pack ("{s:s,s:s,s:s,s:[ss]}", "id", "pan", "kind",
                                                  "video-boxes", "video", f->video, "labels",
                                                  "camera", "persoon"));
  g_autoptr (AlTask) task = NULL;
  g_autoptr (AlTask) back = NULL;
  g_autoptr (json_t) response = NULL;
  g_autoptr (json_t) sent = two_keyframes ();
  g_autofree char *xml = NULL;
  g_autofree char *mot = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  AlImportOptions options = { 0 };

  g_assert_true (import (f, list, "jsonl", NULL, &error));
  g_assert_no_error (error);
  task = task_by_id (f->store, "pan");
  /* Read from the video itself. */
  g_assert_cmpfloat_with_epsilon (task->fps, 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (task->end, 4, 1e-3);
  g_assert_cmpint (task->width, ==, 160);
  g_assert_cmpint (task->height, ==, 120);

  /* An answer out of order, or off the picture, is refused, naming the
   * track and keyframe, and the lease stays. */
  {
    g_autoptr (AlUser) user = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);
    g_autoptr (AlTask) leased = al_store_lease (f->store, user, &error);
    g_autoptr (json_t) late = json_deep_copy (sent);
    g_autoptr (json_t) off = json_deep_copy (sent);
    json_t *keys = json_object_get (json_array_get (json_object_get (late, "tracks"), 0),
                                    "keyframes");
    json_object_set_new (json_array_get (keys, 2), "t", json_real (0.5));
    keys = json_object_get (json_array_get (json_object_get (off, "tracks"), 0), "keyframes");
    json_object_set_new (json_array_get (keys, 1), "x", json_real (500));
    g_assert_null (al_store_submit (f->store, user, leased->lease_id, leased->id, late, 900,
                                    &error));
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "track 1, keyframe 3 (at 0.5 s) is not after"));
    g_clear_error (&error);
    g_assert_null (al_store_submit (f->store, user, leased->lease_id, leased->id, off, 900,
                                    &error));
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "track 1, keyframe 2 lies outside the 160×120"));
    g_clear_error (&error);
  }
  response = submit (f, "ann", json_deep_copy (sent));
  xml = export_to (f, "cvat-video", ".xml");
  g_assert_true (g_file_get_contents (xml, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<version>1.1</version>"));
  g_assert_nonnull (strstr (text, "<mode>interpolation</mode>"));
  g_assert_nonnull (strstr (text, "<box frame=\"5\" keyframe=\"0\" outside=\"0\" occluded=\"0\" "
                                  "xtl=\"52.00\" ytl=\"36.00\" xbr=\"126.00\" ybr=\"92.00\""));
  g_assert_nonnull (strstr (text, "<box frame=\"20\" keyframe=\"1\" outside=\"1\""));
  g_assert_null (strstr (text, "<box frame=\"25\""));
  g_clear_pointer (&text, g_free);

  /* MOT: frames from 1, one line per frame in sight: frames 1-20 and
   * 31-40. */
  mot = export_to (f, "mot", ".txt");
  g_assert_true (g_file_get_contents (mot, &text, NULL, NULL));
  lines = g_strsplit (g_strchomp (text), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 30);
  g_assert_cmpstr (lines[0], ==, "1,1,72.00,36.00,74.00,56.00,1,-1,-1,-1");
  g_assert_cmpstr (lines[5], ==, "6,1,52.00,36.00,74.00,56.00,1,-1,-1,-1");
  g_assert_cmpstr (lines[19], ==, "20,1,32.00,36.00,74.00,56.00,1,-1,-1,-1");
  g_assert_cmpstr (lines[20], ==, "31,1,10.00,20.00,50.00,40.00,1,-1,-1,-1");

  /* The XML back in as gold gives the same keyframes. */
  options.dataset = "back";
  options.media = f->video;
  options.media_root = g_getenv ("ANNOLAB_SOURCE_ROOT");
  options.check_video = check_video;
  g_assert_true (al_format_import (f->store, xml, "cvat-video", &options, NULL, &error));
  g_assert_no_error (error);
  back = task_by_id (f->store, "back-camera-pan");
  g_assert_nonnull (back->gold);
  {
    g_autoptr (GPtrArray) a = al_tracks_from_json (sent, NULL, "sent", &error);
    g_autoptr (GPtrArray) b = al_tracks_from_json (back->gold, NULL, "gold", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (b->len, ==, 1);
    g_assert_cmpstr (((AlTrack *) b->pdata[0])->label, ==, "camera");
    g_assert_cmpuint (((AlTrack *) b->pdata[0])->keys->len, ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        AlTrackKey *x = &g_array_index (((AlTrack *) a->pdata[0])->keys, AlTrackKey, i);
        AlTrackKey *y = &g_array_index (((AlTrack *) b->pdata[0])->keys, AlTrackKey, i);
        g_assert_cmpfloat_with_epsilon (x->t, y->t, 1e-9);
        g_assert_cmpfloat_with_epsilon (x->x, y->x, 1e-9);
        g_assert_cmpfloat_with_epsilon (x->w, y->w, 1e-9);
        g_assert_cmpint (x->outside, ==, y->outside);
      }
  }
}

/* A span of the video: CVAT counts the video's frames, MOT the span's. */
static void
test_span (Fixture      *f,
           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *list = write_tasks (f, "span.jsonl",
                                       json_pack ("{s:s,s:s,s:s,s:[s],s:f,s:f}", "id", "mid",
                                                  "kind", "video-boxes", "video", f->video,
                                                  "labels", "camera", "start", 1.0, "end", 3.0));
  g_autofree char *xml = NULL;
  g_autofree char *mot = NULL;
  g_autofree char *text = NULL;
  g_autofree char *lines = NULL;
  g_autoptr (AlTask) back = NULL;
  AlImportOptions options = { .dataset = "back", .media = f->video,
                              .media_root = g_getenv ("ANNOLAB_SOURCE_ROOT"),
                              .check_video = check_video };

  g_assert_true (import (f, list, "jsonl", NULL, &error));
  g_assert_no_error (error);
  json_decref (submit (f, "ann", json_pack ("{s:[{s:s,s:[{s:f,s:i,s:i,s:i,s:i},"
                                            "{s:f,s:i,s:i,s:i,s:i}]}]}", "tracks", "label",
                                            "camera", "keyframes", "t", 1.0, "x", 10, "y", 10,
                                            "w", 20, "h", 20, "t", 2.0, "x", 30, "y", 10, "w",
                                            20, "h", 20)));
  xml = export_to (f, "cvat-video", ".xml");
  g_assert_true (g_file_get_contents (xml, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<start_frame>10</start_frame>"));
  g_assert_nonnull (strstr (text, "<stop_frame>29</stop_frame>"));
  g_assert_nonnull (strstr (text, "<box frame=\"10\" keyframe=\"1\""));
  g_assert_nonnull (strstr (text, "<box frame=\"15\" keyframe=\"0\" outside=\"0\" occluded=\"0\" "
                                  "xtl=\"20.00\""));
  g_assert_null (strstr (text, "<box frame=\"9\""));
  mot = export_to (f, "mot", ".txt");
  g_assert_true (g_file_get_contents (mot, &lines, NULL, NULL));
  g_assert_true (g_str_has_prefix (lines, "1,1,10.00,10.00,20.00,20.00,1,-1,-1,-1\n"
                                          "2,1,12.00,10.00,20.00,20.00,1,-1,-1,-1\n"));
  g_assert_true (al_format_import (f->store, xml, "cvat-video", &options, NULL, &error));
  g_assert_no_error (error);
  back = task_by_id (f->store, "back-camera-pan");
  {
    json_t *keys = json_object_get (json_array_get (json_object_get (back->gold, "tracks"), 0),
                                    "keyframes");
    g_assert_cmpuint (json_array_size (keys), ==, 2);
    g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (json_array_get (keys, 0),
                                                                        "t")), 1.0, 1e-9);
    g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (json_array_get (keys, 1),
                                                                        "t")), 2.0, 1e-9);
  }
}

/* A label's attributes have names too: they are not labels. */
static void
test_cvat_labels (Fixture      *f,
                  gconstpointer data)
{
  static const char xml[] =
    "<annotations><version>1.1</version><meta><task><labels><label><name>car</name>"
    "<attributes><attribute><name>colour</name></attribute></attributes></label>"
    "<label><name>bike</name></label></labels></task></meta>\n"
    "<track id=\"0\" label=\"car\"><box frame=\"0\" outside=\"0\" xtl=\"1\" ytl=\"2\" "
    "xbr=\"9\" ybr=\"8\"/><box frame=\"4\" outside=\"1\" xtl=\"1\" ytl=\"2\" xbr=\"9\" "
    "ybr=\"8\"/></track></annotations>\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) tracks = al_cvat_video_parse (xml, strlen (xml), "t.xml", labels, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (labels->len, ==, 2);
  g_assert_cmpstr (labels->pdata[0], ==, "car");
  g_assert_cmpstr (labels->pdata[1], ==, "bike");
  /* Without keyframe marks every box is a keyframe. */
  g_assert_cmpuint (((AlTrack *) tracks->pdata[0])->keys->len, ==, 2);
  g_assert_true (g_array_index (((AlTrack *) tracks->pdata[0])->keys, AlTrackKey, 1).outside);
  {
    static const char big[] = "<annotations><track id=\"0\" label=\"car\"><box frame=\"1e300\" "
                              "xtl=\"1\" ytl=\"1\" xbr=\"2\" ybr=\"2\"/></track></annotations>";
    g_assert_null (al_cvat_video_parse (big, strlen (big), "big.xml", NULL, &error));
  }
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "a frame number (0 to 10000000)"));
}

static void
expect_refused (Fixture    *f,
                const char *path,
                const char *format,
                const char *part1,
                const char *part2)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (import (f, path, format, "bad", &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (strstr (error->message, part1) == NULL || strstr (error->message, part2) == NULL)
    g_error ("\"%s\" does not say \"%s\" and \"%s\"", error->message, part1, part2);
}

static void
test_malformed (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = NULL;
  g_autofree char *negative = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *garbage = g_build_filename (f->dir, "broken.webm", NULL);
  g_autofree char *xml_order = g_build_filename (f->dir, "order.xml", NULL);
  g_autofree char *xml_size = g_build_filename (f->dir, "size.xml", NULL);
  json_t *gold;

  gold = json_pack ("{s:[{s:s,s:[{s:f,s:i,s:i,s:i,s:i},{s:f,s:i,s:i,s:i,s:i}]}]}", "tracks",
                    "label", "camera", "keyframes", "t", 1.0, "x", 1, "y", 1, "w", 5, "h", 5,
                    "t", 0.5, "x", 1, "y", 1, "w", 5, "h", 5);
  order = write_tasks (f, "order.jsonl",
                       json_pack ("{s:s,s:s,s:s,s:[s],s:o}", "id", "late", "kind", "video-boxes",
                                  "video", f->video, "labels", "camera", "gold", gold));
  expect_refused (f, order, "jsonl", "task late", "keyframe 2 (at 0.5 s) is not after");

  gold = json_pack ("{s:[{s:s,s:[{s:f,s:i,s:i,s:i,s:i}]}]}", "tracks", "label", "camera",
                    "keyframes", "t", 0.0, "x", 1, "y", 1, "w", -5, "h", 5);
  negative = write_tasks (f, "negative.jsonl",
                          json_pack ("{s:s,s:s,s:s,s:[s],s:o}", "id", "shrunk", "kind",
                                     "video-boxes", "video", f->video, "labels", "camera",
                                     "gold", gold));
  expect_refused (f, negative, "jsonl", "task shrunk", "negative size");

  g_assert_true (g_file_set_contents (garbage, "this is not a video, only some words", -1, NULL));
  broken = write_tasks (f, "broken.jsonl",
                        json_pack ("{s:s,s:s,s:s,s:[s]}", "id", "noise", "kind", "video-boxes",
                                   "video", garbage, "labels", "camera"));
  {
    AlImportOptions options = { .media_root = f->dir, .check_video = check_video };
    g_assert_false (al_format_import (f->store, broken, "jsonl", &options, NULL, &error));
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "task noise: The video broken.webm is not a "
                                              "video file that can be played."));
    g_clear_error (&error);
  }
  /* The demo clip cut after a third: its first frame shows, its last not. */
  {
    g_autofree char *clip = NULL;
    g_autofree char *cut_path = g_build_filename (f->dir, "cut.webm", NULL);
    g_autofree char *cut_list = NULL;
    gsize length = 0;
    AlImportOptions options = { .media_root = f->dir, .check_video = check_video };

    g_assert_true (g_file_get_contents (f->video, &clip, &length, NULL));
    g_assert_true (g_file_set_contents (cut_path, clip, length / 3, NULL));
    cut_list = write_tasks (f, "cut.jsonl",
                            json_pack ("{s:s,s:s,s:s,s:[s]}", "id", "short", "kind",
                                       "video-boxes", "video", cut_path, "labels", "camera"));
    g_assert_false (al_format_import (f->store, cut_list, "jsonl", &options, NULL, &error));
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "task short: The video cut.webm is damaged or cut "
                                              "short"));
    g_clear_error (&error);
  }

  g_assert_true (g_file_set_contents (xml_order,
                                      "<annotations><version>1.1</version>\n"
                                      "<track id=\"0\" label=\"camera\">\n"
                                      "<box frame=\"3\" outside=\"0\" xtl=\"1\" ytl=\"1\" "
                                      "xbr=\"9\" ybr=\"9\"/>\n"
                                      "<box frame=\"2\" outside=\"0\" xtl=\"1\" ytl=\"1\" "
                                      "xbr=\"9\" ybr=\"9\"/>\n"
                                      "</track></annotations>\n", -1, NULL));
  expect_refused (f, xml_order, "cvat-video", "line 4, track 1",
                  "the box of frame 2 comes after that of frame 3");
  g_assert_true (g_file_set_contents (xml_size,
                                      "<annotations><version>1.1</version>\n"
                                      "<track id=\"0\" label=\"camera\">\n"
                                      "<box frame=\"3\" outside=\"0\" xtl=\"10\" ytl=\"1\" "
                                      "xbr=\"9\" ybr=\"9\"/>\n"
                                      "</track></annotations>\n", -1, NULL));
  expect_refused (f, xml_size, "cvat-video", "line 3, track 1, frame 3", "negative size");

  /* None of it went in. */
  {
    AlExportOptions options = { 0 };
    g_autoptr (AlExport) export = al_export_collect (f->store, &options, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (export->tasks->len, ==, 0);
  }
}

/* A person's keyframes on the demo clip, where its motion changes. */
static json_t *
demo_keyframes (const int *frames,
                gsize      n)
{
  /* The camera's box in the photo and where the window was, as
   * data/make-demo-clip.py makes the clip. */
  json_t *keys = json_array ();

  for (gsize i = 0; i < n; i++)
    {
      int fr = frames[i];
      int wx = fr <= 14 ? 180 + 4 * fr : fr <= 24 ? 236 + 10 * (fr - 14) : 336 - 9 * (fr - 24);
      double x0 = 252 - wx, y0 = 136 - 100;
      double x1 = MAX (0, x0), x2 = MIN (160, x0 + 74);
      gboolean out = x2 <= x1;
      json_array_append_new (keys, json_pack ("{s:f,s:f,s:f,s:f,s:f,s:b}", "t", fr / 10.0, "x",
                                              out ? 0 : x1, "y", y0, "w", out ? 0 : x2 - x1, "h",
                                              56.0, "outside", out));
    }
  return json_pack ("{s:[{s:s,s:o}]}", "tracks", "label", "camera", "keyframes", keys);
}

/* Mean IoU of MOT lines against the gold, frame by frame, as an outside
 * scorer would read the file. */
static double
mot_mean_iou (const char   *path,
              const AlTask *gold_task,
              guint        *n_gold)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) gold = al_tracks_from_json (gold_task->gold, NULL, "gold", NULL);
  double sum = 0;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (g_strchomp (text), "\n", -1);
  for (guint f = 0; f < 40; f++)
    {
      AlTrackKey g, m = { 0 };
      gboolean found = FALSE;
      if (!al_track_box_at (gold->pdata[0], f / 10.0, 0.05, &g, NULL))
        continue;
      n++;
      for (guint i = 0; lines[i]; i++)
        {
          unsigned frame, id;
          if (sscanf (lines[i], "%u,%u,%lf,%lf,%lf,%lf", &frame, &id, &m.x, &m.y, &m.w, &m.h) ==
                6 && frame == f + 1)
            {
              found = TRUE;
              break;
            }
        }
      sum += found ? al_track_iou (&g, &m) : 0;
    }
  *n_gold = n;
  return n ? sum / n : 0;
}

static void
score_demo (Fixture    *f,
            const char *who,
            const int  *frames,
            gsize       n,
            double      at_least)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) task = task_by_id (f->store, "demo-camera-pan");
  g_autoptr (json_t) result = demo_keyframes (frames, n);
  g_autoptr (json_t) score = al_quality_score (task, result, NULL);
  g_autofree char *dir = g_build_filename (f->dir, who, NULL);
  g_autofree char *mot = NULL;
  AlExportOptions options = { .annotator = who };
  guint n_gold = 0;
  double mean, from_mot;

  g_assert_nonnull (score);
  json_decref (submit (f, who, json_deep_copy (result)));
  g_assert_true (al_format_export (f->store, "mot", &options, dir, &error));
  g_assert_no_error (error);
  mot = only_file (dir, ".txt");
  mean = json_number_value (json_object_get (score, "mean_iou"));
  from_mot = mot_mean_iou (mot, task, &n_gold);
  g_test_message ("demo clip, %s (%zu keyframes): mean IoU %.4f, frames above 0.5 %.3f, "
                  "identity switches %d; from the MOT export: mean IoU %.4f over %u gold frames",
                  who, n, mean, json_number_value (json_object_get (score, "frames_above_half")),
                  (int) json_integer_value (json_object_get (score, "id_switches")), from_mot,
                  n_gold);
  printf ("# demo clip, %s (%zu keyframes): mean IoU %.4f; from the MOT export %.4f over %u "
          "frames\n", who, n, mean, from_mot, n_gold);
  {
    g_autofree char *en = al_feedback_render (json_object_get (score, "feedback"), "en");
    g_autofree char *nl = al_feedback_render (json_object_get (score, "feedback"), "nl");
    g_test_message ("feedback: %s / %s", en, nl);
    g_assert_true (strstr (en, "{") == NULL && strstr (nl, "{") == NULL);
    g_assert_true (strstr (en, "frame") != NULL && strstr (nl, "beeld") != NULL);
  }
  g_assert_cmpfloat (mean, >=, at_least);
  /* The export's two decimals of a pixel are all that differs. */
  g_assert_cmpfloat_with_epsilon (mean, from_mot, 1e-4);
  g_assert_cmpint (json_integer_value (json_object_get (score, "id_switches")), ==, 0);
  g_assert_cmpuint (n_gold, ==, 37);
}

static void
test_demo (Fixture      *f,
           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  static const int every[] = { 0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,
                               13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 26, 27,
                               28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39 };
  static const int careful[] = { 0, 14, 16, 22, 23, 26, 33, 34, 39 };
  static const int hasty[] = { 0, 14, 23, 26, 39 };

  /* Three people do it. */
  AlImportOptions options = { .dataset = "demo", .media = f->video,
                              .media_root = g_getenv ("ANNOLAB_SOURCE_ROOT"),
                              .check_video = check_video, .overlap = 3 };

  g_assert_true (al_format_import (f->store, f->gold_xml, "cvat-video", &options, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr (AlTask) task = task_by_id (f->store, "demo-camera-pan");
    g_assert_cmpfloat_with_epsilon (task->fps, 10, 1e-9);
    g_assert_cmpstr (task->labels[0], ==, "camera");
  }
  score_demo (f, "every-frame", every, G_N_ELEMENTS (every), 1.0 - 1e-9);
  score_demo (f, "careful", careful, G_N_ELEMENTS (careful), 0.99);
  score_demo (f, "hasty", hasty, G_N_ELEMENTS (hasty), 0.5);
}

/* A lab database of schema 4 refused boxes on video in its kind's CHECK:
 * opened, the CHECK is widened in place and the demo clip goes in. */
static void
test_schema_4 (Fixture      *f,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strdup (al_store_get_path (f->store));
  g_autofree char *sql = NULL;
  sqlite3 *raw = NULL;
  sqlite3_stmt *stmt;
  char *message = NULL;
  int cookie;

  g_clear_pointer (&f->store, al_store_unref);
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA schema_version", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  cookie = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sql = g_strdup_printf (
    "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = replace(sql, "
    "'IN (''bbox'',''transcribe'',''classify'',''subtitle-review'',''video-boxes'')', "
    "'IN (''bbox'',''transcribe'',''classify'',''subtitle-review'')') "
    "WHERE name = 'tasks'; PRAGMA schema_version=%d; PRAGMA writable_schema=OFF;"
    "PRAGMA user_version=4;", cookie + 1);
  g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, &message), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO tasks(id, kind, data, created_at) VALUES "
                                      "('x', 'video-boxes', '{}', 0)", NULL, NULL, &message),
                   ==, SQLITE_CONSTRAINT);
  sqlite3_free (message);
  sqlite3_close (raw);

  f->store = al_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (import (f, f->gold_xml, "cvat-video", "demo", &error));
  g_assert_no_error (error);
  {
    g_autoptr (AlTask) task = task_by_id (f->store, "demo-camera-pan");
    g_assert_cmpint (task->kind, ==, AL_TASK_KIND_VIDEO_BOXES);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/video-boxes/round-trip", test_round_trip);
  ADD ("/video-boxes/malformed", test_malformed);
  ADD ("/video-boxes/cvat-labels", test_cvat_labels);
  ADD ("/video-boxes/span", test_span);
  ADD ("/video-boxes/demo", test_demo);
  ADD ("/video-boxes/schema-4", test_schema_4);
  return g_test_run ();
}
