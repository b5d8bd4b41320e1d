/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"

#include "config.h"

#include <math.h>
#include <string.h>

#include "al-hungarian.h"
#include "al-track.h"
#include "al-tracks-score.h"

double
al_tracks_fps (const AlTask *task)
{
  return task->fps > 0 ? task->fps : 25.0;
}

guint
al_tracks_n_frames (const AlTask *task,
                    GPtrArray    *tracks)
{
  double fps = al_tracks_fps (task);
  guint n = 0;

  if (task->end > task->start)
    return MAX (1u, (guint) floor ((task->end - task->start) * fps + 0.5));
  for (guint i = 0; tracks && i < tracks->len; i++)
    {
      const AlTrack *track = tracks->pdata[i];
      if (track->keys->len > 0)
        n = MAX (n, al_track_frame_of (g_array_index (track->keys, AlTrackKey,
                                                      track->keys->len - 1).t,
                                       task->start, fps) + 1);
    }
  return MAX (n, 1u);
}

typedef struct
{
  double iou_sum;
  guint gold_frames;
  guint above_half;
  guint extra_frames;
  guint id_switches;
  guint frames;
  GArray *missed;  /* per gold track: frames in sight without a box */
  GArray *iou;     /* per gold track: IoU summed */
} Tally;

static void
tally (const AlTask *task,
       GPtrArray    *gold,
       GPtrArray    *mine,
       Tally        *t)
{
  double fps = al_tracks_fps (task);
  double tol = 0.5 / fps;
  guint n_frames = al_tracks_n_frames (task, gold);
  g_autofree int *last = g_new (int, MAX (gold->len, 1u));
  g_autofree AlTrackKey *gb = g_new (AlTrackKey, MAX (gold->len, 1u));
  g_autofree AlTrackKey *mb = g_new (AlTrackKey, MAX (mine->len, 1u));
  g_autofree int *gi = g_new (int, MAX (gold->len, 1u));
  g_autofree int *mi = g_new (int, MAX (mine->len, 1u));

  n_frames = MAX (n_frames, al_tracks_n_frames (task, mine));
  t->frames = n_frames;
  t->missed = g_array_new (FALSE, TRUE, sizeof (guint));
  t->iou = g_array_new (FALSE, TRUE, sizeof (double));
  g_array_set_size (t->missed, gold->len);
  g_array_set_size (t->iou, gold->len);
  for (guint g = 0; g < gold->len; g++)
    last[g] = -1;

  for (guint f = 0; f < n_frames; f++)
    {
      double time = al_track_time_of (f, task->start, fps);
      guint ng = 0, nm = 0;
      g_autofree double *cost = NULL;
      g_autofree int *pair = NULL;

      for (guint g = 0; g < gold->len; g++)
        if (al_track_box_at (gold->pdata[g], time, tol, &gb[ng], NULL))
          gi[ng++] = (int) g;
      for (guint m = 0; m < mine->len; m++)
        if (al_track_box_at (mine->pdata[m], time, tol, &mb[nm], NULL))
          mi[nm++] = (int) m;
      t->gold_frames += ng;
      if (ng == 0)
        {
          t->extra_frames += nm;
          continue;
        }
      pair = g_new (int, ng);
      for (guint a = 0; a < ng; a++)
        pair[a] = -1;
      if (nm > 0 && ng <= AL_HUNGARIAN_MAX && nm <= AL_HUNGARIAN_MAX)
        {
          cost = g_new (double, (gsize) ng * nm);
          for (guint a = 0; a < ng; a++)
            for (guint b = 0; b < nm; b++)
              cost[(gsize) a * nm + b] = 1.0 - al_track_iou (&gb[a], &mb[b]);
          al_hungarian_solve (cost, ng, nm, pair);
        }
      {
        guint paired = 0;
        for (guint a = 0; a < ng; a++)
          {
            double iou = pair[a] >= 0 ? al_track_iou (&gb[a], &mb[pair[a]]) : 0;
            int g = gi[a];
            if (iou <= 0)
              {
                g_array_index (t->missed, guint, g)++;
                continue;
              }
            paired++;
            t->iou_sum += iou;
            g_array_index (t->iou, double, g) += iou;
            if (iou > 0.5)
              {
                t->above_half++;
                if (last[g] >= 0 && last[g] != mi[pair[a]])
                  t->id_switches++;
                last[g] = mi[pair[a]];
              }
          }
        t->extra_frames += nm - paired;
      }
    }
}

static json_t *
feedback (GPtrArray    *gold,
          Tally        *t,
          double        mean)
{
  json_t *well, *tip = NULL;
  guint worst = 0, worst_missed = 0;

  for (guint g = 0; g < gold->len; g++)
    if (g_array_index (t->missed, guint, g) > worst_missed)
      {
        worst_missed = g_array_index (t->missed, guint, g);
        worst = g;
      }
  if (t->gold_frames > 0 && t->above_half == t->gold_frames)
    well = json_pack ("{s:s}", "code", "tracks_followed");
  else
    well = json_pack ("{s:s,s:i}", "code", "tracks_share", "percent",
                      (int) floor (100.0 * t->above_half / MAX (t->gold_frames, 1u) + 0.5));
  if (worst_missed > 0)
    tip = json_pack ("{s:s,s:i,s:s}", "code", "track_missed", "count", (int) worst_missed,
                     "label", ((AlTrack *) gold->pdata[worst])->label);
  else if (t->id_switches > 0)
    tip = json_pack ("{s:s,s:i}", "code", "track_switched", "count", (int) t->id_switches);
  else if (t->extra_frames > 0)
    tip = json_pack ("{s:s,s:i}", "code", "track_extra", "count", (int) t->extra_frames);
  else if (mean < 0.7)
    tip = json_pack ("{s:s,s:i}", "code", "track_loose", "percent",
                     (int) floor (100.0 * mean + 0.5));
  else
    tip = json_pack ("{s:s}", "code", "keep_it_up");
  return json_pack ("{s:o,s:o}", "well", well, "tip", tip);
}

static double
tally_score (const Tally *t)
{
  guint all = t->gold_frames + t->extra_frames;
  double s;

  if (all == 0)
    return 1.0;
  s = t->iou_sum / all - 0.02 * t->id_switches;
  return CLAMP (s, 0.0, 1.0);
}

json_t *
al_tracks_score (const AlTask *task,
                 json_t       *gold,
                 json_t       *result)
{
  g_autoptr (GPtrArray) g = NULL;
  g_autoptr (GPtrArray) m = NULL;
  Tally t;
  double mean, above;
  json_t *out;

  g_return_val_if_fail (task != NULL && task->kind == AL_TASK_KIND_VIDEO_BOXES, NULL);

  g = al_tracks_from_json (gold, NULL, "gold", NULL);
  m = al_tracks_from_json (result, NULL, "the answer", NULL);
  if (g == NULL || m == NULL)
    return NULL;
  memset (&t, 0, sizeof t);
  tally (task, g, m, &t);
  mean = t.gold_frames ? t.iou_sum / t.gold_frames : (t.extra_frames ? 0 : 1);
  above = t.gold_frames ? (double) t.above_half / t.gold_frames : (t.extra_frames ? 0 : 1);
  out = json_pack ("{s:s,s:f,s:f,s:i,s:i,s:i,s:i,s:f,s:o}", "kind", "video-boxes", "mean_iou",
                   mean, "frames_above_half", above, "id_switches", (int) t.id_switches,
                   "extra_frames", (int) t.extra_frames, "frames", (int) t.frames, "gold_boxes",
                   (int) t.gold_frames, "score", tally_score (&t), "feedback",
                   feedback (g, &t, mean));
  g_array_unref (t.missed);
  g_array_unref (t.iou);
  return out;
}

json_t *
al_tracks_merge (const AlTask  *task,
                 json_t *const *results,
                 guint          n_results)
{
  guint best = 0;
  double best_score = -1;

  g_return_val_if_fail (n_results > 0, NULL);

  for (guint i = 0; i < n_results && n_results > 1; i++)
    {
      double sum = 0;
      for (guint j = 0; j < n_results; j++)
        if (j != i)
          {
            g_autoptr (json_t) s = al_tracks_score (task, results[j], results[i]);
            sum += s ? json_number_value (json_object_get (s, "score")) : 0;
          }
      if (sum > best_score)
        {
          best_score = sum;
          best = i;
        }
    }
  return json_deep_copy (results[best]);
}
