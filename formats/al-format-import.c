/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "al-format-private.h"
#include "al-jsonl.h"

static const char *const import_formats[] = { "jsonl", "coco", "labelstudio", "audio-folder",
                                              "trn", "media-list", "webvtt", "srt", "cvat-video",
                                              NULL };

/* COCO is one object with "images"; a Label Studio export is a list. The
 * first bytes that are not white space tell them apart. */
static const char *
guess_json (const char *path,
            GError    **error)
{
  char head[256] = { 0 };
  FILE *f = fopen (path, "rb");
  gsize n;

  if (f == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot read %s: %s", path,
                           g_strerror (errno)), NULL;
  n = fread (head, 1, sizeof head - 1, f);
  fclose (f);
  for (gsize i = 0; i < n; i++)
    {
      if (g_ascii_isspace (head[i]) || (guchar) head[i] == 0xef || (guchar) head[i] == 0xbb ||
          (guchar) head[i] == 0xbf)
        continue;
      if (head[i] == '[')
        return "labelstudio";
      if (head[i] == '{')
        return "coco";
      break;
    }
  return al_format_fail (error, AL_FORMAT_ERROR_UNKNOWN,
                         "%s: cannot tell the format (a COCO file starts with '{', a Label "
                         "Studio export with '['); give it with --format", path), NULL;
}

const char *
al_format_guess (const char *path,
                 GError    **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return "audio-folder";
  if (g_str_has_suffix (lower, ".jsonl") || g_str_has_suffix (lower, ".ndjson"))
    return "jsonl";
  if (g_str_has_suffix (lower, ".trn"))
    return "trn";
  if (g_str_has_suffix (lower, ".csv"))
    return "media-list";
  if (g_str_has_suffix (lower, ".vtt"))
    return "webvtt";
  if (g_str_has_suffix (lower, ".srt"))
    return "srt";
  if (g_str_has_suffix (lower, ".json"))
    return guess_json (path, error);
  if (g_str_has_suffix (lower, ".xml"))
    return "cvat-video";
  return al_format_fail (error, AL_FORMAT_ERROR_UNKNOWN,
                         "%s: cannot tell the format from the name; give it with --format "
                         "jsonl|coco|labelstudio|audio-folder|trn|media-list|webvtt|srt|cvat-video", path), NULL;
}

static GPtrArray *
parse_json_file (const char      *path,
                 const char      *format,
                 AlImportOptions *options,
                 GError         **error)
{
  g_autofree char *abs = g_canonicalize_filename (path, NULL);
  g_autofree char *dir = g_path_get_dirname (abs);
  g_autofree char *text = NULL;
  gsize length;

  text = al_format_read_file (path, AL_FORMAT_MAX_FILE, TRUE, &length, error);
  if (text == NULL)
    return NULL;
  if (g_str_equal (format, "coco"))
    return al_coco_parse (text, length, path, dir, options, error);
  return al_labelstudio_parse (text, length, path, dir, options, error);
}

/* A folder option as an absolute path; the parsers resolve file names
 * against it, and a relative one is relative to where the command runs. */
static gboolean
folder_option (const char  *value,
               const char  *flag,
               char       **out,
               GError     **error)
{
  if (value == NULL)
    return TRUE;
  if (!g_file_test (value, G_FILE_TEST_IS_DIR))
    return al_format_fail (error, AL_FORMAT_ERROR_IO, "%s %s: there is no such folder", flag,
                           value);
  *out = g_canonicalize_filename (value, NULL);
  return TRUE;
}

/* The folder all media must be in, resolved: --media-root, else --images,
 * else the folder of the file (or the audio folder itself). */
static char *
media_root (const char      *path,
            const char      *format,
            AlImportOptions *opts,
            GError         **error)
{
  g_autofree char *abs = g_canonicalize_filename (path, NULL);
  g_autofree char *dir = NULL;
  const char *root = opts->media_root ? opts->media_root : opts->images_dir;
  char *real;

  if (root == NULL)
    root = dir = g_str_equal (format, "audio-folder") ? g_strdup (abs) : g_path_get_dirname (abs);
  real = realpath (root, NULL);
  if (real == NULL)
    al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot read the folder %s: %s", root,
                    g_strerror (errno));
  return real;
}

gboolean
al_format_import (AlStore         *store,
                  const char      *path,
                  const char      *format,
                  AlImportOptions *options,
                  guint           *count,
                  GError         **error)
{
  g_autoptr (GPtrArray) tasks = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *images_dir = NULL;
  g_autofree char *root_dir = NULL;
  g_autofree char *root = NULL;
  AlImportOptions defaults = { 0 };
  AlImportOptions opts;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  opts = options ? *options : defaults;
  if (!folder_option (opts.images_dir, "--images", &images_dir, error) ||
      !folder_option (opts.media_root, "--media-root", &root_dir, error))
    return FALSE;
  opts.images_dir = images_dir;
  opts.media_root = root_dir;
  if (format == NULL && (format = al_format_guess (path, error)) == NULL)
    return FALSE;
  if (!g_strv_contains (import_formats, format))
    return al_format_fail (error, AL_FORMAT_ERROR_UNKNOWN,
                           "unknown import format \"%s\"; known: jsonl, coco, labelstudio, "
                           "audio-folder, trn, media-list, webvtt, srt, cvat-video", format);
  if (opts.dataset == NULL)
    {
      /* The dataset is named after the file, which also prefixes task ids. */
      g_autofree char *abs = g_canonicalize_filename (path, NULL);
      char *dot;
      dataset = g_path_get_basename (abs);
      dot = strrchr (dataset, '.');
      if (dot && dot != dataset && !g_file_test (path, G_FILE_TEST_IS_DIR))
        *dot = '\0';
      opts.dataset = dataset;
    }

  if (g_str_equal (format, "trn"))
    {
      g_autofree char *text = NULL;
      g_autoptr (GPtrArray) lines = NULL;
      gsize length;
      text = al_format_read_file (path, AL_FORMAT_MAX_FILE, FALSE, &length, error);
      if (text == NULL)
        return FALSE;
      lines = al_trn_gold_parse (text, length, path, error);
      if (lines == NULL || !al_trn_gold_apply (store, lines, path, error))
        return FALSE;
      if (count)
        *count = lines->len;
      return TRUE;
    }

  if (g_str_equal (format, "jsonl"))
    {
      /* Native ids are used as they are. */
      tasks = al_jsonl_read_tasks (path, error);
    }
  else if (g_str_equal (format, "audio-folder"))
    tasks = al_audio_folder_read (path, &opts, error);
  else if (g_str_equal (format, "media-list"))
    tasks = al_media_list_read (path, &opts, error);
  else if (g_str_equal (format, "webvtt") || g_str_equal (format, "srt"))
    tasks = al_subtitle_review_read (path, &opts, error);
  else if (g_str_equal (format, "cvat-video"))
    tasks = al_cvat_video_read (path, &opts, error);
  else
    tasks = parse_json_file (path, format, &opts, error);
  if (tasks == NULL)
    return FALSE;
  if (tasks->len == 0)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s holds no tasks", path);
  if (opts.overlap > 0)
    for (guint i = 0; i < tasks->len; i++)
      ((AlTask *) tasks->pdata[i])->overlap = MIN (opts.overlap, 1000);
  root = media_root (path, format, &opts, error);
  if (root == NULL || !al_format_check_media (store, tasks, root, path, &opts, error))
    return FALSE;
  /* Proposed boxes must lie inside the photo, so its size must be known. */
  for (guint i = 0; i < tasks->len; i++)
    {
      AlTask *task = tasks->pdata[i];
      if (task->proposal && task->kind == AL_TASK_KIND_BBOX && task->width <= 0 &&
          !al_image_size (task->media, &task->width, &task->height))
        task->width = task->height = 0;
    }
  if (!al_store_import_dataset (store, tasks, opts.dataset, format, root, error))
    {
      /* A proposal that does not fit its task: the file is named too. */
      if (error && *error && (*error)->domain == AL_TASK_ERROR)
        g_prefix_error (error, "%s, ", path);
      return FALSE;
    }
  if (count)
    *count = tasks->len;
  return TRUE;
}
