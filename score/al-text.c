/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <string.h>

#include "al-quality-error.h"
#include "al-text.h"

static gboolean
is_punctuation (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
al_text_is_tag (const char *word,
                gsize       len)
{
  return len >= 2 && word[0] == '[' && word[len - 1] == ']';
}

/* Removes "[...]" spans; an unclosed bracket is kept as text. */
static void
remove_tags (GString *s)
{
  gsize i = 0;
  while (i < s->len)
    {
      char *close;
      if (s->str[i] != '[')
        {
          i++;
          continue;
        }
      close = memchr (s->str + i, ']', s->len - i);
      if (close == NULL)
        break;
      g_string_erase (s, i, close - (s->str + i) + 1);
      g_string_insert_c (s, i, ' ');
      i++;
    }
}

char *
al_text_normalize (const char  *text,
                   AlTextFlags  flags)
{
  g_autoptr (GString) s = g_string_new (text);

  g_return_val_if_fail (text != NULL, NULL);

  if (flags & AL_TEXT_REMOVE_TAGS)
    remove_tags (s);

  if (flags & AL_TEXT_STRIP_PUNCTUATION)
    {
      GString *out = g_string_sized_new (s->len);
      const char *p = s->str;
      while (*p)
        {
          gunichar c = g_utf8_get_char_validated (p, -1);
          if ((gint32) c < 0)
            {
              /* Not UTF-8: keep the byte; callers validate what matters. */
              g_string_append_c (out, *p++);
              continue;
            }
          if (!is_punctuation (c))
            g_string_append_unichar (out, c);
          p = g_utf8_next_char (p);
        }
      g_string_free (s, TRUE);
      s = out;
    }

  if (flags & AL_TEXT_LOWERCASE)
    {
      char *down = g_utf8_strdown (s->str, s->len);
      g_string_assign (s, down);
      g_free (down);
    }
  else if (flags & AL_TEXT_FOLD_ASCII)
    {
      gsize i;
      for (i = 0; i < s->len; i++)
        s->str[i] = g_ascii_tolower (s->str[i]);
    }

  if (flags & AL_TEXT_COLLAPSE_SPACES)
    {
      GString *out = g_string_sized_new (s->len);
      const char *p;
      gboolean space = FALSE;
      for (p = s->str; *p; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          if (g_unichar_isspace (c))
            {
              space = out->len > 0;
              continue;
            }
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
      g_string_free (s, TRUE);
      s = out;
    }

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static guint32
hash_bytes (const char *p,
            gsize       len)
{
  guint32 h = 2166136261u;
  gsize i;
  for (i = 0; i < len; i++)
    h = (h ^ (guchar) p[i]) * 16777619u;
  return h;
}

static inline gboolean
is_space_at (const char *p,
             gsize      *len)
{
  guchar b = (guchar) *p;
  if (b < 0x80)
    {
      *len = 1;
      return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f';
    }
  else
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      if ((gint32) c < 0)
        {
          *len = 1;
          return FALSE;
        }
      *len = g_utf8_next_char (p) - p;
      return g_unichar_isspace (c);
    }
}

void
al_text_words (const char *text,
               GArray     *tokens)
{
  const char *p = text;

  g_array_set_size (tokens, 0);
  while (*p)
    {
      const char *start;
      gsize step;
      AlToken t;

      while (*p && is_space_at (p, &step))
        p += step;
      if (*p == '\0')
        break;
      start = p;
      while (*p && !is_space_at (p, &step))
        p += step;
      t.str = start;
      t.len = p - start;
      t.hash = hash_bytes (start, t.len);
      g_array_append_val (tokens, t);
    }
}

void
al_text_chars (const char *text,
               GArray     *tokens)
{
  const char *p = text;
  const char *end;
  gsize step;

  g_array_set_size (tokens, 0);
  while (*p && is_space_at (p, &step))
    p += step;
  end = p + strlen (p);
  while (end > p)
    {
      const char *prev = g_utf8_find_prev_char (p, end);
      if (prev == NULL)
        prev = p;
      if (!is_space_at (prev, &step))
        break;
      end = prev;
    }
  while (p < end)
    {
      AlToken t;
      const char *next = g_utf8_next_char (p);
      if (next > end)
        next = end;
      t.str = p;
      t.len = next - p;
      t.hash = hash_bytes (p, t.len);
      g_array_append_val (tokens, t);
      p = next;
    }
}
