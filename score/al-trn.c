/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-quality"
#include "config.h"

#include <errno.h>
#include <string.h>

#include "al-quality-error.h"
#include "al-trn.h"

struct _AlTrnReader
{
  char *path;
  FILE *fp;
  guint line;
  gboolean utf8;
  GString *buf;
};

AlTrnReader *
al_trn_reader_open (const char *path,
                    gboolean    require_utf8,
                    GError    **error)
{
  AlTrnReader *r;
  FILE *fp;

  g_return_val_if_fail (path != NULL, NULL);

  fp = fopen (path, "rb");
  if (fp == NULL)
    {
      int err = errno;
      g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_IO, "%s: %s", path, g_strerror (err));
      return NULL;
    }
  r = g_new0 (AlTrnReader, 1);
  r->path = g_strdup (path);
  r->fp = fp;
  r->utf8 = require_utf8;
  r->buf = g_string_sized_new (256);
  return r;
}

void
al_trn_reader_free (AlTrnReader *reader)
{
  if (reader == NULL)
    return;
  fclose (reader->fp);
  g_string_free (reader->buf, TRUE);
  g_free (reader->path);
  g_free (reader);
}

guint
al_trn_reader_line (AlTrnReader *reader)
{
  return reader->line;
}

const char *
al_trn_reader_path (AlTrnReader *reader)
{
  return reader->path;
}

gint64
al_trn_reader_offset (AlTrnReader *reader)
{
  return ftello (reader->fp);
}

gboolean
al_trn_reader_seek (AlTrnReader *reader,
                    gint64       offset,
                    guint        line,
                    GError     **error)
{
  if (fseeko (reader->fp, offset, SEEK_SET) != 0)
    {
      int err = errno;
      g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_IO, "%s: %s", reader->path,
                   g_strerror (err));
      return FALSE;
    }
  reader->line = line;
  return TRUE;
}

static gboolean
fail (AlTrnReader *r,
      GError     **error,
      const char  *what)
{
  g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE, "%s:%u: %s", r->path, r->line,
               what);
  return FALSE;
}

/* Reads one line without its newline; FALSE at the end of the file. */
static gboolean
read_line (AlTrnReader *r,
           gboolean    *too_long)
{
  char chunk[4096];

  g_string_truncate (r->buf, 0);
  *too_long = FALSE;
  while (fgets (chunk, sizeof chunk, r->fp))
    {
      gsize len = strlen (chunk);
      gboolean end = len > 0 && chunk[len - 1] == '\n';
      if (r->buf->len + len > AL_TRN_MAX_LINE)
        *too_long = TRUE;
      else
        g_string_append_len (r->buf, chunk, len);
      if (end)
        break;
    }
  if (r->buf->len == 0 && !*too_long && feof (r->fp))
    return FALSE;
  r->line++;
  while (r->buf->len > 0 && (r->buf->str[r->buf->len - 1] == '\n' ||
                             r->buf->str[r->buf->len - 1] == '\r'))
    g_string_truncate (r->buf, r->buf->len - 1);
  return TRUE;
}

gboolean
al_trn_reader_next (AlTrnReader *r,
                    char       **text,
                    const char **id,
                    GError     **error)
{
  gboolean too_long;

  while (read_line (r, &too_long))
    {
      char *s = r->buf->str;
      gsize len = r->buf->len;
      char *open;

      if (too_long)
        return fail (r, error, "the line is too long (more than 1 MiB)");
      while (len > 0 && g_ascii_isspace (s[len - 1]))
        s[--len] = '\0';
      if (len == 0)
        continue;
      if (memchr (s, '\0', len))
        return fail (r, error, "the line contains a NUL byte");
      if (r->utf8 && !g_utf8_validate (s, len, NULL))
        return fail (r, error, "the line is not valid UTF-8");
      if (s[len - 1] != ')' || (open = strrchr (s, '(')) == NULL)
        return fail (r, error, "the line does not end with an utterance id such as (spk1-001)");
      s[len - 1] = '\0';
      *open = '\0';
      if (open[1] == '\0')
        return fail (r, error, "the utterance id between ( and ) is empty");
      if (strchr (s, '{') || strchr (s, '}'))
        return fail (r, error, "alternations { a / b } are not supported");
      *text = s;
      *id = open + 1;
      return TRUE;
    }
  if (ferror (r->fp))
    {
      g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_IO, "%s: read error", r->path);
      return FALSE;
    }
  return FALSE;
}

typedef struct
{
  gint64 offset;
  guint line;
  gboolean used;
} RefEntry;

typedef struct
{
  const AlTrnOptions *options;
  AlAligner *words;
  AlAligner *chars;
  GArray *rt;
  GArray *ht;
  AlTrnResult *result;
} Scorer;

/* sclite drops "@" (the empty word) from both sides. */
static void
drop_null_words (GArray *tokens)
{
  guint i, out = 0;
  for (i = 0; i < tokens->len; i++)
    {
      AlToken *t = &g_array_index (tokens, AlToken, i);
      if (t->len == 1 && t->str[0] == '@')
        continue;
      g_array_index (tokens, AlToken, out++) = *t;
    }
  g_array_set_size (tokens, out);
}

static gboolean
score_pair (Scorer     *sc,
            const char *ref_text,
            const char *hyp_text,
            GError    **error)
{
  AlTextFlags flags = sc->options->flags;
  g_autofree char *r = NULL;
  g_autofree char *h = NULL;

  if (sc->options->mode == AL_ALIGN_SCLITE && !(flags & AL_TEXT_LOWERCASE))
    flags |= AL_TEXT_FOLD_ASCII;
  r = al_text_normalize (ref_text, flags);
  h = al_text_normalize (hyp_text, flags);

  al_text_words (r, sc->rt);
  al_text_words (h, sc->ht);
  if (sc->options->mode == AL_ALIGN_SCLITE)
    {
      drop_null_words (sc->rt);
      drop_null_words (sc->ht);
    }
  if (!al_aligner_align (sc->words, (AlToken *) (void *) sc->rt->data, sc->rt->len,
                         (AlToken *) (void *) sc->ht->data, sc->ht->len, &sc->result->words, NULL,
                         error))
    return FALSE;
  if (sc->options->characters)
    {
      al_text_chars (r, sc->rt);
      al_text_chars (h, sc->ht);
      if (!al_aligner_align (sc->chars, (AlToken *) (void *) sc->rt->data, sc->rt->len,
                             (AlToken *) (void *) sc->ht->data, sc->ht->len, &sc->result->chars,
                             NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* The first @already utterances were scored in lock step. */
static GHashTable *
index_reference (AlTrnReader *ref,
                 gint64       already,
                 GError     **error)
{
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  char *text;
  const char *id;
  GError *local = NULL;

  if (!al_trn_reader_seek (ref, 0, 0, error))
    return NULL;
  for (;;)
    {
      gint64 offset = al_trn_reader_offset (ref);
      guint line = al_trn_reader_line (ref);
      RefEntry *e;
      if (!al_trn_reader_next (ref, &text, &id, &local))
        break;
      if (g_hash_table_contains (index, id))
        {
          g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_PARSE,
                       "%s:%u: utterance (%s) appears twice", al_trn_reader_path (ref),
                       al_trn_reader_line (ref), id);
          return NULL;
        }
      e = g_new0 (RefEntry, 1);
      e->offset = offset;
      /* The reader counts blank lines too; remember where to restart. */
      e->line = line;
      e->used = already-- > 0;
      g_hash_table_insert (index, g_strdup (id), e);
    }
  if (local)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&index);
}

gboolean
al_trn_score_files (const char         *ref_path,
                    const char         *hyp_path,
                    const AlTrnOptions *options,
                    AlTrnResult        *result,
                    GError            **error)
{
  gboolean utf8 = options->characters ||
    (options->flags & (AL_TEXT_STRIP_PUNCTUATION | AL_TEXT_LOWERCASE | AL_TEXT_COLLAPSE_SPACES));
  g_autoptr (AlTrnReader) ref = NULL;
  g_autoptr (AlTrnReader) hyp = NULL;
  g_autoptr (GHashTable) index = NULL;
  g_autoptr (AlAligner) words = al_aligner_new (options->mode);
  g_autoptr (AlAligner) chars = al_aligner_new (AL_ALIGN_JIWER);
  g_autoptr (GArray) rt = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autoptr (GArray) ht = g_array_new (FALSE, FALSE, sizeof (AlToken));
  g_autofree char *hyp_text = NULL;
  gint64 n_ref = 0, scored = 0;
  GError *local = NULL;
  Scorer sc;

  g_return_val_if_fail (ref_path && hyp_path && options && result, FALSE);

  memset (result, 0, sizeof *result);
  sc = (Scorer) { options, words, chars, rt, ht, result };

  ref = al_trn_reader_open (ref_path, utf8, error);
  if (!ref)
    return FALSE;
  hyp = al_trn_reader_open (hyp_path, utf8, error);
  if (!hyp)
    return FALSE;

  for (;;)
    {
      char *htext, *rtext;
      const char *hid, *rid;

      if (!al_trn_reader_next (hyp, &htext, &hid, &local))
        break;
      /* Both readers hand out pointers into their own buffers. */
      g_free (hyp_text);
      hyp_text = g_strdup (htext);

      if (index == NULL)
        {
          if (al_trn_reader_next (ref, &rtext, &rid, &local) && strcmp (rid, hid) == 0)
            {
              n_ref++;
              scored++;
              if (!score_pair (&sc, rtext, hyp_text, error))
                return FALSE;
              continue;
            }
          if (local)
            break;
          index = index_reference (ref, scored, error);
          if (index == NULL)
            return FALSE;
          n_ref = g_hash_table_size (index);
        }

      {
        RefEntry *e = g_hash_table_lookup (index, hid);
        if (e == NULL)
          {
            g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_MISMATCH,
                         "%s:%u: utterance (%s) is not in %s", hyp_path,
                         al_trn_reader_line (hyp), hid, ref_path);
            return FALSE;
          }
        if (e->used)
          {
            g_set_error (error, AL_QUALITY_ERROR, AL_QUALITY_ERROR_MISMATCH,
                         "%s:%u: utterance (%s) appears twice", hyp_path,
                         al_trn_reader_line (hyp), hid);
            return FALSE;
          }
        e->used = TRUE;
        if (!al_trn_reader_seek (ref, e->offset, e->line, error) ||
            !al_trn_reader_next (ref, &rtext, &rid, &local))
          break;
        scored++;
        if (!score_pair (&sc, rtext, hyp_text, error))
          return FALSE;
      }
    }
  if (local)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (index == NULL)
    {
      char *rtext;
      const char *rid;
      while (al_trn_reader_next (ref, &rtext, &rid, &local))
        n_ref++;
      if (local)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
    }
  result->missing = n_ref - scored;
  return TRUE;
}
