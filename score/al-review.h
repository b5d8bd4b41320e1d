/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <jansson.h>

#include "al-task.h"

G_BEGIN_DECLS

/* Scores a subtitle review against the gold review, both {"verdict",
 * "text", "start", "end"}: "verdict_agrees" (1 or 0), "wer" of the text
 * the reviewer left against the gold text (normalised as for people),
 * "score" (the mean of agreement and 1 - WER, at least 0) and "feedback". */
json_t *al_review_score    (const AlTask  *task,
                            json_t        *gold,
                            json_t        *result);

/* The consensus of several reviews of one cue: the verdict most reviewers
 * gave (a tie goes to "correct", then "text"); for "text" the correction
 * most of them typed (a tie goes to the earlier one), for "timing" the
 * median start and end of those who moved it; otherwise the cue as it
 * stands. Adds "agreement", the share that gave the verdict. */
json_t *al_review_merge    (const AlTask  *task,
                            json_t *const *results,
                            guint          n_results);

G_END_DECLS
