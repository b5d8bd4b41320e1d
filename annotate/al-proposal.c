/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-proposal"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "al-proposal.h"

/* Alignment is quadratic: a transcript longer than this is counted as a
 * whole rewrite rather than aligned word by word. */
#define MAX_ALIGN_WORDS 2000

char *
al_proposal_title (json_t *proposal)
{
  const char *model = json_string_value (json_object_get (proposal, "model"));
  const char *version = json_string_value (json_object_get (proposal, "version"));

  if (model && version && *version)
    /* TRANSLATORS: "Model proposal (pocketsphinx 0.8)": made by a model,
     * for the person to check. */
    return g_strdup_printf (_ ("Model proposal (%s %s)"), model, version);
  return g_strdup_printf (_ ("Model proposal (%s)"), model ? model : "?");
}

json_t *
al_proposal_mark (json_t *proposal, const AlProposalCounts *counts)
{
  const char *version = json_string_value (json_object_get (proposal, "version"));

  return json_pack (
      "{s:s,s:s,s:i,s:i,s:i,s:i}", "model", json_string_value (json_object_get (proposal, "model")),
      "version", version ? version : "", "accepted", (int) counts->accepted, "changed",
      (int) counts->changed, "added", (int) counts->added, "rejected", (int) counts->rejected);
}

char **
al_proposal_split_words (const char *text)
{
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  g_auto (GStrv) parts = g_strsplit_set (text ? text : "", " \t\n\r", -1);

  for (char **p = parts; *p; p++)
    if (**p)
      g_ptr_array_add (words, g_strdup (*p));
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

static char *
normal_word (const char *word)
{
  g_autofree char *folded = g_utf8_casefold (word, -1);
  const char *start = folded;
  const char *end = folded + strlen (folded);

  while (*start && g_unichar_ispunct (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);
      if (!g_unichar_ispunct (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

gboolean
al_proposal_same_word (const char *a, const char *b)
{
  g_autofree char *na = normal_word (a);
  g_autofree char *nb = normal_word (b);

  return g_str_equal (na, nb);
}

void
al_proposal_align_words (char **draft, char **final, int *kept, AlProposalCounts *counts)
{
  guint n = g_strv_length (draft), m = g_strv_length (final);
  g_autofree guint *cost = NULL;
  guint i, j;

#define AT(a, b) cost[(gsize) (a) * (m + 1) + (b)]
  *counts = (AlProposalCounts){ 0 };
  for (i = 0; kept && i < n; i++)
    kept[i] = -1;
  if (n > MAX_ALIGN_WORDS || m > MAX_ALIGN_WORDS)
    {
      counts->changed = MIN (n, m);
      counts->added = m > n ? m - n : 0;
      counts->rejected = n > m ? n - m : 0;
      return;
    }
  cost = g_new (guint, (gsize) (n + 1) * (m + 1));
  for (i = 0; i <= n; i++)
    AT (i, 0) = i;
  for (j = 0; j <= m; j++)
    AT (0, j) = j;
  for (i = 1; i <= n; i++)
    for (j = 1; j <= m; j++)
      {
        guint sub = AT (i - 1, j - 1) + !al_proposal_same_word (draft[i - 1], final[j - 1]);
        AT (i, j) = MIN (sub, MIN (AT (i - 1, j), AT (i, j - 1)) + 1);
      }
  /* Back from the end; on a tie a kept or substituted word goes first. */
  i = n;
  j = m;
  while (i > 0 || j > 0)
    {
      if (i > 0 && j > 0)
        {
          gboolean same = al_proposal_same_word (draft[i - 1], final[j - 1]);
          if (AT (i, j) == AT (i - 1, j - 1) + !same)
            {
              if (same)
                {
                  counts->accepted++;
                  if (kept)
                    kept[i - 1] = j - 1;
                }
              else
                counts->changed++;
              i--;
              j--;
              continue;
            }
        }
      if (i > 0 && AT (i, j) == AT (i - 1, j) + 1)
        {
          counts->rejected++;
          i--;
        }
      else
        {
          counts->added++;
          j--;
        }
    }
#undef AT
}

double
al_proposal_word_confidence (json_t *proposal, guint index)
{
  json_t *c
      = json_object_get (json_array_get (json_object_get (proposal, "words"), index), "confidence");

  return json_is_number (c) ? json_number_value (c) : -1;
}

GArray *
al_proposal_boxes (json_t *proposal, char **labels, double width, double height)
{
  g_autoptr (AlBoxModel) scratch = al_box_model_new (width, height, g_strv_length (labels));
  GArray *out = g_array_new (FALSE, TRUE, sizeof (AlBox));
  json_t *b;
  size_t i;

  json_array_foreach (json_object_get (proposal, "boxes"), i, b)
  {
    const char *name = json_string_value (json_object_get (b, "label"));
    AlBox box = { json_number_value (json_object_get (b, "x")),
                  json_number_value (json_object_get (b, "y")),
                  json_number_value (json_object_get (b, "w")),
                  json_number_value (json_object_get (b, "h")), -1 };
    int at;

    for (int l = 0; name && labels[l]; l++)
      if (g_str_equal (name, labels[l]))
        box.label = l;
    if (box.label < 0 || !(box.w > 0 && box.h > 0))
      continue;
    /* Through a model of the same size: it clamps the way the canvas
       * will, so a box left alone compares equal to its proposal. */
    at = al_box_model_add (scratch, &box);
    box = *al_box_model_get (scratch, at);
    box.proposal = (int) i + 1;
    box.unchecked = TRUE;
    g_array_append_val (out, box);
  }
  return out;
}

static gboolean
near (double a, double b)
{
  /* Results keep two decimals. */
  return fabs (a - b) < 0.005;
}

AlBoxOrigin
al_proposal_box_origin (GArray *proposed, const AlBox *box)
{
  for (guint i = 0; box->proposal > 0 && proposed && i < proposed->len; i++)
    {
      const AlBox *p = &g_array_index (proposed, AlBox, i);
      if (p->proposal != box->proposal)
        continue;
      if (!near (p->x, box->x) || !near (p->y, box->y) || !near (p->w, box->w)
          || !near (p->h, box->h) || p->label != box->label)
        return AL_BOX_ORIGIN_CHANGED;
      return box->unchecked ? AL_BOX_ORIGIN_PENDING : AL_BOX_ORIGIN_ACCEPTED;
    }
  return AL_BOX_ORIGIN_ADDED;
}

void
al_proposal_counts_add (AlProposalCounts *counts,
                        AlBoxOrigin       origin)
{
  switch (origin)
    {
    case AL_BOX_ORIGIN_ADDED:
      counts->added++;
      break;
    case AL_BOX_ORIGIN_CHANGED:
      counts->changed++;
      break;
    default:
      counts->accepted++;
      break;
    }
}

void
al_proposal_counts_finish (AlProposalCounts *counts,
                           guint             n_proposed)
{
  guint kept = counts->accepted + counts->changed;

  counts->rejected = n_proposed > kept ? n_proposed - kept : 0;
}

void
al_proposal_count_boxes (GArray *proposed, AlBoxModel *model, AlProposalCounts *counts)
{
  *counts = (AlProposalCounts){ 0 };
  for (guint i = 0; model && i < al_box_model_get_n (model); i++)
    al_proposal_counts_add (counts, al_proposal_box_origin (proposed, al_box_model_get (model, i)));
  /* Boxes are only ever copied by adding one: each proposal is at most once
   * in the model, so the ones missing were rejected. */
  al_proposal_counts_finish (counts, proposed ? proposed->len : 0);
}

double
al_proposal_box_confidence (json_t *proposal, int number)
{
  json_t *c;

  if (number < 1)
    return -1;
  c = json_object_get (json_array_get (json_object_get (proposal, "boxes"), number - 1),
                       "confidence");
  return json_is_number (c) ? json_number_value (c) : -1;
}
