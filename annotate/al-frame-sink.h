/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A video's pictures, from the player's streaming thread onto a GtkPicture
 * on the main loop, in time with the sound. */
typedef struct _AlFrameSink AlFrameSink;

AlFrameSink *al_frame_sink_new        (GtkPicture  *picture);
/* The player's video sink: RGBA pictures into this target. NULL (with a
 * warning) when GStreamer lacks the elements. */
GstElement  *al_frame_sink_make       (AlFrameSink *frames);
/* Pictures are shown only while the task is a video. */
void         al_frame_sink_set_active (AlFrameSink *frames,
                                       gboolean     active);
/* The picture is gone (its editor is disposed): later frames are dropped. */
void         al_frame_sink_release    (AlFrameSink *frames);

G_END_DECLS
