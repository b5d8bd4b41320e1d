/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <string.h>

#include "al-rover.h"
#include "al-text.h"

/* One position of the network: words (the empty word "" included) with
 * the number of transcripts that voted for each. */
typedef struct
{
  GPtrArray *words;  /* char *, owned */
  GArray *counts;    /* guint */
} Slot;

static Slot *
slot_new (void)
{
  Slot *s = g_new0 (Slot, 1);
  s->words = g_ptr_array_new_with_free_func (g_free);
  s->counts = g_array_new (FALSE, FALSE, sizeof (guint));
  return s;
}

static void
slot_free (Slot *s)
{
  g_ptr_array_unref (s->words);
  g_array_unref (s->counts);
  g_free (s);
}

static int
slot_find (const Slot *s,
           const char *word)
{
  guint i;
  for (i = 0; i < s->words->len; i++)
    if (strcmp (s->words->pdata[i], word) == 0)
      return i;
  return -1;
}

/* Adds @n votes for @word, keeping first-seen order. */
static void
slot_vote (Slot       *s,
           const char *word,
           guint       n)
{
  int i = slot_find (s, word);
  if (i < 0)
    {
      g_ptr_array_add (s->words, g_strdup (word));
      g_array_append_val (s->counts, n);
    }
  else
    g_array_index (s->counts, guint, i) += n;
}

static Slot *
slot_copy (const Slot *src)
{
  Slot *s = slot_new ();
  guint i;
  for (i = 0; i < src->words->len; i++)
    slot_vote (s, src->words->pdata[i], g_array_index (src->counts, guint, i));
  return s;
}

enum { ACT_MATCH, ACT_DELETE, ACT_INSERT };

/* Aligns @words (one transcript) to the network @net, which already holds
 * @sources transcripts; returns the new network. */
static GPtrArray *
align (GPtrArray *net,
       char     **words,
       guint      n_words,
       guint      sources)
{
  guint n = n_words, m = net->len, i, j;
  gsize w = m + 1;
  g_autofree guint *dist = g_new (guint, (gsize) (n + 1) * w);
  g_autofree guchar *act = g_new (guchar, (gsize) (n + 1) * w);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  GPtrArray *rev = g_ptr_array_new ();

  for (j = 0; j <= m; j++)
    {
      dist[j] = j;
      act[j] = ACT_DELETE;
    }
  for (i = 1; i <= n; i++)
    {
      dist[i * w] = i;
      act[i * w] = ACT_INSERT;
      for (j = 1; j <= m; j++)
        {
          Slot *s = net->pdata[j - 1];
          guint best = dist[(i - 1) * w + j - 1] + (slot_find (s, words[i - 1]) < 0);
          guint del = dist[i * w + j - 1] + (slot_find (s, "") < 0);
          guint ins = dist[(i - 1) * w + j] + 1;
          guchar a = ACT_MATCH;
          /* The first cheapest option wins, in this order. */
          if (del < best)
            {
              best = del;
              a = ACT_DELETE;
            }
          if (ins < best)
            {
              best = ins;
              a = ACT_INSERT;
            }
          dist[i * w + j] = best;
          act[i * w + j] = a;
        }
    }

  i = n;
  j = m;
  while (i > 0 || j > 0)
    {
      guchar a = act[i * w + j];
      Slot *s;
      if (a == ACT_INSERT)
        {
          /* A new position: everyone before this transcript said nothing. */
          s = slot_new ();
          slot_vote (s, "", sources);
          slot_vote (s, words[i - 1], 1);
          i--;
        }
      else if (a == ACT_DELETE)
        {
          s = slot_copy (net->pdata[j - 1]);
          slot_vote (s, "", 1);
          j--;
        }
      else
        {
          s = slot_copy (net->pdata[j - 1]);
          slot_vote (s, words[i - 1], 1);
          i--;
          j--;
        }
      g_ptr_array_add (rev, s);
    }
  for (i = rev->len; i > 0; i--)
    g_ptr_array_add (out, rev->pdata[i - 1]);
  g_ptr_array_unref (rev);
  return out;
}

static char **
split_words (const char *text)
{
  g_autoptr (GArray) tokens = g_array_new (FALSE, FALSE, sizeof (AlToken));
  GPtrArray *words = g_ptr_array_new ();
  guint i;

  al_text_words (text, tokens);
  for (i = 0; i < tokens->len && i < AL_ROVER_MAX_WORDS; i++)
    {
      const AlToken *t = &g_array_index (tokens, AlToken, i);
      g_ptr_array_add (words, g_strndup (t->str, t->len));
    }
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (words, FALSE);
}

char *
al_rover_merge (const char *const *texts,
                guint              n_texts)
{
  g_autoptr (GPtrArray) net = NULL;
  GString *out;
  guint t, i;

  g_return_val_if_fail (n_texts == 0 || texts != NULL, NULL);

  net = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  for (t = 0; t < n_texts; t++)
    {
      g_auto (GStrv) words = split_words (texts[t]);
      guint n = g_strv_length (words);
      if (t == 0)
        {
          for (i = 0; i < n; i++)
            {
              Slot *s = slot_new ();
              slot_vote (s, words[i], 1);
              g_ptr_array_add (net, s);
            }
          continue;
        }
      {
        GPtrArray *next = align (net, words, n, t);
        g_ptr_array_unref (net);
        net = next;
      }
    }

  out = g_string_new (NULL);
  for (i = 0; i < net->len; i++)
    {
      const Slot *s = net->pdata[i];
      const char *best = NULL;
      guint best_n = 0, k;
      for (k = 0; k < s->words->len; k++)
        {
          const char *word = s->words->pdata[k];
          guint count = g_array_index (s->counts, guint, k);
          gsize len = strlen (word);
          if (best == NULL || count > best_n ||
              (count == best_n && (len > strlen (best) ||
                                   (len == strlen (best) && strcmp (word, best) > 0))))
            {
              best = word;
              best_n = count;
            }
        }
      if (best && *best)
        {
          if (out->len)
            g_string_append_c (out, ' ');
          g_string_append (out, best);
        }
    }
  return g_string_free (out, FALSE);
}
