/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "al-format-private.h"

/* A dataset from outside may name any path as its media. Each local file
 * must resolve, after symlinks, to a regular file inside the dataset's
 * folder, and look like an image or a recording the workstation can open,
 * or the whole import fails with the task and the path named. */

static gboolean
is_url (const char *s)
{
  return g_str_has_prefix (s, "http://") || g_str_has_prefix (s, "https://");
}

/* WAV, FLAC, Ogg (Vorbis, Opus), MP3 with or without an ID3 tag, MP4/M4A. */
gboolean
al_audio_header_parse (const guint8 *d,
                       gsize         n)
{
  if (n >= 12 && memcmp (d, "RIFF", 4) == 0 && memcmp (d + 8, "WAVE", 4) == 0)
    return TRUE;
  if (n >= 4 && (memcmp (d, "fLaC", 4) == 0 || memcmp (d, "OggS", 4) == 0))
    return TRUE;
  if (n >= 3 && memcmp (d, "ID3", 3) == 0)
    return TRUE;
  if (n >= 2 && d[0] == 0xff && (d[1] & 0xe0) == 0xe0 && (d[1] & 0x06) != 0)
    return TRUE;
  return n >= 8 && memcmp (d + 4, "ftyp", 4) == 0;
}

static gboolean
audio_header_ok (const char *path)
{
  guint8 head[16];
  FILE *f = fopen (path, "rb");
  gsize n;

  if (f == NULL)
    return FALSE;
  n = fread (head, 1, sizeof head, f);
  fclose (f);
  return al_audio_header_parse (head, n);
}

gboolean
al_format_confined (const char *path,
                    const char *root,
                    const char *name,
                    const char *record,
                    GError    **error)
{
  g_autofree char *real = realpath (path, NULL);
  struct stat st;

  if (real == NULL || !al_path_is_inside (real, root))
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                           "%s, task %s: the file %s is outside the dataset's folder %s", name,
                           record, path, root);
  if (stat (real, &st) != 0 || !S_ISREG (st.st_mode))
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                           "%s, task %s: the file %s is not a regular file", name, record, path);
  return TRUE;
}

/* A video to draw boxes on must decode; its frame rate, size and length
 * go into the task where it does not give them. */
static gboolean
check_video (AlTask          *task,
             const char      *real,
             const char      *name,
             AlImportOptions *options,
             GError         **error)
{
  g_autoptr (GError) local = NULL;
  AlVideoCheckInfo info = { 0 };

  if (options == NULL || options->check_video == NULL)
    {
      if (task->fps <= 0)
        return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                               "%s, task %s: the task gives no \"fps\" (frames per second)",
                               name, task->id);
      return TRUE;
    }
  if (!options->check_video (real, options->check_data, &info, &local))
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA, "%s, task %s: %s", name, task->id,
                           local ? local->message : "the video does not decode");
  if (task->fps <= 0)
    task->fps = info.fps;
  if (task->width <= 0 && info.width > 0)
    {
      task->width = info.width;
      task->height = info.height;
    }
  if (info.duration > 0 && task->start >= info.duration)
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                           "%s, task %s: the span starts at %.3f s, after the end of the video "
                           "(%.3f s)", name, task->id, task->start, info.duration);
  if (task->end <= 0 && info.duration > 0)
    task->end = info.duration;
  return TRUE;
}

static gboolean
check_one (AlStore         *store,
           AlTask          *task,
           const char      *root,
           const char      *name,
           AlImportOptions *options,
           GError         **error)
{
  const char *what = task->media_type == AL_TASK_MEDIA_IMAGE ? "image"
                     : task->media_type == AL_TASK_MEDIA_VIDEO ? "video" : "recording";
  g_autofree char *real = realpath (task->media, NULL);
  g_autoptr (GError) local = NULL;
  struct stat st;
  int w, h;

  if (real == NULL)
    {
      int err = errno;
      if (err == ENOENT || err == ENOTDIR)
        return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                               "%s, task %s: the %s %s does not exist", name, task->id, what,
                               task->media);
      return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                             "%s, task %s: the %s %s cannot be read: %s", name, task->id, what,
                             task->media, g_strerror (err));
    }
  if (!al_path_is_inside (real, root))
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                           "%s, task %s: the %s %s is outside the dataset's folder %s (media "
                           "must be in that folder; --media-root DIR names another one)",
                           name, task->id, what, task->media, root);
  if (stat (real, &st) != 0 || !S_ISREG (st.st_mode))
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA, "%s, task %s: the %s %s is not a file",
                           name, task->id, what, task->media);
  if (store && al_store_is_own_file (store, real, &st))
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                           "%s, task %s: the %s %s is the database itself", name, task->id, what,
                           task->media);
  if (task->kind == AL_TASK_KIND_VIDEO_BOXES)
    return check_video (task, real, name, options, error);
  if (task->media_type == AL_TASK_MEDIA_VIDEO)
    return TRUE;
  if (task->media_type == AL_TASK_MEDIA_IMAGE)
    {
      if (!al_image_size (real, &w, &h))
        return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                               "%s, task %s: the image %s is not a PNG, JPEG, GIF or BMP picture "
                               "the workstation can show", name, task->id, task->media);
      return TRUE;
    }
  if (!audio_header_ok (real))
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                           "%s, task %s: the recording %s is not a WAV, FLAC, Ogg, MP3 or M4A "
                           "sound file", name, task->id, task->media);
  if (options && options->check_audio && !options->check_audio (real, options->check_data, &local))
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                           "%s, task %s: %s", name, task->id,
                           local ? local->message : "the recording does not decode");
  return TRUE;
}

gboolean
al_format_check_media (AlStore         *store,
                       GPtrArray       *tasks,
                       const char      *root,
                       const char      *name,
                       AlImportOptions *options,
                       GError         **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (tasks != NULL && root != NULL, FALSE);

  for (guint i = 0; i < tasks->len; i++)
    {
      AlTask *task = tasks->pdata[i];

      if (task->kind == AL_TASK_KIND_VIDEO_BOXES && is_url (task->media) && task->fps <= 0)
        return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                               "%s, task %s: a video by URL needs \"fps\" (frames per second)",
                               name, task->id);
      if (is_url (task->media) ||
          (!g_hash_table_add (seen, task->media) && task->kind != AL_TASK_KIND_VIDEO_BOXES))
        continue;
      if (!check_one (store, task, root, name, options, error))
        return FALSE;
    }
  return TRUE;
}
