/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-segmenter"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "al-segmenter.h"

void
al_segmenter_options_init (AlSegmenterOptions *o)
{
  o->frame_s = 0.02;
  o->min_s = 2.0;
  o->max_s = 8.0;
  o->margin_s = 0.2;
  o->above_floor_db = 12.0;
}

double
al_frame_db (const float *s,
             gsize        n)
{
  double sum = 0;
  for (gsize i = 0; i < n; i++)
    sum += (double) s[i] * s[i];
  return 10.0 * log10 (sum / MAX (n, 1) + 1e-12);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* The quietest frame in [from, to): where a cut hurts least. */
static gsize
quietest (const double *db,
          gsize         from,
          gsize         to)
{
  gsize best = from;
  for (gsize i = from; i < to; i++)
    if (db[i] < db[best])
      best = i;
  return best;
}

GArray *
al_segment_samples (const float              *samples,
                    gsize                     n_samples,
                    int                       rate,
                    const AlSegmenterOptions *options,
                    double                   *threshold_db)
{
  AlSegmenterOptions o;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (AlSegment));
  gsize frame, n, first = 0, last = 0, start, min_f, max_f, margin_f, hang;
  g_autofree double *db = NULL;
  g_autofree double *sorted = NULL;
  g_autofree gboolean *voiced = NULL;
  gboolean any = FALSE;
  double floor_db, thr;

  if (options)
    o = *options;
  else
    al_segmenter_options_init (&o);
  frame = MAX (1, (gsize) (o.frame_s * rate));
  n = n_samples / frame;
  if (n == 0)
    return out;
  db = g_new (double, n);
  sorted = g_new (double, n);
  voiced = g_new0 (gboolean, n);
  for (gsize i = 0; i < n; i++)
    sorted[i] = db[i] = al_frame_db (samples + i * frame, frame);
  qsort (sorted, n, sizeof (double), cmp_double);
  /* The noise floor adapts to the recording: the quiet tenth of it. */
  floor_db = sorted[n / 10];
  thr = MIN (floor_db + o.above_floor_db, sorted[n - 1] - 3.0);
  if (threshold_db)
    *threshold_db = thr;

  /* Hangover: a dip shorter than 150 ms inside a word is not a pause. */
  hang = (gsize) (0.15 / o.frame_s);
  for (gsize i = 0; i < n; i++)
    voiced[i] = db[i] > thr;
  for (gsize i = 0; i < n; i++)
    if (voiced[i])
      {
        gsize j = i + 1;
        while (j < n && !voiced[j] && j - i <= hang)
          j++;
        if (j < n && voiced[j] && j - i <= hang)
          for (gsize k = i + 1; k < j; k++)
            voiced[k] = TRUE;
        if (!any)
          first = i;
        any = TRUE;
        last = i;
      }
  if (!any)
    return out;

  min_f = (gsize) (o.min_s / o.frame_s);
  max_f = (gsize) (o.max_s / o.frame_s);
  margin_f = (gsize) (o.margin_s / o.frame_s);
  start = first > margin_f ? first - margin_f : 0;

  while (start <= last)
    {
      gsize end_all = MIN (n, last + 1 + margin_f);
      gsize cut = 0;
      gboolean found = FALSE;
      AlSegment seg;

      if (end_all - start <= max_f)
        {
          seg.start = (double) start * frame / rate;
          seg.end = (double) end_all * frame / rate;
          g_array_append_val (out, seg);
          break;
        }
      /* Prefer the quietest unvoiced frame between min and max length; in
       * speech without pauses, the quietest frame at all. */
      for (gsize i = start + min_f; i < start + max_f && i < n; i++)
        if (!voiced[i] && (!found || db[i] < db[cut]))
          {
            cut = i;
            found = TRUE;
          }
      if (!found)
        cut = quietest (db, start + min_f, MIN (start + max_f, n));
      seg.start = (double) start * frame / rate;
      seg.end = (double) cut * frame / rate;
      g_array_append_val (out, seg);
      start = cut;
    }

  /* A last piece shorter than the minimum joins the one before, if the
   * two together stay within the maximum. */
  if (out->len >= 2)
    {
      AlSegment *a = &g_array_index (out, AlSegment, out->len - 2);
      AlSegment *b = &g_array_index (out, AlSegment, out->len - 1);
      if (b->end - b->start < o.min_s && b->end - a->start <= o.max_s)
        {
          a->end = b->end;
          g_array_set_size (out, out->len - 1);
        }
    }
  return out;
}
