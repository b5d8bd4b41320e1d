/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "al-format-private.h"

/* A list of media to classify: CSV with a header row, or JSONL. */

static const char *const media_keys[] = { "image", "audio", "video", NULL };

/* By extension, for a "media" column. */
static const char *
media_key_of (const char *path)
{
  static const char *const images[] = { ".jpg", ".jpeg", ".png", ".gif", ".bmp", NULL };
  static const char *const videos[] = { ".mp4", ".webm", ".mkv", ".mov", ".avi", NULL };
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (guint i = 0; images[i]; i++)
    if (g_str_has_suffix (lower, images[i]))
      return "image";
  for (guint i = 0; videos[i]; i++)
    if (g_str_has_suffix (lower, videos[i]))
      return "video";
  return "audio";
}

/* One CSV record (RFC 4180: quotes, doubled quotes, line breaks inside
 * quotes); @p moves past it. NULL at the end, or on an open quote. */
static GPtrArray *
csv_record (const char **p,
            gboolean    *unclosed)
{
  GPtrArray *fields;
  GString *field;
  const char *s = *p;

  *unclosed = FALSE;
  if (*s == '\0')
    return NULL;
  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);
  for (;;)
    {
      if (*s == '"')
        {
          for (s++;; s++)
            {
              if (*s == '\0')
                {
                  *unclosed = TRUE;
                  g_string_free (field, TRUE);
                  g_ptr_array_unref (fields);
                  return NULL;
                }
              if (*s == '"' && s[1] == '"')
                g_string_append_c (field, *s++);
              else if (*s == '"')
                {
                  s++;
                  break;
                }
              else
                g_string_append_c (field, *s);
            }
        }
      while (*s && *s != ',' && *s != '\n' && *s != '\r')
        g_string_append_c (field, *s++);
      g_ptr_array_add (fields, g_strstrip (g_string_free (field, FALSE)));
      if (*s != ',')
        break;
      s++;
      field = g_string_new (NULL);
    }
  if (*s == '\r')
    s++;
  if (*s == '\n')
    s++;
  *p = s;
  return fields;
}

static json_t *
split_choices (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, "|", -1);
  json_t *list = json_array ();

  for (guint i = 0; parts[i]; i++)
    if (*g_strstrip (parts[i]))
      json_array_append_new (list, json_string (parts[i]));
  return list;
}

/* A record as the task's JSON; text values as they come from CSV. */
static AlTask *
make_task (json_t          *rec,
           guint            number,
           const char      *name,
           const char      *base_dir,
           AlImportOptions *options,
           GError         **error)
{
  g_autofree char *record = g_strdup_printf ("record %u", number);
  g_autoptr (json_t) obj = json_object ();
  json_t *v, *choices = NULL;
  const char *key = NULL, *media = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  for (guint i = 0; media_keys[i]; i++)
    if (json_is_string (json_object_get (rec, media_keys[i])) &&
        *json_string_value (json_object_get (rec, media_keys[i])))
      {
        if (key)
          return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                                 "%s, %s: give one of \"image\", \"audio\" and \"video\"", name,
                                 record), NULL;
        key = media_keys[i];
        media = json_string_value (json_object_get (rec, key));
      }
  if (key == NULL && json_is_string (json_object_get (rec, "media")) &&
      *json_string_value (json_object_get (rec, "media")))
    {
      media = json_string_value (json_object_get (rec, "media"));
      key = media_key_of (media);
    }
  if (key == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s, %s: the media is missing (\"image\", \"audio\", \"video\" or "
                           "\"media\")", name, record), NULL;
  v = json_object_get (rec, "id");
  if (json_is_string (v) && *json_string_value (v))
    id = al_format_task_id (options, json_string_value (v));
  else if (json_is_integer (v))
    {
      g_autofree char *num = g_strdup_printf ("%" JSON_INTEGER_FORMAT, json_integer_value (v));
      id = al_format_task_id (options, num);
    }
  else
    {
      g_autofree char *num = g_strdup_printf ("%u", number);
      id = al_format_task_id (options, num);
    }
  path = al_format_resolve (media, base_dir, options ? options->images_dir : NULL);
  json_object_set_new (obj, "id", json_string (id));
  json_object_set_new (obj, "kind", json_string ("classify"));
  json_object_set_new (obj, key, json_string (path));

  v = json_object_get (rec, "choices");
  if (json_is_string (v) && *json_string_value (v))
    choices = split_choices (json_string_value (v));
  else if (json_is_array (v))
    choices = json_incref (v);
  else if (options && options->choices)
    {
      choices = json_array ();
      for (const char *const *c = options->choices; *c; c++)
        if (**c)
          json_array_append_new (choices, json_string (*c));
    }
  if (choices == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s, %s: no choices: give them with --choices A,B,C or in a "
                           "\"choices\" column", name, record), NULL;
  json_object_set_new (obj, "choices", choices);
  v = json_object_get (rec, "multiple");
  json_object_set_new (obj, "multiple",
                       json_boolean (json_is_true (v) || (json_is_string (v) &&
                                     g_ascii_strcasecmp (json_string_value (v), "true") == 0) ||
                                     (!v && options && options->multiple)));
  v = json_object_get (rec, "question");
  json_object_set_new (obj, "instructions",
                       al_format_question (json_is_string (v) && *json_string_value (v)
                                             ? json_string_value (v)
                                             : options ? options->question : NULL,
                                           json_is_true (json_object_get (obj, "multiple"))));
  for (guint i = 0; i < 2; i++)
    {
      const char *k = i ? "end" : "start";
      v = json_object_get (rec, k);
      if (json_is_string (v) && *json_string_value (v))
        {
          char *end = NULL;
          double seconds = g_ascii_strtod (json_string_value (v), &end);
          if (end == NULL || *end != '\0')
            return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                                   "%s, %s: \"%s\" must be a number of seconds", name, record, k),
                   NULL;
          json_object_set_new (obj, k, json_real (seconds));
        }
      else if (json_is_number (v))
        json_object_set (obj, k, v);
    }
  v = json_object_get (rec, "gold");
  if (json_is_string (v) && *json_string_value (v))
    json_object_set_new (obj, "gold", json_pack ("{s:o}", "choices",
                                                 split_choices (json_string_value (v))));
  else if (json_is_array (v))
    json_object_set_new (obj, "gold", json_pack ("{s:O}", "choices", v));
  else if (json_is_object (v))
    json_object_set (obj, "gold", v);
  json_object_set_new (obj, "source", json_pack ("{s:s,s:s}", "format", "media-list",
                                                 "file_name", media));
  return al_format_task_new (g_steal_pointer (&obj), name, record, error);
}

static gboolean
add_task (GPtrArray  *tasks,
          GHashTable *ids,
          AlTask     *task,
          const char *name,
          guint       number,
          GError    **error)
{
  if (task == NULL)
    return FALSE;
  g_ptr_array_add (tasks, task);
  if (!g_hash_table_add (ids, task->id))
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, record %u: task id \"%s\" "
                           "appears twice", name, number, task->id);
  if (tasks->len > AL_FORMAT_MAX_RECORDS)
    return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE, "%s: more than %d records; split "
                           "the file", name, AL_FORMAT_MAX_RECORDS);
  return TRUE;
}

static gboolean
read_csv (const char      *text,
          const char      *name,
          const char      *dir,
          AlImportOptions *options,
          GPtrArray       *tasks,
          GError         **error)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) header = NULL;
  const char *p = text;
  gboolean unclosed;
  guint number = 0;

  if (g_str_has_prefix (p, "\xef\xbb\xbf"))
    p += 3;
  header = csv_record (&p, &unclosed);
  if (header == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s: no header row (such as "
                           "\"id,image,gold\")", name);
  for (guint i = 0; i < header->len; i++)
    {
      char *h = header->pdata[i];
      for (char *c = h; *c; c++)
        *c = g_ascii_tolower (*c);
    }
  for (;;)
    {
      g_autoptr (GPtrArray) row = csv_record (&p, &unclosed);
      g_autoptr (json_t) rec = NULL;

      if (row == NULL)
        {
          if (unclosed)
            return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, record %u: a quote is "
                                   "never closed", name, number + 1);
          break;
        }
      if (row->len == 1 && *(char *) row->pdata[0] == '\0')
        continue;  /* an empty line */
      number++;
      if (row->len != header->len)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, record %u: %u fields, and "
                               "the header has %u", name, number, row->len, header->len);
      rec = json_object ();
      for (guint i = 0; i < row->len; i++)
        if (*(char *) row->pdata[i])
          json_object_set_new (rec, header->pdata[i], json_string (row->pdata[i]));
      if (!add_task (tasks, ids, make_task (rec, number, name, dir, options, error), name, number,
                     error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_jsonl (const char      *text,
            const char      *name,
            const char      *dir,
            AlImportOptions *options,
            GPtrArray       *tasks,
            GError         **error)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint number = 0;

  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr (json_t) rec = NULL;
      json_error_t jerr;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      number++;
      rec = json_loads (lines[i], JSON_REJECT_DUPLICATES, &jerr);
      if (!json_is_object (rec))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, line %u: not a JSON object%s%s",
                               name, i + 1, rec ? "" : ": ", rec ? "" : jerr.text);
      if (!add_task (tasks, ids, make_task (rec, number, name, dir, options, error), name, number,
                     error))
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
al_media_list_read (const char      *path,
                    AlImportOptions *options,
                    GError         **error)
{
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  g_autofree char *abs = g_canonicalize_filename (path, NULL);
  g_autofree char *dir = g_path_get_dirname (abs);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *text = NULL;
  const char *first;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  text = al_format_read_file (path, AL_FORMAT_MAX_FILE, TRUE, &length, error);
  if (text == NULL)
    return NULL;
  for (first = text; *first && g_ascii_isspace (*first); first++)
    ;
  if (*first == '{' && !g_str_has_suffix (lower, ".csv"))
    {
      if (!read_jsonl (text, path, dir, options, tasks, error))
        return NULL;
    }
  else if (!read_csv (text, path, dir, options, tasks, error))
    return NULL;
  return g_steal_pointer (&tasks);
}
