/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "al-coco-eval.h"
#include "al-export.h"
#include "al-formats.h"
#include "al-store.h"

typedef struct
{
  char *dir;
  AlStore *store;
  gint64 now;
  char *images;
  char *audio;
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
  const char *root = g_getenv ("ANNOLAB_SOURCE_ROOT");

  f->dir = g_dir_make_tmp ("annolab-formats-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "queue.db", NULL);
  f->store = al_store_open (db, &error);
  g_assert_no_error (error);
  f->now = 1700000000000;
  al_store_set_clock (f->store, fake_clock, f);
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0", &error));
  f->images = g_build_filename (root ? root : ".", "data", "demo", "images", NULL);
  f->audio = g_build_filename (root ? root : ".", "data", "demo", "audio", NULL);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_clear_pointer (&f->store, al_store_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->images);
  g_free (f->audio);
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

/* Copies @from to @name in the fixture's folder. */
static char *
copy_file (Fixture    *f,
           const char *from,
           const char *name)
{
  g_autofree char *bytes = NULL;
  char *path = g_build_filename (f->dir, name, NULL);
  gsize length;

  g_assert_true (g_file_get_contents (from, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (path, bytes, length, NULL));
  return path;
}

/* Leases every task this user can get and answers it with @answer. */
static guint
work_all (Fixture    *f,
          const char *name,
          json_t *(*answer) (const AlTask *task, gpointer data),
          gpointer    data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) user = al_store_ensure_user (f->store, name, "participant", NULL, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr (AlTask) task = al_store_lease (f->store, user, &error);
      g_autoptr (json_t) result = NULL;
      g_autoptr (json_t) response = NULL;
      g_autofree char *key = NULL;

      g_assert_no_error (error);
      if (task == NULL)
        return n;
      result = answer (task, data);
      key = g_strdup_printf ("%s-%s", name, task->id);
      response = al_store_submit (f->store, user, task->lease_id, key, result, 1000, &error);
      g_assert_no_error (error);
      n++;
    }
}

static char *
export_to_string (Fixture               *f,
                  const char            *format,
                  const AlExportOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "export.out", NULL);
  char *text = NULL;

  g_assert_true (al_format_export (f->store, format, options, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static json_t *
load_json (const char *text)
{
  json_error_t jerr;
  json_t *root = json_loads (text, 0, &jerr);
  if (root == NULL)
    g_error ("export is not JSON: %s", jerr.text);
  return root;
}

/* COCO ------------------------------------------------------------------ */

static const char coco_text[] =
  "{\"images\": ["
  "  {\"id\": 42, \"file_name\": \"coffee.jpg\", \"width\": 512, \"height\": 400},"
  "  {\"id\": 7, \"file_name\": \"chelsea.jpg\"},"
  "  {\"id\": 1000, \"file_name\": \"coins.png\", \"width\": 384, \"height\": 303}],"
  " \"categories\": [{\"id\": 47, \"name\": \"cup\"}, {\"id\": 50, \"name\": \"spoon\"},"
  "                  {\"id\": 90, \"name\": \"coin\"}],"
  " \"annotations\": ["
  "  {\"id\": 1, \"image_id\": 42, \"category_id\": 47, \"bbox\": [172, 18, 240, 287],"
  "   \"area\": 68880, \"iscrowd\": 0},"
  "  {\"id\": 2, \"image_id\": 42, \"category_id\": 50, \"bbox\": [325.5, 65, 100, 260],"
  "   \"iscrowd\": 0},"
  "  {\"id\": 3, \"image_id\": 42, \"category_id\": 90, \"bbox\": [0, 0, 10, 10], \"iscrowd\": 1}"
  "]}";

static json_t *
answer_boxes (const AlTask *task,
              gpointer      data)
{
  double shift = *(double *) data;
  if (g_str_has_suffix (task->id, "-42"))
    return json_pack ("{s:[{s:s,s:f,s:f,s:f,s:f},{s:s,s:f,s:f,s:f,s:f}]}", "boxes", "label", "cup",
                      "x", 170.0 + shift, "y", 20.0, "w", 240.0, "h", 280.0, "label", "spoon",
                      "x", 320.0, "y", 60.0 + shift, "w", 100.0, "h", 250.0);
  if (g_str_has_suffix (task->id, "-7"))
    return json_pack ("{s:[{s:s,s:f,s:f,s:f,s:f}]}", "boxes", "label", "coin", "x", 10.0, "y",
                      20.0, "w", 30.5, "h", 40.0);
  return json_pack ("{s:[]}", "boxes");
}

static json_t *
find_by_id (json_t    *list,
            json_int_t id)
{
  size_t i;
  json_t *v;
  json_array_foreach (list, i, v)
    if (json_integer_value (json_object_get (v, "id")) == id)
      return v;
  return NULL;
}

static void
test_coco_round_trip (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_file (f, "instances.json", coco_text);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  AlImportOptions options = { .images_dir = f->images, .notes = notes, .overlap = 2 };
  AlExportOptions per = { 0 };
  g_autoptr (AlTask) task = NULL;
  g_autoptr (json_t) coco = NULL;
  g_autofree char *text = NULL;
  double shift_ann = 0, shift_bob = 4;
  double stats[AL_COCO_N_STATS];
  json_t *images, *cats, *anns, *img, *ann;
  guint count = 0;
  size_t i;

  g_assert_true (al_format_import (f->store, path, NULL, &options, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpuint (notes->len, ==, 1); /* the crowd region */

  task = al_store_get_task (f->store, "instances-42", &error);
  g_assert_no_error (error);
  g_assert_cmpint (task->kind, ==, AL_TASK_KIND_BBOX);
  g_assert_cmpstr (task->labels[0], ==, "cup");
  g_assert_cmpstr (task->labels[2], ==, "coin");
  g_assert_cmpint (task->width, ==, 512);
  g_assert_true (g_str_has_suffix (task->media, "/data/demo/images/coffee.jpg"));
  g_assert_cmpuint (json_array_size (json_object_get (task->gold, "boxes")), ==, 2);
  g_assert_cmpfloat (json_number_value (json_object_get (
                       json_array_get (json_object_get (task->gold, "boxes"), 1), "x")),
                     ==, 325.5);
  g_assert_cmpuint (work_all (f, "ann", answer_boxes, &shift_ann), ==, 3);
  g_assert_cmpuint (work_all (f, "bob", answer_boxes, &shift_bob), ==, 3);

  text = export_to_string (f, "coco", &per);
  coco = load_json (text);
  images = json_object_get (coco, "images");
  cats = json_object_get (coco, "categories");
  anns = json_object_get (coco, "annotations");
  g_assert_cmpuint (json_array_size (images), ==, 3);
  /* The ids of the COCO file are kept; chelsea.jpg's size comes from the file. */
  img = find_by_id (images, 7);
  g_assert_nonnull (img);
  g_assert_cmpstr (json_string_value (json_object_get (img, "file_name")), ==, "chelsea.jpg");
  g_assert_cmpint (json_integer_value (json_object_get (img, "width")), ==, 451);
  g_assert_cmpint (json_integer_value (json_object_get (img, "height")), ==, 300);
  g_assert_nonnull (find_by_id (images, 42));
  g_assert_nonnull (find_by_id (images, 1000));
  g_assert_cmpstr (json_string_value (json_object_get (find_by_id (cats, 50), "name")), ==,
                   "spoon");
  /* Two people, three boxes each. */
  g_assert_cmpuint (json_array_size (anns), ==, 6);
  json_array_foreach (anns, i, ann)
    {
      json_t *bbox = json_object_get (ann, "bbox");
      g_assert_cmpint (json_integer_value (json_object_get (ann, "id")), ==, (json_int_t) i + 1);
      g_assert_nonnull (find_by_id (images, json_integer_value (json_object_get (ann, "image_id"))));
      g_assert_nonnull (find_by_id (cats, json_integer_value (json_object_get (ann, "category_id"))));
      g_assert_cmpint (json_integer_value (json_object_get (ann, "iscrowd")), ==, 0);
      g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (ann, "area")),
                                      json_number_value (json_array_get (bbox, 2)) *
                                        json_number_value (json_array_get (bbox, 3)),
                                      1e-9);
    }
  ann = json_array_get (anns, 0);
  g_assert_cmpint (json_integer_value (json_object_get (ann, "image_id")), ==, 42);
  g_assert_cmpint (json_integer_value (json_object_get (ann, "category_id")), ==, 47);
  g_assert_cmpstr (json_string_value (json_object_get (ann, "annotator")), ==, "ann");
  g_assert_cmpfloat (json_number_value (json_array_get (json_object_get (ann, "bbox"), 0)), ==,
                     170.0);
  /* By task, then by participant: ann's and bob's boxes on 42, then on 7. */
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (anns, 2), "annotator")), ==,
                   "bob");
  ann = json_array_get (anns, 4);
  g_assert_cmpint (json_integer_value (json_object_get (ann, "image_id")), ==, 7);
  g_assert_cmpint (json_integer_value (json_object_get (ann, "category_id")), ==, 90);
  g_assert_cmpfloat (json_number_value (json_array_get (json_object_get (ann, "bbox"), 2)), ==,
                     30.5);

  /* The evaluator that agrees with pycocotools reads the export: against
   * itself every box is found. */
  {
    g_autoptr (json_t) dt = json_array ();
    json_array_foreach (anns, i, ann)
      {
        json_t *d = json_deep_copy (ann);
        json_object_set_new (d, "score", json_real (1.0));
        json_array_append_new (dt, d);
      }
    g_assert_true (al_coco_eval (coco, dt, stats, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (stats[AL_COCO_AP50], 1.0, 1e-9);
  }
}

static void
test_coco_consensus (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_file (f, "instances.json", coco_text);
  AlImportOptions options = { .images_dir = f->images, .overlap = 3 };
  AlExportOptions merged = { .consensus = TRUE };
  g_autoptr (json_t) coco = NULL;
  g_autofree char *text = NULL;
  double s1 = 0, s2 = 2, s3 = 10;
  json_t *anns, *cup;

  g_assert_true (al_format_import (f->store, path, "coco", &options, NULL, &error));
  g_assert_no_error (error);
  work_all (f, "ann", answer_boxes, &s1);
  work_all (f, "bob", answer_boxes, &s2);
  work_all (f, "cem", answer_boxes, &s3);
  text = export_to_string (f, "coco", &merged);
  coco = load_json (text);
  anns = json_object_get (coco, "annotations");
  /* One merged box per object: the median corners of three people. */
  g_assert_cmpuint (json_array_size (anns), ==, 3);
  cup = json_array_get (anns, 0);
  g_assert_cmpstr (json_string_value (json_object_get (cup, "annotator")), ==, "consensus");
  g_assert_cmpint (json_integer_value (json_object_get (cup, "support")), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_array_get (json_object_get (cup, "bbox"),
                                                                     0)), 172.0, 1e-9);
}

/* Label Studio ---------------------------------------------------------- */

static const char ls_text[] =
  "[{\"id\": 11, \"data\": {\"image\": \"/data/upload/3/coffee.jpg\"},"
  "  \"annotations\": [{\"id\": 1, \"was_cancelled\": true, \"result\": []},"
  "    {\"id\": 2, \"result\": [{\"type\": \"rectanglelabels\", \"from_name\": \"label\","
  "      \"to_name\": \"image\", \"original_width\": 512, \"original_height\": 400,"
  "      \"value\": {\"x\": 25, \"y\": 10, \"width\": 50, \"height\": 20, \"rotation\": 0,"
  "        \"rectanglelabels\": [\"cup\"]}}]}]},"
  " {\"id\": 12, \"data\": {\"image\": \"coins.png\"},"
  "  \"predictions\": [{\"result\": [{\"type\": \"rectanglelabels\","
  "      \"value\": {\"x\": 50, \"y\": 50, \"width\": 10, \"height\": 10,"
  "        \"rectanglelabels\": [\"coin\"]}}]}]},"
  " {\"id\": 13, \"data\": {\"audio\": \"cards-001.wav\"},"
  "  \"annotations\": [{\"result\": [{\"type\": \"textarea\", \"from_name\": \"transcription\","
  "      \"value\": {\"text\": [\"ten of clubs\"]}}]}]},"
  " {\"id\": 14, \"data\": {\"audio\": \"cards-002.wav\"}}]";

static json_t *
answer_any (const AlTask *task,
            gpointer      data)
{
  if (task->kind == AL_TASK_KIND_TRANSCRIBE)
    return json_pack ("{s:s}", "text", (const char *) data);
  return json_pack ("{s:[{s:s,s:f,s:f,s:f,s:f}]}", "boxes", "label", task->labels[0], "x", 12.0,
                    "y", 30.0, "w", 100.0, "h", 80.0);
}

static void
test_labelstudio_in_and_out (Fixture      *f,
                             gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_file (f, "project.json", ls_text);
  g_autofree char *media = g_build_filename (f->images, "..", NULL);
  char *extra[] = { (char *) "saucer", NULL };
  AlImportOptions options = { .dataset = "ls", .labels = extra, .overlap = 1 };
  AlExportOptions per = { 0 };
  g_autoptr (AlTask) cup = NULL;
  g_autoptr (AlTask) coin = NULL;
  g_autoptr (AlTask) speech = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (json_t) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *out_path = NULL;
  json_t *box, *result;
  guint count;

  /* The image and audio files live in two folders: copy them beside the
   * export, where media must be. */
  {
    g_autofree char *coins = g_build_filename (f->images, "coins.png", NULL);
    g_autofree char *coffee = g_build_filename (f->images, "coffee.jpg", NULL);
    g_autofree char *w1 = g_build_filename (f->audio, "cards-001.wav", NULL);
    g_autofree char *w2 = g_build_filename (f->audio, "cards-002.wav", NULL);
    const char *links[][2] = { { coins, "coins.png" }, { coffee, "coffee.jpg" },
                               { w1, "cards-001.wav" }, { w2, "cards-002.wav" } };
    for (gsize i = 0; i < G_N_ELEMENTS (links); i++)
      g_free (copy_file (f, links[i][0], links[i][1]));
  }
  (void) media;

  g_assert_true (al_format_import (f->store, path, NULL, &options, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 4);

  cup = al_store_get_task (f->store, "ls-11", &error);
  g_assert_no_error (error);
  /* --labels first, then the labels of the file in order. */
  g_assert_cmpstr (cup->labels[0], ==, "saucer");
  g_assert_cmpstr (cup->labels[1], ==, "cup");
  g_assert_cmpstr (cup->labels[2], ==, "coin");
  g_assert_true (g_str_has_suffix (cup->media, "/coffee.jpg"));
  box = json_array_get (json_object_get (cup->gold, "boxes"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (box, "label")), ==, "cup");
  g_assert_cmpfloat (json_number_value (json_object_get (box, "x")), ==, 128.0);
  g_assert_cmpfloat (json_number_value (json_object_get (box, "y")), ==, 40.0);
  g_assert_cmpfloat (json_number_value (json_object_get (box, "w")), ==, 256.0);
  g_assert_cmpfloat (json_number_value (json_object_get (box, "h")), ==, 80.0);

  /* A prediction is a proposal, not gold; without original_width the
   * image file gives the size (384 x 303). */
  coin = al_store_get_task (f->store, "ls-12", &error);
  g_assert_null (coin->gold);
  g_assert_null (coin->proposal);
  {
    g_autoptr (GPtrArray) rows = al_store_list_proposals (f->store, NULL, &error);
    AlStoreProposalRow *row = NULL;
    g_assert_no_error (error);
    for (guint i = 0; i < rows->len; i++)
      if (((AlStoreProposalRow *) rows->pdata[i])->proposal)
        row = rows->pdata[i];
    g_assert_cmpstr (row->task->id, ==, "ls-12");
    box = json_array_get (json_object_get (row->proposal, "boxes"), 0);
    g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "x")), 192.0, 1e-9);
    g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "h")), 30.3, 1e-9);
  }

  speech = al_store_get_task (f->store, "ls-13", &error);
  g_assert_cmpint (speech->kind, ==, AL_TASK_KIND_TRANSCRIBE);
  g_assert_cmpstr (json_string_value (json_object_get (speech->gold, "text")), ==, "ten of clubs");

  work_all (f, "ann", answer_any, (gpointer) "four queen of clubs");
  text = export_to_string (f, "labelstudio", &per);
  root = load_json (text);
  g_assert_cmpuint (json_array_size (root), ==, 4);
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (root, 0), "id")), ==, 11);
  result = json_array_get (json_object_get (json_array_get (json_object_get (json_array_get (root,
                                                                                             0),
                                                                             "annotations"),
                                                            0),
                                            "result"),
                           0);
  g_assert_cmpint (json_integer_value (json_object_get (result, "original_width")), ==, 512);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (json_object_get (result,
                                                                                       "value"),
                                                                      "width")),
                                  100.0 * 100 / 512, 1e-9);

  /* The export reads back in: annotations become gold in pixels again. */
  out_path = g_build_filename (f->dir, "export.out", NULL);
  again = al_labelstudio_parse (text, strlen (text), out_path, f->dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 4);
  {
    AlTask *t = again->pdata[0];
    AlTask *s = again->pdata[3];
    box = json_array_get (json_object_get (t->gold, "boxes"), 0);
    g_assert_cmpstr (t->id, ==, "11");
    g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "x")), 12.0, 1e-6);
    g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "w")), 100.0, 1e-6);
    g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "h")), 80.0, 1e-6);
    g_assert_cmpstr (json_string_value (json_object_get (s->gold, "text")), ==,
                     "four queen of clubs");
  }
}

/* Label Studio's pre-annotations: each task's first prediction becomes
 * its proposal, in the shapes of docs/proposals.md, and the lease hands
 * it out; an annotation beside it is gold, so that task never shows it. */
static const char ls_predictions[] =
  "[{\"id\": 1, \"data\": {\"image\": \"coins.png\"},"
  "  \"predictions\": [{\"model_version\": \"yolo-3\", \"score\": 0.6, \"result\": ["
  "    {\"type\": \"rectanglelabels\", \"original_width\": 384, \"original_height\": 303,"
  "     \"value\": {\"x\": 25, \"y\": 10, \"width\": 50, \"height\": 20,"
  "       \"rectanglelabels\": [\"coin\"]}, \"score\": 0.9},"
  "    {\"type\": \"rectanglelabels\", \"value\": {\"x\": 0, \"y\": 0, \"width\": 10,"
  "       \"height\": 10, \"rectanglelabels\": [\"coin\"]}}]}]},"
  " {\"id\": 2, \"data\": {\"audio\": \"cards-001.wav\", \"language\": \"en\"},"
  "  \"predictions\": [{\"model_version\": \"asr-1\", \"result\": [{\"type\": \"textarea\","
  "     \"value\": {\"text\": [\"ten of\", \"clubs\"]}, \"score\": 0.75}]}]},"
  " {\"id\": 3, \"data\": {\"audio\": \"cards-002.wav\"},"
  "  \"annotations\": [{\"result\": [{\"type\": \"textarea\","
  "     \"value\": {\"text\": [\"four\"]}}]}],"
  "  \"predictions\": [{\"result\": [{\"type\": \"textarea\","
  "     \"value\": {\"text\": [\"for\"]}}]}]}]";

static const char ls_choice_predictions[] =
  "[{\"id\": 7, \"data\": {\"audio\": \"cards-001.wav\"},"
  "  \"predictions\": [{\"model_version\": \"v3\", \"result\": [{\"type\": \"choices\","
  "     \"value\": {\"choices\": [\"spraak\"]}, \"score\": 0.7}]}]}]";

static void
test_labelstudio_predictions (Fixture      *f,
                              gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_file (f, "pre.json", ls_predictions);
  g_autofree char *choice_path = write_file (f, "sounds.json", ls_choice_predictions);
  const char *choices[] = { "spraak", "muziek", NULL };
  AlImportOptions options = { .dataset = "pre" };
  AlImportOptions sounds = { .dataset = "snd", .choices = choices };
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (GHashTable) leased = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) al_task_unref);
  g_autoptr (GPtrArray) held = g_ptr_array_new ();
  json_t *p, *box;
  AlTask *task;

  {
    g_autofree char *coins = g_build_filename (f->images, "coins.png", NULL);
    g_autofree char *w1 = g_build_filename (f->audio, "cards-001.wav", NULL);
    g_autofree char *w2 = g_build_filename (f->audio, "cards-002.wav", NULL);
    g_free (copy_file (f, coins, "coins.png"));
    g_free (copy_file (f, w1, "cards-001.wav"));
    g_free (copy_file (f, w2, "cards-002.wav"));
  }
  g_assert_true (al_format_import (f->store, path, NULL, &options, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (al_format_import (f->store, choice_path, NULL, &sounds, NULL, &error));
  g_assert_no_error (error);
  rows = al_store_list_proposals (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);

  /* Percent of 384 x 303 in pixels; the item's score, else the
   * prediction's; the model is "import", the version the file's. */
  p = ((AlStoreProposalRow *) rows->pdata[0])->proposal;
  g_assert_cmpstr (json_string_value (json_object_get (p, "model")), ==, "import");
  g_assert_cmpstr (json_string_value (json_object_get (p, "version")), ==, "yolo-3");
  box = json_array_get (json_object_get (p, "boxes"), 0);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "x")), 96.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "h")), 60.6, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "confidence")), 0.9,
                                  1e-9);
  box = json_array_get (json_object_get (p, "boxes"), 1);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "w")), 38.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (box, "confidence")), 0.6,
                                  1e-9);

  /* Lines joined with spaces; each word has the item's score. */
  p = ((AlStoreProposalRow *) rows->pdata[1])->proposal;
  g_assert_cmpstr (json_string_value (json_object_get (p, "version")), ==, "asr-1");
  g_assert_cmpstr (json_string_value (json_object_get (p, "text")), ==, "ten of clubs");
  g_assert_cmpuint (json_array_size (json_object_get (p, "words")), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (
                                    json_array_get (json_object_get (p, "words"), 2),
                                    "confidence")), 0.75, 1e-9);

  /* The annotation is gold; the prediction beside it is kept, unseen. */
  g_assert_true (((AlStoreProposalRow *) rows->pdata[2])->gold);
  g_assert_cmpstr (json_string_value (json_object_get (((AlStoreProposalRow *) rows->pdata[2])->task
                                                         ->gold, "text")), ==, "four");

  p = ((AlStoreProposalRow *) rows->pdata[3])->proposal;
  g_assert_cmpstr (json_string_value (json_array_get (json_object_get (p, "choices"), 0)), ==,
                   "spraak");
  g_assert_cmpfloat_with_epsilon (json_number_value (json_object_get (p, "confidence")), 0.7,
                                  1e-9);

  ann = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);
  g_assert_true (al_store_set_meta (f->store, "max_leases", "10", &error));
  g_ptr_array_add (held, NULL);
  while ((task = al_store_lease_excluding (f->store, ann, (const char *const *) held->pdata,
                                           &error)))
    {
      held->pdata[held->len - 1] = task->lease_id;
      g_ptr_array_add (held, NULL);
      g_hash_table_insert (leased, task->id, task);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (leased), ==, 4);
  task = g_hash_table_lookup (leased, "pre-1");
  g_assert_cmpuint (json_array_size (json_object_get (task->proposal, "boxes")), ==, 2);
  task = g_hash_table_lookup (leased, "pre-2");
  g_assert_cmpstr (json_string_value (json_object_get (task->proposal, "text")), ==,
                   "ten of clubs");
  g_assert_null (((AlTask *) g_hash_table_lookup (leased, "pre-3"))->proposal);
  task = g_hash_table_lookup (leased, "snd-7");
  g_assert_nonnull (task->proposal);
}

/* Audio folders and trn ------------------------------------------------- */

static GArray *
fake_split (const char *path,
            double     *duration,
            gpointer    user_data,
            GError    **error)
{
  GArray *pieces = g_array_new (FALSE, FALSE, sizeof (AlAudioPiece));
  *duration = 7.1;
  if (g_str_has_suffix (path, "austen-0870.wav"))
    {
      AlAudioPiece p[] = { { 0.1, 2.5 }, { 2.6, 5.0 }, { 5.2, 7.0 } };
      g_array_append_vals (pieces, p, G_N_ELEMENTS (p));
    }
  return pieces;
}

static void
make_audio_folder (Fixture    *f,
                   const char *name)
{
  g_autofree char *dir = g_build_filename (f->dir, name, NULL);
  const char *files[] = { "cards-001.wav", "cards-002.wav", "austen-0870.wav" };

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (f->audio, files[i], NULL);
      g_autofree char *to = g_build_filename (name, files[i], NULL);
      /* Copies: a symlink out of the folder is refused as media. */
      g_free (copy_file (f, from, to));
    }
}

static void
test_audio_folder (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_build_filename (f->dir, "rec", NULL);
  AlImportOptions whole = { .language = "en" };
  AlImportOptions cut = { .dataset = "cut", .split = fake_split, .notes = notes };
  g_autoptr (AlTask) t1 = NULL;
  g_autoptr (AlTask) t2 = NULL;
  g_autoptr (AlTask) seg = NULL;
  g_autofree char *t1_text = NULL;
  guint count;

  make_audio_folder (f, "rec");
  g_free (write_file (f, "rec/cards-001.txt", "  ten of\n clubs \n"));
  g_free (write_file (f, "rec/austen-0870.txt", "a long one"));
  g_free (write_file (f, "rec/notes.md", "not audio"));

  g_assert_true (al_format_import (f->store, dir, NULL, &whole, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 3);
  t1 = al_store_get_task (f->store, "rec-cards-001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t1->language, ==, "en");
  g_assert_cmpstr (json_string_value (json_object_get (t1->gold, "text")), ==, "ten of clubs");
  /* The WAV header gives the length: 35096 bytes of 16 kHz 16-bit mono. */
  g_assert_cmpfloat_with_epsilon (t1->end, (35096.0 - 44) / 32000, 0.01);
  t2 = al_store_get_task (f->store, "rec-cards-002", &error);
  g_assert_null (t2->gold);

  /* Cut into pieces: segments with start and end, the transcript not gold. */
  g_assert_true (al_format_import (f->store, dir, "audio-folder", &cut, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 5);
  g_assert_cmpuint (notes->len, ==, 1);
  seg = al_store_get_task (f->store, "cut-austen-0870-002", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (seg->start, ==, 2.6);
  g_assert_cmpfloat (seg->end, ==, 5.0);
  g_assert_cmpint (seg->segment_index, ==, 2);
  g_assert_cmpint (seg->segment_count, ==, 3);
  g_assert_null (seg->gold);
  (void) t1_text;
}

static void
test_trn_gold (Fixture      *f,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  AlImportOptions options = { .dataset = "demo-speech" };
  g_autofree char *ref = NULL;
  g_autoptr (AlTask) t = NULL;
  guint count = 0;

  /* The demo recordings, with the demo's own reference transcripts. */
  g_assert_true (al_format_import (f->store, f->audio, NULL, &options, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 10);
  ref = g_build_filename (f->audio, "..", "reference.trn", NULL);
  g_assert_true (al_format_import (f->store, ref, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 10);
  t = al_store_get_task (f->store, "demo-speech-cards-001", &error);
  g_assert_cmpstr (json_string_value (json_object_get (t->gold, "text")), ==, "ten of clubs");
}

static json_t *
answer_text (const AlTask *task,
             gpointer      data)
{
  const char *const *texts = data;
  if (g_str_has_suffix (task->id, "cards-001"))
    return json_pack ("{s:s}", "text", texts[0]);
  return json_pack ("{s:s}", "text", texts[1]);
}

static void
test_transcript_exports (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_build_filename (f->dir, "rec", NULL);
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *vtt = NULL;
  g_autofree char *srt = NULL;
  g_autofree char *trn = NULL;
  g_autofree char *path = NULL;
  AlImportOptions cut = { .dataset = "r", .split = fake_split, .overlap = 3 };
  AlExportOptions merged = { .consensus = TRUE };
  AlExportOptions per = { 0 };
  const char *ann[] = { "ten of clubs", "it was --> a\nlong day" };
  const char *bob[] = { "ten of clubs", "it was a long day" };
  const char *cem[] = { "ten if clubs", "it was a song day" };

  make_audio_folder (f, "rec");
  g_assert_true (al_format_import (f->store, dir, NULL, &cut, NULL, &error));
  g_assert_no_error (error);
  work_all (f, "ann", answer_text, ann);
  work_all (f, "bob", answer_text, bob);
  work_all (f, "cem", answer_text, cem);

  g_assert_true (al_format_export (f->store, "webvtt", &merged, out, &error));
  g_assert_no_error (error);
  path = g_build_filename (out, "austen-0870.vtt", NULL);
  g_assert_true (g_file_get_contents (path, &vtt, NULL, NULL));
  g_assert_cmpstr (vtt, ==,
                   "WEBVTT\n\n"
                   "00:00:00.100 --> 00:00:02.500\nit was a long day\n\n"
                   "00:00:02.600 --> 00:00:05.000\nit was a long day\n\n"
                   "00:00:05.200 --> 00:00:07.000\nit was a long day\n\n");

  g_assert_true (al_format_export (f->store, "srt", &per, out, &error));
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (out, "ann", "austen-0870.srt", NULL);
  g_assert_true (g_file_get_contents (path, &srt, NULL, NULL));
  g_assert_true (g_str_has_prefix (srt, "1\n00:00:00,100 --> 00:00:02,500\nit was -> a long day\n\n"
                                        "2\n00:00:02,600 --> "));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (out, "cem", "cards-001.srt", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  trn = export_to_string (f, "trn", &merged);
  g_assert_true (strstr (trn, "ten of clubs (r-cards-001)\n") != NULL);
  g_assert_true (strstr (trn, "it was a long day (r-austen-0870-003)\n") != NULL);

  /* Per participant, trn writes one file each. */
  g_assert_true (al_format_export (f->store, "trn", &per, out, &error));
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&trn, g_free);
  path = g_build_filename (out, "cem.trn", NULL);
  g_assert_true (g_file_get_contents (path, &trn, NULL, NULL));
  g_assert_true (g_str_has_prefix (trn, "it was a song day (r-austen-0870-001)\n"));
  (void) notes;
}

static void
test_box_folders (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_file (f, "instances.json", coco_text);
  g_autofree char *out = g_build_filename (f->dir, "yolo", NULL);
  g_autofree char *voc_out = g_build_filename (f->dir, "voc", NULL);
  AlImportOptions options = { .images_dir = f->images, .dataset = "c" };
  AlExportOptions only_ann = { .annotator = "ann" };
  AlExportOptions per = { 0 };
  g_autofree char *classes = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *file = NULL;
  double shift = 0;

  g_assert_true (al_format_import (f->store, path, NULL, &options, NULL, &error));
  g_assert_no_error (error);
  work_all (f, "ann", answer_boxes, &shift);

  g_assert_true (al_format_export (f->store, "yolo", &only_ann, out, &error));
  g_assert_no_error (error);
  file = g_build_filename (out, "classes.txt", NULL);
  g_assert_true (g_file_get_contents (file, &classes, NULL, NULL));
  g_assert_cmpstr (classes, ==, "cup\nspoon\ncoin\n");
  g_clear_pointer (&file, g_free);
  file = g_build_filename (out, "chelsea.txt", NULL);
  g_assert_true (g_file_get_contents (file, &labels, NULL, NULL));
  /* 451 x 300: centre (25.25, 40) of a 30.5 x 40 box. */
  g_assert_cmpstr (labels, ==, "2 0.055987 0.133333 0.067627 0.133333\n");
  g_clear_pointer (&file, g_free);
  file = g_build_filename (out, "coins.txt", NULL);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));

  g_assert_true (al_format_export (f->store, "voc", &per, voc_out, &error));
  g_assert_no_error (error);
  g_clear_pointer (&file, g_free);
  file = g_build_filename (voc_out, "ann", "coffee.xml", NULL);
  g_assert_true (g_file_get_contents (file, &xml, NULL, NULL));
  g_assert_true (strstr (xml, "<filename>coffee.jpg</filename>") != NULL);
  g_assert_true (strstr (xml, "<size><width>512</width><height>400</height>") != NULL);
  g_assert_true (strstr (xml, "<name>cup</name>") != NULL);
  g_assert_true (strstr (xml, "<xmin>171</xmin><ymin>21</ymin><xmax>410</xmax><ymax>300</ymax>") !=
                 NULL);

  /* Folder formats need a folder. */
  g_assert_false (al_format_export (f->store, "yolo", &per, NULL, &error));
  g_assert_error (error, AL_FORMAT_ERROR, AL_FORMAT_ERROR_UNKNOWN);
}

/* Malformed input ------------------------------------------------------- */

typedef struct
{
  const char *format;
  const char *file;
  const char *text;
  const char *expect; /* part of the message, after the file name */
} Bad;

static const Bad bad_inputs[] = {
  { "coco", "a.json", "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\"}", "line 1" },
  { "coco", "a.json", "[1, 2]", "a COCO file is one JSON object" },
  { "coco", "a.json", "{\"images\": {}, \"categories\": [{\"id\": 1, \"name\": \"a\"}]}",
    "\"images\" must be a list" },
  { "coco", "a.json", "{\"images\": [], \"categories\": []}", "\"categories\" must be" },
  { "coco", "a.json",
    "{\"images\": [{\"id\": \"1\", \"file_name\": \"x.jpg\"}],"
    " \"categories\": [{\"id\": 1, \"name\": \"a\"}]}", "images[0]: needs a whole number \"id\"" },
  { "coco", "a.json",
    "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\"}, {\"id\": 2}],"
    " \"categories\": [{\"id\": 1, \"name\": \"a\"}]}", "images[1]: needs a non-empty \"file_name\"" },
  { "coco", "a.json",
    "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\"}],"
    " \"categories\": [{\"id\": 1, \"name\": \"a\"}, {\"id\": 1, \"name\": \"b\"}]}",
    "categories[1]: id 1 appears twice" },
  { "coco", "a.json",
    "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\", \"width\": 10, \"height\": 10}],"
    " \"categories\": [{\"id\": 1, \"name\": \"a\"}],"
    " \"annotations\": [{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 2, 2]},"
    "  {\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, -2, 2]}]}",
    "annotations[1]: \"bbox\" must be" },
  { "coco", "a.json",
    "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\"}],"
    " \"categories\": [{\"id\": 1, \"name\": \"a\"}],"
    " \"annotations\": [{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 2]}]}",
    "annotations[0]: \"bbox\" must be" },
  { "coco", "a.json",
    "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\"}],"
    " \"categories\": [{\"id\": 1, \"name\": \"a\"}],"
    " \"annotations\": [{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, \"1\", 2, 2]}]}",
    "annotations[0]: \"bbox\" must be" },
  { "coco", "a.json",
    "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\", \"width\": 10, \"height\": 10}],"
    " \"categories\": [{\"id\": 1, \"name\": \"a\"}],"
    " \"annotations\": [{\"image_id\": 1, \"category_id\": 1, \"bbox\": [5, 5, 8, 2]}]}",
    "annotations[0]: \"bbox\" reaches outside the 10x10 image" },
  { "coco", "a.json",
    "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\"}],"
    " \"categories\": [{\"id\": 1, \"name\": \"a\"}],"
    " \"annotations\": [{\"image_id\": 2, \"category_id\": 1, \"bbox\": [1, 1, 2, 2]}]}",
    "annotations[0]: \"image_id\" names no image" },
  { "coco", "a.json",
    "{\"images\": [{\"id\": 1, \"file_name\": \"x.jpg\", \"width\": 0}],"
    " \"categories\": [{\"id\": 1, \"name\": \"a\"}]}", "images[0]: \"width\" and \"height\"" },
  { "labelstudio", "b.json", "[{\"id\": 1, \"data\": {\"image\": \"x.jpg\"}", "line 1" },
  { "labelstudio", "b.json", "{\"id\": 1}", "a JSON list of tasks" },
  { "labelstudio", "b.json", "[{\"id\": 1, \"data\": {\"audio\": \"a.wav\"}}, {\"id\": 2}]",
    "task [1]: needs a \"data\" object" },
  { "labelstudio", "b.json", "[{\"id\": 1, \"data\": {\"video\": \"a.mp4\"}}]",
    "task [0]: \"data\" has neither" },
  { "labelstudio", "b.json", "[{\"id\": [1], \"data\": {\"audio\": \"a.wav\"}}]",
    "task [0]: \"id\" must be" },
  { "labelstudio", "b.json", "[{\"id\": 1, \"data\": {\"image\": \"x.jpg\"}}]",
    "task [0]: an image task needs labels" },
  { "labelstudio", "b.json",
    "[{\"data\": {\"image\": \"x.jpg\"}, \"annotations\": [{\"result\": [{\"type\":"
    " \"rectanglelabels\", \"original_width\": 10, \"original_height\": 10, \"value\": {\"x\": 1,"
    " \"y\": 1, \"width\": 120, \"height\": 5, \"rectanglelabels\": [\"a\"]}}]}]}]",
    "task [0], result [0]: a rectangle needs" },
  { "labelstudio", "b.json",
    "[{\"data\": {\"image\": \"x.jpg\"}, \"annotations\": [{\"result\": [{\"type\":"
    " \"rectanglelabels\", \"original_width\": 10, \"original_height\": 10, \"value\": {\"x\": 1,"
    " \"y\": 1, \"width\": 5, \"height\": 5, \"rectanglelabels\": [\"a\"]}}, {\"type\":"
    " \"rectanglelabels\", \"original_width\": 10, \"original_height\": 10, \"value\": {\"x\": 1,"
    " \"y\": 1, \"width\": 5, \"height\": 5, \"rectanglelabels\": []}}]}]}]",
    "task [0], result [1]: the rectangle has no label" },
  { "labelstudio", "b.json",
    "[{\"data\": {\"image\": \"missing.jpg\"}, \"annotations\": [{\"result\": [{\"type\":"
    " \"rectanglelabels\", \"value\": {\"x\": 1, \"y\": 1, \"width\": 5, \"height\": 5,"
    " \"rectanglelabels\": [\"a\"]}}]}]}]",
    "task [0], result [0]: no original_width" },
  { "labelstudio", "b.json",
    "[{\"data\": {\"image\": \"x.jpg\"}, \"annotations\": [{\"result\": [{\"type\":"
    " \"rectanglelabels\", \"original_width\": 10, \"original_height\": 10, \"value\": {\"x\": 1,"
    " \"y\": 1, \"width\": 5, \"height\": 5, \"rotation\": 30, \"rectanglelabels\": [\"a\"]}}]}]}]",
    "task [0], result [0]: rotated" },
  { "labelstudio", "b.json",
    "[{\"id\": 1, \"data\": {\"audio\": \"a.wav\"}}, {\"id\": 1, \"data\": {\"audio\": \"a.wav\"}}]",
    "task [1]: task id \"b-1\" appears twice" },
  { "labelstudio", "b.json", "[{\"id\": 1, \"data\": {\"audio\": \"a.wav\", \"start\": \"x\"}}]",
    "task [0]: task b-1: \"start\" must be" },
  { "labelstudio", "b.json",
    "[{\"data\": {\"image\": \"a.png\"}, \"predictions\": [{\"result\": [{\"type\":"
    " \"rectanglelabels\", \"original_width\": 10, \"original_height\": 10, \"value\": {\"x\":"
    " 96, \"y\": 1, \"width\": 10, \"height\": 5, \"rectanglelabels\": [\"a\"]}}]}]}]",
    "task b-1: the proposal box 1 is outside the image (10×10 pixels)" },
  { "labelstudio", "b.json",
    "[{\"data\": {\"audio\": \"a.wav\"}, \"predictions\": [{\"result\": [{\"type\":"
    " \"rectanglelabels\", \"value\": {\"x\": 1, \"y\": 1, \"width\": 5, \"height\": 5,"
    " \"rectanglelabels\": [\"a\"]}}]}]}]",
    "task [0], prediction result [0]: a \"rectanglelabels\" result does not fit a transcribe "
    "task" },
  { "labelstudio", "b.json",
    "[{\"data\": {\"audio\": \"a.wav\"}, \"predictions\": [{\"score\": 7, \"result\":"
    " [{\"type\": \"textarea\", \"value\": {\"text\": [\"ten\"]}}]}]}]",
    "task b-1: the proposal word 1: \"confidence\" must be a number from 0 to 1" },
  { "jsonl", "e.jsonl",
    "{\"id\": \"e\", \"kind\": \"bbox\", \"image\": \"a.png\", \"labels\": [\"a\"],"
    " \"proposal\": {\"boxes\": [{\"label\": \"a\", \"x\": 380, \"y\": 1, \"w\": 10,"
    " \"h\": 2}]}}\n",
    "task e: the proposal box 1 is outside the image (384×303 pixels)" },
  { "trn", "c.trn", "ten of clubs (c-1)\nno id here\n", "line 2: expected \"text (task-id)\"" },
  { "trn", "c.trn", "ten of clubs (c-1)\nsame (c-1)\n", "line 2: task id \"c-1\"" },
  { "trn", "c.trn", "ten of clubs (c-1)\nwho (nobody)\n", "line 2: there is no task \"nobody\"" },
  { "trn", "c.trn", "ten of clubs (c-1)\nbox (c-box)\n", "line 2: task \"c-box\" is not a transcription" },
  { "trn", "c.trn", "ten of \xff clubs (c-1)\n", "not UTF-8" },
  { "jsonl", "d.jsonl", "{\"id\": \"x\", \"kind\": \"bbox\"}\n", "line 1" },
};

static void
test_malformed (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *seed = write_file (
    f, "seed.jsonl",
    "{\"id\": \"c-1\", \"kind\": \"transcribe\", \"audio\": \"a.wav\"}\n"
    "{\"id\": \"c-box\", \"kind\": \"bbox\", \"image\": \"a.png\", \"labels\": [\"a\"]}\n");
  g_autofree char *wav = g_build_filename (f->audio, "cards-001.wav", NULL);
  g_autofree char *png = g_build_filename (f->images, "coins.png", NULL);
  gint64 before;

  g_free (copy_file (f, wav, "a.wav"));
  g_free (copy_file (f, png, "a.png"));

  g_assert_true (al_format_import (f->store, seed, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  before = al_store_count_tasks (f->store);

  for (gsize i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      const Bad *bad = &bad_inputs[i];
      g_autofree char *path = write_file (f, bad->file, bad->text);
      g_autoptr (AlTask) gold = NULL;

      g_assert_false (al_format_import (f->store, path, bad->format, NULL, NULL, &error));
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, path) || !strstr (error->message, bad->expect))
        g_error ("case %zu: \"%s\" does not name %s and \"%s\"", i, error->message, path,
                 bad->expect);
      g_clear_error (&error);
      g_assert_cmpint (al_store_count_tasks (f->store), ==, before);
      gold = al_store_get_task (f->store, "c-1", &error);
      g_assert_no_error (error);
      g_assert_null (gold->gold);
    }
}

static void
test_all_or_nothing (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (f->dir, "rec", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "empty", NULL);
  g_autofree char *path = NULL;
  AlImportOptions options = { .dataset = "x" };

  make_audio_folder (f, "rec");
  g_assert_true (al_format_import (f->store, dir, NULL, &options, NULL, &error));
  g_assert_cmpint (al_store_count_tasks (f->store), ==, 3);

  /* The same folder again: every id is taken, nothing more goes in. */
  g_assert_false (al_format_import (f->store, dir, NULL, &options, NULL, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_IMPORT);
  g_clear_error (&error);
  g_assert_cmpint (al_store_count_tasks (f->store), ==, 3);

  /* A transcript that is not UTF-8 names its file. */
  path = write_file (f, "rec/cards-002.txt", "caf\xe9");
  options.dataset = "y";
  g_assert_false (al_format_import (f->store, dir, NULL, &options, NULL, &error));
  g_assert_true (strstr (error->message, "cards-002.txt") != NULL);
  g_clear_error (&error);
  g_assert_cmpint (al_store_count_tasks (f->store), ==, 3);

  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  g_assert_false (al_format_import (f->store, empty, NULL, NULL, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, empty));
  g_clear_error (&error);

  g_assert_null (al_format_guess ("tasks.xlsx", &error));
  g_assert_error (error, AL_FORMAT_ERROR, AL_FORMAT_ERROR_UNKNOWN);
}

static void
test_media_info (void)
{
  const char *root = g_getenv ("ANNOLAB_SOURCE_ROOT");
  struct
  {
    const char *file;
    int w, h;
  } cases[] = { { "coins.png", 384, 303 }, { "chelsea.jpg", 451, 300 }, { "coffee.jpg", 600, 400 } };
  int w = 0, h = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (root ? root : ".", "data", "demo", "images",
                                                cases[i].file, NULL);
      g_assert_true (al_image_size (path, &w, &h));
      g_assert_cmpint (w, ==, cases[i].w);
      g_assert_cmpint (h, ==, cases[i].h);
    }
  g_assert_false (al_image_size_parse ((const guint8 *) "\xff\xd8\xff", 3, &w, &h));
  g_assert_false (al_image_size_parse ((const guint8 *) "GIF89a\0\0\0\0", 10, &w, &h));
  g_assert_cmpfloat (al_wav_duration ("/nonexistent.wav"), ==, 0);
}

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/formats/coco/round-trip", test_coco_round_trip);
  ADD ("/formats/coco/consensus", test_coco_consensus);
  ADD ("/formats/labelstudio/in-and-out", test_labelstudio_in_and_out);
  ADD ("/formats/labelstudio/predictions", test_labelstudio_predictions);
  ADD ("/formats/audio-folder", test_audio_folder);
  ADD ("/formats/trn/gold", test_trn_gold);
  ADD ("/formats/export/transcripts", test_transcript_exports);
  ADD ("/formats/export/box-folders", test_box_folders);
  ADD ("/formats/malformed", test_malformed);
  ADD ("/formats/all-or-nothing", test_all_or_nothing);
  g_test_add_func ("/formats/media-info", test_media_info);
  return g_test_run ();
}
