/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-annotate"

#include "config.h"

#include <gst/app/gstappsink.h>

#include "al-frame-sink.h"

/* Shared by the editor and the streaming thread's frames: only the main
 * loop reads and clears the picture, so a frame that comes after the
 * editor is gone finds NULL. */
struct _AlFrameSink
{
  GtkPicture *picture;
  gboolean active;
};

typedef struct
{
  AlFrameSink *target;
  GBytes *pixels;
  int width, height;
} Frame;

static void
frame_free (gpointer data)
{
  Frame *frame = data;

  g_rc_box_release (frame->target);
  g_bytes_unref (frame->pixels);
  g_free (frame);
}

static gboolean
show_frame (gpointer data)
{
  Frame *frame = data;
  g_autoptr (GdkTexture) texture = NULL;

  if (frame->target->picture == NULL || !frame->target->active)
    return G_SOURCE_REMOVE;
  texture = gdk_memory_texture_new (frame->width, frame->height, GDK_MEMORY_R8G8B8A8,
                                    frame->pixels, (gsize) frame->width * 4);
  gtk_picture_set_paintable (frame->target->picture, GDK_PAINTABLE (texture));
  return G_SOURCE_REMOVE;
}

static GstFlowReturn
take_sample (GstSample   *sample,
             AlFrameSink *target)
{
  GstBuffer *buffer = sample ? gst_sample_get_buffer (sample) : NULL;
  GstStructure *caps = sample ? gst_caps_get_structure (gst_sample_get_caps (sample), 0) : NULL;
  GstMapInfo map;
  Frame *frame;
  int width = 0, height = 0;

  if (buffer == NULL || caps == NULL || !gst_structure_get_int (caps, "width", &width) ||
      !gst_structure_get_int (caps, "height", &height) || width <= 0 || height <= 0)
    return GST_FLOW_OK;
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_OK;
  if (map.size >= (gsize) width * height * 4)
    {
      frame = g_new0 (Frame, 1);
      frame->target = g_rc_box_acquire (target);
      frame->pixels = g_bytes_new (map.data, (gsize) width * height * 4);
      frame->width = width;
      frame->height = height;
      g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, show_frame, frame, frame_free);
    }
  gst_buffer_unmap (buffer, &map);
  return GST_FLOW_OK;
}

static GstFlowReturn
new_sample (GstAppSink *sink,
            gpointer    data)
{
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  return take_sample (sample, data);
}

static GstFlowReturn
new_preroll (GstAppSink *sink,
             gpointer    data)
{
  g_autoptr (GstSample) sample = gst_app_sink_pull_preroll (sink);
  return take_sample (sample, data);
}

AlFrameSink *
al_frame_sink_new (GtkPicture *picture)
{
  AlFrameSink *frames = g_rc_box_new0 (AlFrameSink);

  frames->picture = picture;
  return frames;
}

/* RGBA pictures, square pixels, in time with the sound. */
GstElement *
al_frame_sink_make (AlFrameSink *frames)
{
  static GstAppSinkCallbacks callbacks = { .new_preroll = new_preroll, .new_sample = new_sample };
  g_autoptr (GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (
    "videoconvert ! videoscale ! video/x-raw,format=RGBA,pixel-aspect-ratio=1/1 ! "
    "appsink name=frames sync=true max-buffers=2 drop=true", TRUE, &error);
  GstElement *sink;

  if (bin == NULL)
    {
      g_warning ("no video output: %s", error->message);
      return NULL;
    }
  sink = gst_bin_get_by_name (GST_BIN (bin), "frames");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, g_rc_box_acquire (frames),
                              (GDestroyNotify) g_rc_box_release);
  gst_object_unref (sink);
  return bin;
}

void
al_frame_sink_set_active (AlFrameSink *frames,
                          gboolean     active)
{
  frames->active = active;
}

void
al_frame_sink_release (AlFrameSink *frames)
{
  if (frames == NULL)
    return;
  frames->picture = NULL;
  g_rc_box_release (frames);
}
