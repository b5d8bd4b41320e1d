/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 time;    /* any monotonic unit, e.g. ms since the epoch */
  double score;   /* 0..1, from a gold task */
} AlGoldScore;

typedef struct
{
  double estimate;  /* posterior mean of Beta(prior + scores) */
  double trend;     /* mean of the newer half minus mean of the older half */
  guint n;          /* gold results in the window */
} AlWorkerQuality;

#define AL_WORKER_WINDOW 20
#define AL_WORKER_PRIOR 2.0

/* A pure function: the last @window scores by time (ties keep input order),
 * smoothed with a Beta(@prior, @prior) prior: (prior + sum) / (2 prior + n).
 * Scores outside 0..1 are clamped. With fewer than two results the trend is
 * 0; with an odd count the middle result belongs to neither half. */
AlWorkerQuality al_worker_quality (const AlGoldScore *scores,
                                   guint              n_scores,
                                   guint              window,
                                   double             prior);

G_END_DECLS
