/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-video"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <math.h>
#include <string.h>

#include "al-video-frames.h"

G_DEFINE_QUARK (al-video-error-quark, al_video_error)

/* How long a file may take to show its first frame or a sought one. */
#define WAIT (10 * GST_SECOND)

struct _AlVideoFrames
{
  char *path;
  GstElement *pipeline;
  GstElement *sink;
  AlVideoInfo info;
};

void
al_video_frames_free (AlVideoFrames *self)
{
  if (self == NULL)
    return;
  if (self->pipeline)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_object (&self->sink);
  g_clear_object (&self->pipeline);
  g_free (self->path);
  g_free (self);
}

/* GStreamer's messages are for developers; say what is wrong with the
 * file, in the words used for a broken recording. */
static void
set_error (AlVideoFrames *self,
           const GError  *gerr,
           GError       **error)
{
  g_autofree char *name = g_path_get_basename (self->path);

  if (gerr == NULL)
    g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_NO_PICTURE,
                 _ ("The video %s holds no picture that can be shown."), name);
  else if (g_error_matches (gerr, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND) ||
           g_error_matches (gerr, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE))
    g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_UNREADABLE,
                 _ ("The video %s is not a video file that can be played."), name);
  else if (g_error_matches (gerr, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN))
    /* Only the picture is decoded: a recording without one ends here. */
    g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_NO_PICTURE,
                 _ ("The video %s has no picture this computer can show: it has no video track, "
                    "or one in a format this computer cannot play."), name);
  else if (g_error_matches (gerr, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_UNREADABLE,
                 _ ("The video %s is in a format that this computer cannot play."), name);
  else if (g_error_matches (gerr, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE) ||
           g_error_matches (gerr, GST_STREAM_ERROR, GST_STREAM_ERROR_DEMUX) ||
           g_error_matches (gerr, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT))
    g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_UNREADABLE,
                 _ ("The video %s is damaged or cut short."), name);
  else if (gerr->domain == GST_RESOURCE_ERROR)
    g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_UNREADABLE,
                 _ ("The video %s cannot be read."), name);
  else
    g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_UNREADABLE,
                 _ ("The video %s cannot be played (%s)."), name, gerr->message);
}

/* Waits for the pipeline to stand still on a frame; FALSE with the bus's
 * error (or "no picture") otherwise. */
static gboolean
settle (AlVideoFrames *self,
        GError       **error)
{
  GstStateChangeReturn ret = gst_element_get_state (self->pipeline, NULL, NULL, WAIT);
  g_autoptr (GstBus) bus = gst_element_get_bus (self->pipeline);
  /* A failed state change may come before the error that explains it. */
  g_autoptr (GstMessage) msg = gst_bus_timed_pop_filtered (
      bus, ret == GST_STATE_CHANGE_FAILURE ? GST_SECOND : 0, GST_MESSAGE_ERROR);

  if (msg)
    {
      g_autoptr (GError) gerr = NULL;
      gst_message_parse_error (msg, &gerr, NULL);
      set_error (self, gerr, error);
      return FALSE;
    }
  if (ret != GST_STATE_CHANGE_SUCCESS && ret != GST_STATE_CHANGE_NO_PREROLL)
    {
      set_error (self, NULL, error);
      return FALSE;
    }
  return TRUE;
}

AlVideoFrames *
al_video_frames_open (const char *path,
                      GError    **error)
{
  g_autoptr (AlVideoFrames) self = g_new0 (AlVideoFrames, 1);
  g_autoptr (GError) parse_error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *desc = NULL;
  g_autoptr (GstSample) sample = NULL;
  GstCaps *caps;
  GstStructure *s;
  gint64 duration = 0;
  int fps_n = 0, fps_d = 1;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *name = g_path_get_basename (path);
      g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_MISSING, _ ("The video %s is missing."),
                   name);
      return NULL;
    }
  gst_init (NULL, NULL);
  uri = gst_filename_to_uri (path, NULL);
  /* Sound is not decoded: only the picture is asked for. */
  desc = g_strdup_printf ("uridecodebin uri=\"%s\" caps=video/x-raw ! videoconvert ! "
                          "video/x-raw,format=RGBA ! appsink name=sink sync=false "
                          "max-buffers=1", uri);
  self->pipeline = gst_parse_launch (desc, &parse_error);
  if (self->pipeline == NULL)
    {
      g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_UNREADABLE, "%s", parse_error->message);
      return NULL;
    }
  g_object_ref_sink (self->pipeline);
  self->sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "sink");
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  if (!settle (self, error))
    return NULL;
  sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (self->sink), WAIT);
  if (sample == NULL || (caps = gst_sample_get_caps (sample)) == NULL)
    {
      set_error (self, NULL, error);
      return NULL;
    }
  s = gst_caps_get_structure (caps, 0);
  gst_structure_get_int (s, "width", &self->info.width);
  gst_structure_get_int (s, "height", &self->info.height);
  gst_structure_get_fraction (s, "framerate", &fps_n, &fps_d);
  if (self->info.width <= 0 || self->info.height <= 0)
    {
      set_error (self, NULL, error);
      return NULL;
    }
  if ((gint64) self->info.width * self->info.height > AL_VIDEO_MAX_PIXELS)
    {
      g_autofree char *name = g_path_get_basename (path);
      g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_TOO_LARGE,
                   _ ("The video %s is too large (%d × %d pixels; at most 4096 × 2160)."), name,
                   self->info.width, self->info.height);
      return NULL;
    }
  /* A still picture has no rate: show it as one frame a second. */
  self->info.fps = fps_n > 0 && fps_d > 0 ? (double) fps_n / fps_d : 1.0;
  if (gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
    self->info.duration = (double) duration / GST_SECOND;
  return g_steal_pointer (&self);
}

const AlVideoInfo *
al_video_frames_info (AlVideoFrames *self)
{
  return &self->info;
}

/* The first frame came, a later one does not. */
static void
cut_short (AlVideoFrames *self,
           guint          frame,
           GError       **error)
{
  g_autofree char *name = g_path_get_basename (self->path);

  g_clear_error (error);
  g_set_error (error, AL_VIDEO_ERROR, AL_VIDEO_ERROR_UNREADABLE,
               _ ("The video %s is damaged or cut short: frame %u cannot be shown."), name,
               frame + 1);
}

GBytes *
al_video_frames_get (AlVideoFrames *self,
                     guint          frame,
                     GError       **error)
{
  g_autoptr (GstSample) sample = NULL;
  GstBuffer *buffer;
  GstMapInfo map;
  GstVideoInfo vinfo;
  GBytes *bytes;
  /* A quarter frame in: the sought time lands inside the frame however
   * its timestamp was rounded. */
  gint64 at = (gint64) ((frame + 0.25) / self->info.fps * GST_SECOND);

  if (!gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME,
                                GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, at) ||
      !settle (self, error))
    {
      if (error && *error == NULL)
        cut_short (self, frame, error);
      return NULL;
    }
  sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (self->sink), WAIT);
  if (sample == NULL || (buffer = gst_sample_get_buffer (sample)) == NULL ||
      !gst_video_info_from_caps (&vinfo, gst_sample_get_caps (sample)))
    {
      cut_short (self, frame, error);
      return NULL;
    }
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      set_error (self, NULL, error);
      return NULL;
    }
  /* Rows without the padding GStreamer may add. */
  {
    gsize row = (gsize) self->info.width * 4;
    guint8 *out = g_malloc (row * self->info.height);
    for (int y = 0; y < self->info.height; y++)
      memcpy (out + row * y, map.data + (gsize) GST_VIDEO_INFO_PLANE_STRIDE (&vinfo, 0) * y, row);
    bytes = g_bytes_new_take (out, row * self->info.height);
  }
  gst_buffer_unmap (buffer, &map);
  return bytes;
}

gboolean
al_video_probe (const char  *path,
                AlVideoInfo *info,
                GError     **error)
{
  g_autoptr (AlVideoFrames) frames = al_video_frames_open (path, error);
  g_autoptr (GBytes) last = NULL;

  if (frames == NULL)
    return FALSE;
  /* A file cut short still shows its first frame: its last must come too. */
  if (frames->info.duration > 0)
    {
      double n = floor (frames->info.duration * frames->info.fps + 0.5);
      if (n >= 2 && (last = al_video_frames_get (frames, (guint) n - 1, error)) == NULL)
        return FALSE;
    }
  if (info)
    *info = frames->info;
  return TRUE;
}
