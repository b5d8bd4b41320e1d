/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double start;
  double end;
} AlSegment;

typedef struct
{
  double frame_s;       /* 0.02 */
  double min_s;         /* 2.0: shorter pieces join a neighbour */
  double max_s;         /* 8.0: never longer */
  double margin_s;      /* 0.2: kept before the first and after the last word */
  double above_floor_db;/* 12: speech is this far above the noise floor */
} AlSegmenterOptions;

void    al_segmenter_options_init (AlSegmenterOptions       *options);

/* Cuts speech into micro-tasks at pauses (energy-based voice activity
 * detection). Returns AlSegment items in order; together they cover every
 * voiced frame. @threshold_db, if not NULL, receives the level used. */
GArray *al_segment_samples        (const float              *samples,
                                   gsize                     n_samples,
                                   int                       rate,
                                   const AlSegmenterOptions *options,
                                   double                   *threshold_db);
double  al_frame_db               (const float              *samples,
                                   gsize                     n);

G_END_DECLS
