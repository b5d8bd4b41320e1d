/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "al-format-private.h"

/* WebVTT and SRT read as a programme to review: one task per cue. */

typedef struct
{
  guint number;     /* 1-based, in file order */
  guint line;       /* of the timing line */
  char *id;         /* the cue identifier, or NULL */
  double start;
  double end;
  char *text;
} ReadCue;

static void
read_cue_clear (gpointer data)
{
  ReadCue *c = data;
  g_free (c->id);
  g_free (c->text);
}

/* "01:02:03.456", "02:03.456" (WebVTT) or "01:02:03,456" (SRT). */
static gboolean
parse_time (const char *s,
            double     *out)
{
  guint64 parts[3] = { 0 };
  guint n = 0;
  const char *p = s;
  char *end;

  for (;;)
    {
      if (!g_ascii_isdigit (*p) || n == 3)
        return FALSE;
      parts[n++] = g_ascii_strtoull (p, &end, 10);
      p = end;
      if (*p != ':')
        break;
      p++;
    }
  if (n < 2 || (*p != '.' && *p != ',') || strlen (p + 1) != 3 ||
      !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]) || !g_ascii_isdigit (p[3]))
    return FALSE;
  if (parts[n - 1] > 59 || (n == 3 && parts[1] > 59))
    return FALSE;
  *out = (n == 3 ? parts[0] * 3600.0 + parts[1] * 60 + parts[2] : parts[0] * 60.0 + parts[1]) +
         g_ascii_strtoull (p + 1, NULL, 10) / 1000.0;
  return TRUE;
}

/* "START --> END [settings]" */
static gboolean
parse_timing (const char *line,
              double     *start,
              double     *end)
{
  g_auto (GStrv) words = g_strsplit_set (line, " \t", -1);
  const char *w[3] = { NULL };
  guint n = 0;

  for (guint i = 0; words[i] && n < 3; i++)
    if (*words[i])
      w[n++] = words[i];
  return n == 3 && g_str_equal (w[1], "-->") && parse_time (w[0], start) &&
         parse_time (w[2], end);
}

static GArray *
parse_cues (const char *text,
            const char *name,
            GError    **error)
{
  g_autoptr (GArray) cues = g_array_new (FALSE, TRUE, sizeof (ReadCue));
  g_auto (GStrv) lines = NULL;
  g_autofree char *flat = NULL;
  gboolean vtt;
  guint i = 0;

  g_array_set_clear_func (cues, read_cue_clear);
  if (g_str_has_prefix (text, "\xef\xbb\xbf"))
    text += 3;
  flat = g_strdup (text);
  /* CRLF and lone CR end lines too. */
  {
    char *w = flat;
    for (const char *r = flat; *r; r++)
      if (*r == '\r')
        *w++ = '\n', r += r[1] == '\n';
      else
        *w++ = *r;
    *w = '\0';
  }
  lines = g_strsplit (flat, "\n", -1);
  vtt = g_str_has_prefix (lines[0], "WEBVTT") &&
        (lines[0][6] == '\0' || lines[0][6] == ' ' || lines[0][6] == '\t');
  if (vtt)
    while (lines[i] && *lines[i])
      i++;

  while (lines[i])
    {
      g_autofree char *id = NULL;
      g_autoptr (GString) cue_text = NULL;
      ReadCue cue = { 0 };
      guint first = i;

      if (*g_strstrip (lines[i]) == '\0')
        {
          i++;
          continue;
        }
      /* WebVTT blocks that are not cues. */
      if (vtt && (g_str_has_prefix (lines[i], "NOTE") || g_str_equal (lines[i], "STYLE") ||
                  g_str_equal (lines[i], "REGION")))
        {
          while (lines[i] && *lines[i])
            i++;
          continue;
        }
      if (strstr (lines[i], "-->") == NULL)
        {
          id = g_strdup (lines[i]);
          i++;
        }
      if (lines[i] == NULL || strstr (lines[i], "-->") == NULL)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, cue %u (line %u): there is no timing line "
                               "(\"00:00:01.000 --> 00:00:02.500\")", name, cues->len + 1,
                               first + 1), NULL;
      cue.number = cues->len + 1;
      cue.line = i + 1;
      if (!parse_timing (lines[i], &cue.start, &cue.end))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, cue %u (line %u): \"%s\" is not a timing line such as "
                               "\"00:00:01.000 --> 00:00:02.500\"", name, cue.number, cue.line,
                               g_strstrip (lines[i])), NULL;
      if (cue.end <= cue.start)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, cue %u (line %u): the cue ends before it starts", name,
                               cue.number, cue.line), NULL;
      cue_text = g_string_new (NULL);
      for (i++; lines[i] && *g_strstrip (lines[i]); i++)
        g_string_append_printf (cue_text, "%s%s", cue_text->len ? "\n" : "", lines[i]);
      cue.id = g_steal_pointer (&id);
      cue.text = g_string_free (g_steal_pointer (&cue_text), FALSE);
      g_array_append_val (cues, cue);
    }
  if (cues->len == 0)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s holds no cues", name), NULL;
  return g_steal_pointer (&cues);
}

static GArray *
read_cues (const char *path,
           GError    **error)
{
  gsize length;
  g_autofree char *text = al_format_read_file (path, AL_FORMAT_MAX_FILE, TRUE, &length, error);
  return text ? parse_cues (text, path, error) : NULL;
}

/* Gold from the corrected file: the same cues in the same order; what
 * differs from the programme says whether its text or timing was wrong. */
static json_t *
gold_of (const ReadCue *cue,
         const ReadCue *right)
{
  const char *verdict = "correct";

  if (g_strcmp0 (cue->text, right->text) != 0)
    verdict = "text";
  else if (fabs (cue->start - right->start) > 0.0005 || fabs (cue->end - right->end) > 0.0005)
    verdict = "timing";
  return json_pack ("{s:s,s:s,s:f,s:f}", "verdict", verdict, "text", right->text, "start",
                    right->start, "end", right->end);
}

GPtrArray *
al_subtitle_review_read (const char      *path,
                         AlImportOptions *options,
                         GError         **error)
{
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  g_autofree char *media = NULL;
  g_autofree char *lower = NULL;
  g_autoptr (GArray) cues = NULL;
  g_autoptr (GArray) gold = NULL;
  const char *key;
  double length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (options == NULL || options->media == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s: a subtitle file needs the programme it belongs to: --media FILE",
                           path), NULL;
  cues = read_cues (path, error);
  if (cues == NULL)
    return NULL;
  if (options->gold)
    {
      gold = read_cues (options->gold, error);
      if (gold == NULL)
        return NULL;
      if (gold->len != cues->len)
        return al_format_fail (error, AL_FORMAT_ERROR_MISMATCH,
                               "--gold %s holds %u cues, %s %u; they must be the same cues",
                               options->gold, gold->len, path, cues->len), NULL;
    }
  media = g_canonicalize_filename (options->media, NULL);
  lower = g_ascii_strdown (media, -1);
  key = g_str_has_suffix (lower, ".mp4") || g_str_has_suffix (lower, ".webm") ||
        g_str_has_suffix (lower, ".mkv") || g_str_has_suffix (lower, ".mov") ? "video" : "audio";
  if (g_str_has_suffix (lower, ".wav"))
    length = al_wav_duration (media);

  for (guint i = 0; i < cues->len; i++)
    {
      const ReadCue *c = &g_array_index (cues, ReadCue, i);
      g_autofree char *num = g_strdup_printf ("cue-%u", c->number);
      g_autofree char *record = g_strdup_printf ("cue %u (line %u)", c->number, c->line);
      g_autofree char *id = al_format_task_id (options, num);
      json_t *obj;
      AlTask *task;

      /* A few milliseconds past the end are rounding in the cue times. */
      if (length > 0 && c->end > length + 0.05)
        return al_format_fail (error, AL_FORMAT_ERROR_MISMATCH,
                               "%s, %s: the cue ends at %.3f s, after the end of %s (%.3f s)",
                               path, record, c->end, options->media, length), NULL;
      obj = json_pack ("{s:s,s:s,s:s,s:f,s:f,s:s,s:s,s:o,s:{s:s,s:i,s:s?}}", "id", id, "kind",
                       "subtitle-review", key, media, "start", c->start, "end", c->end,
                       "subtitle", c->text, "language",
                       options->language ? options->language : "nl", "instructions",
                       al_format_instructions (AL_TASK_KIND_SUBTITLE_REVIEW, NULL), "source",
                       "file", path, "cue", (int) c->number, "identifier", c->id);
      if (gold)
        json_object_set_new (obj, "gold", gold_of (c, &g_array_index (gold, ReadCue, i)));
      task = al_format_task_new (obj, path, record, error);
      if (task == NULL)
        return NULL;
      g_ptr_array_add (tasks, task);
    }
  return g_steal_pointer (&tasks);
}
