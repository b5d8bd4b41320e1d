/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <stdlib.h>

#include "al-worker-quality.h"

typedef struct
{
  AlGoldScore s;
  guint order;
} Item;

static gint
cmp_item (gconstpointer a,
          gconstpointer b)
{
  const Item *x = a, *y = b;
  if (x->s.time != y->s.time)
    return x->s.time < y->s.time ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

AlWorkerQuality
al_worker_quality (const AlGoldScore *scores,
                   guint              n_scores,
                   guint              window,
                   double             prior)
{
  AlWorkerQuality q = { 0 };
  g_autofree Item *items = NULL;
  guint i, start, n, half;
  double sum = 0, older = 0, newer = 0;

  g_return_val_if_fail (n_scores == 0 || scores != NULL, q);

  if (window == 0)
    window = AL_WORKER_WINDOW;
  items = g_new (Item, MAX (n_scores, 1));
  for (i = 0; i < n_scores; i++)
    {
      items[i].s = scores[i];
      items[i].s.score = CLAMP (scores[i].score, 0.0, 1.0);
      items[i].order = i;
    }
  qsort (items, n_scores, sizeof (Item), (GCompareFunc) cmp_item);

  start = n_scores > window ? n_scores - window : 0;
  n = n_scores - start;
  for (i = start; i < n_scores; i++)
    sum += items[i].s.score;
  q.n = n;
  q.estimate = (prior + sum) / (2 * prior + n);

  half = n / 2;
  if (half > 0)
    {
      for (i = 0; i < half; i++)
        {
          older += items[start + i].s.score;
          newer += items[n_scores - 1 - i].s.score;
        }
      q.trend = (newer - older) / half;
    }
  return q;
}
