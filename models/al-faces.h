/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-asr.h"

G_BEGIN_DECLS

/* The face label of a box or video-boxes task (gezicht, gezichten, face,
 * faces, in any case), as the task spells it, or NULL. */
const char *al_faces_label   (const AlTask *task);
/* Faces in the task's photo with OpenCV's frontal and profile Haar
 * cascades (through GStreamer's facedetect): {"model", "version",
 * "boxes": [{"label", "x", "y", "w", "h", "confidence"}]} in pixels; on
 * a video-boxes task the faces of every half second of its span, linked
 * into tracks: {"model", "version", "tracks": [{"label", "confidence",
 * "keyframes": [{"t", "x", "y", "w", "h", "outside"}]}]}. */
json_t     *al_faces_propose (const AlTask *task,
                              GError      **error);

G_END_DECLS
