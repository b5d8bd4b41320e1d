/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "al-format-private.h"

G_DEFINE_QUARK (al-format-error-quark, al_format_error)

gboolean
al_format_fail (GError    **error,
                int         code,
                const char *format,
                ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AL_FORMAT_ERROR, code, msg);
  return FALSE;
}

void
al_format_note (AlImportOptions *options,
                const char      *format,
                ...)
{
  va_list args;
  if (options == NULL || options->notes == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (options->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

char *
al_format_read_file (const char *path,
                     gsize       max,
                     gboolean    utf8,
                     gsize      *length,
                     GError    **error)
{
  g_autofree char *text = NULL;
  GStatBuf st;
  gsize len;

  if (g_stat (path, &st) == 0 && (guint64) st.st_size > max)
    return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE,
                           "%s is larger than %" G_GSIZE_FORMAT " MB; split it into smaller files",
                           path, max / (1024 * 1024)), NULL;
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  if (len > max)
    return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE, "%s is too large", path), NULL;
  if (utf8 && !g_utf8_validate_len (text, len, NULL))
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s is not UTF-8 text", path), NULL;
  if (length)
    *length = len;
  return g_steal_pointer (&text);
}

json_t *
al_format_load_json (const char *text,
                     gsize       length,
                     const char *name,
                     GError    **error)
{
  json_error_t jerr;
  json_t *root;

  if (length > AL_FORMAT_MAX_FILE)
    return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE, "%s is too large", name), NULL;
  root = json_loadb (text, length, JSON_REJECT_DUPLICATES, &jerr);
  if (root == NULL)
    al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, line %d, column %d: not valid JSON: %s",
                    name, jerr.line, jerr.column, jerr.text);
  return root;
}

char *
al_format_task_id (AlImportOptions *options,
                   const char      *id)
{
  const char *dataset = options && options->dataset ? options->dataset : NULL;
  return dataset && *dataset ? g_strdup_printf ("%s-%s", dataset, id) : g_strdup (id);
}

char *
al_format_resolve (const char *path,
                   const char *base_dir,
                   const char *images_dir)
{
  if (g_str_has_prefix (path, "http://") || g_str_has_prefix (path, "https://"))
    return g_strdup (path);
  if (images_dir)
    {
      g_autofree char *base = g_path_get_basename (path);
      return g_canonicalize_filename (base, images_dir);
    }
  return g_canonicalize_filename (path, base_dir);
}

json_t *
al_format_instructions (AlTaskKind kind,
                        json_t    *labels)
{
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  g_auto (GStrv) strv = NULL;
  size_t i;
  json_t *v;
  g_autofree char *list = NULL;
  g_autofree char *nl = NULL;
  g_autofree char *en = NULL;

  if (kind == AL_TASK_KIND_TRANSCRIBE)
    return json_pack ("{s:s,s:s}", "nl",
                      "Luister naar het fragment en typ precies wat je hoort. Klaar? Druk op "
                      "Ctrl+Enter.",
                      "en",
                      "Listen to the clip and type exactly what you hear. Done? Press Ctrl+Enter.");
  if (kind == AL_TASK_KIND_SUBTITLE_REVIEW)
    return json_pack ("{s:s,s:s}", "nl",
                      "Luister naar het stuk en lees de ondertitel. Goed: Ctrl+1. Verkeerde "
                      "tekst: Ctrl+2, verbeter de tekst. Verkeerde tijd: Ctrl+3, verschuif begin "
                      "en eind met Alt+pijltjes. Klaar? Druk op Ctrl+Enter.",
                      "en",
                      "Listen to the span and read the subtitle. Right: Ctrl+1. Wrong text: "
                      "Ctrl+2, correct the text. Wrong timing: Ctrl+3, move start and end with "
                      "Alt+arrows. Done? Press Ctrl+Enter.");
  json_array_foreach (labels, i, v)
    if (json_is_string (v))
      g_strv_builder_add (names, json_string_value (v));
  strv = g_strv_builder_end (names);
  list = g_strjoinv (", ", strv);
  if (kind == AL_TASK_KIND_VIDEO_BOXES)
    {
      nl = g_strdup_printf ("Volg alles van deze soort met een box door de video: %s. F en D: "
                            "volgend en vorig beeld. N: nieuw spoor, K: sleutelbeeld, O: uit "
                            "beeld. Klaar? Druk op Ctrl+Enter.", list);
      en = g_strdup_printf ("Follow everything of this kind through the video with a box: %s. "
                            "F and D: next and previous frame. N: new track, K: keyframe, O: "
                            "out of sight. Done? Press Ctrl+Enter.", list);
      return json_pack ("{s:s,s:s}", "nl", nl, "en", en);
    }
  nl = g_strdup_printf ("Teken een box om alles van deze soort: %s. Klaar? Druk op Ctrl+Enter.", list);
  en = g_strdup_printf ("Draw a box around everything of this kind: %s. Done? Press Ctrl+Enter.", list);
  return json_pack ("{s:s,s:s}", "nl", nl, "en", en);
}

json_t *
al_format_question (const char *question,
                    gboolean    multiple)
{
  if (question && *question)
    return json_pack ("{s:s,s:s}", "nl", question, "en", question);
  if (multiple)
    return json_pack ("{s:s,s:s}", "nl",
                      "Welke keuzes passen? Vink ze aan met hun cijfer. Klaar? Druk op Ctrl+Enter.",
                      "en",
                      "Which choices apply? Tick them with their digits. Done? Press Ctrl+Enter.");
  return json_pack ("{s:s,s:s}", "nl",
                    "Welke keuze past? Kies met het cijfer ervoor. Klaar? Druk op Ctrl+Enter.",
                    "en", "Which choice fits? Pick it with its digit. Done? Press Ctrl+Enter.");
}

AlTask *
al_format_task_new (json_t     *object,
                    const char *name,
                    const char *record,
                    GError    **error)
{
  g_autoptr (json_t) obj = object;
  g_autoptr (GError) local = NULL;
  AlTask *task = al_task_new_from_json (obj, NULL, &local);

  if (task == NULL)
    al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, %s: %s", name, record, local->message);
  return task;
}
