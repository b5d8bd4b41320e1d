/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "al-export-util.h"
#include "al-format-private.h"

/* WebVTT and SRT: per recording (and per annotator) one file of cues, one
 * cue per transcribed segment, in time order. A reviewed programme is
 * written whole, each cue as its review (or the consensus) left it, with
 * a report of what changed beside it. */

typedef struct
{
  double start;
  double end;
  const char *text;
} Cue;

static void
append_time (GString *s,
             double   seconds,
             char     sep)
{
  gint64 ms = (gint64) llround (seconds * 1000);
  g_string_append_printf (s, "%02" G_GINT64_FORMAT ":%02d:%02d%c%03d", ms / 3600000,
                          (int) (ms / 60000 % 60), (int) (ms / 1000 % 60), sep, (int) (ms % 1000));
}

static int
compare_cues (gconstpointer a,
              gconstpointer b)
{
  const Cue *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Cue text may not hold a blank line (it would end the cue) nor, in
 * WebVTT, "-->". */
static char *
cue_text (const char *text)
{
  g_autofree char *flat = g_strdelimit (g_strdup (text ? text : ""), "\r\n\t", ' ');
  g_auto (GStrv) parts = g_strsplit (g_strstrip (flat), "-->", -1);
  return g_strjoinv ("->", parts);
}

static char *
render (GArray  *cues,
        gboolean srt)
{
  GString *s = g_string_new (srt ? "" : "WEBVTT\n\n");
  g_array_sort (cues, compare_cues);
  for (guint i = 0; i < cues->len; i++)
    {
      const Cue *c = &g_array_index (cues, Cue, i);
      g_autofree char *text = cue_text (c->text);
      if (srt)
        g_string_append_printf (s, "%u\n", i + 1);
      append_time (s, c->start, srt ? ',' : '.');
      g_string_append (s, " --> ");
      append_time (s, c->end, srt ? ',' : '.');
      g_string_append_printf (s, "\n%s\n\n", text);
    }
  return g_string_free (s, FALSE);
}

static double
end_of (AlTask *task)
{
  double whole;
  if (task->end > 0)
    return task->end;
  whole = al_wav_duration (task->media);
  return whole > task->start ? whole : 0;
}

static const char *
verdict_words (const char *verdict)
{
  if (g_strcmp0 (verdict, "text") == 0)
    return "text corrected";
  if (g_strcmp0 (verdict, "timing") == 0)
    return "timing corrected";
  return "correct";
}

/* One line of the report for the cue of @task, reviewed in @item or not. */
static void
report_cue (GString      *report,
            AlTask       *task,
            AlExportItem *item,
            const Cue    *cue)
{
  const char *verdict = item ? json_string_value (json_object_get (item->result, "verdict")) : NULL;
  json_t *cue_number = task->source ? json_object_get (task->source, "cue") : NULL;

  g_string_append_printf (report, "cue %" JSON_INTEGER_FORMAT " ",
                          json_integer_value (cue_number));
  append_time (report, task->start, '.');
  g_string_append (report, " --> ");
  append_time (report, task->end, '.');
  if (item == NULL)
    {
      g_string_append (report, ": not reviewed\n");
      return;
    }
  g_string_append_printf (report, ": %s", verdict_words (verdict));
  if (item->n_annotators > 1 || json_object_get (item->result, "agreement"))
    g_string_append_printf (report, " (%u of %u reviewers)",
                            (guint) llround (item->n_annotators *
                                             json_number_value (json_object_get (item->result,
                                                                                 "agreement"))),
                            item->n_annotators);
  if (g_strcmp0 (cue->text, task->subtitle) != 0)
    g_string_append_printf (report, "; text \"%s\" -> \"%s\"", task->subtitle, cue->text);
  if (fabs (cue->start - task->start) > 0.0005 || fabs (cue->end - task->end) > 0.0005)
    {
      g_string_append (report, "; now ");
      append_time (report, cue->start, '.');
      g_string_append (report, " --> ");
      append_time (report, cue->end, '.');
    }
  g_string_append_c (report, '\n');
}

/* Per annotator (or the consensus) and programme: the whole programme. */
static gboolean
export_reviews (AlExport   *export,
                const char *dir,
                gboolean    srt,
                GHashTable *used,
                GError    **error)
{
  /* "annotator\nmedia" -> (task -> item) */
  g_autoptr (GHashTable) reviews = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_hash_table_unref);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();

  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      g_autofree char *key = NULL;
      GHashTable *done;

      if (item->task->kind != AL_TASK_KIND_SUBTITLE_REVIEW)
        continue;
      key = g_strdup_printf ("%s\n%s", item->annotator, item->task->media);
      done = g_hash_table_lookup (reviews, key);
      if (done == NULL)
        {
          done = g_hash_table_new (NULL, NULL);
          g_ptr_array_add (order, item);
          g_hash_table_insert (reviews, g_steal_pointer (&key), done);
        }
      g_hash_table_insert (done, item->task, item);
    }

  for (guint i = 0; i < order->len; i++)
    {
      AlExportItem *first = order->pdata[i];
      g_autofree char *key = g_strdup_printf ("%s\n%s", first->annotator, first->task->media);
      g_autofree char *folder = al_export_folder (dir, export->single, first->folder, error);
      g_autofree char *stem = NULL;
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_autofree char *report_path = NULL;
      g_autoptr (GArray) cues = g_array_new (FALSE, FALSE, sizeof (Cue));
      g_autoptr (GString) report = g_string_new (NULL);
      GHashTable *done = g_hash_table_lookup (reviews, key);
      guint changed = 0, total = 0;

      if (folder == NULL)
        return FALSE;
      for (guint t = 0; t < export->tasks->len; t++)
        {
          AlTask *task = export->tasks->pdata[t];
          AlExportItem *item = g_hash_table_lookup (done, task);
          Cue cue = { task->start, task->end, task->subtitle };

          if (task->kind != AL_TASK_KIND_SUBTITLE_REVIEW ||
              g_strcmp0 (task->media, first->task->media) != 0)
            continue;
          if (item)
            {
              cue.start = json_number_value (json_object_get (item->result, "start"));
              cue.end = json_number_value (json_object_get (item->result, "end"));
              cue.text = json_string_value (json_object_get (item->result, "text"));
            }
          g_array_append_val (cues, cue);
          total++;
          if (g_strcmp0 (cue.text, task->subtitle) != 0 || cue.start != task->start ||
              cue.end != task->end)
            changed++;
          report_cue (report, task, item, &cue);
        }
      {
        g_autofree char *base = g_path_get_basename (first->task->media);
        g_autofree char *head = g_strdup_printf ("%s: %u cues, %u changed\n", base, total,
                                                 changed);
        g_string_prepend (report, head);
      }
      stem = al_export_media_stem (first->task);
      g_free (key);
      key = al_export_safe_name (stem);
      path = al_export_file_name (used, folder, key, srt ? ".srt" : ".vtt");
      report_path = al_export_file_name (used, folder, key, ".changes.txt");
      text = render (cues, srt);
      if (!al_export_write (path, text, -1, error) ||
          !al_export_write (report_path, report->str, report->len, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
al_export_subtitles (AlExport   *export,
                     const char *dir,
                     gboolean    srt,
                     GError    **error)
{
  /* "annotator\nmedia" -> GArray of Cue */
  g_autoptr (GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_array_unref);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      AlTask *task = item->task;
      g_autofree char *key = NULL;
      GArray *cues;
      Cue cue;

      if (task->kind != AL_TASK_KIND_TRANSCRIBE)
        continue;
      cue.start = task->start;
      cue.end = end_of (task);
      cue.text = json_string_value (json_object_get (item->result, "text"));
      if (cue.end <= cue.start)
        return al_format_fail (error, AL_FORMAT_ERROR_MISMATCH,
                               "task %s has no end time, which a cue needs", task->id);
      key = g_strdup_printf ("%s\n%s", item->annotator, task->media);
      cues = g_hash_table_lookup (files, key);
      if (cues == NULL)
        {
          cues = g_array_new (FALSE, FALSE, sizeof (Cue));
          g_ptr_array_add (order, item);
          g_hash_table_insert (files, g_steal_pointer (&key), cues);
        }
      g_array_append_val (cues, cue);
    }

  for (guint i = 0; i < order->len; i++)
    {
      AlExportItem *item = order->pdata[i];
      g_autofree char *key = g_strdup_printf ("%s\n%s", item->annotator, item->task->media);
      g_autofree char *folder = al_export_folder (dir, export->single, item->folder, error);
      g_autofree char *base = NULL;
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      GArray *cues = g_hash_table_lookup (files, key);
      char *dot;

      if (folder == NULL)
        return FALSE;
      base = g_path_get_basename (item->task->media);
      dot = strrchr (base, '.');
      if (dot && dot != base)
        *dot = '\0';
      g_free (key);
      key = al_export_safe_name (base);
      path = al_export_file_name (used, folder, key, srt ? ".srt" : ".vtt");
      text = render (cues, srt);
      if (!al_export_write (path, text, -1, error))
        return FALSE;
    }
  return export_reviews (export, dir, srt, used, error);
}
