/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <jansson.h>

#include "al-task.h"

G_BEGIN_DECLS

/* Scores a classification answer against the gold answer, both
 * {"choices": [...]}: "exact" (1 or 0), "agreement" (the share of the
 * task's choices on which both agree: picked by both or by neither),
 * "score" (exact for one answer, agreement when several may apply) and
 * "feedback" ({"well", "tip"}, the tip naming the expected choice). */
json_t *al_classify_score    (const AlTask *task,
                              json_t       *gold,
                              json_t       *result);

/* Majority of several answers to one task: for one answer the choice
 * most people picked (a tie goes to the earlier choice of the task), for
 * several each choice picked by more than half. {"choices": [...]} */
json_t *al_classify_majority (const AlTask  *task,
                              json_t *const *results,
                              guint          n_results);

/* One answer of one worker for one item, classes numbered from 0. */
typedef struct
{
  guint item;
  guint worker;
  guint label;
} AlClassLabel;

typedef struct
{
  guint n_items;
  guint n_workers;
  guint n_classes;
  guint iterations;   /* EM rounds run */
  double *posterior;  /* n_items × n_classes: P(true class | answers) */
  guint *best;        /* per item, the most likely class (earlier class on a tie) */
  double *prior;      /* per class */
  double *confusion;  /* n_workers × n_classes × n_classes: P(answer l | true k) */
  double *accuracy;   /* per worker: the expected share of its answers that are right;
                       * -1 for a worker without answers */
} AlDawidSkene;

#define AL_DAWID_SKENE_MAX_ROUNDS 100
#define AL_DAWID_SKENE_SMOOTHING 0.01

/* Dawid and Skene (1979): EM over each worker's confusion matrix and the
 * class priors, started from the share of votes per class, for at most
 * @max_rounds rounds (0: AL_DAWID_SKENE_MAX_ROUNDS) or until no posterior
 * moves by 1e-6. @smoothing is added to every count of a confusion
 * matrix, so that one slip is never taken for certainty. Items without
 * answers keep the prior. */
AlDawidSkene *al_dawid_skene      (const AlClassLabel *labels,
                                   guint               n_labels,
                                   guint               n_items,
                                   guint               n_workers,
                                   guint               n_classes,
                                   guint               max_rounds,
                                   double              smoothing);
void          al_dawid_skene_free (AlDawidSkene       *ds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlDawidSkene, al_dawid_skene_free)

G_END_DECLS
