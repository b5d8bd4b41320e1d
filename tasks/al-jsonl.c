/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-jsonl"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "al-jsonl.h"

/* A task line larger than this is a mistake, not a task. */
#define MAX_LINE (1024 * 1024)
#define MAX_FILE ((gsize) 512 * 1024 * 1024)

static gboolean
is_blank (const char *p,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
      return FALSE;
  return TRUE;
}

GPtrArray *
al_jsonl_parse_tasks (const char *text,
                      gsize       length,
                      const char *name,
                      const char *base_dir,
                      GError    **error)
{
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = text;
  const char *end = text + length;
  guint line_no = 0;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize len = (nl ? nl : end) - p;
      g_autoptr (json_t) obj = NULL;
      g_autoptr (GError) local = NULL;
      json_error_t jerr;
      AlTask *task;

      line_no++;
      if (len > 0 && p[len - 1] == '\r')
        len--;
      if (len > MAX_LINE)
        {
          g_set_error (error, AL_TASK_ERROR, AL_TASK_ERROR_INVALID,
                       "%s, line %u: the line is longer than %d bytes", name, line_no, MAX_LINE);
          return NULL;
        }
      if (is_blank (p, len))
        goto next;
      obj = json_loadb (p, len, JSON_REJECT_DUPLICATES, &jerr);
      if (obj == NULL)
        {
          g_set_error (error, AL_TASK_ERROR, AL_TASK_ERROR_INVALID,
                       "%s, line %u, column %d: not valid JSON: %s", name, line_no, jerr.column,
                       jerr.text);
          return NULL;
        }
      task = al_task_new_from_json (obj, base_dir, &local);
      if (task == NULL)
        {
          g_set_error (error, AL_TASK_ERROR, AL_TASK_ERROR_INVALID, "%s, line %u: %s", name,
                       line_no, local->message);
          return NULL;
        }
      g_ptr_array_add (tasks, task);
      if (!g_hash_table_add (ids, g_strdup (task->id)))
        {
          g_set_error (error, AL_TASK_ERROR, AL_TASK_ERROR_INVALID,
                       "%s, line %u: task id \"%s\" appears twice in the file", name, line_no,
                       task->id);
          return NULL;
        }
    next:
      if (!nl)
        break;
      p = nl + 1;
    }
  return g_steal_pointer (&tasks);
}

GPtrArray *
al_jsonl_read_tasks (const char *path,
                     GError    **error)
{
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *abs = NULL;
  gsize length;
  GStatBuf st;

  if (g_stat (path, &st) == 0 && (gsize) st.st_size > MAX_FILE)
    {
      g_set_error (error, AL_TASK_ERROR, AL_TASK_ERROR_INVALID,
                   "%s is larger than 512 MB; split it into smaller files", path);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error (error, AL_TASK_ERROR, AL_TASK_ERROR_INVALID, "%s is not UTF-8 text", path);
      return NULL;
    }
  abs = g_canonicalize_filename (path, NULL);
  dir = g_path_get_dirname (abs);
  return al_jsonl_parse_tasks (text, length, path, dir, error);
}
