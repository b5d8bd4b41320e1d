/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-editor.h"

G_BEGIN_DECLS

#define AL_TYPE_VIDEO_BOX_EDITOR (al_video_box_editor_get_type ())
G_DECLARE_FINAL_TYPE (AlVideoBoxEditor, al_video_box_editor, AL, VIDEO_BOX_EDITOR, GtkWidget)

/* Follows objects through a video with boxes: steps through the frames
 * (decoded one at a time off the main loop), draws the boxes of the tracks
 * in sight with the box canvas, and turns every edit into a keyframe of
 * the selected track; between keyframes the boxes are interpolated. */
AlVideoBoxEditor  *al_video_box_editor_new          (void);

/* Named actions ("video.next-frame") with their default keys. */
const AlEditorKey *al_video_box_editor_default_keys (gsize *n_keys);

G_END_DECLS
