/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-score"
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "al-boxes.h"
#include "al-hungarian.h"
#include "al-coco-eval.h"
#include "al-task.h"
#include "al-quality-error.h"
#include "al-rover.h"
#include "al-score-cli.h"
#include "al-trn.h"

enum { EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
  "Usage:\n"
  "  annolab-score wer --ref REF.trn --hyp HYP.trn [--sclite] [--cer] [--json]\n"
  "                    [--lowercase] [--strip-punctuation] [--collapse-whitespace] [--remove-tags]\n"
  "  annolab-score boxes --gold GT.json --pred PRED.json [--iou T] [--json]\n"
  "  annolab-score coco-eval --gt GT.json --dt DT.json [--json]\n"
  "  annolab-score rover HYP.trn...\n";

static int
usage_error (const char *message)
{
  if (message)
    g_printerr ("annolab-score: %s\n", message);
  g_printerr ("%s", usage_text);
  return EXIT_USAGE;
}

static int
input_error (GError *error)
{
  g_printerr ("annolab-score: %s\n", error->message);
  g_error_free (error);
  return EXIT_BAD_INPUT;
}

/* Parses options; anything left over is an error unless @rest is given. */
static gboolean
parse (GOptionEntry *entries,
       int          *argc,
       char       ***argv,
       GError      **error)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_option_context_set_help_enabled (ctx, FALSE);
  g_option_context_add_main_entries (ctx, entries, NULL);
  return g_option_context_parse (ctx, argc, argv, error);
}

static void
print_json (json_t *obj)
{
  char *text = json_dumps (obj, JSON_COMPACT | JSON_REAL_PRECISION (17));
  g_print ("%s\n", text);
  free (text);
}

static int
run_wer (int    argc,
         char **argv)
{
  g_autofree char *ref = NULL;
  g_autofree char *hyp = NULL;
  gboolean sclite = FALSE, cer = FALSE, as_json = FALSE;
  gboolean lower = FALSE, punct = FALSE, collapse = FALSE, tags = FALSE;
  GOptionEntry entries[] = {
    { "ref", 0, 0, G_OPTION_ARG_FILENAME, &ref, NULL, NULL },
    { "hyp", 0, 0, G_OPTION_ARG_FILENAME, &hyp, NULL, NULL },
    { "sclite", 0, 0, G_OPTION_ARG_NONE, &sclite, NULL, NULL },
    { "cer", 0, 0, G_OPTION_ARG_NONE, &cer, NULL, NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, NULL, NULL },
    { "lowercase", 0, 0, G_OPTION_ARG_NONE, &lower, NULL, NULL },
    { "strip-punctuation", 0, 0, G_OPTION_ARG_NONE, &punct, NULL, NULL },
    { "collapse-whitespace", 0, 0, G_OPTION_ARG_NONE, &collapse, NULL, NULL },
    { "remove-tags", 0, 0, G_OPTION_ARG_NONE, &tags, NULL, NULL },
    { NULL }
  };
  GError *error = NULL;
  AlTrnOptions options = { 0 };
  AlTrnResult result;
  AlWerMeasures wm, cm;

  if (!parse (entries, &argc, &argv, &error))
    {
      int rc = usage_error (error->message);
      g_error_free (error);
      return rc;
    }
  if (!ref || !hyp || argc > 1)
    return usage_error ("wer needs --ref and --hyp, and nothing else");

  options.mode = sclite ? AL_ALIGN_SCLITE : AL_ALIGN_JIWER;
  options.characters = cer;
  options.flags = (lower ? AL_TEXT_LOWERCASE : 0) | (punct ? AL_TEXT_STRIP_PUNCTUATION : 0) |
                  (collapse ? AL_TEXT_COLLAPSE_SPACES : 0) | (tags ? AL_TEXT_REMOVE_TAGS : 0);
  if (!al_trn_score_files (ref, hyp, &options, &result, &error))
    return input_error (error);

  al_wer_measures (&result.words, &wm);
  al_wer_measures (&result.chars, &cm);
  if (as_json)
    {
      g_autoptr (json_t) obj = json_pack ("{s:I,s:I,s:I,s:I,s:I,s:f,s:I,s:I}",
                                          "n", (json_int_t) result.words.ref_tokens,
                                          "c", (json_int_t) result.words.hits,
                                          "s", (json_int_t) result.words.substitutions,
                                          "d", (json_int_t) result.words.deletions,
                                          "i", (json_int_t) result.words.insertions,
                                          "wer", wm.wer,
                                          "utterances", (json_int_t) result.words.utterances,
                                          "missing", (json_int_t) result.missing);
      if (!sclite)
        {
          json_object_set_new (obj, "mer", json_real (wm.mer));
          json_object_set_new (obj, "wil", json_real (wm.wil));
          json_object_set_new (obj, "wip", json_real (wm.wip));
        }
      if (cer)
        {
          json_object_set_new (obj, "cer", json_real (cm.wer));
          json_object_set_new (obj, "cer_n", json_integer (result.chars.ref_tokens));
          json_object_set_new (obj, "cer_c", json_integer (result.chars.hits));
          json_object_set_new (obj, "cer_s", json_integer (result.chars.substitutions));
          json_object_set_new (obj, "cer_d", json_integer (result.chars.deletions));
          json_object_set_new (obj, "cer_i", json_integer (result.chars.insertions));
        }
      print_json (obj);
      return 0;
    }

  g_print ("Utterances: %" G_GINT64_FORMAT, result.words.utterances);
  if (result.missing)
    g_print (" (%" G_GINT64_FORMAT " reference utterances without a hypothesis)", result.missing);
  g_print ("\nReference words: %" G_GINT64_FORMAT "\n", result.words.ref_tokens);
  g_print ("Correct %" G_GINT64_FORMAT ", substituted %" G_GINT64_FORMAT ", deleted %"
           G_GINT64_FORMAT ", inserted %" G_GINT64_FORMAT "\n",
           result.words.hits, result.words.substitutions, result.words.deletions,
           result.words.insertions);
  g_print ("WER: %.2f%%%s\n", 100 * wm.wer, sclite ? " (sclite alignment)" : "");
  if (!sclite)
    g_print ("MER: %.2f%%  WIL: %.2f%%\n", 100 * wm.mer, 100 * wm.wil);
  if (cer)
    g_print ("CER: %.2f%% (%" G_GINT64_FORMAT " reference characters)\n", 100 * cm.wer,
             result.chars.ref_tokens);
  return 0;
}

/* ---- boxes ---- */

typedef struct
{
  GArray *gold;  /* AlBox */
  GArray *pred;
} ImageBoxes;

static void
image_boxes_free (ImageBoxes *ib)
{
  g_array_unref (ib->gold);
  g_array_unref (ib->pred);
  g_free (ib);
}

static gboolean
add_boxes (GHashTable *images,
           GHashTable *names,
           json_t     *anns,
           gboolean    gold,
           const char *path,
           GError    **error)
{
  size_t i;
  json_t *item;

  json_array_foreach (anns, i, item)
    {
      json_t *bb = json_object_get (item, "bbox");
      json_t *img = json_object_get (item, "image_id");
      gint64 image_id, cat;
      ImageBoxes *ib;
      AlBox b = { 0 };
      int k;

      if (!json_is_integer (img) || !json_is_integer (json_object_get (item, "category_id")) ||
          !json_is_array (bb) || json_array_size (bb) != 4)
        {
          g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE,
                       "%s: annotation %zu needs integer image_id and category_id and a bbox "
                       "[x, y, w, h]", path, i + 1);
          return FALSE;
        }
      for (k = 0; k < 4; k++)
        if (!json_is_number (json_array_get (bb, k)))
          {
            g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE,
                         "%s: annotation %zu has a bbox with a value that is not a number",
                         path, i + 1);
            return FALSE;
          }
      if (gold && json_integer_value (json_object_get (item, "iscrowd")) != 0)
        continue;
      image_id = json_integer_value (img);
      cat = json_integer_value (json_object_get (item, "category_id"));
      b.x = json_number_value (json_array_get (bb, 0));
      b.y = json_number_value (json_array_get (bb, 1));
      b.w = json_number_value (json_array_get (bb, 2));
      b.h = json_number_value (json_array_get (bb, 3));
      b.label = g_hash_table_lookup (names, &cat);
      if (b.label == NULL)
        {
          /* Unknown categories get a name of their own so that they never
           * count as the right label. */
          gint64 *key = g_memdup2 (&cat, sizeof cat);
          char *name = g_strdup_printf ("category %" G_GINT64_FORMAT, cat);
          g_hash_table_insert (names, key, name);
          b.label = name;
        }
      ib = g_hash_table_lookup (images, &image_id);
      if (ib == NULL)
        {
          ib = g_new0 (ImageBoxes, 1);
          ib->gold = g_array_new (FALSE, FALSE, sizeof (AlBox));
          ib->pred = g_array_new (FALSE, FALSE, sizeof (AlBox));
          g_hash_table_insert (images, g_memdup2 (&image_id, sizeof image_id), ib);
        }
      g_array_append_val (gold ? ib->gold : ib->pred, b);
    }
  return TRUE;
}

static int
run_boxes (int    argc,
           char **argv)
{
  g_autofree char *gold_path = NULL;
  g_autofree char *pred_path = NULL;
  double iou = AL_BOX_DEFAULT_IOU;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "gold", 0, 0, G_OPTION_ARG_FILENAME, &gold_path, NULL, NULL },
    { "pred", 0, 0, G_OPTION_ARG_FILENAME, &pred_path, NULL, NULL },
    { "iou", 0, 0, G_OPTION_ARG_DOUBLE, &iou, NULL, NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, NULL, NULL },
    { NULL }
  };
  g_autoptr (json_t) gt = NULL;
  g_autoptr (json_t) pred = NULL;
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr (GHashTable) images = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         (GDestroyNotify) image_boxes_free);
  GError *error = NULL;
  json_t *cats, *pred_anns, *item;
  size_t i;
  GHashTableIter it;
  ImageBoxes *ib;
  guint64 n_gold = 0, n_pred = 0, matched = 0, right = 0;
  double iou_sum = 0, precision, recall, f1;

  if (!parse (entries, &argc, &argv, &error))
    {
      int rc = usage_error (error->message);
      g_error_free (error);
      return rc;
    }
  if (!gold_path || !pred_path || argc > 1)
    return usage_error ("boxes needs --gold and --pred, and nothing else");
  if (!(iou > 0 && iou <= 1))
    return usage_error ("--iou must be above 0 and at most 1");

  gt = al_coco_load_json (gold_path, &error);
  if (!gt)
    return input_error (error);
  pred = al_coco_load_json (pred_path, &error);
  if (!pred)
    return input_error (error);

  cats = json_object_get (gt, "categories");
  if (!json_is_array (json_object_get (gt, "annotations")))
    return input_error (g_error_new (AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE,
                                     "%s: a COCO file needs an \"annotations\" list", gold_path));
  json_array_foreach (cats, i, item)
    {
      json_t *id = json_object_get (item, "id");
      const char *name = json_string_value (json_object_get (item, "name"));
      if (json_is_integer (id))
        {
          gint64 v = json_integer_value (id);
          g_hash_table_insert (names, g_memdup2 (&v, sizeof v),
                               name ? g_strdup (name) : g_strdup_printf ("category %" G_GINT64_FORMAT, v));
        }
    }
  pred_anns = json_is_array (pred) ? pred : json_object_get (pred, "annotations");
  if (!json_is_array (pred_anns))
    return input_error (g_error_new (AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE,
                                     "%s: expected a COCO results list or a COCO file", pred_path));
  if (!add_boxes (images, names, json_object_get (gt, "annotations"), TRUE, gold_path, &error) ||
      !add_boxes (images, names, pred_anns, FALSE, pred_path, &error))
    return input_error (error);

  g_hash_table_iter_init (&it, images);
  while (g_hash_table_iter_next (&it, NULL, (gpointer *) &ib))
    {
      g_autoptr (AlBoxMatch) m
          = al_box_match ((AlBox *) (void *) ib->gold->data, ib->gold->len,
                          (AlBox *) (void *) ib->pred->data, ib->pred->len, iou);
      if (m == NULL)
        return input_error (g_error_new (AL_QUALITY_ERROR, AL_QUALITY_ERROR_TOO_LARGE,
                                         "an image has more than %d boxes", AL_HUNGARIAN_MAX));
      n_gold += m->n_gold;
      n_pred += m->n_pred;
      matched += m->matched;
      right += m->labels_right;
      iou_sum += m->mean_iou * m->matched;
    }
  precision = n_pred ? (double) matched / n_pred : 1.0;
  recall = n_gold ? (double) matched / n_gold : 1.0;
  f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;

  if (as_json)
    {
      g_autoptr (json_t) obj = json_pack ("{s:f,s:f,s:f,s:f,s:f,s:I,s:I,s:I,s:I,s:I,s:f}",
                                          "precision", precision, "recall", recall, "f1", f1,
                                          "mean_iou", matched ? iou_sum / matched : 0.0,
                                          "label_accuracy", matched ? (double) right / matched : 0.0,
                                          "matched", (json_int_t) matched,
                                          "missed", (json_int_t) (n_gold - matched),
                                          "extra", (json_int_t) (n_pred - matched),
                                          "gold", (json_int_t) n_gold, "pred", (json_int_t) n_pred,
                                          "iou_threshold", iou);
      print_json (obj);
      return 0;
    }
  g_print ("Gold boxes %" G_GUINT64_FORMAT ", predicted %" G_GUINT64_FORMAT
           ", matched %" G_GUINT64_FORMAT " (IoU >= %.2f)\n", n_gold, n_pred, matched, iou);
  g_print ("Precision %.4f  Recall %.4f  F1 %.4f\n", precision, recall, f1);
  g_print ("Mean IoU of matches %.4f  Label accuracy %.4f\n",
           matched ? iou_sum / matched : 0.0, matched ? (double) right / matched : 0.0);
  return 0;
}

static int
run_coco_eval (int    argc,
               char **argv)
{
  g_autofree char *gt = NULL;
  g_autofree char *dt = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "gt", 0, 0, G_OPTION_ARG_FILENAME, &gt, NULL, NULL },
    { "dt", 0, 0, G_OPTION_ARG_FILENAME, &dt, NULL, NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, NULL, NULL },
    { NULL }
  };
  double stats[AL_COCO_N_STATS];
  GError *error = NULL;

  if (!parse (entries, &argc, &argv, &error))
    {
      int rc = usage_error (error->message);
      g_error_free (error);
      return rc;
    }
  if (!gt || !dt || argc > 1)
    return usage_error ("coco-eval needs --gt and --dt, and nothing else");
  if (!al_coco_eval_files (gt, dt, stats, &error))
    return input_error (error);
  if (as_json)
    {
      g_autoptr (json_t) obj = json_object ();
      for (int i = 0; i < AL_COCO_N_STATS; i++)
        json_object_set_new (obj, al_coco_stat_name (i), json_real (stats[i]));
      print_json (obj);
    }
  else
    {
      g_autofree char *text = al_coco_format (stats);
      g_print ("%s", text);
    }
  return 0;
}

static int
run_rover (int    argc,
           char **argv)
{
  g_autoptr (GHashTable) texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  int f;
  guint i;

  if (argc < 2)
    return usage_error ("rover needs at least one trn file");
  for (f = 1; f < argc; f++)
    {
      g_autoptr (AlTrnReader) reader = NULL;
      GError *error = NULL;
      char *text;
      const char *id;

      if (argv[f][0] == '-' && argv[f][1] != '\0')
        return usage_error ("rover takes no options");
      reader = al_trn_reader_open (argv[f], TRUE, &error);
      if (!reader)
        return input_error (error);
      while (al_trn_reader_next (reader, &text, &id, &error))
        {
          GPtrArray *list = g_hash_table_lookup (texts, id);
          if (list == NULL)
            {
              char *key = g_strdup (id);
              list = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (texts, key, list);
              g_ptr_array_add (order, key);
            }
          g_ptr_array_add (list, g_strdup (text));
        }
      if (error)
        return input_error (error);
    }
  for (i = 0; i < order->len; i++)
    {
      GPtrArray *list = g_hash_table_lookup (texts, order->pdata[i]);
      g_autofree char *merged = al_rover_merge ((const char *const *) list->pdata, list->len);
      g_print ("%s%s(%s)\n", merged, *merged ? " " : "", (char *) order->pdata[i]);
    }
  return 0;
}

int
al_score_cli_run (int    argc,
                  char **argv)
{
  if (argc < 2)
    return usage_error (NULL);
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_print ("%s", usage_text);
      return 0;
    }
  if (g_str_equal (argv[1], "wer"))
    return run_wer (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "boxes"))
    return run_boxes (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "coco-eval"))
    return run_coco_eval (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "rover"))
    return run_rover (argc - 1, argv + 1);
  return usage_error ("unknown command");
}
