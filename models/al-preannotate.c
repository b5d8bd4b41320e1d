/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-models"

#include "config.h"

#include <gst/gst.h>
#include <math.h>
#include <stdio.h>

#include "al-asr.h"
#include "al-boxes.h"
#include "al-faces.h"
#include "al-model-server.h"
#include "al-preannotate.h"
#include "al-store.h"
#include "al-text.h"
#include "al-tracks-score.h"
#include "al-wer.h"

static struct
{
  char *dataset, *with, *timeout, *format, *output;
  gboolean replace;
} opts;

static const GOptionEntry preannotate_entries[] = {
  { "dataset", 0, 0, G_OPTION_ARG_STRING, &opts.dataset, "only the tasks of this import", "NAME" },
  { "with", 0, 0, G_OPTION_ARG_STRING, &opts.with, "asr, faces or a model server's address",
    "asr|faces|URL" },
  { "replace", 0, 0, G_OPTION_ARG_NONE, &opts.replace, "replace proposals made before", NULL },
  { "timeout", 0, 0, G_OPTION_ARG_STRING, &opts.timeout,
    "seconds to wait for a model server's answer (30)", "SECONDS" },
  { NULL }
};

static const GOptionEntry proposals_entries[] = {
  { "dataset", 0, 0, G_OPTION_ARG_STRING, &opts.dataset, "only the tasks of this import", "NAME" },
  { "format", 0, 0, G_OPTION_ARG_STRING, &opts.format, "jsonl or trn", "FORMAT" },
  { "output", 0, 0, G_OPTION_ARG_STRING, &opts.output, "the file to write", "F" },
  { NULL }
};

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  va_list args;
  va_start (args, format);
  fputs ("annolab-queue: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  return 1;
}

/* Why tasks got no proposal, counted for the summary. */
static void
count (GHashTable *reasons,
       const char *reason)
{
  g_hash_table_replace (reasons, g_strdup (reason),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (reasons, reason)) + 1));
}

/* The model's own accuracy on gold tasks, with the scorer's WER (sclite's
 * alignment) and box matching, so the lab sees whether proposals help. */
static void
report_gold (GPtrArray *rows)
{
  g_autoptr (AlAligner) aligner = al_aligner_new (AL_ALIGN_SCLITE);
  AlWerCounts wer = { 0 };
  guint n_gold = 0, n_pred = 0, matched = 0, tasks_boxes = 0;
  guint videos = 0, gold_tracks = 0, pred_tracks = 0;
  double iou_sum = 0, track_iou_sum = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      AlStoreProposalRow *row = g_ptr_array_index (rows, i);
      AlTask *task = row->task;

      if (!row->gold || row->proposal == NULL || task->gold == NULL)
        continue;
      if (task->kind == AL_TASK_KIND_TRANSCRIBE)
        {
          const char *hyp = json_string_value (json_object_get (row->proposal, "text"));
          const char *ref = json_string_value (json_object_get (task->gold, "text"));
          AlTextFlags flags = AL_TEXT_FOR_PEOPLE;
          g_autofree char *r = al_text_normalize (ref ? ref : "", flags);
          g_autofree char *h = al_text_normalize (hyp ? hyp : "", flags);
          g_autoptr (GArray) rt = g_array_new (FALSE, FALSE, sizeof (AlToken));
          g_autoptr (GArray) ht = g_array_new (FALSE, FALSE, sizeof (AlToken));
          al_text_words (r, rt);
          al_text_words (h, ht);
          al_aligner_align (aligner, (AlToken *) (void *) rt->data, rt->len,
                            (AlToken *) (void *) ht->data, ht->len, &wer, NULL, NULL);
        }
      else if (task->kind == AL_TASK_KIND_VIDEO_BOXES)
        {
          /* The scorer's frame-by-frame IoU, as a participant's tracks get. */
          g_autoptr (json_t) score = al_tracks_score (task, task->gold, row->proposal);
          if (score == NULL)
            continue;
          videos++;
          gold_tracks += json_array_size (json_object_get (task->gold, "tracks"));
          pred_tracks += json_array_size (json_object_get (row->proposal, "tracks"));
          track_iou_sum += json_number_value (json_object_get (score, "mean_iou"));
        }
      else if (task->kind == AL_TASK_KIND_BBOX && json_object_get (row->proposal, "boxes"))
        {
          /* Only the labels the model proposes are compared. */
          json_t *pb = json_object_get (row->proposal, "boxes");
          json_t *gb = json_object_get (task->gold, "boxes");
          const char *label = al_faces_label (task);
          g_autoptr (GArray) gold = g_array_new (FALSE, TRUE, sizeof (AlBox));
          g_autoptr (GArray) pred = g_array_new (FALSE, TRUE, sizeof (AlBox));
          g_autoptr (AlBoxMatch) match = NULL;
          size_t k;
          json_t *b;

          json_array_foreach (pb, k, b)
            {
              AlBox box = { json_number_value (json_object_get (b, "x")),
                            json_number_value (json_object_get (b, "y")),
                            json_number_value (json_object_get (b, "w")),
                            json_number_value (json_object_get (b, "h")),
                            json_string_value (json_object_get (b, "label")), 0 };
              label = box.label;
              g_array_append_val (pred, box);
            }
          json_array_foreach (gb, k, b)
            {
              AlBox box = { json_number_value (json_object_get (b, "x")),
                            json_number_value (json_object_get (b, "y")),
                            json_number_value (json_object_get (b, "w")),
                            json_number_value (json_object_get (b, "h")),
                            json_string_value (json_object_get (b, "label")), 0 };
              if (g_strcmp0 (box.label, label) == 0)
                g_array_append_val (gold, box);
            }
          match = al_box_match ((AlBox *) (void *) gold->data, gold->len,
                                (AlBox *) (void *) pred->data, pred->len, AL_BOX_DEFAULT_IOU);
          if (match == NULL)
            continue;
          tasks_boxes++;
          n_gold += match->n_gold;
          n_pred += match->n_pred;
          matched += match->matched;
          iou_sum += match->mean_iou * match->matched;
        }
    }
  if (wer.utterances > 0)
    {
      AlWerMeasures m;
      al_wer_measures (&wer, &m);
      printf ("model on %" G_GINT64_FORMAT " gold transcriptions: WER %.1f%% (%" G_GINT64_FORMAT
              " errors in %" G_GINT64_FORMAT " words)\n", wer.utterances, 100 * m.wer,
              wer.substitutions + wer.deletions + wer.insertions, wer.ref_tokens);
    }
  if (videos > 0)
    printf ("model on %u gold videos: mean IoU %.2f over the frames (%u tracks proposed, %u in "
            "the gold)\n", videos, track_iou_sum / videos, pred_tracks, gold_tracks);
  if (tasks_boxes > 0)
    printf ("model on %u gold box tasks: precision %.2f, recall %.2f, mean IoU %.2f "
            "(%u of %u boxes found, %u proposed)\n", tasks_boxes,
            n_pred ? (double) matched / n_pred : 1.0, n_gold ? (double) matched / n_gold : 1.0,
            matched ? iou_sum / matched : 0.0, matched, n_gold, n_pred);
}

static gboolean
parse_timeout (double *out)
{
  char *end = NULL;

  *out = 30;
  if (opts.timeout == NULL)
    return TRUE;
  *out = g_ascii_strtod (opts.timeout, &end);
  return *end == '\0' && end != opts.timeout && isfinite (*out) && *out >= 0.1 && *out <= 3600;
}

static int
cmd_preannotate (AlStore *store,
                 int      argc,
                 char   **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) done = g_ptr_array_new ();
  g_autoptr (GHashTable) reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (AlAsr) asr = NULL;
  g_autoptr (AlModelServer) server = NULL;
  g_autoptr (GList) keys = NULL;
  gboolean is_asr, is_faces;
  gint64 started = g_get_monotonic_time ();
  guint stored = 0, kept = 0;
  double timeout;

  if (argc > 0)
    return fail ("pre-annotate takes no argument \"%s\"; usage: annolab-queue --db FILE "
                 "pre-annotate [--dataset NAME] --with asr|faces|http://HOST:PORT/ [--replace]",
                 argv[0]);
  if (opts.with == NULL)
    return fail ("pre-annotate needs --with asr, --with faces or --with http://HOST:PORT/ "
                 "(a model server)");
  if (!parse_timeout (&timeout))
    return fail ("\"%s\" is not a valid --timeout; give seconds from 0.1 to 3600", opts.timeout);
  is_asr = g_str_equal (opts.with, "asr");
  is_faces = g_str_equal (opts.with, "faces");
  if (!is_asr && !is_faces)
    {
      server = al_model_server_new (opts.with, timeout, &error);
      if (server == NULL)
        return fail ("%s; use --with asr, faces or http://HOST:PORT/", error->message);
    }
  rows = al_store_list_proposals (store, opts.dataset, &error);
  if (rows == NULL)
    return fail ("%s", error->message);
  g_setenv ("OPENCV_LOG_LEVEL", "OFF", FALSE);
  gst_init (NULL, NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      AlStoreProposalRow *row = g_ptr_array_index (rows, i);
      AlTask *task = row->task;
      g_autoptr (GError) local = NULL;
      json_t *proposal = NULL;

      if (is_asr && task->kind != AL_TASK_KIND_TRANSCRIBE)
        continue;
      if (is_faces && al_faces_label (task) == NULL)
        continue;
      if (server && !al_model_server_handles (task))
        continue;
      if (row->proposal && !opts.replace)
        {
          kept++;
          continue;
        }
      if (is_asr && !al_asr_has_language (task->language))
        {
          g_autofree char *why = g_strdup_printf ("no speech model for language \"%s\"",
                                                  task->language);
          count (reasons, why);
          continue;
        }
      if (is_asr && asr == NULL && (asr = al_asr_new (&error)) == NULL)
        return fail ("%s; nothing was changed", error->message);

      if (is_asr)
        proposal = al_asr_propose (asr, task, &local);
      else if (is_faces)
        proposal = al_faces_propose (task, &local);
      else
        proposal = al_model_server_propose (server, row->seq, task, &local);

      if (local && (server || g_error_matches (local, AL_MODEL_ERROR, AL_MODEL_ERROR_MISSING)))
        /* A model server that fails leaves every task as it was. */
        return fail ("%s; nothing was changed", local->message);
      if (local)
        {
          fprintf (stderr, "annolab-queue: task %s: %s\n", task->id, local->message);
          count (reasons, "the media could not be read");
          continue;
        }
      if (proposal == NULL)
        {
          count (reasons, "the model proposed nothing");
          continue;
        }
      g_clear_pointer (&row->proposal, json_decref);
      row->proposal = proposal;
      g_ptr_array_add (done, row);
    }

  if (!al_store_put_proposals (store, done, opts.replace, &stored, &error))
    return fail ("%s; nothing was changed", error->message);
  printf ("stored %u proposals with %s in %.1f s\n", stored, opts.with,
          (g_get_monotonic_time () - started) / 1e6);
  if (kept)
    printf ("%u tasks kept the proposal they had (--replace replaces it)\n", kept);
  keys = g_hash_table_get_keys (reasons);
  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l; l = l->next)
    printf ("%u tasks got none: %s\n", GPOINTER_TO_UINT (g_hash_table_lookup (reasons, l->data)),
            (const char *) l->data);
  report_gold (rows);
  return 0;
}

/* The stored proposals, for annolab-score and for looking at: trn holds
 * the transcription drafts as sclite reads them ("text (task-id)"). */
static int
cmd_proposals (AlStore *store,
               int      argc,
               char   **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  const char *format = opts.format ? opts.format : "jsonl";

  if (argc > 0)
    return fail ("proposals takes no argument \"%s\"", argv[0]);
  if (!g_str_equal (format, "jsonl") && !g_str_equal (format, "trn"))
    return fail ("unknown proposals format \"%s\"; use jsonl or trn", format);
  rows = al_store_list_proposals (store, opts.dataset, &error);
  if (rows == NULL)
    return fail ("%s", error->message);
  for (guint i = 0; i < rows->len; i++)
    {
      AlStoreProposalRow *row = g_ptr_array_index (rows, i);
      if (row->proposal == NULL)
        continue;
      if (g_str_equal (format, "trn"))
        {
          const char *text = json_string_value (json_object_get (row->proposal, "text"));
          if (row->task->kind == AL_TASK_KIND_TRANSCRIBE && text)
            g_string_append_printf (out, "%s (%s)\n", text, row->task->id);
        }
      else
        {
          g_autoptr (json_t) line = json_pack ("{s:s,s:s,s:b,s:O}", "task", row->task->id, "kind",
                                               al_task_kind_to_string (row->task->kind), "gold",
                                               row->gold, "proposal", row->proposal);
          g_autofree char *text = json_dumps (line, JSON_COMPACT | JSON_REAL_PRECISION (9));
          g_string_append_printf (out, "%s\n", text);
        }
    }
  if (opts.output == NULL)
    fputs (out->str, stdout);
  else
    {
      g_autofree char *target = al_store_check_output (store, opts.output, &error);
      if (target == NULL || !g_file_set_contents (target, out->str, (gssize) out->len, &error))
        return fail ("%s", error->message);
    }
  return 0;
}

const AlQueueCommand al_preannotate_commands[] = {
  { "pre-annotate", "", preannotate_entries, cmd_preannotate },
  { "proposals", "", proposals_entries, cmd_proposals },
  { NULL }
};
