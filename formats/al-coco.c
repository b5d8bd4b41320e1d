/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <math.h>
#include <string.h>

#include "al-export-util.h"
#include "al-format-private.h"

/* COCO "instances" files: images and categories become bbox tasks, the
 * annotations of an image its gold boxes. */

/* Gold boxes must lie in the image and have a size. */
static gboolean
read_bbox (json_t *bbox,
           double  v[4])
{
  if (!al_json_get_numbers (bbox, v, 4))
    return FALSE;
  return v[0] >= 0 && v[1] >= 0 && v[2] > 0 && v[3] > 0;
}

typedef struct
{
  gint64 id;
  const char *file;
  gint64 width;
  gint64 height;
  json_t *boxes; /* owned, NULL while the image has no annotations */
} Image;

typedef struct
{
  gint64 id;
  const char *name;
} Category;

static void
clear_images (Image *images,
              gsize  n)
{
  for (gsize i = 0; i < n; i++)
    if (images[i].boxes)
      json_decref (images[i].boxes);
  g_free (images);
}

static gboolean
read_categories (json_t     *list,
                 const char *name,
                 Category   *cats,
                 GHashTable *by_id,
                 GError    **error)
{
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  size_t i;
  json_t *v;

  json_array_foreach (list, i, v)
    {
      Category *c = &cats[i];
      if (!json_is_object (v) || !al_json_get_int64 (v, "id", &c->id))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, categories[%zu]: needs a whole number \"id\"", name, i);
      c->name = json_string_value (json_object_get (v, "name"));
      if (c->name == NULL || *c->name == '\0')
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, categories[%zu]: needs a non-empty \"name\"", name, i);
      if (!g_hash_table_insert (by_id, &c->id, c))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, categories[%zu]: id %" G_GINT64_FORMAT " appears twice", name,
                               i, c->id);
      if (!g_hash_table_add (names, (gpointer) c->name))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, categories[%zu]: name \"%s\" appears twice", name, i, c->name);
    }
  return TRUE;
}

static gboolean
read_images (json_t     *list,
             const char *name,
             Image      *images,
             GHashTable *by_id,
             GError    **error)
{
  size_t i;
  json_t *v;

  json_array_foreach (list, i, v)
    {
      Image *img = &images[i];
      json_t *w = json_object_get (v, "width"), *h = json_object_get (v, "height");
      if (!json_is_object (v) || !al_json_get_int64 (v, "id", &img->id))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, images[%zu]: needs a whole number \"id\"", name, i);
      img->file = json_string_value (json_object_get (v, "file_name"));
      if (img->file == NULL || *img->file == '\0')
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, images[%zu]: needs a non-empty \"file_name\"", name, i);
      if ((w && (!json_is_integer (w) || json_integer_value (w) < 1 ||
                 json_integer_value (w) > 1000000)) ||
          (h && (!json_is_integer (h) || json_integer_value (h) < 1 ||
                 json_integer_value (h) > 1000000)))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, images[%zu]: \"width\" and \"height\" must be whole numbers "
                               "of pixels", name, i);
      img->width = w ? json_integer_value (w) : 0;
      img->height = h ? json_integer_value (h) : 0;
      if (!g_hash_table_insert (by_id, &img->id, img))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, images[%zu]: id %" G_GINT64_FORMAT " appears twice", name, i,
                               img->id);
    }
  return TRUE;
}

static gboolean
read_annotations (json_t          *list,
                  const char      *name,
                  GHashTable      *images,
                  GHashTable      *cats,
                  AlImportOptions *options,
                  GError         **error)
{
  guint crowd = 0;
  size_t i;
  json_t *v;

  json_array_foreach (list, i, v)
    {
      gint64 image_id, cat_id;
      double b[4];
      Image *img;
      Category *cat;
      json_t *crowd_v = json_object_get (v, "iscrowd");

      if (!json_is_object (v))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, annotations[%zu]: not an object", name, i);
      if (!al_json_get_int64 (v, "image_id", &image_id) ||
          (img = g_hash_table_lookup (images, &image_id)) == NULL)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, annotations[%zu]: \"image_id\" names no image in the file",
                               name, i);
      if (!al_json_get_int64 (v, "category_id", &cat_id) ||
          (cat = g_hash_table_lookup (cats, &cat_id)) == NULL)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, annotations[%zu]: \"category_id\" names no category in the "
                               "file", name, i);
      if (!read_bbox (json_object_get (v, "bbox"), b))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, annotations[%zu]: \"bbox\" must be [x, y, width, height] with "
                               "x, y >= 0 and width, height > 0", name, i);
      /* Half a pixel of slack: COCO boxes are rounded to two decimals. */
      if ((img->width && b[0] + b[2] > img->width + 0.5) ||
          (img->height && b[1] + b[3] > img->height + 0.5))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, annotations[%zu]: \"bbox\" reaches outside the %" G_GINT64_FORMAT
                               "x%" G_GINT64_FORMAT " image", name, i, img->width, img->height);
      if (json_is_integer (crowd_v) && json_integer_value (crowd_v) != 0)
        {
          crowd++;
          continue;
        }
      if (img->boxes == NULL)
        img->boxes = json_array ();
      if (json_array_size (img->boxes) >= AL_FORMAT_MAX_BOXES)
        return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE,
                               "%s, annotations[%zu]: more than %d boxes on one image", name, i,
                               AL_FORMAT_MAX_BOXES);
      json_array_append_new (img->boxes, json_pack ("{s:s,s:f,s:f,s:f,s:f}", "label", cat->name,
                                                    "x", b[0], "y", b[1], "w", b[2], "h", b[3]));
    }
  if (crowd > 0)
    al_format_note (options, "%s: %u crowd regions (iscrowd 1) were left out of the gold boxes",
                    name, crowd);
  return TRUE;
}

GPtrArray *
al_coco_parse (const char      *text,
               gsize            length,
               const char      *name,
               const char      *base_dir,
               AlImportOptions *options,
               GError         **error)
{
  g_autoptr (json_t) root = al_format_load_json (text, length, name, error);
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  g_autoptr (GHashTable) cat_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GHashTable) image_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree Category *cats = NULL;
  Image *images = NULL;
  json_t *j_images, *j_cats, *j_anns, *labels, *cat_ids;
  gsize n_images, n_cats;
  gboolean ok;

  if (root == NULL)
    return NULL;
  if (!json_is_object (root))
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s: a COCO file is one JSON object with \"images\"", name), NULL;
  j_images = json_object_get (root, "images");
  j_cats = json_object_get (root, "categories");
  j_anns = json_object_get (root, "annotations");
  if (!json_is_array (j_images))
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s: \"images\" must be a list", name),
           NULL;
  if (!json_is_array (j_cats) || json_array_size (j_cats) == 0)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s: \"categories\" must be a non-empty list", name), NULL;
  if (j_anns && !json_is_array (j_anns))
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s: \"annotations\" must be a list",
                           name), NULL;
  n_images = json_array_size (j_images);
  n_cats = json_array_size (j_cats);
  if (n_images > AL_FORMAT_MAX_RECORDS)
    return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE,
                           "%s: more than %d images; split the file", name, AL_FORMAT_MAX_RECORDS),
           NULL;
  if (n_cats > AL_FORMAT_MAX_LABELS)
    return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE, "%s: more than %d categories", name,
                           AL_FORMAT_MAX_LABELS), NULL;

  cats = g_new0 (Category, n_cats);
  images = g_new0 (Image, MAX (n_images, 1));
  ok = read_categories (j_cats, name, cats, cat_by_id, error) &&
       read_images (j_images, name, images, image_by_id, error) &&
       (j_anns == NULL ||
        read_annotations (j_anns, name, image_by_id, cat_by_id, options, error));

  labels = json_array ();
  cat_ids = json_array ();
  for (gsize c = 0; c < n_cats && ok; c++)
    {
      json_array_append_new (labels, json_string (cats[c].name));
      json_array_append_new (cat_ids, json_integer (cats[c].id));
    }

  for (gsize i = 0; i < n_images && ok; i++)
    {
      Image *img = &images[i];
      g_autofree char *num = g_strdup_printf ("%" G_GINT64_FORMAT, img->id);
      g_autofree char *id = al_format_task_id (options, num);
      g_autofree char *media = al_format_resolve (img->file, base_dir,
                                                  options ? options->images_dir : NULL);
      g_autofree char *record = g_strdup_printf ("images[%zu]", i);
      json_t *obj = json_pack ("{s:s,s:s,s:s,s:O}", "id", id, "kind", "bbox", "image", media,
                               "labels", labels);
      AlTask *task;

      json_object_set_new (obj, "instructions", al_format_instructions (AL_TASK_KIND_BBOX, labels));
      if (img->width && img->height)
        {
          json_object_set_new (obj, "width", json_integer (img->width));
          json_object_set_new (obj, "height", json_integer (img->height));
        }
      if (img->boxes)
        json_object_set_new (obj, "gold", json_pack ("{s:O}", "boxes", img->boxes));
      json_object_set_new (obj, "source",
                           json_pack ("{s:s,s:I,s:s,s:O}", "format", "coco", "image_id",
                                      (json_int_t) img->id, "file_name", img->file,
                                      "category_ids", cat_ids));
      task = al_format_task_new (obj, name, record, error);
      if (task == NULL)
        ok = FALSE;
      else
        g_ptr_array_add (tasks, task);
    }
  json_decref (labels);
  json_decref (cat_ids);
  clear_images (images, n_images);
  return ok ? g_steal_pointer (&tasks) : NULL;
}

/* Keeps the image and category ids of a COCO import when they are all
 * there and agree; otherwise numbers everything from 1. */
static gboolean
source_image_ids (GPtrArray *tasks)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < tasks->len; i++)
    {
      AlTask *task = tasks->pdata[i];
      json_t *id = task->source ? json_object_get (task->source, "image_id") : NULL;
      if (!json_is_integer (id) ||
          !g_hash_table_add (seen, g_memdup2 (&(gint64) { json_integer_value (id) },
                                              sizeof (gint64))))
        return FALSE;
    }
  return TRUE;
}

static json_t *
build_categories (GPtrArray  *tasks,
                  GHashTable *ids)
{
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  gboolean keep = TRUE;
  json_t *out = json_array ();

  for (guint i = 0; i < tasks->len; i++)
    {
      AlTask *task = tasks->pdata[i];
      json_t *src = task->source ? json_object_get (task->source, "category_ids") : NULL;
      for (guint l = 0; task->labels && task->labels[l]; l++)
        {
          json_t *v = json_array_get (src, l);
          gint64 id = json_is_integer (v) ? json_integer_value (v) : -1;
          gpointer old = NULL;
          if (g_hash_table_lookup_extended (ids, task->labels[l], NULL, &old))
            {
              keep = keep && id >= 0 && GPOINTER_TO_SIZE (old) == (gsize) id;
              continue;
            }
          keep = keep && id >= 0 && id < G_MAXINT && g_hash_table_add (used, g_memdup2 (&id, sizeof id));
          g_hash_table_insert (ids, task->labels[l], GSIZE_TO_POINTER ((gsize) MAX (id, 0)));
          g_ptr_array_add (order, task->labels[l]);
        }
    }
  for (guint c = 0; c < order->len; c++)
    {
      gsize id = keep ? GPOINTER_TO_SIZE (g_hash_table_lookup (ids, order->pdata[c])) : c + 1;
      g_hash_table_insert (ids, order->pdata[c], GSIZE_TO_POINTER (id));
      json_array_append_new (out, json_pack ("{s:I,s:s,s:s}", "id", (json_int_t) id, "name",
                                             (const char *) order->pdata[c], "supercategory", ""));
    }
  return out;
}

gboolean
al_export_coco (AlExport *export,
                FILE     *out,
                GError  **error)
{
  g_autoptr (GPtrArray) boxed = g_ptr_array_new ();
  g_autoptr (GHashTable) cat_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) image_ids = g_hash_table_new (NULL, NULL);
  g_autoptr (json_t) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format_iso8601 (now);
  json_t *images = json_array (), *anns = json_array ();
  gboolean keep_ids;
  json_int_t ann_id = 0;

  for (guint i = 0; i < export->tasks->len; i++)
    {
      AlTask *task = export->tasks->pdata[i];
      if (task->kind == AL_TASK_KIND_BBOX)
        g_ptr_array_add (boxed, task);
    }
  keep_ids = source_image_ids (boxed);
  root = json_pack ("{s:{s:s,s:s,s:s},s:[],s:o,s:o,s:o}", "info", "description",
                    "annolab export", "version", PACKAGE_VERSION, "date_created", date,
                    "licenses", "images", images, "categories",
                    build_categories (boxed, cat_ids), "annotations", anns);

  for (guint i = 0; i < boxed->len; i++)
    {
      AlTask *task = boxed->pdata[i];
      const char *file = task->source ? json_string_value (json_object_get (task->source,
                                                                            "file_name"))
                                      : NULL;
      g_autofree char *base = file ? NULL : g_path_get_basename (task->media);
      json_int_t id = keep_ids ? json_integer_value (json_object_get (task->source, "image_id"))
                               : (json_int_t) i + 1;

      if (!al_export_image_size (task, error))
        return FALSE;
      g_hash_table_insert (image_ids, task, GSIZE_TO_POINTER ((gsize) i));
      json_array_append_new (images, json_pack ("{s:I,s:s,s:i,s:i}", "id", id, "file_name",
                                                file ? file : base, "width", task->width,
                                                "height", task->height));
    }

  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      json_t *image, *box;
      size_t b;

      if (item->task->kind != AL_TASK_KIND_BBOX)
        continue;
      image = json_array_get (images,
                              GPOINTER_TO_SIZE (g_hash_table_lookup (image_ids, item->task)));
      json_array_foreach (json_object_get (item->result, "boxes"), b, box)
        {
          double x = json_number_value (json_object_get (box, "x"));
          double y = json_number_value (json_object_get (box, "y"));
          double w = json_number_value (json_object_get (box, "w"));
          double h = json_number_value (json_object_get (box, "h"));
          const char *label = json_string_value (json_object_get (box, "label"));
          gpointer cat = label ? g_hash_table_lookup (cat_ids, label) : NULL;
          json_t *ann;

          if (cat == NULL)
            continue;
          ann = json_pack ("{s:I,s:O,s:I,s:[f,f,f,f],s:f,s:i,s:s}", "id", ++ann_id, "image_id",
                           json_object_get (image, "id"), "category_id",
                           (json_int_t) GPOINTER_TO_SIZE (cat), "bbox", x, y, w, h, "area", w * h,
                           "iscrowd", 0, "annotator", item->annotator);
          if (export->consensus)
            json_object_set (ann, "support", json_object_get (box, "support"));
          json_array_append_new (anns, ann);
        }
    }
  if (json_dumpf (root, out, JSON_INDENT (1) | JSON_PRESERVE_ORDER) != 0 ||
      fputc ('\n', out) == EOF)
    return al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot write the export");
  return TRUE;
}
