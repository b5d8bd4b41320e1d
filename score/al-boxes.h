/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A box in continuous image coordinates (COCO: x, y, width, height; no +1). */
typedef struct
{
  double x;
  double y;
  double w;
  double h;
  const char *label;
  double score;
} AlBox;

typedef struct
{
  int gold;
  int pred;
  double iou;
} AlBoxPair;

typedef struct
{
  guint n_gold;
  guint n_pred;
  guint matched;
  guint missed;           /* gold boxes left without a partner */
  guint extra;            /* predicted boxes left without a partner */
  guint labels_right;     /* matched pairs with the same label */
  double precision;       /* 1 when nothing was predicted */
  double recall;          /* 1 when there was nothing to find */
  double f1;
  double mean_iou;        /* over matched pairs; 0 without any */
  double label_accuracy;  /* over matched pairs; 0 without any */
  GArray *pairs;          /* AlBoxPair, by gold index */
  int *gold_to_pred;      /* -1 when unmatched */
  int *pred_to_gold;
} AlBoxMatch;

#define AL_BOX_DEFAULT_IOU 0.5

double      al_box_iou        (const AlBox *a,
                               const AlBox *b);
/* Optimal one-to-one matching on 1 - IoU; pairs under @threshold count as
 * unmatched. Returns NULL when there are more than AL_HUNGARIAN_MAX boxes. */
AlBoxMatch *al_box_match      (const AlBox *gold,
                               guint        n_gold,
                               const AlBox *pred,
                               guint        n_pred,
                               double       threshold);
void        al_box_match_free (AlBoxMatch  *match);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlBoxMatch, al_box_match_free)

G_END_DECLS
