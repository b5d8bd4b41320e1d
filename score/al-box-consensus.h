/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "al-boxes.h"

G_BEGIN_DECLS

typedef struct
{
  AlBox box;          /* median corners; label owned by the result */
  guint support;      /* how many workers drew it */
  double agreement;   /* mean IoU of the members with the merged box */
} AlMergedBox;

#define AL_BOX_CONSENSUS_QUORUM 0.5

/* Merges the boxes of @n_workers workers (worker w drew
 * @boxes[offsets[w] .. offsets[w + 1]]). Each worker's boxes are matched
 * (Hungarian, 1 - IoU, pairs under @iou_threshold left out) to the clusters
 * built so far; a cluster holds at most one box per worker. Clusters drawn
 * by at least @quorum of the workers are kept, with the median of each
 * corner and the majority label (ties: the label that sorts first).
 * Returns an array of AlMergedBox. */
GArray *al_box_consensus (const AlBox *boxes,
                          const guint *offsets,
                          guint        n_workers,
                          double       iou_threshold,
                          double       quorum);
void    al_merged_boxes_free (GArray *merged);

G_END_DECLS
