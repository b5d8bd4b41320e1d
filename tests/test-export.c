/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Exports write what participants did: each participant in a folder of
 * their own, and every box inside its image, or a clear refusal. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "al-export.h"
#include "test-db.h"
#include "al-jsonl.h"

typedef struct
{
  char *dir;
  AlStore *store;
  gint64 now;
} Fixture;

static gint64
fake_clock (gpointer data)
{
  return ((Fixture *) data)->now += 1000;
}

/* Two box tasks on coins.png (384 × 303), the size not given. */
static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *img = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo",
                                           "images", "coins.png", NULL);
  g_autofree char *text = g_strdup_printf (
    "{\"id\":\"b1\",\"kind\":\"bbox\",\"image\":\"%s\",\"labels\":[\"coin\"],\"overlap\":2}\n",
    img);
  g_autoptr (GPtrArray) tasks = NULL;

  f->dir = g_dir_make_tmp ("annolab-export-XXXXXX", &error);
  db = test_db_location (f->dir, "lab.db");
  f->store = al_store_open (db, &error);
  g_assert_no_error (error);
  f->now = 1700000000000;
  al_store_set_clock (f->store, fake_clock, f);
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0", &error));
  tasks = al_jsonl_parse_tasks (text, strlen (text), "t.jsonl", f->dir, &error);
  g_assert_true (al_store_import_tasks (f->store, tasks, "d", "jsonl", &error));
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

static void
answer (Fixture    *f,
        const char *name,
        double      x,
        double      w)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) user = al_store_ensure_user (f->store, name, "participant", NULL, &error);
  g_autoptr (AlTask) task = al_store_lease (f->store, user, &error);
  g_autoptr (json_t) result = json_pack ("{s:[{s:s,s:f,s:f,s:f,s:f}]}", "boxes", "label", "coin",
                                         "x", x, "y", 10.0, "w", w, "h", 20.0);
  g_autoptr (json_t) response = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (task);
  response = al_store_submit (f->store, user, task->lease_id, name, result, 1000, &error);
  g_assert_no_error (error);
}

/* A result stored before the server checked boxes, written straight in. */
static void
store_raw_result (Fixture    *f,
                  const char *result)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE results SET result = '%s'", result);
  test_db_exec (al_store_get_path (f->store), sql);
}

static char *
read_file (const char *first,
           ...)
{
  va_list args;
  g_autofree char *path = NULL;
  char *text = NULL;

  va_start (args, first);
  path = g_build_filename_valist (first, &args);
  va_end (args);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_folder_per_participant (Fixture      *f,
                             gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "yolo", NULL);
  g_autofree char *bang = NULL;
  g_autofree char *question = NULL;
  AlExportOptions per = { 0 };

  /* Both names clean up to "Sam_". */
  answer (f, "Sam!", 10, 20);
  answer (f, "Sam?", 100, 20);
  g_assert_true (al_format_export (f->store, "yolo", &per, out, &error));
  g_assert_no_error (error);
  bang = read_file (out, "Sam_", "coins.txt", NULL);
  question = read_file (out, "Sam_-2", "coins.txt", NULL);
  g_assert_cmpstr (bang, ==, "0 0.052083 0.066007 0.052083 0.066007\n");
  g_assert_cmpstr (question, ==, "0 0.286458 0.066007 0.052083 0.066007\n");
}

static void
test_boxes_inside_image (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "yolo", NULL);
  g_autofree char *coco = g_build_filename (f->dir, "coco.json", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) numbers = NULL;
  AlExportOptions per = { 0 };

  /* Drawn past the right edge (a sloppy drag, stored as sent before):
   * clipped to the image, so YOLO's numbers stay within 0..1. */
  answer (f, "ann", 300, 50);
  store_raw_result (f, "{\"boxes\":[{\"label\":\"coin\",\"x\":370,\"y\":10,\"w\":40,\"h\":20}]}");
  g_assert_true (al_format_export (f->store, "yolo", &per, out, &error));
  g_assert_no_error (error);
  text = read_file (out, "ann", "coins.txt", NULL);
  g_strstrip (text);
  numbers = g_strsplit (text, " ", -1);
  g_assert_cmpint (g_strv_length (numbers), ==, 5);
  for (int i = 1; i < 5; i++)
    {
      double v = g_ascii_strtod (numbers[i], NULL);
      g_assert_cmpfloat (v, >=, 0);
      g_assert_cmpfloat (v, <=, 1);
    }

  /* The full JSON Lines export, as the store keeps results, too. */
  {
    g_autofree char *jsonl = g_build_filename (f->dir, "all.jsonl", NULL);
    g_autofree char *line = NULL;
    g_autoptr (json_t) row = NULL;
    json_t *box;

    g_assert_true (al_format_export (f->store, "jsonl", &per, jsonl, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (jsonl, &line, NULL, NULL));
    row = json_loads (line, JSON_DISABLE_EOF_CHECK, NULL);
    box = json_array_get (json_object_get (json_object_get (row, "result"), "boxes"), 0);
    g_assert_cmpfloat (json_number_value (json_object_get (box, "w")), ==, 14);
  }

  /* Nonsense is not written, nor dropped without a word: the export stops
   * and names the task, the participant and the box. */
  store_raw_result (f, "{\"boxes\":[{\"label\":\"coin\",\"x\":1,\"y\":1,\"w\":1.7e308,\"h\":5}]}");
  g_assert_false (al_format_export (f->store, "coco", &per, coco, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "task b1"));
  g_assert_nonnull (strstr (error->message, "ann"));
  g_assert_nonnull (strstr (error->message, "box 1"));
  g_clear_error (&error);
  store_raw_result (f, "{\"boxes\":[{\"label\":\"coin\",\"x\":-1e6,\"y\":1,\"w\":5,\"h\":5}]}");
  g_assert_false (al_format_export (f->store, "yolo", &per, out, &error));
  g_assert_nonnull (strstr (error->message, "box 1"));
  g_clear_error (&error);
  g_assert_false (al_format_export (f->store, "jsonl", &per, coco, &error));
  g_assert_nonnull (strstr (error->message, "box 1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/export/folder-per-participant", test_folder_per_participant);
  ADD ("/export/boxes-inside-image", test_boxes_inside_image);
#undef ADD
  return g_test_run ();
}
