/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "al-review.h"
#include "al-text.h"
#include "al-wer.h"

static const char *const verdicts[] = { "correct", "text", "timing" };

static int
verdict_index (json_t *result)
{
  const char *v = json_string_value (json_object_get (result, "verdict"));
  for (int i = 0; i < 3; i++)
    if (g_strcmp0 (v, verdicts[i]) == 0)
      return i;
  return -1;
}

json_t *
al_review_score (const AlTask *task,
                 json_t       *gold,
                 json_t       *result)
{
  const char *gold_text = json_string_value (json_object_get (gold, "text"));
  const char *text = json_string_value (json_object_get (result, "text"));
  int gv = verdict_index (gold), rv = verdict_index (result);
  AlWerCounts counts = { 0 };
  AlWerMeasures m;
  gboolean agrees;
  double score;
  json_t *well, *tip;

  g_return_val_if_fail (task != NULL && task->kind == AL_TASK_KIND_SUBTITLE_REVIEW, NULL);

  if (gv < 0 || rv < 0 || gold_text == NULL || text == NULL)
    return NULL;
  agrees = gv == rv;
  al_wer_text (gold_text, text, AL_TEXT_FOR_PEOPLE, FALSE, &counts);
  al_wer_measures (&counts, &m);
  score = MAX (0.0, ((agrees ? 1.0 : 0.0) + MAX (0.0, 1.0 - m.wer)) / 2);
  well = agrees ? json_pack ("{s:s}", "code", "right_verdict")
                : json_pack ("{s:s}", "code", "cue_reviewed");
  if (agrees && m.wer == 0)
    tip = json_pack ("{s:s}", "code", "keep_it_up");
  else if (!agrees)
    tip = json_pack ("{s:s}", "code", gv == 0 ? "cue_was_right"
                                      : gv == 1 ? "cue_text_wrong" : "cue_timing_wrong");
  else
    tip = json_pack ("{s:s,s:s}", "code", "cue_expected_text", "expected", gold_text);
  return json_pack ("{s:s,s:i,s:f,s:f,s:{s:o,s:o}}", "kind", "subtitle-review",
                    "verdict_agrees", agrees ? 1 : 0, "wer", m.wer, "score", score, "feedback",
                    "well", well, "tip", tip);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  guint n = values->len;
  g_array_sort (values, compare_doubles);
  if (n % 2)
    return g_array_index (values, double, n / 2);
  return (g_array_index (values, double, n / 2 - 1) + g_array_index (values, double, n / 2)) / 2;
}

json_t *
al_review_merge (const AlTask  *task,
                 json_t *const *results,
                 guint          n_results)
{
  guint counts[3] = { 0 };
  int best = 0;
  const char *text = task->subtitle;
  double start = task->start, end = task->end;

  g_return_val_if_fail (task != NULL && n_results > 0, NULL);

  for (guint i = 0; i < n_results; i++)
    if (verdict_index (results[i]) >= 0)
      counts[verdict_index (results[i])]++;
  for (int v = 1; v < 3; v++)
    if (counts[v] > counts[best])
      best = v;

  if (best == 1)
    {
      guint most = 0;
      for (guint i = 0; i < n_results; i++)
        {
          const char *t = json_string_value (json_object_get (results[i], "text"));
          guint same = 0;
          if (verdict_index (results[i]) != 1 || t == NULL)
            continue;
          for (guint j = 0; j < n_results; j++)
            if (verdict_index (results[j]) == 1 &&
                g_strcmp0 (t, json_string_value (json_object_get (results[j], "text"))) == 0)
              same++;
          if (same > most)
            {
              most = same;
              text = t;
            }
        }
    }
  else if (best == 2)
    {
      g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) ends = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; i < n_results; i++)
        if (verdict_index (results[i]) == 2)
          {
            double s = json_number_value (json_object_get (results[i], "start"));
            double e = json_number_value (json_object_get (results[i], "end"));
            g_array_append_val (starts, s);
            g_array_append_val (ends, e);
          }
      start = median (starts);
      end = median (ends);
    }
  return json_pack ("{s:s,s:s,s:f,s:f,s:f}", "verdict", verdicts[best], "text", text ? text : "",
                    "start", start, "end", end, "agreement",
                    (double) counts[best] / n_results);
}
