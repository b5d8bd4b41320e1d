/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <string.h>

#include "al-quality-error.h"
#include "al-wer.h"

struct _AlAligner
{
  AlAlignMode mode;
  int *cost;     /* (n_ref + 1) x (n_hyp + 1), row-major by reference index */
  gsize cap;
  GArray *scratch;
};

AlAligner *
al_aligner_new (AlAlignMode mode)
{
  AlAligner *a = g_new0 (AlAligner, 1);
  a->mode = mode;
  a->scratch = g_array_new (FALSE, FALSE, sizeof (AlEditOp));
  return a;
}

void
al_aligner_free (AlAligner *aligner)
{
  if (aligner == NULL)
    return;
  g_free (aligner->cost);
  g_array_unref (aligner->scratch);
  g_free (aligner);
}

static gboolean
ensure_cells (AlAligner *a,
              gsize      cells,
              GError   **error)
{
  if (cells > (gsize) AL_WER_MAX_CELLS)
    {
      g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_TOO_LARGE,
                   "an utterance is too long to align (%" G_GSIZE_FORMAT " table cells, at most %"
                   G_GINT64_FORMAT ")", cells, AL_WER_MAX_CELLS);
      return FALSE;
    }
  /* Give back memory after one unusually long utterance. */
  if (a->cap > (1u << 20) && cells < a->cap / 16)
    {
      g_clear_pointer (&a->cost, g_free);
      a->cap = 0;
    }
  if (cells > a->cap)
    {
      gsize cap = MAX (cells, a->cap * 2);
      cap = MIN (cap, (gsize) AL_WER_MAX_CELLS);
      g_free (a->cost);
      a->cost = g_new (int, cap);
      a->cap = cap;
    }
  return TRUE;
}

#define C(i, j) cost[(gsize) (i) * w + (j)]

/* Unit costs. The walk back from the end takes a deletion when it is on an
 * optimal path, else an insertion when the cell to the left is cheaper
 * than the diagonal one, else the diagonal: the order RapidFuzz uses, which
 * decides how hits and errors split when several alignments cost the same. */
static void
align_unit (AlAligner     *a,
            const AlToken *ref,
            guint          n,
            const AlToken *hyp,
            guint          m,
            GArray        *out)
{
  int *cost = a->cost;
  gsize w = m + 1;
  guint i, j;

  for (j = 0; j <= m; j++)
    C (0, j) = j;
  for (i = 1; i <= n; i++)
    {
      C (i, 0) = i;
      for (j = 1; j <= m; j++)
        {
          int best = C (i - 1, j - 1) + !al_token_equal (&ref[i - 1], &hyp[j - 1]);
          int del = C (i - 1, j) + 1;
          int ins = C (i, j - 1) + 1;
          if (del < best)
            best = del;
          if (ins < best)
            best = ins;
          C (i, j) = best;
        }
    }

  i = n;
  j = m;
  while (i > 0 && j > 0)
    {
      AlEditOp op;
      if (C (i, j) == C (i - 1, j) + 1)
        {
          op = (AlEditOp) { AL_EDIT_DELETE, i - 1, -1 };
          i--;
        }
      else if (C (i, j - 1) < C (i - 1, j - 1))
        {
          op = (AlEditOp) { AL_EDIT_INSERT, -1, j - 1 };
          j--;
        }
      else
        {
          gboolean same = al_token_equal (&ref[i - 1], &hyp[j - 1]);
          op = (AlEditOp) { same ? AL_EDIT_CORRECT : AL_EDIT_SUBSTITUTE, i - 1, j - 1 };
          i--;
          j--;
        }
      g_array_append_val (out, op);
    }
  for (; i > 0; i--)
    g_array_append_val (out, ((AlEditOp) { AL_EDIT_DELETE, i - 1, -1 }));
  for (; j > 0; j--)
    g_array_append_val (out, ((AlEditOp) { AL_EDIT_INSERT, -1, j - 1 }));
}

enum { SC_SUB = 4, SC_INS = 3, SC_DEL = 3 };

/* sclite's network DP reduced to two straight lines: each cell keeps the
 * substitution/correct step when it is no worse than both others, else the
 * deletion when strictly cheaper than the insertion, else the insertion. */
static void
align_sclite (AlAligner     *a,
              const AlToken *ref,
              guint          n,
              const AlToken *hyp,
              guint          m,
              GArray        *out)
{
  int *cost = a->cost;
  gsize w = m + 1;
  guint i, j;

  for (j = 0; j <= m; j++)
    C (0, j) = SC_INS * j;
  for (i = 1; i <= n; i++)
    {
      C (i, 0) = SC_DEL * i;
      for (j = 1; j <= m; j++)
        {
          int sub = C (i - 1, j - 1) + (al_token_equal (&ref[i - 1], &hyp[j - 1]) ? 0 : SC_SUB);
          int del = C (i - 1, j) + SC_DEL;
          int ins = C (i, j - 1) + SC_INS;
          if (sub <= del && sub <= ins)
            C (i, j) = sub;
          else if (del < ins)
            C (i, j) = del;
          else
            C (i, j) = ins;
        }
    }

  i = n;
  j = m;
  while (i > 0 || j > 0)
    {
      AlEditOp op;
      if (i == 0)
        {
          op = (AlEditOp) { AL_EDIT_INSERT, -1, j - 1 };
          j--;
        }
      else if (j == 0)
        {
          op = (AlEditOp) { AL_EDIT_DELETE, i - 1, -1 };
          i--;
        }
      else
        {
          gboolean same = al_token_equal (&ref[i - 1], &hyp[j - 1]);
          int sub = C (i - 1, j - 1) + (same ? 0 : SC_SUB);
          int del = C (i - 1, j) + SC_DEL;
          int ins = C (i, j - 1) + SC_INS;
          if (sub <= del && sub <= ins)
            {
              op = (AlEditOp) { same ? AL_EDIT_CORRECT : AL_EDIT_SUBSTITUTE, i - 1, j - 1 };
              i--;
              j--;
            }
          else if (del < ins)
            {
              op = (AlEditOp) { AL_EDIT_DELETE, i - 1, -1 };
              i--;
            }
          else
            {
              op = (AlEditOp) { AL_EDIT_INSERT, -1, j - 1 };
              j--;
            }
        }
      g_array_append_val (out, op);
    }
}

#undef C

gboolean
al_aligner_align (AlAligner     *aligner,
                  const AlToken *ref,
                  guint          n_ref,
                  const AlToken *hyp,
                  guint          n_hyp,
                  AlWerCounts   *counts,
                  GArray        *ops,
                  GError       **error)
{
  GArray *rev = aligner->scratch;
  guint prefix = 0, suffix = 0, k;

  g_return_val_if_fail (aligner != NULL, FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  g_array_set_size (rev, 0);
  if (ops)
    g_array_set_size (ops, 0);

  /* RapidFuzz matches a common prefix and suffix before aligning the rest;
   * doing the same keeps the split between equally cheap alignments. */
  if (aligner->mode == AL_ALIGN_JIWER)
    {
      while (prefix < n_ref && prefix < n_hyp && al_token_equal (&ref[prefix], &hyp[prefix]))
        prefix++;
      while (suffix < n_ref - prefix && suffix < n_hyp - prefix &&
             al_token_equal (&ref[n_ref - 1 - suffix], &hyp[n_hyp - 1 - suffix]))
        suffix++;
    }

  {
    guint n = n_ref - prefix - suffix;
    guint m = n_hyp - prefix - suffix;
    /* An empty token list may come as NULL (the data of an empty GArray),
     * and offsetting a null pointer is undefined even by zero. */
    const AlToken *ref_rest = n_ref > 0 ? ref + prefix : ref;
    const AlToken *hyp_rest = n_hyp > 0 ? hyp + prefix : hyp;
    if (!ensure_cells (aligner, (gsize) (n + 1) * (m + 1), error))
      return FALSE;
    for (k = 0; k < suffix; k++)
      g_array_append_val (rev, ((AlEditOp) { AL_EDIT_CORRECT, n_ref - 1 - k, n_hyp - 1 - k }));
    {
      guint start = rev->len;
      if (aligner->mode == AL_ALIGN_JIWER)
        align_unit (aligner, ref_rest, n, hyp_rest, m, rev);
      else
        align_sclite (aligner, ref_rest, n, hyp_rest, m, rev);
      for (k = start; k < rev->len; k++)
        {
          AlEditOp *op = &g_array_index (rev, AlEditOp, k);
          if (op->ref >= 0)
            op->ref += prefix;
          if (op->hyp >= 0)
            op->hyp += prefix;
        }
    }
    for (k = prefix; k > 0; k--)
      g_array_append_val (rev, ((AlEditOp) { AL_EDIT_CORRECT, k - 1, k - 1 }));
  }

  for (k = rev->len; k > 0; k--)
    {
      const AlEditOp *op = &g_array_index (rev, AlEditOp, k - 1);
      switch (op->edit)
        {
        case AL_EDIT_CORRECT: counts->hits++; break;
        case AL_EDIT_SUBSTITUTE: counts->substitutions++; break;
        case AL_EDIT_DELETE: counts->deletions++; break;
        case AL_EDIT_INSERT: counts->insertions++; break;
        default: g_assert_not_reached ();
        }
      if (ops)
        g_array_append_val (ops, *op);
    }
  counts->ref_tokens += n_ref;
  counts->hyp_tokens += n_hyp;
  counts->utterances++;
  return TRUE;
}

/* jiwer 4 semantics, including its definitions for an empty reference. */
void
al_wer_measures (const AlWerCounts *c,
                 AlWerMeasures     *out)
{
  double h = c->hits, s = c->substitutions, d = c->deletions, i = c->insertions;

  g_return_if_fail (c != NULL && out != NULL);

  if (c->ref_tokens == 0)
    {
      out->wer = i;
      out->mer = c->hyp_tokens == 0 ? 0.0 : 1.0;
      out->wip = c->hyp_tokens == 0 ? 1.0 : 0.0;
    }
  else
    {
      out->wer = (s + d + i) / (h + s + d);
      out->mer = (s + d + i) / (h + s + d + i);
      out->wip = c->hyp_tokens >= 1
        ? (h / (double) c->ref_tokens) * (h / (double) c->hyp_tokens)
        : 0.0;
    }
  out->wil = 1.0 - out->wip;
}

void
al_wer_text (const char  *reference,
             const char  *hypothesis,
             AlTextFlags  flags,
             gboolean     characters,
             AlWerCounts *counts)
{
  g_autoptr (AlAligner) aligner = al_aligner_new (AL_ALIGN_JIWER);
  g_autofree char *r = al_text_normalize (reference, flags);
  g_autofree char *h = al_text_normalize (hypothesis, flags);
  g_autoptr (GArray) rt = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autoptr (GArray) ht = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autoptr (GError) error = NULL;

  if (characters)
    {
      al_text_chars (r, rt);
      al_text_chars (h, ht);
    }
  else
    {
      al_text_words (r, rt);
      al_text_words (h, ht);
    }
  if (!al_aligner_align (aligner, (AlToken *) (void *) rt->data, rt->len,
                         (AlToken *) (void *) ht->data, ht->len, counts, NULL, &error))
    g_warning ("%s", error->message);
}
