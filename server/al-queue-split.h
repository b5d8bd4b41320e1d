/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-formats.h"

G_BEGIN_DECLS

/* An AlSplitFunc: decodes a recording with GStreamer and cuts recordings
 * longer than 8 seconds into 2-8 second pieces at pauses. */
GArray *al_queue_split_recording (const char *path,
                                  double     *duration,
                                  gpointer    user_data,
                                  GError    **error);

/* An AlMediaCheckFunc: whether the recording decodes. */
gboolean al_queue_check_recording (const char *path,
                                   gpointer    user_data,
                                   GError    **error);

/* An AlVideoCheckFunc: whether the video decodes, its rate and size. */
gboolean al_queue_check_video     (const char       *path,
                                   gpointer          user_data,
                                   AlVideoCheckInfo *info,
                                   GError          **error);

G_END_DECLS
