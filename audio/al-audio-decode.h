/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AL_AUDIO_ERROR (al_audio_error_quark ())
GQuark al_audio_error_quark (void);

typedef enum
{
  AL_AUDIO_ERROR_MISSING,
  AL_AUDIO_ERROR_UNREADABLE,
  AL_AUDIO_ERROR_TOO_LONG,
  AL_AUDIO_ERROR_EMPTY,
} AlAudioError;

#define AL_AUDIO_MAX_SECONDS (4 * 3600)

/* Decodes [start, end) seconds of a file (end 0: to the end) to mono float
 * samples at @rate. Blocking: call it from a worker thread. */
GArray *al_audio_decode (const char *path,
                         double      start,
                         double      end,
                         int         rate,
                         GError    **error);

/* Minimum and maximum per bucket, 2 × n_buckets floats, for a waveform. */
GArray *al_audio_peaks  (const float *samples,
                         gsize        n_samples,
                         guint        n_buckets);

G_END_DECLS
