/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Subtitle review through a real SQLite queue: the demo programme's WebVTT
 * (and the same cues as SRT) in, one task per cue with its gold, reviews
 * by three participants, the corrected programme out as WebVTT and SRT
 * with its report, and back in; malformed input refused by record. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "al-export.h"
#include "al-quality.h"
#include "al-work-record.h"

typedef struct
{
  char *dir;
  char *demo;
  AlStore *store;
  gint64 now;
} Fixture;

static gint64
fake_clock (gpointer data)
{
  return ((Fixture *) data)->now += 1000;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = g_dir_make_tmp ("annolab-subtitles-XXXXXX", &error);
  f->demo = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo", "programme",
                              NULL);
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
  g_free (f->demo);
}

static char *
demo_file (Fixture    *f,
           const char *name)
{
  return g_build_filename (f->demo, name, NULL);
}

static char *
read_file (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static gboolean
import (Fixture    *f,
        AlStore    *store,
        const char *path,
        const char *dataset,
        const char *gold,
        GError    **error)
{
  g_autofree char *media = demo_file (f, "programme.wav");
  AlImportOptions options = { .dataset = dataset, .media = media, .gold = gold,
                              .language = "en", .media_root = f->demo };
  guint count = 0;
  return al_format_import (store, path, NULL, &options, &count, error);
}

static void
import_demo (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *vtt = demo_file (f, "programme.vtt");
  g_autofree char *gold = demo_file (f, "programme.gold.vtt");

  g_assert_true (import (f, f->store, vtt, "programme", gold, &error));
  g_assert_no_error (error);
}

/* The task of @id, as the store keeps it. */
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

/* One review: what a worker does to each cue, by cue number. */
typedef struct
{
  const char *verdict;
  const char *text;   /* NULL: the cue's own */
  double start_shift; /* seconds */
  double end_shift;
} Review;

static void
review_all (Fixture      *f,
            const char   *name,
            const Review *by_cue)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) user = al_store_ensure_user (f->store, name, "participant", NULL, &error);

  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr (AlTask) task = al_store_lease (f->store, user, &error);
      g_autoptr (json_t) result = NULL;
      g_autoptr (json_t) response = NULL;
      const Review *r;
      int cue;

      g_assert_no_error (error);
      if (task == NULL)
        break;
      g_assert_cmpint (task->kind, ==, AL_TASK_KIND_SUBTITLE_REVIEW);
      cue = atoi (strrchr (task->id, '-') + 1);
      r = &by_cue[cue - 1];
      result = json_pack ("{s:s,s:s,s:f,s:f}", "verdict", r->verdict, "text",
                          r->text ? r->text : task->subtitle, "start",
                          task->start + r->start_shift, "end", task->end + r->end_shift);
      response = al_store_submit (f->store, user, task->lease_id, task->id, result, 900, &error);
      g_assert_no_error (error);
    }
}

static const Review right[] = {
  { "correct" }, { "text", "He was not an ill disposed young man." }, { "correct" },
  { "timing", NULL, -0.5, -0.3 }, { "text", "He might even have been made amiable himself." },
};
/* Missed the timing, and typed "young men". */
static const Review hasty[] = {
  { "correct" }, { "text", "He was not an ill disposed young men." }, { "correct" },
  { "correct" }, { "text", "He might even have been made amiable himself." },
};
static const Review slow[] = {
  { "correct" }, { "text", "He was not an ill disposed young man." }, { "correct" },
  { "timing", NULL, -0.6, -0.3 }, { "text", "He might even have been made amiable himself." },
};

static void
test_import (Fixture      *f,
             gconstpointer data)
{
  static const char *const verdicts[] = { "correct", "text", "correct", "timing", "text" };

  import_demo (f);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("programme-cue-%u", i + 1);
      g_autoptr (AlTask) t = task_by_id (f->store, id);
      g_assert_cmpint (t->media_type, ==, AL_TASK_MEDIA_AUDIO);
      g_assert_cmpstr (t->language, ==, "en");
      g_assert_true (al_task_is_listening (t));
      g_assert_cmpstr (json_string_value (json_object_get (t->gold, "verdict")), ==, verdicts[i]);
      if (i == 1)
        {
          g_assert_cmpstr (t->subtitle, ==, "He was not an ill disposed old man.");
          g_assert_cmpfloat_with_epsilon (t->start, 7.5, 1e-9);
          g_assert_cmpfloat_with_epsilon (t->end, 10.49, 1e-9);
        }
      if (i == 3)
        g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (t->gold, "start")),
                                        16.59, 1e-9);
    }
}

/* The same cues as SRT give the same tasks. */
static void
test_srt (Fixture      *f,
          gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *srt = g_build_filename (f->dir, "programme.srt", NULL);
  g_autofree char *path = g_build_filename (f->demo, "programme.vtt", NULL);
  g_autofree char *vtt = read_file (path);
  g_autoptr (GString) s = g_string_new (strstr (vtt, "1\n"));
  g_autoptr (AlTask) task = NULL;

  /* SRT has no header and a comma before the milliseconds, and CRLF. */
  for (gsize i = 0; i < s->len; i++)
    if (s->str[i] == '.' && i > 8 && s->str[i - 3] == ':' && g_ascii_isdigit (s->str[i + 1]))
      s->str[i] = ',';
  g_string_replace (s, "\n", "\r\n", 0);
  g_assert_true (g_file_set_contents (srt, s->str, -1, NULL));
  g_assert_true (import (f, f->store, srt, "srt", NULL, &error));
  g_assert_no_error (error);
  task = task_by_id (f->store, "srt-cue-4");
  g_assert_cmpfloat_with_epsilon (task->start, 17.09, 1e-9);
  g_assert_cmpfloat_with_epsilon (task->end, 22.94, 1e-9);
  g_assert_null (task->gold);
}

static void
refused (Fixture    *f,
         const char *text,
         const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "bad.vtt", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_false (import (f, f->store, path, "bad", NULL, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, expected) == NULL)
    g_error ("\"%s\" does not say \"%s\"", error->message, expected);
}

static void
test_malformed (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) user = NULL;
  g_autoptr (AlTask) task = NULL;
  g_autoptr (json_t) bad = NULL;
  g_autoptr (json_t) gold = NULL;

  refused (f, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n\n00:00:05.000 --> 00:00:04.000\nB\n",
           "cue 2 (line 6): the cue ends before it starts");
  refused (f, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n\n00:00:20.000 --> 00:00:30.000\nB\n",
           "cue 2 (line 6): the cue ends at 30.000 s, after the end of");
  refused (f, "WEBVTT\n\n00:00:01.000 --> 00:00:02\nA\n",
           "cue 1 (line 3): \"00:00:01.000 --> 00:00:02\" is not a timing line");
  refused (f, "WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nA\n",
           "cue 1 (line 3): there is no timing line");
  refused (f, "WEBVTT\n\nNOTE only a note\n", "holds no cues");

  /* Nothing of a refused file stays. */
  user = al_store_ensure_user (f->store, "ans", "participant", NULL, &error);
  g_assert_null (al_store_lease (f->store, user, &error));
  g_assert_no_error (error);

  /* An unknown verdict, as an answer and as gold. */
  import_demo (f);
  task = al_store_lease (f->store, user, &error);
  bad = json_pack ("{s:s,s:s,s:f,s:f}", "verdict", "maybe", "text", "x", "start", 1.0, "end", 2.0);
  g_assert_null (al_store_submit (f->store, user, task->lease_id, task->id, bad, 900, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "\"verdict\" must be \"correct\", \"text\" or \"timing\""));
  g_clear_error (&error);
  gold = json_pack ("{s:s,s:s,s:s,s:f,s:f,s:s,s:{s:s,s:s,s:f,s:f}}", "id", "c7", "kind",
                    "subtitle-review", "audio", "/x.wav", "start", 1.0, "end", 2.0, "subtitle",
                    "A", "gold", "verdict", "wrong", "text", "A", "start", 1.0, "end", 2.0);
  g_assert_null (al_task_new_from_json (gold, NULL, &error));
  g_assert_cmpstr (error->message, ==, "task c7: gold: the answer: \"verdict\" must be "
                                       "\"correct\", \"text\" or \"timing\"");
}

static void
check_parses (const char *path)
{
  g_autofree char *gst = g_find_program_in_path ("gst-launch-1.0");
  g_autofree char *cmd = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (gst == NULL)
    return;
  cmd = g_strdup_printf ("%s -q filesrc location='%s' ! subparse ! fakesink", gst, path);
  g_assert_true (g_spawn_command_line_sync (cmd, &out, &err, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL) || (err && *err))
    g_error ("subparse refused %s: %s", path, err);
}

/* Three reviews, the consensus out as WebVTT and SRT and back in. */
static void
test_round_trip (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *srt_out = g_build_filename (f->dir, "srt", NULL);
  g_autofree char *vtt = g_build_filename (out, "programme.vtt", NULL);
  g_autofree char *srt = g_build_filename (srt_out, "programme.srt", NULL);
  g_autofree char *report = g_build_filename (out, "programme.changes.txt", NULL);
  g_autofree char *expected_path = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "tests",
                                                     "subtitles", "programme.reviewed.vtt", NULL);
  g_autofree char *expected = read_file (expected_path);
  g_autofree char *written = NULL;
  g_autofree char *changes = NULL;
  AlExportOptions options = { .consensus = TRUE };
  g_autoptr (AlTask) task = NULL;

  import_demo (f);
  review_all (f, "ans", right);
  review_all (f, "bram", hasty);
  review_all (f, "chris", slow);
  g_assert_true (al_format_export (f->store, "webvtt", &options, out, &error));
  g_assert_no_error (error);
  written = read_file (vtt);
  g_assert_cmpstr (written, ==, expected);
  changes = read_file (report);
  g_test_message ("%s", changes);
  g_assert_nonnull (strstr (changes, "programme.wav: 5 cues, 3 changed\n"));
  g_assert_nonnull (strstr (changes, "cue 2 00:00:07.500 --> 00:00:10.490: text corrected (3 of 3 "
                                     "reviewers); text \"He was not an ill disposed old "
                                     "man.\" -> \"He was not an ill disposed young man.\"\n"));
  g_assert_nonnull (strstr (changes, "cue 4 00:00:17.090 --> 00:00:22.940: timing corrected "
                                     "(2 of 3 reviewers); now 00:00:16.540 --> 00:00:22.640\n"));
  g_assert_nonnull (strstr (changes, "cue 1 00:00:00.000 --> 00:00:07.100: correct (3 of 3 "
                                     "reviewers)\n"));
  /* The reviewer's work record names the work. */
  {
    g_autoptr (AlUser) ans = al_store_ensure_user (f->store, "ans", "participant", NULL, &error);
    g_autoptr (json_t) record = al_work_record_build (f->store, ans, &error);
    g_autofree char *html = al_work_record_to_html (record);
    g_autofree char *json = json_dumps (json_object_get (record, "skills"), JSON_COMPACT);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (json, "{\"skill\":\"subtitle-review\",\"tasks\":5}"));
    g_assert_nonnull (strstr (html, "Subtitle reviews"));
    g_assert_nonnull (strstr (html, "Checking subtitles against the sound"));
  }
  g_assert_true (al_format_export (f->store, "srt", &options, srt_out, &error));
  g_assert_no_error (error);
  check_parses (vtt);
  check_parses (srt);

  /* Back in: the corrected cues are the new programme. */
  g_assert_true (import (f, f->store, srt, "again", NULL, &error));
  g_assert_no_error (error);
  task = task_by_id (f->store, "again-cue-4");
  g_assert_cmpfloat_with_epsilon (task->start, 16.54, 1e-9);
  g_assert_cmpfloat_with_epsilon (task->end, 22.64, 1e-9);
  g_clear_pointer (&task, al_task_unref);
  task = task_by_id (f->store, "again-cue-5");
  g_assert_cmpstr (task->subtitle, ==, "He might even have been made amiable himself.");
}

/* Verdict agreement and the WER of the text the reviewer left. */
static void
test_score (Fixture      *f,
            gconstpointer data)
{
  g_autoptr (AlTask) task = NULL;
  g_autoptr (json_t) hasty_answer = NULL;
  g_autoptr (json_t) score = NULL;
  g_autoptr (json_t) right_answer = NULL;
  g_autoptr (json_t) right_score = NULL;

  import_demo (f);
  task = task_by_id (f->store, "programme-cue-2");
  hasty_answer = json_pack ("{s:s,s:s,s:f,s:f}", "verdict", "text", "text",
                            "He was not an ill disposed young men.", "start", 7.5, "end", 10.49);
  score = al_quality_score (task, hasty_answer, NULL);
  g_assert_cmpint (json_integer_value (json_object_get (score, "verdict_agrees")), ==, 1);
  /* One word of eight. */
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (score, "wer")), 0.125, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (score, "score")),
                                  (1 + 0.875) / 2, 1e-9);
  right_answer = json_pack ("{s:s,s:s,s:f,s:f}", "verdict", "correct", "text", task->subtitle,
                            "start", 7.5, "end", 10.49);
  right_score = al_quality_score (task, right_answer, NULL);
  g_assert_cmpint (json_integer_value (json_object_get (right_score, "verdict_agrees")), ==, 0);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (json_object_get (
                     right_score, "feedback"), "tip"), "code")), ==, "cue_text_wrong");
}

/* A lab database from before subtitle review (schema 2) takes them once
 * opened, keeping its tasks. */
static void
test_older_database (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_strdup (al_store_get_path (f->store));
  g_autofree char *sql = NULL;
  g_autofree char *cmd = NULL;
  g_autoptr (AlTask) task = NULL;

  g_clear_pointer (&f->store, al_store_unref);
  sql = g_strdup_printf ("sqlite3 '%s' \"PRAGMA writable_schema=ON; UPDATE sqlite_schema SET "
                         "sql = replace(sql, ',''subtitle-review'',''video-boxes'')', ')') WHERE name = 'tasks'; "
                         "PRAGMA writable_schema=OFF; PRAGMA user_version=2;\"", db);
  g_assert_cmpint (system (sql), ==, 0);
  cmd = g_strdup_printf ("sqlite3 '%s' \"INSERT INTO tasks(id, kind, data, created_at) VALUES "
                         "('x', 'subtitle-review', '{}', 0)\" 2>/dev/null", db);
  g_assert_cmpint (system (cmd), !=, 0);
  f->store = al_store_open (db, &error);
  g_assert_no_error (error);
  import_demo (f);
  task = task_by_id (f->store, "programme-cue-3");
  g_assert_cmpint (task->kind, ==, AL_TASK_KIND_SUBTITLE_REVIEW);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/subtitle-review/import", test_import);
  ADD ("/subtitle-review/srt", test_srt);
  ADD ("/subtitle-review/malformed", test_malformed);
  ADD ("/subtitle-review/round-trip", test_round_trip);
  ADD ("/subtitle-review/score", test_score);
  ADD ("/subtitle-review/older-database", test_older_database);
  return g_test_run ();
}
