/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "al-box-consensus.h"
#include "al-hungarian.h"

typedef struct
{
  GPtrArray *members;  /* const AlBox * */
  AlBox merged;
} Cluster;

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof (double), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
cluster_update (Cluster *c)
{
  guint n = c->members->len, i;
  g_autofree double *x1 = g_new (double, n), *y1 = g_new (double, n);
  g_autofree double *x2 = g_new (double, n), *y2 = g_new (double, n);

  for (i = 0; i < n; i++)
    {
      const AlBox *b = c->members->pdata[i];
      x1[i] = b->x;
      y1[i] = b->y;
      x2[i] = b->x + b->w;
      y2[i] = b->y + b->h;
    }
  c->merged.x = median (x1, n);
  c->merged.y = median (y1, n);
  c->merged.w = median (x2, n) - c->merged.x;
  c->merged.h = median (y2, n) - c->merged.y;
}

static const char *
majority_label (GPtrArray *members)
{
  const char *best = NULL;
  guint best_n = 0, i, j;

  for (i = 0; i < members->len; i++)
    {
      const char *label = ((const AlBox *) members->pdata[i])->label;
      guint n = 0;
      if (label == NULL)
        continue;
      for (j = 0; j < members->len; j++)
        n += g_strcmp0 (((const AlBox *) members->pdata[j])->label, label) == 0;
      if (n > best_n || (n == best_n && strcmp (label, best) < 0))
        {
          best = label;
          best_n = n;
        }
    }
  return best;
}

void
al_merged_boxes_free (GArray *merged)
{
  guint i;
  if (merged == NULL)
    return;
  for (i = 0; i < merged->len; i++)
    g_free ((char *) g_array_index (merged, AlMergedBox, i).box.label);
  g_array_unref (merged);
}

GArray *
al_box_consensus (const AlBox *boxes,
                  const guint *offsets,
                  guint        n_workers,
                  double       iou_threshold,
                  double       quorum)
{
  g_autoptr (GPtrArray) clusters = g_ptr_array_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (AlMergedBox));
  guint w, i;

  g_return_val_if_fail (n_workers == 0 || offsets != NULL, out);

  for (w = 0; w < n_workers; w++)
    {
      guint n = offsets[w + 1] - offsets[w], nc = clusters->len;
      /* A worker without boxes may come with no array at all. */
      const AlBox *mine = n ? boxes + offsets[w] : NULL;
      g_autofree int *assign = g_new (int, MAX (n, 1));
      g_autofree double *cost = g_new (double, (gsize) MAX (n, 1) * MAX (nc, 1));

      if (n > AL_HUNGARIAN_MAX || nc > AL_HUNGARIAN_MAX)
        continue;
      for (i = 0; i < n; i++)
        for (guint c = 0; c < nc; c++)
          {
            double v = al_box_iou (&mine[i], &((Cluster *) clusters->pdata[c])->merged);
            cost[(gsize) i * nc + c] = v >= iou_threshold ? 1 - v : 1;
          }
      al_hungarian_solve (cost, n, nc, assign);
      for (i = 0; i < n; i++)
        {
          Cluster *c;
          if (assign[i] >= 0 && cost[(gsize) i * nc + assign[i]] < 1)
            c = clusters->pdata[assign[i]];
          else
            {
              c = g_new0 (Cluster, 1);
              c->members = g_ptr_array_new ();
              g_ptr_array_add (clusters, c);
            }
          g_ptr_array_add (c->members, (gpointer) &mine[i]);
        }
      /* Medians move only after the whole worker is placed, so the order of
       * one worker's boxes does not matter. */
      for (i = 0; i < clusters->len; i++)
        cluster_update (clusters->pdata[i]);
    }

  for (i = 0; i < clusters->len; i++)
    {
      Cluster *c = clusters->pdata[i];
      if (c->members->len >= quorum * n_workers && c->members->len > 0)
        {
          AlMergedBox m = { 0 };
          double sum = 0;
          guint k;
          m.box = c->merged;
          m.box.label = g_strdup (majority_label (c->members));
          m.box.score = (double) c->members->len / n_workers;
          m.support = c->members->len;
          for (k = 0; k < c->members->len; k++)
            sum += al_box_iou (c->members->pdata[k], &c->merged);
          m.agreement = sum / c->members->len;
          g_array_append_val (out, m);
        }
      g_ptr_array_unref (c->members);
      g_free (c);
    }
  return out;
}
