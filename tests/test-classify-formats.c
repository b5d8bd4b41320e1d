/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Classification datasets through a real SQLite queue: a media list and a
 * Label Studio project in, answers of three participants, JSONL, CSV and
 * Label Studio out and back in; malformed input refused by record. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include <sqlite3.h>

#include "al-export.h"

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

static AlStore *
open_store (Fixture    *f,
            const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (f->dir, name, NULL);
  AlStore *store = al_store_open (db, &error);

  g_assert_no_error (error);
  al_store_set_clock (store, fake_clock, f);
  g_assert_true (al_store_set_meta (store, "gold_share", "0", &error));
  return store;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("annolab-classify-XXXXXX", &error);
  f->demo = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo", NULL);
  f->now = 1700000000000;
  f->store = open_store (f, "lab.db");
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
write_file (Fixture    *f,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static char *
read_file (const char *path)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* Each participant answers every task they are given, by task id. */
static void
answer_all (Fixture    *f,
            AlStore    *store,
            const char *name,
            const char *const *by_task)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) user = al_store_ensure_user (store, name, "participant", NULL, &error);

  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr (AlTask) task = al_store_lease (store, user, &error);
      g_autoptr (json_t) result = NULL;
      g_autoptr (json_t) response = NULL;
      const char *choice = NULL;

      g_assert_no_error (error);
      if (task == NULL)
        break;
      for (guint i = 0; by_task[i]; i += 2)
        if (g_str_equal (by_task[i], task->id))
          choice = by_task[i + 1];
      g_assert_nonnull (choice);
      result = json_pack ("{s:[s]}", "choices", choice);
      response = al_store_submit (store, user, task->lease_id, task->id, result, 900, &error);
      g_assert_no_error (error);
    }
}

static AlExport *
collect (AlStore *store,
         gboolean consensus)
{
  g_autoptr (GError) error = NULL;
  AlExportOptions options = { .consensus = consensus };
  AlExport *export = al_export_collect (store, &options, &error);

  g_assert_no_error (error);
  return export;
}

static void
test_round_trip (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = g_strdup_printf ("id,image,gold\n"
                                          "cat,%s/images/chelsea.jpg,\n"
                                          "horse,\"%s/images/horse.png\",paard\n"
                                          "coffee,%s/images/coffee.jpg,\n",
                                          f->demo, f->demo, f->demo);
  g_autofree char *list = write_file (f, "animals.csv", csv);
  g_autofree char *out_csv = g_build_filename (f->dir, "out.csv", NULL);
  g_autofree char *out_ls = g_build_filename (f->dir, "out.json", NULL);
  g_autofree char *out_jsonl = g_build_filename (f->dir, "out.jsonl", NULL);
  g_autofree char *out_cons = g_build_filename (f->dir, "consensus.jsonl", NULL);
  g_autofree char *text = NULL;
  g_autoptr (AlStore) again = NULL;
  g_autoptr (AlExport) back = NULL;
  g_autoptr (AlExport) merged = NULL;
  const char *choices[] = { "kat", "hond", "paard", "geen dier", NULL };
  AlImportOptions options = { .media_root = f->demo, .choices = choices, .overlap = 3,
                              .question = "Welk dier zie je?" };
  AlExportOptions per = { 0 }, consensus = { .consensus = TRUE };
  static const char *const ann[] = { "animals-cat", "kat", "animals-horse", "paard",
                                     "animals-coffee", "geen dier", NULL };
  static const char *const bob[] = { "animals-cat", "kat", "animals-horse", "paard",
                                     "animals-coffee", "hond", NULL };
  static const char *const cem[] = { "animals-cat", "hond", "animals-horse", "paard",
                                     "animals-coffee", "hond", NULL };
  guint count = 0;

  g_assert_true (al_format_import (f->store, list, NULL, &options, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 3);
  answer_all (f, f->store, "Ann", ann);
  answer_all (f, f->store, "Bob", bob);
  answer_all (f, f->store, "Cem", cem);

  /* CSV, one line per answer, in task order. */
  g_assert_true (al_format_export (f->store, "csv", &per, out_csv, &error));
  g_assert_no_error (error);
  text = read_file (out_csv);
  g_assert_true (g_str_has_prefix (text, "task_id,media,participant,choices\r\n"));
  g_assert_nonnull (strstr (text, "animals-coffee,"));
  g_assert_nonnull (strstr (text, "/images/coffee.jpg,Ann,geen dier\r\n"));
  g_assert_nonnull (strstr (text, "/images/coffee.jpg,Cem,hond\r\n"));
  g_clear_pointer (&text, g_free);

  /* JSONL: every answer with its score where there was gold. */
  g_assert_true (al_format_export (f->store, "jsonl", &per, out_jsonl, &error));
  text = read_file (out_jsonl);
  g_assert_nonnull (strstr (text, "\"result\":{\"choices\":[\"geen dier\"]}"));
  g_assert_nonnull (strstr (text, "\"kind\":\"classify\""));
  g_clear_pointer (&text, g_free);

  /* Consensus: the majority and Dawid-Skene both say hond for the coffee
   * (two of three), and Bob, who is always with the majority, is trusted
   * most. */
  g_assert_true (al_format_export (f->store, "jsonl", &consensus, out_cons, &error));
  g_assert_no_error (error);
  merged = collect (f->store, TRUE);
  g_assert_cmpuint (merged->items->len, ==, 3);
  for (guint i = 0; i < merged->items->len; i++)
    {
      AlExportItem *item = merged->items->pdata[i];
      json_t *acc = json_object_get (item->extra, "annotator_accuracy");
      g_assert_cmpstr (json_string_value (json_object_get (item->extra, "method")), ==,
                       "dawid-skene");
      g_assert_cmpuint (json_object_size (acc), ==, 3);
      g_assert_cmpfloat (json_real_value (json_object_get (acc, "Bob")), >,
                         json_real_value (json_object_get (acc, "Cem")));
      g_assert_cmpfloat (json_real_value (json_object_get (acc, "Bob")), >,
                         json_real_value (json_object_get (acc, "Ann")));
      if (g_str_equal (item->task->id, "animals-coffee"))
        g_assert_cmpstr (json_string_value (json_array_get (json_object_get (item->result,
                                                                             "choices"), 0)),
                         ==, "hond");
      if (g_str_equal (item->task->id, "animals-cat"))
        g_assert_cmpstr (json_string_value (json_array_get (json_object_get (item->extra,
                                                                             "majority"), 0)),
                         ==, "kat");
    }
  text = read_file (out_cons);
  g_assert_nonnull (strstr (text, "\"annotator_accuracy\""));
  g_clear_pointer (&text, g_free);

  /* Label Studio out, and in again: the same tasks, choices nobody
   * picked included, with an answer as their gold. */
  g_assert_true (al_format_export (f->store, "labelstudio", &per, out_ls, &error));
  g_assert_no_error (error);
  text = read_file (out_ls);
  g_assert_nonnull (strstr (text, "\"type\": \"choices\""));
  again = open_store (f, "again.db");
  options = (AlImportOptions) { .media_root = f->demo, .dataset = "ls" };
  g_assert_true (al_format_import (again, out_ls, "labelstudio", &options, &count, &error));
  g_assert_no_error (error);
  back = collect (again, FALSE);
  g_assert_cmpuint (back->tasks->len, ==, 3);
  for (guint i = 0; i < back->tasks->len; i++)
    {
      AlTask *task = back->tasks->pdata[i];
      AlTask *was = merged->tasks->pdata[i];
      g_autoptr (json_t) gold = json_pack ("{s:[s]}", "choices", ann[2 * i + 1]);
      g_assert_cmpint (task->kind, ==, AL_TASK_KIND_CLASSIFY);
      g_assert_cmpstr (task->media, ==, was->media);
      g_assert_true (g_strv_equal ((const char *const *) task->choices,
                                   (const char *const *) choices));
      g_assert_false (task->multiple);
      /* The first annotation, Ann's, is the gold of the new task. */
      g_assert_true (json_equal (task->gold, gold));
    }
}

/* Several choices may apply; a JSONL list of recordings with segments. */
static void
test_multiple_jsonl (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *lines = g_strdup_printf (
    "{\"id\":\"a\",\"audio\":\"%s/audio/cards-001.wav\",\"start\":0.2,\"end\":1.0,"
    "\"gold\":[\"spraak\",\"muziek\"]}\n"
    "{\"id\":\"b\",\"media\":\"%s/audio/cards-002.wav\"}\n", f->demo, f->demo);
  g_autofree char *path = write_file (f, "sounds.jsonl", lines);
  g_autoptr (AlExport) export = NULL;
  const char *choices[] = { "muziek", "spraak", "stilte", NULL };
  AlImportOptions options = { .media_root = f->demo, .choices = choices, .multiple = TRUE };
  guint count = 0;

  g_assert_true (al_format_import (f->store, path, "media-list", &options, &count, &error));
  g_assert_no_error (error);
  export = collect (f->store, FALSE);
  g_assert_cmpuint (export->tasks->len, ==, 2);
  {
    AlTask *a = export->tasks->pdata[0], *b = export->tasks->pdata[1];
    g_assert_cmpint (a->media_type, ==, AL_TASK_MEDIA_AUDIO);
    g_assert_true (a->multiple);
    g_assert_cmpfloat (a->start, ==, 0.2);
    g_assert_cmpfloat (a->end, ==, 1.0);
    g_assert_cmpuint (json_array_size (json_object_get (a->gold, "choices")), ==, 2);
    g_assert_cmpint (b->media_type, ==, AL_TASK_MEDIA_AUDIO);
    g_assert_true (al_task_is_listening (b));
  }
}

/* A Label Studio project: its labelling config says what may be chosen. */
static void
test_labelstudio_config (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *config = write_file (
    f, "config.xml",
    "<View><Header value=\"Wat hoor je?\"/><Audio name=\"audio\" value=\"$audio\"/>"
    "<Choices name=\"sound\" toName=\"audio\" choice=\"single\">"
    "<Choice value=\"muziek\"/><Choice value=\"spraak\"/><Choice value=\"stilte\"/>"
    "</Choices></View>");
  g_autofree char *json = g_strdup_printf (
    "[{\"id\":7,\"data\":{\"audio\":\"%s/audio/cards-003.wav\"},\"annotations\":[{\"result\":"
    "[{\"type\":\"choices\",\"from_name\":\"sound\",\"to_name\":\"audio\",\"value\":"
    "{\"choices\":[\"spraak\"]}}]}]},"
    "{\"id\":8,\"data\":{\"audio\":\"%s/audio/cards-004.wav\"}}]", f->demo, f->demo);
  g_autofree char *path = write_file (f, "project.json", json);
  g_autoptr (AlExport) export = NULL;
  AlImportOptions options = { .media_root = f->demo, .config = config };
  guint count = 0;

  g_assert_true (al_format_import (f->store, path, NULL, &options, &count, &error));
  g_assert_no_error (error);
  export = collect (f->store, FALSE);
  g_assert_cmpuint (export->tasks->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      AlTask *task = export->tasks->pdata[i];
      g_assert_cmpint (task->kind, ==, AL_TASK_KIND_CLASSIFY);
      g_assert_cmpuint (g_strv_length (task->choices), ==, 3);
      g_assert_cmpstr (al_task_instructions (task, "nl"), ==, "Wat hoor je?");
    }
  g_assert_nonnull (((AlTask *) export->tasks->pdata[0])->gold);
  g_assert_null (((AlTask *) export->tasks->pdata[1])->gold);
}

static void
refused (Fixture         *f,
         const char      *name,
         const char      *text,
         const char      *format,
         AlImportOptions *options,
         const char      *part)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_file (f, name, text);
  g_autoptr (AlExport) export = NULL;

  g_assert_false (al_format_import (f->store, path, format, options, NULL, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, part) == NULL || strstr (error->message, name) == NULL)
    g_error ("“%s” should name %s and say “%s”", error->message, name, part);
  export = collect (f->store, FALSE);
  g_assert_cmpuint (export->tasks->len, ==, 0);
}

static void
test_refused (Fixture      *f,
              gconstpointer data)
{
  const char *three[] = { "kat", "hond", "paard", NULL };
  const char *ten[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", NULL };
  AlImportOptions options = { .media_root = f->demo, .choices = three };
  AlImportOptions too_many = { .media_root = f->demo, .choices = ten };
  g_autofree char *good = g_strdup_printf ("%s/images/chelsea.jpg", f->demo);
  g_autofree char *csv = NULL;
  g_autofree char *config = write_file (f, "c.xml", "<View><Choices name=\"c\" toName=\"i\">"
                                        "<Choice value=\"kat\"/><Choice value=\"hond\"/>"
                                        "</Choices></View>");
  AlImportOptions ls = { .media_root = f->demo, .config = config };

  csv = g_strdup_printf ("id,image,gold\nok,%s,kat\nodd,%s,koe\n", good, good);
  refused (f, "unknown.csv", csv, NULL, &options,
           "record 2: task unknown-odd: gold: the answer has the choice \"koe\", which is not in "
           "the task's choices");
  g_free (csv);
  csv = g_strdup_printf ("id,image\nfirst,%s\n", good);
  refused (f, "ten.csv", csv, NULL, &too_many, "at most 9 choices (it has 10)");
  refused (f, "gone.csv", "id,image\nlost,images/no-such-photo.jpg\n", NULL, &options,
           "task gone-lost: the image");
  g_free (csv);
  csv = g_strdup_printf ("id,image\nfine,%s\nnone,\n", good);
  refused (f, "empty.csv", csv, NULL, &options, "record 2: the media is missing");
  g_free (csv);
  csv = g_strdup_printf ("id,image,choices\nx,%s,ja|nee|1|2|3|4|5|6|7|8\n", good);
  refused (f, "row.csv", csv, NULL, &options, "record 1: task row-x: \"choices\" may hold at "
           "most 9 choices (it has 10)");
  g_free (csv);
  csv = g_strdup_printf ("[{\"id\":1,\"data\":{\"image\":\"%s\"},\"annotations\":[{\"result\":"
                         "[{\"type\":\"choices\",\"value\":{\"choices\":[\"paard\"]}}]}]}]", good);
  refused (f, "project.json", csv, "labelstudio", &ls,
           "task [0]: task project-1: gold: the answer has the choice \"paard\"");
  g_free (csv);
  csv = g_strdup_printf ("{\"id\":\"v\",\"kind\":\"classify\",\"image\":\"%s\","
                         "\"choices\":[\"a\",\"b\"],\"gold\":{\"choices\":[\"c\"]}}\n", good);
  refused (f, "native.jsonl", csv, NULL, &options, "task v: gold: the answer has the choice \"c\"");
}

/* A lab database from before classification: its CHECK knew two kinds.
 * Opening it lets the third in, and keeps what was there. */
static void
test_older_database (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (f->dir, "old.db", NULL);
  g_autofree char *old_box = g_strdup_printf ("{\"id\":\"b\",\"kind\":\"bbox\",\"image\":"
                                              "\"%s/images/coins.png\",\"labels\":[\"coin\"]}\n",
                                              f->demo);
  g_autofree char *boxes = write_file (f, "boxes.jsonl", old_box);
  g_autofree char *list = NULL;
  g_autoptr (AlExport) export = NULL;
  const char *choices[] = { "kat", "hond", NULL };
  AlImportOptions options = { .media_root = f->demo, .choices = choices };
  AlStore *store = open_store (f, "old.db");
  sqlite3 *raw = NULL;
  char *message = NULL;
  int cookie = 0;
  sqlite3_stmt *stmt;

  g_assert_true (al_format_import (store, boxes, NULL, &options, NULL, &error));
  g_assert_no_error (error);
  al_store_unref (store);
  /* Back to the schema annolab wrote before. */
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA schema_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  cookie = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  {
    g_autofree char *sql = g_strdup_printf (
      "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = replace(sql, "
      "'IN (''bbox'',''transcribe'',''classify'',''subtitle-review'',''video-boxes'')', "
      "'IN (''bbox'',''transcribe'')') "
      "WHERE name = 'tasks'; PRAGMA schema_version=%d; PRAGMA writable_schema=OFF;"
      "PRAGMA user_version=1;", cookie + 1);
    g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, &message), ==, SQLITE_OK);
  }
  g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO tasks(id, kind, data, created_at) VALUES "
                                 "('x', 'classify', '{}', 0)", NULL, NULL, &message), ==,
                   SQLITE_CONSTRAINT);
  sqlite3_free (message);
  sqlite3_close (raw);

  store = open_store (f, "old.db");
  {
    g_autofree char *text = g_strdup_printf ("id,image\nc,%s/images/chelsea.jpg\n", f->demo);
    list = write_file (f, "later.csv", text);
  }
  g_assert_true (al_format_import (store, list, NULL, &options, NULL, &error));
  g_assert_no_error (error);
  export = collect (store, FALSE);
  g_assert_cmpuint (export->tasks->len, ==, 2);
  g_assert_cmpint (((AlTask *) export->tasks->pdata[0])->kind, ==, AL_TASK_KIND_BBOX);
  g_assert_cmpint (((AlTask *) export->tasks->pdata[1])->kind, ==, AL_TASK_KIND_CLASSIFY);
  al_store_unref (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/classify-formats/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/classify-formats/multiple-jsonl", Fixture, NULL, fixture_set_up,
              test_multiple_jsonl, fixture_tear_down);
  g_test_add ("/classify-formats/labelstudio-config", Fixture, NULL, fixture_set_up,
              test_labelstudio_config, fixture_tear_down);
  g_test_add ("/classify-formats/older-database", Fixture, NULL, fixture_set_up,
              test_older_database, fixture_tear_down);
  g_test_add ("/classify-formats/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  return g_test_run ();
}
