/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <math.h>
#include <string.h>

#include "al-boxes.h"
#include "al-classify.h"
#include "al-quality.h"
#include "al-review.h"
#include "al-tracks-score.h"
#include "al-wer.h"

G_DEFINE_QUARK (al-quality-error-quark, al_quality_error)

/* ---- transcripts ---- */

static guint
char_distance (const AlToken *a,
               const AlToken *b)
{
  g_autoptr (AlAligner) aligner = al_aligner_new (AL_ALIGN_JIWER);
  g_autoptr (GArray) x = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autoptr (GArray) y = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autofree char *sa = g_strndup (a->str, a->len);
  g_autofree char *sb = g_strndup (b->str, b->len);
  AlWerCounts c = { 0 };

  al_text_chars (sa, x);
  al_text_chars (sb, y);
  if (!al_aligner_align (aligner, (AlToken *) (void *) x->data, x->len,
                         (AlToken *) (void *) y->data, y->len, &c, NULL, NULL))
    return G_MAXUINT;
  return c.substitutions + c.deletions + c.insertions;
}

static json_t *
code_only (const char *code)
{
  return json_pack ("{s:s}", "code", code);
}

static json_t *
text_tip (const GArray  *ops,
          const AlToken *ref,
          const AlToken *hyp,
          guint          n_hyp,
          const AlWerCounts *c)
{
  guint end_run = 0, start_run = 0, i;

  if (c->ref_tokens > 0 && n_hyp == 0)
    return code_only ("nothing_typed");

  for (i = ops->len; i > 0 && g_array_index (ops, AlEditOp, i - 1).edit == AL_EDIT_DELETE; i--)
    end_run++;
  for (i = 0; i < ops->len && g_array_index (ops, AlEditOp, i).edit == AL_EDIT_DELETE; i++)
    start_run++;

  if (c->deletions > 0 && c->deletions >= c->substitutions && c->deletions >= c->insertions)
    {
      if (end_run >= 2 || end_run == c->deletions)
        return json_pack ("{s:s,s:i}", "code", "missing_words_at_end", "count", end_run);
      if (start_run >= 2 || start_run == c->deletions)
        return json_pack ("{s:s,s:i}", "code", "missing_words_at_start", "count", start_run);
      return json_pack ("{s:s,s:I}", "code", "missing_words", "count", (json_int_t) c->deletions);
    }
  if (c->substitutions > 0 && c->substitutions >= c->insertions)
    {
      for (i = 0; i < ops->len; i++)
        {
          const AlEditOp *op = &g_array_index (ops, AlEditOp, i);
          const AlToken *r, *h;
          g_autofree char *word = NULL;
          g_autofree char *typed = NULL;
          guint shortest;
          if (op->edit != AL_EDIT_SUBSTITUTE)
            continue;
          r = &ref[op->ref];
          h = &hyp[op->hyp];
          word = g_strndup (r->str, r->len);
          typed = g_strndup (h->str, h->len);
          shortest = MIN (g_utf8_strlen (word, -1), g_utf8_strlen (typed, -1));
          /* A word that is one or two letters off was heard but misspelt. */
          if (shortest >= 3 && char_distance (r, h) <= 2)
            return json_pack ("{s:s,s:s,s:s}", "code", "check_spelling", "word", word,
                              "typed", typed);
          return json_pack ("{s:s,s:s,s:s}", "code", "misheard_word", "word", word,
                            "typed", typed);
        }
    }
  if (c->insertions > 0)
    return json_pack ("{s:s,s:I}", "code", "extra_words", "count", (json_int_t) c->insertions);
  return code_only ("keep_it_up");
}

static json_t *
text_well (const GArray      *ops,
           guint              n_hyp,
           const AlWerCounts *c)
{
  guint lead = 0;

  if (c->substitutions + c->deletions + c->insertions == 0 && c->ref_tokens > 0)
    return code_only ("all_words_right");
  if (c->ref_tokens > 0 && c->hits * 2 >= c->ref_tokens)
    return json_pack ("{s:s,s:I,s:I}", "code", "words_right", "count", (json_int_t) c->hits,
                      "total", (json_int_t) c->ref_tokens);
  while (lead < ops->len && g_array_index (ops, AlEditOp, lead).edit == AL_EDIT_CORRECT)
    lead++;
  if (lead >= 3)
    return json_pack ("{s:s,s:i}", "code", "good_start", "count", lead);
  if (c->insertions == 0 && n_hyp > 0)
    return code_only ("no_extra_words");
  return code_only ("kept_going");
}

json_t *
al_quality_score_text (const char *gold,
                       const char *text)
{
  g_autofree char *r = NULL;
  g_autofree char *h = NULL;
  g_autoptr (GArray) rt = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autoptr (GArray) ht = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autoptr (GArray) ops = g_array_new (FALSE, FALSE, sizeof (AlEditOp));
  g_autoptr (AlAligner) aligner = al_aligner_new (AL_ALIGN_JIWER);
  g_autoptr (GError) error = NULL;
  AlWerCounts words = { 0 }, chars = { 0 };
  AlWerMeasures wm, cm;
  json_t *out, *feedback;

  g_return_val_if_fail (gold != NULL && text != NULL, NULL);

  /* Participants are judged on words, not on case or punctuation. */
  r = al_text_normalize (gold, AL_TEXT_FOR_PEOPLE);
  h = al_text_normalize (text, AL_TEXT_FOR_PEOPLE);
  al_text_words (r, rt);
  al_text_words (h, ht);
  if (!al_aligner_align (aligner, (AlToken *) (void *) rt->data, rt->len,
                         (AlToken *) (void *) ht->data, ht->len, &words, ops, &error))
    {
      g_warning ("cannot score a transcript: %s", error->message);
      return NULL;
    }
  al_wer_text (r, h, 0, TRUE, &chars);
  al_wer_measures (&words, &wm);
  al_wer_measures (&chars, &cm);

  feedback = json_pack ("{s:o,s:o}", "well", text_well (ops, ht->len, &words), "tip",
                        text_tip (ops, (AlToken *) (void *) rt->data, (AlToken *) (void *) ht->data,
                                  ht->len, &words));
  out = json_pack ("{s:s,s:f,s:f,s:f,s:f,s:I,s:I,s:I,s:I,s:I,s:f,s:o}",
                   "kind", "transcribe",
                   "wer", wm.wer, "cer", cm.wer, "mer", wm.mer, "wil", wm.wil,
                   "n", (json_int_t) words.ref_tokens,
                   "c", (json_int_t) words.hits, "s", (json_int_t) words.substitutions,
                   "d", (json_int_t) words.deletions, "i", (json_int_t) words.insertions,
                   "score", CLAMP (1.0 - wm.wer, 0.0, 1.0),
                   "feedback", feedback);
  return out;
}

/* ---- boxes ---- */

static GArray *
read_boxes (json_t *value)
{
  GArray *boxes = g_array_new (FALSE, TRUE, sizeof (AlBox));
  json_t *list = json_is_array (value) ? value : json_object_get (value, "boxes");
  size_t i;
  json_t *item;

  json_array_foreach (list, i, item)
    {
      AlBox b = { 0 };
      b.x = json_number_value (json_object_get (item, "x"));
      b.y = json_number_value (json_object_get (item, "y"));
      b.w = json_number_value (json_object_get (item, "w"));
      b.h = json_number_value (json_object_get (item, "h"));
      b.label = json_string_value (json_object_get (item, "label"));
      g_array_append_val (boxes, b);
    }
  return boxes;
}

static const char *
most_missed_label (const AlBox *gold,
                   const AlBoxMatch *m,
                   guint      *count)
{
  const char *best = NULL;
  guint i, j;

  *count = 0;
  for (i = 0; i < m->n_gold; i++)
    {
      guint n = 0;
      if (m->gold_to_pred[i] >= 0)
        continue;
      for (j = 0; j < m->n_gold; j++)
        n += m->gold_to_pred[j] < 0 && g_strcmp0 (gold[j].label, gold[i].label) == 0;
      if (n > *count)
        {
          *count = n;
          best = gold[i].label;
        }
    }
  return best ? best : "";
}

/* The side of one matched box that is furthest off, signed so that a
 * positive value means the box is too large there. */
static json_t *
side_tip (const AlBox      *gold,
          const AlBox      *pred,
          const AlBoxMatch *m)
{
  static const char *const sides[] = { "left", "right", "top", "bottom" };
  double worst = 0;
  int worst_side = -1, worst_gold = -1;
  guint i;

  for (i = 0; i < m->pairs->len; i++)
    {
      const AlBoxPair *p = &g_array_index (m->pairs, AlBoxPair, i);
      const AlBox *g = &gold[p->gold], *q = &pred[p->pred];
      double d[4] = {
        g->x - q->x,
        (q->x + q->w) - (g->x + g->w),
        g->y - q->y,
        (q->y + q->h) - (g->y + g->h),
      };
      double size[4] = { g->w, g->w, g->h, g->h };
      int s;
      for (s = 0; s < 4; s++)
        {
          /* Small differences are within what anyone can see or do. */
          double limit = MAX (3.0, 0.05 * size[s]);
          if (fabs (d[s]) >= limit && fabs (d[s]) > fabs (worst))
            {
              worst = d[s];
              worst_side = s;
              worst_gold = p->gold;
            }
        }
    }
  if (worst_side < 0)
    return NULL;
  return json_pack ("{s:s,s:s,s:s,s:i}", "code", worst > 0 ? "box_too_loose" : "box_too_tight",
                    "label", gold[worst_gold].label ? gold[worst_gold].label : "",
                    "side", sides[worst_side], "pixels", (int) lround (fabs (worst)));
}

/* What is wrong with a gold box that found no partner at the threshold,
 * judged by the unmatched box that overlaps it most: a box drawn too small
 * or too large, or put beside the object, is not a missed object. NULL
 * when no box overlaps it. */
static json_t *
near_miss (const AlBox *g,
           const AlBox *pred,
           guint        n_pred,
           const int   *pred_to_gold,
           gboolean    *used)
{
  double best = 0, inter = 0;
  int j = -1;
  const AlBox *q;
  double ga = g->w * g->h, qa, dx, dy;
  const char *label = g->label ? g->label : "";

  for (guint k = 0; k < n_pred; k++)
    {
      double iw, ih;
      if (pred_to_gold[k] >= 0 || used[k])
        continue;
      iw = MIN (g->x + g->w, pred[k].x + pred[k].w) - MAX (g->x, pred[k].x);
      ih = MIN (g->y + g->h, pred[k].y + pred[k].h) - MAX (g->y, pred[k].y);
      if (iw > 0 && ih > 0 && iw * ih > best)
        {
          best = iw * ih;
          j = (int) k;
        }
    }
  if (j < 0 || ga <= 0)
    return NULL;
  used[j] = TRUE;
  q = &pred[j];
  qa = q->w * q->h;
  inter = best;
  if (qa > 0 && inter / qa >= 0.8 && qa < 0.8 * ga)
    return json_pack ("{s:s,s:s}", "code", "box_too_small", "label", label);
  if (inter / ga >= 0.8 && qa > 1.25 * ga)
    return json_pack ("{s:s,s:s}", "code", "box_too_large", "label", label);
  /* Beside the object: say where the box sits, measured from the centres. */
  dx = (q->x + q->w / 2) - (g->x + g->w / 2);
  dy = (q->y + q->h / 2) - (g->y + g->h / 2);
  return json_pack ("{s:s,s:s,s:s}", "code", "box_shifted", "label", label, "side",
                    fabs (dx) / MAX (g->w, 1) >= fabs (dy) / MAX (g->h, 1)
                        ? (dx < 0 ? "left" : "right")
                        : (dy < 0 ? "up" : "down"));
}

/* Every difference between the boxes and the gold, one item per gold box
 * that is not right and one per box where there is nothing, in gold order:
 * the words under the feedback picture. */
static json_t *
box_differences (const AlBox      *g,
                 const AlBox      *p,
                 const AlBoxMatch *m)
{
  json_t *list = json_array ();
  g_autofree gboolean *used = g_new0 (gboolean, MAX (m->n_pred, 1));

  for (guint i = 0; i < m->n_gold; i++)
    {
      int j = m->gold_to_pred[i];
      json_t *item = NULL;
      if (j >= 0)
        {
          if (g_strcmp0 (g[i].label, p[j].label) != 0)
            item = json_pack ("{s:s,s:s,s:s}", "code", "wrong_label",
                              "label", p[j].label ? p[j].label : "",
                              "expected", g[i].label ? g[i].label : "");
          else
            {
              AlBoxPair pair = { (int) i, j, 0 };
              AlBoxMatch one = *m;
              one.pairs = g_array_new (FALSE, FALSE, sizeof (AlBoxPair));
              g_array_append_val (one.pairs, pair);
              item = side_tip (g, p, &one);
              g_array_unref (one.pairs);
            }
        }
      else
        {
          item = near_miss (&g[i], p, m->n_pred, m->pred_to_gold, used);
          if (item == NULL)
            item = json_pack ("{s:s,s:s,s:i}", "code", "missed_object",
                              "label", g[i].label ? g[i].label : "", "count", 1);
        }
      if (item)
        json_array_append_new (list, item);
    }
  for (guint k = 0; k < m->n_pred; k++)
    if (m->pred_to_gold[k] < 0 && !used[k])
      json_array_append_new (list, json_pack ("{s:s,s:i}", "code", "extra_box", "count", 1));
  return list;
}

static json_t *
first_code (json_t     *list,
            const char *code)
{
  size_t i;
  json_t *item;

  json_array_foreach (list, i, item)
    if (g_strcmp0 (json_string_value (json_object_get (item, "code")), code) == 0)
      return item;
  return NULL;
}

/* The first difference that comes from a box too far off to count. */
static json_t *
first_unmatched (json_t *list)
{
  static const char *const codes[] = { "box_too_small", "box_too_large", "box_shifted" };
  size_t i;
  json_t *item;

  json_array_foreach (list, i, item)
    for (guint c = 0; c < G_N_ELEMENTS (codes); c++)
      if (g_strcmp0 (json_string_value (json_object_get (item, "code")), codes[c]) == 0)
        return item;
  return NULL;
}

json_t *
al_quality_score_boxes (json_t *gold_boxes,
                        json_t *boxes,
                        double  iou_threshold)
{
  g_autoptr (GArray) gold = read_boxes (gold_boxes);
  g_autoptr (GArray) pred = read_boxes (boxes);
  g_autoptr (AlBoxMatch) m = NULL;
  const AlBox *g = (const AlBox *) (void *) gold->data, *p = (const AlBox *) (void *) pred->data;
  json_t *well, *tip = NULL, *differences;
  double quality = 0;
  guint i;

  if (iou_threshold <= 0)
    iou_threshold = AL_BOX_DEFAULT_IOU;
  m = al_box_match (g, gold->len, p, pred->len, iou_threshold);
  if (m == NULL)
    {
      g_warning ("cannot score boxes: too many boxes");
      return NULL;
    }

  for (i = 0; i < m->pairs->len; i++)
    {
      const AlBoxPair *pair = &g_array_index (m->pairs, AlBoxPair, i);
      gboolean same = g_strcmp0 (g[pair->gold].label, p[pair->pred].label) == 0;
      quality += pair->iou * (same ? 1.0 : 0.5);
    }
  quality = MAX (m->n_gold, m->n_pred) ? quality / MAX (m->n_gold, m->n_pred) : 1.0;

  differences = box_differences (g, p, m);
  if (m->n_gold > 0 && m->n_pred == 0)
    tip = code_only ("no_boxes");
  else if (m->missed > 0 && first_code (differences, "missed_object") == NULL)
    /* Every gold box has a box near it: say what is wrong with the first. */
    tip = json_incref (first_unmatched (differences));
  else if (m->missed > 0)
    {
      guint count;
      const char *label = most_missed_label (g, m, &count);
      tip = json_pack ("{s:s,s:s,s:i}", "code", "missed_object", "label", label, "count", count);
    }
  else if (m->labels_right < m->matched)
    {
      for (i = 0; i < m->pairs->len && tip == NULL; i++)
        {
          const AlBoxPair *pair = &g_array_index (m->pairs, AlBoxPair, i);
          if (g_strcmp0 (g[pair->gold].label, p[pair->pred].label) != 0)
            tip = json_pack ("{s:s,s:s,s:s}", "code", "wrong_label",
                             "label", p[pair->pred].label ? p[pair->pred].label : "",
                             "expected", g[pair->gold].label ? g[pair->gold].label : "");
        }
    }
  else if (m->extra > 0)
    tip = json_pack ("{s:s,s:i}", "code", "extra_box", "count", m->extra);
  if (tip == NULL)
    tip = side_tip (g, p, m);
  if (tip == NULL)
    tip = code_only ("keep_it_up");

  if (m->n_gold > 0 && m->matched == m->n_gold)
    well = code_only ("all_objects_found");
  else if (m->matched > 0 && m->labels_right == m->matched)
    well = code_only ("labels_right");
  else if (m->matched > 0 && m->mean_iou >= 0.8)
    well = code_only ("boxes_tight");
  else if (m->extra == 0)
    well = code_only ("no_extra_boxes");
  else
    well = code_only ("kept_going");

  return json_pack ("{s:s,s:f,s:f,s:f,s:f,s:f,s:i,s:i,s:i,s:f,s:{s:o,s:o,s:o}}",
                    "kind", "bbox",
                    "precision", m->precision, "recall", m->recall, "f1", m->f1,
                    "mean_iou", m->mean_iou, "label_accuracy", m->label_accuracy,
                    "matched", m->matched, "missed", m->missed, "extra", m->extra,
                    "score", quality,
                    "feedback", "well", well, "tip", tip, "differences", differences);
}

json_t *
al_quality_score (const AlTask *task,
                  json_t       *result,
                  gpointer      user_data)
{
  const AlQualityOptions *options = user_data;

  g_return_val_if_fail (task != NULL, NULL);

  if (task->gold == NULL || !json_is_object (result))
    return NULL;
  if (task->kind == AL_TASK_KIND_CLASSIFY)
    return al_classify_score (task, task->gold, result);
  if (task->kind == AL_TASK_KIND_SUBTITLE_REVIEW)
    return al_review_score (task, task->gold, result);
  if (task->kind == AL_TASK_KIND_VIDEO_BOXES)
    return al_tracks_score (task, task->gold, result);
  if (task->kind == AL_TASK_KIND_TRANSCRIBE)
    {
      const char *gold = json_string_value (json_object_get (task->gold, "text"));
      const char *text = json_string_value (json_object_get (result, "text"));
      if (gold == NULL || text == NULL)
        return NULL;
      return al_quality_score_text (gold, text);
    }
  return al_quality_score_boxes (json_object_get (task->gold, "boxes"),
                                 json_object_get (result, "boxes"),
                                 options ? options->iou_threshold : 0);
}
