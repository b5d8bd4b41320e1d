/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <string.h>

#include "al-export.h"
#include "al-format-private.h"
#include "al-store-private.h"
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

static gboolean
apply_locked (AlStore    *store,
              GPtrArray  *lines,
              const char *name,
              GError    **error)
{
  g_autoptr (sqlite3_stmt) sel = al_store_prepare (store, "SELECT data FROM tasks WHERE id = ?",
                                                   error);
  g_autoptr (sqlite3_stmt) upd = al_store_prepare (store,
                                                   "UPDATE tasks SET data = ?, is_gold = 1"
                                                   " WHERE id = ?", error);
  int rc;

  if (!sel || !upd)
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      AlGoldLine *line = lines->pdata[i];
      g_autoptr (json_t) data = NULL;
      g_autofree char *text = NULL;
      const char *kind;

      sqlite3_reset (sel);
      sqlite3_bind_text (sel, 1, line->id, -1, SQLITE_STATIC);
      if (sqlite3_step (sel) != SQLITE_ROW)
        return al_format_fail (error, AL_FORMAT_ERROR_MISMATCH,
                               "%s, line %u: there is no task \"%s\" in the database", name,
                               line->line, line->id);
      data = json_loads ((const char *) sqlite3_column_text (sel, 0), 0, NULL);
      kind = json_string_value (json_object_get (data, "kind"));
      if (g_strcmp0 (kind, "transcribe") != 0)
        return al_format_fail (error, AL_FORMAT_ERROR_MISMATCH,
                               "%s, line %u: task \"%s\" is not a transcription task", name,
                               line->line, line->id);
      json_object_set_new (data, "gold", json_pack ("{s:s}", "text", line->text));
      text = json_dumps (data, JSON_COMPACT);
      sqlite3_reset (upd);
      sqlite3_bind_text (upd, 1, text, -1, SQLITE_STATIC);
      sqlite3_bind_text (upd, 2, line->id, -1, SQLITE_STATIC);
      rc = sqlite3_step (upd);
      if (rc != SQLITE_DONE)
        return al_store_set_error (store, rc, "Setting gold transcripts", error);
    }
  return TRUE;
}

gboolean
al_trn_gold_apply (AlStore    *store,
                   GPtrArray  *lines,
                   const char *name,
                   GError    **error)
{
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (lines != NULL, FALSE);

  al_store_lock (store);
  ok = al_store_begin (store, error) && apply_locked (store, lines, name, error) &&
       al_store_commit (store, error);
  if (!ok)
    al_store_rollback (store);
  al_store_unlock (store);
  return ok;
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
