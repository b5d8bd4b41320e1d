/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AL_VIDEO_ERROR (al_video_error_quark ())
GQuark al_video_error_quark (void);

typedef enum
{
  AL_VIDEO_ERROR_MISSING,
  AL_VIDEO_ERROR_UNREADABLE,
  AL_VIDEO_ERROR_NO_PICTURE,
  AL_VIDEO_ERROR_TOO_LARGE,
} AlVideoError;

/* The largest picture the workstation decodes, in pixels. */
#define AL_VIDEO_MAX_PIXELS (4096 * 2160)

typedef struct
{
  int width;
  int height;
  double fps;      /* frames per second */
  double duration; /* seconds, 0 if the file does not say */
} AlVideoInfo;

/* Single frames of a video, decoded on request: a paused GStreamer
 * pipeline into an appsink, moved with accurate seeks, so the frame shown
 * is the frame asked for. Every call blocks: use it from one worker thread
 * at a time. Messages are for the participant. */
typedef struct _AlVideoFrames AlVideoFrames;

AlVideoFrames     *al_video_frames_open  (const char     *path,
                                          GError        **error);
void               al_video_frames_free  (AlVideoFrames  *self);
const AlVideoInfo *al_video_frames_info  (AlVideoFrames  *self);
/* RGBA pixels (width × 4 bytes a row) of frame @frame (from 0). */
GBytes            *al_video_frames_get   (AlVideoFrames  *self,
                                          guint           frame,
                                          GError        **error);
/* Opens @path to see that it decodes, its first frame and its last, and
 * tells its size and rate. */
gboolean           al_video_probe        (const char     *path,
                                          AlVideoInfo    *info,
                                          GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlVideoFrames, al_video_frames_free)

G_END_DECLS
