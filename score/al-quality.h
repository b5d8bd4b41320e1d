/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <jansson.h>

#include "al-task.h"
#include "al-feedback.h"
#include "al-quality-error.h"

G_BEGIN_DECLS

/* Optional user_data for al_quality_score(); NULL means the defaults. */
typedef struct
{
  double iou_threshold;  /* 0 means AL_BOX_DEFAULT_IOU */
} AlQualityOptions;

/* An AlScoreFunc for al_store_set_scorer(): scores @result against the
 * task's gold answer. Returns {"kind", the numbers, "score" (0..1),
 * "feedback": {"well": {...}, "tip": {...}}} or NULL without gold. */
json_t *al_quality_score       (const AlTask *task,
                                json_t       *result,
                                gpointer      user_data);

/* The two halves, for callers without an AlTask. */
json_t *al_quality_score_text  (const char   *gold,
                                const char   *text);
json_t *al_quality_score_boxes (json_t       *gold_boxes,
                                json_t       *boxes,
                                double        iou_threshold);

G_END_DECLS
