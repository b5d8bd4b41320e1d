/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Optional normalisation steps, applied in this order: tags, punctuation,
 * case, whitespace. */
typedef enum
{
  AL_TEXT_REMOVE_TAGS        = 1 << 0, /* "[inaudible]", "[onverstaanbaar]" */
  AL_TEXT_STRIP_PUNCTUATION  = 1 << 1, /* Unicode categories P* */
  AL_TEXT_LOWERCASE          = 1 << 2,
  AL_TEXT_COLLAPSE_SPACES    = 1 << 3,
  AL_TEXT_FOLD_ASCII         = 1 << 4, /* A-Z only, as sclite does by default */
} AlTextFlags;

#define AL_TEXT_FOR_PEOPLE (AL_TEXT_REMOVE_TAGS | AL_TEXT_STRIP_PUNCTUATION | \
                            AL_TEXT_LOWERCASE | AL_TEXT_COLLAPSE_SPACES)

/* One token: a slice of a string owned by someone else. */
typedef struct
{
  const char *str;
  guint32 len;
  guint32 hash;
} AlToken;

char    *al_text_normalize (const char  *text,
                            AlTextFlags  flags);
gboolean al_text_is_tag    (const char  *word,
                            gsize        len);

/* Splits on whitespace into @tokens (cleared first). @text must stay alive
 * while the tokens are used. */
void     al_text_words     (const char  *text,
                            GArray      *tokens);
/* One token per Unicode character (spaces included), as jiwer's CER does;
 * leading and trailing whitespace is not counted. @text must be UTF-8. */
void     al_text_chars     (const char  *text,
                            GArray      *tokens);

static inline gboolean
al_token_equal (const AlToken *a,
                const AlToken *b)
{
  return a->hash == b->hash && a->len == b->len && memcmp (a->str, b->str, a->len) == 0;
}

G_END_DECLS
