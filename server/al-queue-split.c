/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-queue"

#include "config.h"

#include "al-audio-decode.h"
#include "al-queue-split.h"
#include "al-segmenter.h"
#include "al-video-frames.h"

/* Energy needs no more than telephone bandwidth, and 8 kHz keeps a long
 * recording small in memory. */
#define SPLIT_RATE 8000

GArray *
al_queue_split_recording (const char *path,
                          double     *duration,
                          gpointer    user_data,
                          GError    **error)
{
  g_autoptr (GArray) samples = al_audio_decode (path, 0, 0, SPLIT_RATE, error);
  g_autoptr (GArray) segments = NULL;
  AlSegmenterOptions options;
  GArray *pieces;

  if (samples == NULL)
    return NULL;
  *duration = (double) samples->len / SPLIT_RATE;
  pieces = g_array_new (FALSE, FALSE, sizeof (AlAudioPiece));
  al_segmenter_options_init (&options);
  if (*duration <= options.max_s)
    return pieces;
  segments = al_segment_samples ((const float *) (void *) samples->data, samples->len, SPLIT_RATE,
                                 &options, NULL);
  for (guint i = 0; i < segments->len; i++)
    {
      const AlSegment *s = &g_array_index (segments, AlSegment, i);
      AlAudioPiece piece = { s->start, s->end };
      g_array_append_val (pieces, piece);
    }
  return pieces;
}

gboolean
al_queue_check_recording (const char *path,
                          gpointer    user_data,
                          GError    **error)
{
  /* The first half second through the workstation's own decoder shows the
   * file is a recording it can play. */
  g_autoptr (GArray) samples = al_audio_decode (path, 0, 0.5, SPLIT_RATE, error);
  return samples != NULL;
}

gboolean
al_queue_check_video (const char       *path,
                      gpointer          user_data,
                      AlVideoCheckInfo *info,
                      GError          **error)
{
  /* The first frame through the workstation's own decoder. */
  AlVideoInfo v;

  if (!al_video_probe (path, &v, error))
    return FALSE;
  info->fps = v.fps;
  info->duration = v.duration;
  info->width = v.width;
  info->height = v.height;
  return TRUE;
}
