/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <jansson.h>

#include "al-task.h"

G_BEGIN_DECLS

/* Scores the tracks of a video-boxes result against the gold tracks, frame
 * by frame over the task's span, on the interpolated boxes: per frame the
 * boxes are paired by the Hungarian method on IoU. Gives "mean_iou" (over
 * the frames on which a gold object is in sight; 0 where no box was
 * paired), "frames_above_half" (their share with IoU above 0.5),
 * "id_switches" (how often a gold object's box passed to another track,
 * as MOTChallenge counts them), "extra_frames" (boxes where no gold object
 * is), "frames", "score" and "feedback". NULL when either is not tracks. */
json_t *al_tracks_score (const AlTask *task,
                         json_t       *gold,
                         json_t       *result);

/* Several people's tracks of one video: the result that agrees best with
 * the others (highest mean score against them); for one, that one. */
json_t *al_tracks_merge (const AlTask  *task,
                         json_t *const *results,
                         guint          n_results);

/* How many frames the span of @task has, given its tracks (when the task
 * does not say where it ends, up to the last keyframe). */
guint   al_tracks_n_frames (const AlTask *task,
                            GPtrArray    *tracks);

/* The frame rate used for @task: its own, else 25. */
double  al_tracks_fps      (const AlTask *task);

G_END_DECLS
