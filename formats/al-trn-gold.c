/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <string.h>

#include "al-export.h"
#include "al-format-private.h"
#include "al-store.h"
#include "al-trn.h"

/* NIST sclite trn: "text (utterance-id)" per line. Here the utterance id
 * is the task id. */

static void
gold_line_free (AlGoldLine *line)
{
  g_free (line->id);
  g_free (line->text);
  g_free (line);
}

GPtrArray *
al_trn_gold_parse (const char *text,
                   gsize       length,
                   const char *name,
                   GError    **error)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) gold_line_free);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const char *p = text, *end = text + length;
  guint line_no = 0;

  if (length > AL_FORMAT_MAX_FILE)
    return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE, "%s is too large", name), NULL;
  if (!g_utf8_validate_len (text, length, NULL))
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s is not UTF-8 text", name), NULL;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize len = (nl ? nl : end) - p;
      g_autofree char *raw = NULL;
      char *open, *close;
      AlGoldLine *line;

      line_no++;
      if (len > AL_TRN_MAX_LINE)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, line %u: the line is too long",
                               name, line_no), NULL;
      raw = g_strndup (p, len);
      p = nl ? nl + 1 : end;
      if (memchr (raw, '\0', len))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, line %u: holds a NUL byte",
                               name, line_no), NULL;
      g_strstrip (raw);
      if (*raw == '\0' || *raw == ';')
        continue;
      close = raw + strlen (raw) - 1;
      open = strrchr (raw, '(');
      if (*close != ')' || open == NULL || open + 1 >= close)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, line %u: expected \"text (task-id)\"", name, line_no), NULL;
      *close = '\0';
      *open = '\0';
      line = g_new0 (AlGoldLine, 1);
      line->id = g_strstrip (g_strdup (open + 1));
      line->text = g_strdup (g_strstrip (raw));
      line->line = line_no;
      g_ptr_array_add (lines, line);
      if (strlen (line->text) > AL_FORMAT_MAX_TEXT)
        return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE,
                               "%s, line %u: the transcript is longer than %d bytes", name,
                               line_no, AL_FORMAT_MAX_TEXT), NULL;
      if (*line->id == '\0' || !g_hash_table_add (ids, line->id))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, line %u: task id \"%s\" is empty or appears twice", name,
                               line_no, line->id), NULL;
      if (lines->len > AL_FORMAT_MAX_RECORDS)
        return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE, "%s: more than %d lines", name,
                               AL_FORMAT_MAX_RECORDS), NULL;
    }
  return g_steal_pointer (&lines);
}

typedef struct
{
  GPtrArray *lines;
  const char *name;
} Apply;

static gboolean
apply_line (guint    index,
            json_t  *data,
            gpointer user_data,
            GError **error)
{
  Apply *apply = user_data;
  AlGoldLine *line = apply->lines->pdata[index];
  const char *kind;

  if (data == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_MISMATCH,
                           "%s, line %u: there is no task \"%s\" in the database", apply->name,
                           line->line, line->id);
  kind = json_string_value (json_object_get (data, "kind"));
  if (g_strcmp0 (kind, "transcribe") != 0)
    return al_format_fail (error, AL_FORMAT_ERROR_MISMATCH,
                           "%s, line %u: task \"%s\" is not a transcription task", apply->name,
                           line->line, line->id);
  json_object_set_new (data, "gold", json_pack ("{s:s}", "text", line->text));
  return TRUE;
}

gboolean
al_trn_gold_apply (AlStore    *store,
                   GPtrArray  *lines,
                   const char *name,
                   GError    **error)
{
  g_autoptr (GPtrArray) ids = NULL;
  Apply apply = { lines, name };

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (lines != NULL, FALSE);

  ids = g_ptr_array_new ();
  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (ids, ((AlGoldLine *) lines->pdata[i])->id);
  g_ptr_array_add (ids, NULL);
  return al_store_set_gold (store, (const char *const *) ids->pdata, apply_line, &apply, error);
}

gboolean
al_export_trn (AlExport   *export,
               const char *annotator,
               FILE       *out,
               GError    **error)
{
  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      const char *text = json_string_value (json_object_get (item->result, "text"));
      g_autofree char *flat = NULL;

      if (item->task->kind != AL_TASK_KIND_TRANSCRIBE ||
          (annotator && g_strcmp0 (item->annotator, annotator) != 0))
        continue;
      /* One utterance per line: line breaks in a transcript become spaces. */
      flat = g_strdelimit (g_strdup (text ? text : ""), "\r\n\t", ' ');
      if (fprintf (out, "%s (%s)\n", g_strstrip (flat), item->task->id) < 0)
        return al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot write the export");
    }
  return TRUE;
}
