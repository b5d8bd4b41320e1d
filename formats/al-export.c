/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <glib/gstdio.h>

#include "al-box-consensus.h"
#include "al-box-fit.h"
#include "al-classify.h"
#include "al-tracks-score.h"
#include "al-review.h"
#include "al-export-util.h"
#include "al-export.h"
#include "al-format-private.h"
#include "al-rover.h"
#include "al-store.h"

/* Results of one task, one per participant (the last one counts). */
typedef AlExportAnswer Answer;

static void
answer_free (Answer *a)
{
  g_free (a->name);
  json_decref (a->result);
  g_free (a);
}

static void
item_free (AlExportItem *item)
{
  g_free (item->annotator);
  if (item->result)
    json_decref (item->result);
  if (item->extra)
    json_decref (item->extra);
  g_free (item);
}

void
al_export_free (AlExport *export)
{
  if (export == NULL)
    return;
  g_ptr_array_unref (export->items);
  g_ptr_array_unref (export->tasks);
  g_clear_pointer (&export->folders, g_hash_table_unref);
  g_free (export);
}

static json_t *
merge_boxes (json_t *const *results,
             guint          n,
             double         iou)
{
  g_autoptr (GArray) boxes = g_array_new (FALSE, TRUE, sizeof (AlBox));
  g_autofree guint *offsets = g_new0 (guint, n + 1);
  GArray *merged;
  json_t *out = json_array ();

  for (guint w = 0; w < n; w++)
    {
      json_t *list = json_object_get (results[w], "boxes"), *b;
      size_t i;
      offsets[w] = boxes->len;
      json_array_foreach (list, i, b)
        {
          AlBox box = { 0 };
          box.x = json_number_value (json_object_get (b, "x"));
          box.y = json_number_value (json_object_get (b, "y"));
          box.w = json_number_value (json_object_get (b, "w"));
          box.h = json_number_value (json_object_get (b, "h"));
          box.label = json_string_value (json_object_get (b, "label"));
          g_array_append_val (boxes, box);
        }
    }
  offsets[n] = boxes->len;
  merged = al_box_consensus ((const AlBox *) (void *) boxes->data, offsets, n,
                             iou > 0 ? iou : AL_BOX_DEFAULT_IOU, AL_BOX_CONSENSUS_QUORUM);
  for (guint i = 0; i < merged->len; i++)
    {
      const AlMergedBox *m = &g_array_index (merged, AlMergedBox, i);
      if (m->box.label == NULL || m->box.w <= 0 || m->box.h <= 0)
        continue;
      json_array_append_new (out, json_pack ("{s:s,s:f,s:f,s:f,s:f,s:i,s:f}", "label",
                                             m->box.label, "x", m->box.x, "y", m->box.y, "w",
                                             m->box.w, "h", m->box.h, "support", (int) m->support,
                                             "agreement", m->agreement));
    }
  al_merged_boxes_free (merged);
  return json_pack ("{s:o}", "boxes", out);
}

json_t *
al_export_merge (const AlTask  *task,
                 json_t *const *results,
                 guint          n_results,
                 double         iou_threshold)
{
  g_autofree const char **texts = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (n_results > 0, NULL);

  if (task->kind == AL_TASK_KIND_BBOX)
    return merge_boxes (results, n_results, iou_threshold);
  if (task->kind == AL_TASK_KIND_CLASSIFY)
    return al_classify_majority (task, results, n_results);
  if (task->kind == AL_TASK_KIND_SUBTITLE_REVIEW)
    return al_review_merge (task, results, n_results);
  if (task->kind == AL_TASK_KIND_VIDEO_BOXES)
    return al_tracks_merge (task, results, n_results);
  texts = g_new0 (const char *, n_results + 1);
  for (guint i = 0; i < n_results; i++)
    {
      texts[i] = json_string_value (json_object_get (results[i], "text"));
      if (texts[i] == NULL)
        texts[i] = "";
    }
  text = al_rover_merge (texts, n_results);
  return json_pack ("{s:s}", "text", text);
}

typedef struct
{
  AlExport *export;
  GPtrArray *answers;
  GHashTable *by_seq;
} Load;

static gboolean
load_task (gint64   seq,
           json_t  *data,
           gpointer user_data,
           GError **error)
{
  Load *load = user_data;
  AlTask *task = al_task_new_from_json (data, NULL, error);

  if (task == NULL)
    return FALSE;
  g_hash_table_insert (load->by_seq, g_memdup2 (&seq, sizeof seq),
                       GUINT_TO_POINTER (load->export->tasks->len + 1));
  g_ptr_array_add (load->export->tasks, task);
  g_ptr_array_add (load->answers, g_ptr_array_new_with_free_func ((GDestroyNotify) answer_free));
  return TRUE;
}

static void
load_result (gint64      seq,
             gint64      user_id,
             const char *name,
             json_t     *result,
             gpointer    user_data)
{
  Load *load = user_data;
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (load->by_seq, &seq));
  GPtrArray *list;
  Answer *a;

  if (index == 0)
    return;
  list = load->answers->pdata[index - 1];
  a = list->len ? list->pdata[list->len - 1] : NULL;
  if (a && a->user_id == user_id)
    {
      /* A later result of the same participant replaces the earlier. */
      json_decref (a->result);
      a->result = json_incref (result);
      return;
    }
  a = g_new0 (Answer, 1);
  a->user_id = user_id;
  a->name = g_strdup (name);
  a->result = json_incref (result);
  g_ptr_array_add (list, a);
}

/* Reads every task, and for each the last result of each participant. */
static gboolean
load (AlStore               *store,
      const AlExportOptions *options,
      AlExport              *export,
      GPtrArray             *answers,
      GError               **error)
{
  g_autoptr (GHashTable) by_seq = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  Load load = { export, answers, by_seq };

  return al_store_read_work (store, options ? options->annotator : NULL, load_task, load_result,
                             &load, error);
}

static int
name_cmp (gconstpointer a,
          gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Folder names per participant: two names that clean up alike ("Sam!",
 * "Sam?"), or differ only in case, must not share a folder. Sorted by
 * name, the first keeps the plain name, the others get "-2", "-3". */
static GHashTable *
folder_names (GPtrArray *answers)
{
  GHashTable *folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint t = 0; t < answers->len; t++)
    {
      GPtrArray *list = answers->pdata[t];
      for (guint i = 0; i < list->len; i++)
        {
          const char *name = ((Answer *) list->pdata[i])->name;
          if (!g_hash_table_contains (folders, name))
            {
              g_hash_table_insert (folders, g_strdup (name), NULL);
              g_ptr_array_add (names, (gpointer) name);
            }
        }
    }
  g_ptr_array_sort (names, name_cmp);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *safe = al_export_safe_name (names->pdata[i]);
      char *folder = g_strdup (safe);
      for (guint n = 2;; n++)
        {
          g_autofree char *key = g_ascii_strdown (folder, -1);
          if (!g_hash_table_contains (taken, key))
            {
              g_hash_table_add (taken, g_steal_pointer (&key));
              break;
            }
          g_free (folder);
          folder = g_strdup_printf ("%s-%u", safe, n);
        }
      g_hash_table_insert (folders, g_strdup (names->pdata[i]), folder);
    }
  return folders;
}

/* Boxes go out inside the image and finite, or the export stops and says
 * which one: none is dropped or written as a wild number. */
static gboolean
fit_answers (AlTask    *task,
             GPtrArray *list,
             GError   **error)
{
  if (task->kind != AL_TASK_KIND_BBOX)
    return TRUE;
  if ((task->width <= 0 || task->height <= 0) && task->media &&
      !al_image_size (task->media, &task->width, &task->height))
    task->width = task->height = 0;
  for (guint i = 0; i < list->len; i++)
    {
      Answer *a = list->pdata[i];
      g_autofree char *problem = NULL;

      if (!al_boxes_fit (a->result, task->width, task->height, &problem))
        return al_format_fail (error, AL_FORMAT_ERROR_MISMATCH,
                               "task %s, the result of %s: %s; nothing was exported", task->id,
                               a->name, problem);
    }
  return TRUE;
}

AlExport *
al_export_collect (AlStore               *store,
                   const AlExportOptions *options,
                   GError               **error)
{
  g_autoptr (AlExport) export = g_new0 (AlExport, 1);
  g_autoptr (GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GPtrArray) consensus = g_ptr_array_new ();
  gboolean ok;

  g_return_val_if_fail (store != NULL, NULL);

  export->tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  export->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  export->consensus = options && options->consensus;
  export->single = export->consensus || (options && options->annotator);

  ok = load (store, options, export, answers, error);
  if (!ok)
    return NULL;
  export->folders = folder_names (answers);

  for (guint t = 0; t < export->tasks->len; t++)
    {
      AlTask *task = export->tasks->pdata[t];
      GPtrArray *list = answers->pdata[t];

      g_ptr_array_add (consensus, NULL);
      if (list->len == 0)
        continue;
      if (!fit_answers (task, list, error))
        return NULL;
      if (export->consensus)
        {
          g_autofree json_t **results = g_new (json_t *, list->len);
          AlExportItem *item = g_new0 (AlExportItem, 1);
          for (guint i = 0; i < list->len; i++)
            results[i] = ((Answer *) list->pdata[i])->result;
          item->task = task;
          item->annotator = g_strdup ("consensus");
          item->folder = "consensus";
          item->n_annotators = list->len;
          item->result = al_export_merge (task, results, list->len,
                                          options ? options->iou_threshold : 0);
          if (task->kind == AL_TASK_KIND_CLASSIFY)
            item->extra = json_object ();
          g_ptr_array_add (export->items, item);
          consensus->pdata[t] = item;
          continue;
        }
      for (guint i = 0; i < list->len; i++)
        {
          Answer *a = list->pdata[i];
          AlExportItem *item = g_new0 (AlExportItem, 1);
          item->task = task;
          item->annotator = g_strdup (a->name);
          item->folder = g_hash_table_lookup (export->folders, a->name);
          item->annotator_id = a->user_id;
          item->n_annotators = 1;
          item->result = json_incref (a->result);
          g_ptr_array_add (export->items, item);
        }
    }
  if (export->consensus)
    al_export_classify_consensus (export, answers, consensus);
  return g_steal_pointer (&export);
}

gboolean
al_export_jsonl (AlExport *export,
                 FILE     *out,
                 GError  **error)
{
  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      g_autoptr (json_t) line = json_pack ("{s:s,s:s,s:s,s:O}", "task_id", item->task->id,
                                           "participant", item->annotator, "kind",
                                           al_task_kind_to_string (item->task->kind), "result",
                                           item->result);
      if (export->consensus)
        json_object_set_new (line, "annotators", json_integer (item->n_annotators));
      if (item->extra)
        json_object_update (line, item->extra);
      if (json_dumpf (line, out, JSON_COMPACT | JSON_ENSURE_ASCII) != 0 || fputc ('\n', out) == EOF)
        return al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot write the export");
    }
  return TRUE;
}

/* An export goes to a file beside its target and takes its name only when
 * it is complete: a failed export leaves no half file, and nothing that
 * was there is truncated first. The target is checked by the store. */
typedef struct
{
  FILE *file;
  char *temp;
  char *target;
} Output;

static void
output_clear (Output *out)
{
  if (out->file && out->file != stdout)
    fclose (out->file);
  if (out->temp)
    g_unlink (out->temp);
  g_clear_pointer (&out->temp, g_free);
  g_clear_pointer (&out->target, g_free);
  out->file = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Output, output_clear)

static gboolean
open_output (AlStore    *store,
             const char *output,
             Output     *out,
             GError    **error)
{
  int fd;

  if (output == NULL)
    {
      out->file = stdout;
      return TRUE;
    }
  out->target = al_store_check_output (store, output, error);
  if (out->target == NULL)
    return FALSE;
  out->temp = g_strconcat (out->target, ".XXXXXX", NULL);
  fd = g_mkstemp_full (out->temp, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0 || (out->file = fdopen (fd, "w")) == NULL)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      else
        g_clear_pointer (&out->temp, g_free);
      return g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                          "Cannot write %s: %s", output, g_strerror (saved)), FALSE;
    }
  return TRUE;
}

static gboolean
close_output (Output     *out,
              const char *output,
              gboolean    ok,
              GError    **error)
{
  FILE *file = g_steal_pointer (&out->file);

  if (file == stdout)
    return fflush (file) == 0 ? ok : (ok ? al_format_fail (error, AL_FORMAT_ERROR_IO,
                                                           "Cannot write the export") : FALSE);
  if (fclose (file) != 0 && ok)
    return al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot write %s", output);
  if (ok && g_rename (out->temp, out->target) != 0)
    return al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot write %s: %s", output,
                           g_strerror (errno));
  if (ok)
    g_clear_pointer (&out->temp, g_free);
  return ok;
}

/* trn per annotator: one NAME.trn per participant in the folder. */
static gboolean
export_trn_files (AlStore    *store,
                  AlExport   *export,
                  const char *dir,
                  GError    **error)
{
  g_autoptr (GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    return al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot create %s: %s", dir,
                           g_strerror (errno));
  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      g_autofree char *file = NULL;
      g_autofree char *path = NULL;
      g_auto (Output) out = { 0 };

      if (item->task->kind != AL_TASK_KIND_TRANSCRIBE ||
          !g_hash_table_add (done, item->annotator))
        continue;
      file = g_strconcat (item->folder, ".trn", NULL);
      path = g_build_filename (dir, file, NULL);
      if (!open_output (store, path, &out, error) ||
          !close_output (&out, path, al_export_trn (export, item->annotator, out.file, error),
                         error))
        return FALSE;
    }
  return TRUE;
}

static const char *const file_formats[] = { "jsonl", "coco", "labelstudio", "trn", "csv", NULL };
static const char *const folder_formats[] = { "yolo", "voc", "webvtt", "srt", "cvat-video",
                                               "mot", NULL };

gboolean
al_format_export (AlStore               *store,
                  const char            *format,
                  const AlExportOptions *options,
                  const char            *output,
                  GError               **error)
{
  g_autoptr (AlExport) export = NULL;
  gboolean single = options && (options->consensus || options->annotator);
  g_auto (Output) out = { 0 };
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);

  if (!g_strv_contains (file_formats, format) && !g_strv_contains (folder_formats, format))
    return al_format_fail (error, AL_FORMAT_ERROR_UNKNOWN,
                           "unknown export format \"%s\"; known: jsonl, csv, coco, yolo, "
                           "voc, labelstudio, webvtt, srt, trn, cvat-video, mot", format);
  if (g_strv_contains (folder_formats, format) && output == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_UNKNOWN,
                           "%s writes a folder of files: give it with --output DIR", format);
  if (g_str_equal (format, "trn") && !single && output == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_UNKNOWN,
                           "trn writes one file per participant: give a folder with --output "
                           "DIR, or use --consensus or --annotator NAME");

  if (g_str_equal (format, "jsonl") && !single)
    {
      /* Every result with its timing and score, as the store keeps it;
       * boxes are held to the image, whose size may need reading. */
      if (al_store_get_image_size_func (store) == NULL)
        al_store_set_image_size_func (store, al_image_size);
      return open_output (store, output, &out, error) &&
             close_output (&out, output, al_store_export_jsonl (store, out.file, error), error);
    }

  if (g_strv_contains (folder_formats, format) || (g_str_equal (format, "trn") && !single))
    {
      g_autofree char *dir = al_store_check_output (store, output, error);
      if (dir == NULL)
        return FALSE;
    }
  export = al_export_collect (store, options, error);
  if (export == NULL)
    return FALSE;
  if (g_str_equal (format, "yolo"))
    return al_export_yolo (export, output, error);
  if (g_str_equal (format, "voc"))
    return al_export_voc (export, output, error);
  if (g_str_equal (format, "webvtt") || g_str_equal (format, "srt"))
    return al_export_subtitles (export, output, g_str_equal (format, "srt"), error);
  if (g_str_equal (format, "cvat-video") || g_str_equal (format, "mot"))
    return al_export_video_tracks (export, output, g_str_equal (format, "mot"), error);
  if (g_str_equal (format, "trn") && !single)
    return export_trn_files (store, export, output, error);

  if (!open_output (store, output, &out, error))
    return FALSE;
  if (g_str_equal (format, "coco"))
    ok = al_export_coco (export, out.file, error);
  else if (g_str_equal (format, "labelstudio"))
    ok = al_export_labelstudio (export, out.file, error);
  else if (g_str_equal (format, "trn"))
    ok = al_export_trn (export, NULL, out.file, error);
  else if (g_str_equal (format, "csv"))
    ok = al_export_csv (export, out.file, error);
  else
    ok = al_export_jsonl (export, out.file, error);
  return close_output (&out, output, ok, error);
}
