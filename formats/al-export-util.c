/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "al-export-util.h"
#include "al-format-private.h"

gboolean
al_export_image_size (AlTask  *task,
                      GError **error)
{
  if (task->width > 0 && task->height > 0)
    return TRUE;
  if (al_image_size (task->media, &task->width, &task->height))
    return TRUE;
  return al_format_fail (error, AL_FORMAT_ERROR_IO,
                         "task %s: the size of %s is unknown and the file cannot be read; this "
                         "format needs it", task->id, task->media);
}

char *
al_export_safe_name (const char *name)
{
  GString *s = g_string_new (NULL);
  for (const char *p = name; p && *p; p++)
    g_string_append_c (s, g_ascii_isalnum (*p) || *p == '-' || *p == '_' || (*p == '.' && s->len)
                            ? *p : '_');
  if (s->len == 0)
    g_string_append_c (s, '_');
  return g_string_free (s, FALSE);
}

char *
al_export_media_stem (const AlTask *task)
{
  const char *file = task->source ? json_string_value (json_object_get (task->source, "file_name"))
                                  : NULL;
  g_autofree char *base = g_path_get_basename (file ? file : task->media);
  char *dot = strrchr (base, '.');
  if (dot && dot != base)
    *dot = '\0';
  return al_export_safe_name (base);
}

char *
al_export_folder (const char *dir,
                  gboolean    single,
                  const char *name,
                  GError    **error)
{
  g_autofree char *path = single ? g_strdup (dir) : g_build_filename (dir, name, NULL);

  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "Cannot create %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&path);
}

char *
al_export_file_name (GHashTable *used,
                     const char *folder,
                     const char *stem,
                     const char *ext)
{
  char *path = g_strdup_printf ("%s/%s%s", folder, stem, ext);
  for (guint n = 2; g_hash_table_contains (used, path); n++)
    {
      g_free (path);
      path = g_strdup_printf ("%s/%s-%u%s", folder, stem, n, ext);
    }
  g_hash_table_add (used, g_strdup (path));
  return path;
}

gboolean
al_export_write (const char *path,
                 const char *text,
                 gssize      length,
                 GError    **error)
{
  return g_file_set_contents (path, text, length, error);
}
