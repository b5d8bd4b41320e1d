/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <math.h>
#include <string.h>

#include "al-classify.h"

/* Which of the task's choices an answer picked; unknown names are left out. */
static void
picked (const AlTask *task,
        json_t       *answer,
        gboolean     *out)
{
  json_t *list = json_object_get (answer, "choices");
  size_t i;
  json_t *c;

  for (guint k = 0; task->choices[k]; k++)
    out[k] = FALSE;
  json_array_foreach (list, i, c)
    for (guint k = 0; task->choices[k]; k++)
      if (g_strcmp0 (task->choices[k], json_string_value (c)) == 0)
        out[k] = TRUE;
}

/* "muziek, spraak": the choices as the feedback lists them. */
static char *
listed (const AlTask   *task,
        const gboolean *on)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; task->choices[k]; k++)
    if (on[k])
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", task->choices[k]);
  return g_string_free (s, FALSE);
}

json_t *
al_classify_score (const AlTask *task,
                   json_t       *gold,
                   json_t       *result)
{
  gboolean want[AL_TASK_MAX_CHOICES] = { 0 }, got[AL_TASK_MAX_CHOICES] = { 0 };
  guint n = 0, same = 0;
  int missed = -1, extra = -1, chosen = -1, expected = -1;
  g_autofree char *expected_text = NULL;
  json_t *well, *tip;
  double agreement;
  gboolean exact;

  g_return_val_if_fail (task != NULL && task->kind == AL_TASK_KIND_CLASSIFY, NULL);

  picked (task, gold, want);
  picked (task, result, got);
  for (; task->choices[n]; n++)
    {
      same += want[n] == got[n];
      if (want[n] && !got[n] && missed < 0)
        missed = n;
      if (got[n] && !want[n] && extra < 0)
        extra = n;
      if (got[n] && chosen < 0)
        chosen = n;
      if (want[n] && expected < 0)
        expected = n;
    }
  exact = same == n;
  agreement = n ? (double) same / n : 1.0;
  expected_text = listed (task, want);

  if (!task->multiple)
    {
      well = exact ? json_pack ("{s:s,s:s}", "code", "right_choice", "choice",
                                task->choices[MAX (expected, 0)])
                   : json_pack ("{s:s}", "code", "question_answered");
      tip = exact ? json_pack ("{s:s}", "code", "keep_it_up")
                  : json_pack ("{s:s,s:s,s:s}", "code", "expected_choice", "expected",
                               expected >= 0 ? task->choices[expected] : "",
                               "chosen", chosen >= 0 ? task->choices[chosen] : "");
    }
  else
    {
      well = exact ? json_pack ("{s:s}", "code", "all_choices_right")
                   : json_pack ("{s:s,s:i,s:i}", "code", "choices_agree", "count", (int) same,
                                "total", (int) n);
      if (exact)
        tip = json_pack ("{s:s}", "code", "keep_it_up");
      else if (missed >= 0)
        tip = json_pack ("{s:s,s:s,s:s}", "code", "missed_choice", "choice", task->choices[missed],
                         "expected", expected_text);
      else
        tip = json_pack ("{s:s,s:s,s:s}", "code",
                         expected >= 0 ? "extra_choice" : "extra_choice_none",
                         "choice", task->choices[extra], "expected", expected_text);
    }
  return json_pack ("{s:s,s:i,s:f,s:f,s:O,s:{s:o,s:o}}", "kind", "classify",
                    "exact", exact ? 1 : 0, "agreement", agreement,
                    "score", task->multiple ? agreement : (exact ? 1.0 : 0.0),
                    "expected", json_object_get (gold, "choices"),
                    "feedback", "well", well, "tip", tip);
}

json_t *
al_classify_majority (const AlTask  *task,
                      json_t *const *results,
                      guint          n_results)
{
  guint votes[AL_TASK_MAX_CHOICES] = { 0 };
  json_t *out = json_array ();
  guint n = 0, best = 0;

  g_return_val_if_fail (task != NULL && task->kind == AL_TASK_KIND_CLASSIFY, NULL);

  for (guint r = 0; r < n_results; r++)
    {
      gboolean on[AL_TASK_MAX_CHOICES];
      picked (task, results[r], on);
      for (guint k = 0; task->choices[k]; k++)
        votes[k] += on[k];
    }
  for (; task->choices[n]; n++)
    if (votes[n] > votes[best])
      best = n;
  for (guint k = 0; k < n; k++)
    if (task->multiple ? 2 * votes[k] > n_results : (k == best && votes[k] > 0))
      json_array_append_new (out, json_string (task->choices[k]));
  return json_pack ("{s:o}", "choices", out);
}

void
al_dawid_skene_free (AlDawidSkene *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->posterior);
  g_free (ds->best);
  g_free (ds->prior);
  g_free (ds->confusion);
  g_free (ds->accuracy);
  g_free (ds);
}

#define CONF(ds, w, k, l) ((ds)->confusion[((w) * (ds)->n_classes + (k)) * (ds)->n_classes + (l)])

static void
m_step (AlDawidSkene       *ds,
        const AlClassLabel *labels,
        guint               n_labels,
        guint               answered,
        double              smoothing)
{
  guint K = ds->n_classes;
  for (guint k = 0; k < K; k++)
    ds->prior[k] = 0;
  for (guint i = 0; i < ds->n_items; i++)
    for (guint k = 0; k < K; k++)
      ds->prior[k] += ds->posterior[i * K + k];
  for (guint k = 0; k < K; k++)
    ds->prior[k] = answered ? ds->prior[k] / ds->n_items : 1.0 / K;

  for (guint j = 0; j < ds->n_workers * K * K; j++)
    ds->confusion[j] = smoothing;
  for (guint j = 0; j < n_labels; j++)
    for (guint k = 0; k < K; k++)
      CONF (ds, labels[j].worker, k, labels[j].label) += ds->posterior[labels[j].item * K + k];
  for (guint w = 0; w < ds->n_workers; w++)
    for (guint k = 0; k < K; k++)
      {
        double sum = 0;
        for (guint l = 0; l < K; l++)
          sum += CONF (ds, w, k, l);
        for (guint l = 0; l < K; l++)
          CONF (ds, w, k, l) = sum > 0 ? CONF (ds, w, k, l) / sum : 1.0 / K;
      }
}

/* Returns the largest change of a posterior. Products are summed as logs:
 * an item with many answers does not underflow. */
static double
e_step (AlDawidSkene       *ds,
        const AlClassLabel *labels,
        guint               n_labels)
{
  guint K = ds->n_classes;
  g_autofree double *logp = g_new (double, (gsize) ds->n_items * K);
  double moved = 0;

  for (guint i = 0; i < ds->n_items; i++)
    for (guint k = 0; k < K; k++)
      logp[i * K + k] = log (ds->prior[k]);
  for (guint j = 0; j < n_labels; j++)
    for (guint k = 0; k < K; k++)
      logp[labels[j].item * K + k] += log (CONF (ds, labels[j].worker, k, labels[j].label));
  for (guint i = 0; i < ds->n_items; i++)
    {
      double top = -INFINITY, sum = 0;
      for (guint k = 0; k < K; k++)
        top = MAX (top, logp[i * K + k]);
      if (!isfinite (top))
        continue;  /* nothing possible: keep what was there */
      for (guint k = 0; k < K; k++)
        sum += exp (logp[i * K + k] - top);
      for (guint k = 0; k < K; k++)
        {
          double p = exp (logp[i * K + k] - top) / sum;
          moved = MAX (moved, fabs (p - ds->posterior[i * K + k]));
          ds->posterior[i * K + k] = p;
        }
    }
  return moved;
}

AlDawidSkene *
al_dawid_skene (const AlClassLabel *labels,
                guint               n_labels,
                guint               n_items,
                guint               n_workers,
                guint               n_classes,
                guint               max_rounds,
                double              smoothing)
{
  AlDawidSkene *ds;
  guint K = n_classes;
  g_autofree guint *counts = NULL;
  g_autofree double *right = NULL;
  guint answered = 0;

  g_return_val_if_fail (n_labels == 0 || labels != NULL, NULL);
  g_return_val_if_fail (n_classes >= 1 && n_classes <= 1000, NULL);
  for (guint j = 0; j < n_labels; j++)
    g_return_val_if_fail (labels[j].item < n_items && labels[j].worker < n_workers &&
                          labels[j].label < n_classes, NULL);

  if (max_rounds == 0)
    max_rounds = AL_DAWID_SKENE_MAX_ROUNDS;
  ds = g_new0 (AlDawidSkene, 1);
  ds->n_items = n_items;
  ds->n_workers = n_workers;
  ds->n_classes = K;
  ds->posterior = g_new0 (double, (gsize) MAX (n_items, 1) * K);
  ds->best = g_new0 (guint, MAX (n_items, 1));
  ds->prior = g_new0 (double, K);
  ds->confusion = g_new0 (double, (gsize) MAX (n_workers, 1) * K * K);
  ds->accuracy = g_new0 (double, MAX (n_workers, 1));

  /* Start from the share of the votes. */
  counts = g_new0 (guint, MAX (n_items, 1));
  for (guint j = 0; j < n_labels; j++)
    {
      ds->posterior[labels[j].item * K + labels[j].label] += 1;
      counts[labels[j].item]++;
    }
  for (guint i = 0; i < n_items; i++)
    {
      answered += counts[i] > 0;
      for (guint k = 0; k < K; k++)
        ds->posterior[i * K + k] = counts[i] ? ds->posterior[i * K + k] / counts[i] : 0;
    }
  while (ds->iterations < max_rounds)
    {
      m_step (ds, labels, n_labels, answered, smoothing);
      ds->iterations++;
      if (e_step (ds, labels, n_labels) < 1e-6)
        break;
    }
  /* Items nobody answered: the prior. */
  for (guint i = 0; i < n_items; i++)
    if (counts[i] == 0)
      for (guint k = 0; k < K; k++)
        ds->posterior[i * K + k] = ds->prior[k];
  for (guint i = 0; i < n_items; i++)
    for (guint k = 1; k < K; k++)
      if (ds->posterior[i * K + k] > ds->posterior[i * K + ds->best[i]] + 1e-12)
        ds->best[i] = k;

  right = g_new0 (double, MAX (n_workers, 1));
  g_free (counts);
  counts = g_new0 (guint, MAX (n_workers, 1));
  for (guint j = 0; j < n_labels; j++)
    {
      right[labels[j].worker] += ds->posterior[labels[j].item * K + labels[j].label];
      counts[labels[j].worker]++;
    }
  for (guint w = 0; w < n_workers; w++)
    ds->accuracy[w] = counts[w] ? right[w] / counts[w] : -1;
  return ds;
}
