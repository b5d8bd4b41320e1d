/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <math.h>

#include "al-boxes.h"
#include "al-hungarian.h"

/* The same arithmetic as pycocotools' bbIou, so that results agree bit
 * for bit. */
double
al_box_iou (const AlBox *a,
            const AlBox *b)
{
  double w, h, i, u;

  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  w = fmin (a->x + a->w, b->x + b->w) - fmax (a->x, b->x);
  if (w <= 0)
    return 0.0;
  h = fmin (a->y + a->h, b->y + b->h) - fmax (a->y, b->y);
  if (h <= 0)
    return 0.0;
  i = w * h;
  u = a->w * a->h + b->w * b->h - i;
  return u > 0 ? i / u : 0.0;
}

void
al_box_match_free (AlBoxMatch *match)
{
  if (match == NULL)
    return;
  g_array_unref (match->pairs);
  g_free (match->gold_to_pred);
  g_free (match->pred_to_gold);
  g_free (match);
}

AlBoxMatch *
al_box_match (const AlBox *gold,
              guint        n_gold,
              const AlBox *pred,
              guint        n_pred,
              double       threshold)
{
  g_autoptr (AlBoxMatch) m = NULL;
  g_autofree double *cost = NULL;
  g_autofree double *iou = NULL;
  g_autofree int *assign = NULL;
  double iou_sum = 0;
  guint g, p;

  g_return_val_if_fail (n_gold == 0 || gold != NULL, NULL);
  g_return_val_if_fail (n_pred == 0 || pred != NULL, NULL);

  if (n_gold > AL_HUNGARIAN_MAX || n_pred > AL_HUNGARIAN_MAX)
    return NULL;

  m = g_new0 (AlBoxMatch, 1);
  m->n_gold = n_gold;
  m->n_pred = n_pred;
  m->pairs = g_array_new (FALSE, FALSE, sizeof (AlBoxPair));
  m->gold_to_pred = g_new (int, MAX (n_gold, 1));
  m->pred_to_gold = g_new (int, MAX (n_pred, 1));
  for (g = 0; g < n_gold; g++)
    m->gold_to_pred[g] = -1;
  for (p = 0; p < n_pred; p++)
    m->pred_to_gold[p] = -1;

  /* A pair under the threshold costs as much as no pair at all, so the
   * assignment never trades a good pair for a useless one. */
  cost = g_new (double, (gsize) MAX (n_gold, 1) * MAX (n_pred, 1));
  iou = g_new (double, (gsize) MAX (n_gold, 1) * MAX (n_pred, 1));
  for (g = 0; g < n_gold; g++)
    for (p = 0; p < n_pred; p++)
      {
        double v = al_box_iou (&gold[g], &pred[p]);
        iou[(gsize) g * n_pred + p] = v;
        cost[(gsize) g * n_pred + p] = v >= threshold ? 1.0 - v : 1.0;
      }
  assign = g_new (int, MAX (n_gold, 1));
  al_hungarian_solve (cost, n_gold, n_pred, assign);

  for (g = 0; g < n_gold; g++)
    {
      int q = assign[g];
      AlBoxPair pair;
      if (q < 0 || iou[(gsize) g * n_pred + q] < threshold)
        continue;
      pair = (AlBoxPair) { g, q, iou[(gsize) g * n_pred + q] };
      g_array_append_val (m->pairs, pair);
      m->gold_to_pred[g] = q;
      m->pred_to_gold[q] = g;
      m->matched++;
      iou_sum += pair.iou;
      if (g_strcmp0 (gold[g].label, pred[q].label) == 0)
        m->labels_right++;
    }

  m->missed = n_gold - m->matched;
  m->extra = n_pred - m->matched;
  m->precision = n_pred ? (double) m->matched / n_pred : 1.0;
  m->recall = n_gold ? (double) m->matched / n_gold : 1.0;
  m->f1 = m->precision + m->recall > 0
    ? 2 * m->precision * m->recall / (m->precision + m->recall) : 0.0;
  m->mean_iou = m->matched ? iou_sum / m->matched : 0.0;
  m->label_accuracy = m->matched ? (double) m->labels_right / m->matched : 0.0;
  return g_steal_pointer (&m);
}
