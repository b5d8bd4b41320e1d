/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "al-format-private.h"

/* A folder of recordings, each with an optional transcript of the same
 * name ending in .txt. Long recordings are cut into pieces when a split
 * function is given; a transcript is gold only for a recording kept whole,
 * since it cannot be divided between pieces. */

static const char *const audio_ext[] = { ".wav", ".flac", ".ogg", ".mp3", NULL };

static gboolean
is_audio (const char *file)
{
  g_autofree char *lower = g_ascii_strdown (file, -1);
  for (int i = 0; audio_ext[i]; i++)
    if (g_str_has_suffix (lower, audio_ext[i]) && strlen (lower) > strlen (audio_ext[i]))
      return TRUE;
  return FALSE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static char *
stem_of (const char *file)
{
  const char *dot = strrchr (file, '.');
  return g_strndup (file, dot ? (gsize) (dot - file) : strlen (file));
}

/* The transcript beside @audio, with runs of white space made one space.
 * Returns NULL without an error when there is none. */
static char *
read_transcript (const char *dir,
                 const char *stem,
                 GError    **error)
{
  g_autofree char *file = g_strconcat (stem, ".txt", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) words = NULL;
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  text = al_format_read_file (path, AL_FORMAT_MAX_TEXT, TRUE, NULL, error);
  if (text == NULL)
    return NULL;
  words = g_strsplit_set (text, " \t\r\n\f\v", -1);
  for (char **w = words; *w; w++)
    if (**w)
      g_ptr_array_add (kept, *w);
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (" ", (char **) kept->pdata);
}

static gboolean
add_task (GPtrArray  *tasks,
          json_t     *obj,
          const char *dir,
          const char *file,
          GError    **error)
{
  AlTask *task = al_format_task_new (obj, dir, file, error);
  if (task == NULL)
    return FALSE;
  g_ptr_array_add (tasks, task);
  return TRUE;
}

GPtrArray *
al_audio_folder_read (const char      *dir,
                      AlImportOptions *options,
                      GError         **error)
{
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = NULL;
  g_autofree char *abs = g_canonicalize_filename (dir, NULL);
  g_autofree char *root = realpath (abs, NULL);
  const char *lang = options && options->language ? options->language : "nl";
  const char *entry;

  d = g_dir_open (abs, 0, error);
  if (d == NULL)
    return NULL;
  while ((entry = g_dir_read_name (d)))
    {
      if (!is_audio (entry))
        continue;
      if (files->len >= AL_FORMAT_MAX_RECORDS)
        return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE,
                               "%s: more than %d recordings; split the folder", dir,
                               AL_FORMAT_MAX_RECORDS), NULL;
      g_ptr_array_add (files, g_strdup (entry));
    }
  if (files->len == 0)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s: no recordings (.wav, .flac, .ogg or .mp3) in the folder", dir),
           NULL;
  g_ptr_array_sort (files, compare_names);

  for (guint i = 0; i < files->len; i++)
    {
      const char *file = files->pdata[i];
      g_autofree char *path = g_build_filename (abs, file, NULL);
      g_autofree char *stem = stem_of (file);
      g_autofree char *id = al_format_task_id (options, stem);
      g_autoptr (GError) local = NULL;
      g_autofree char *text = read_transcript (abs, stem, &local);
      g_autoptr (GArray) pieces = NULL;
      double duration = 0;
      json_t *obj;

      if (local)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (!al_format_confined (path, root ? root : abs, dir, id, error))
        return NULL;
      if (options && options->split)
        {
          pieces = options->split (path, &duration, options->split_data, &local);
          if (pieces == NULL)
            return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, %s: %s", dir, file,
                                   local ? local->message : "cannot be read"), NULL;
        }
      else
        duration = al_wav_duration (path);

      if (pieces == NULL || pieces->len <= 1)
        {
          obj = json_pack ("{s:s,s:s,s:s,s:f,s:s,s:o}", "id", id, "kind", "transcribe", "audio",
                           path, "start", 0.0, "language", lang, "instructions",
                           al_format_instructions (AL_TASK_KIND_TRANSCRIBE, NULL));
          if (duration > 0)
            json_object_set_new (obj, "end", json_real (duration));
          if (text)
            json_object_set_new (obj, "gold", json_pack ("{s:s}", "text", text));
          json_object_set_new (obj, "source", json_pack ("{s:s,s:s}", "format", "audio-folder",
                                                         "file_name", file));
          if (!add_task (tasks, obj, dir, file, error))
            return NULL;
          continue;
        }
      if (text)
        al_format_note (options,
                        "%s.txt is not used as gold: %s was cut into %u segments", stem, file,
                        pieces->len);
      for (guint p = 0; p < pieces->len; p++)
        {
          const AlAudioPiece *piece = &g_array_index (pieces, AlAudioPiece, p);
          g_autofree char *seg_id = g_strdup_printf ("%s-%03u", id, p + 1);
          obj = json_pack ("{s:s,s:s,s:s,s:f,s:f,s:s,s:{s:i,s:i},s:o,s:{s:s,s:s}}", "id", seg_id,
                           "kind", "transcribe", "audio", path, "start", piece->start, "end",
                           piece->end, "language", lang, "segment", "index", (int) p + 1,
                           "count", (int) pieces->len, "instructions",
                           al_format_instructions (AL_TASK_KIND_TRANSCRIBE, NULL), "source",
                           "format", "audio-folder", "file_name", file);
          if (!add_task (tasks, obj, dir, file, error))
            return NULL;
        }
    }
  return g_steal_pointer (&tasks);
}
