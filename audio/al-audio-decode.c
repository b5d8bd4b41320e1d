/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-audio"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include "al-audio-decode.h"

G_DEFINE_QUARK (al-audio-error-quark, al_audio_error)

GArray *
al_audio_decode (const char *path,
                 double      start,
                 double      end,
                 int         rate,
                 GError    **error)
{
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstElement) sink = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GError) parse_error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *desc = NULL;
  GArray *samples;
  gsize max = (gsize) rate * AL_AUDIO_MAX_SECONDS;
  gsize skip = (gsize) (start * rate);
  gsize stop = end > 0 ? (gsize) (end * rate) : G_MAXSIZE;
  gsize at = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_MISSING, _("The recording %s is missing."),
                   path);
      return NULL;
    }
  gst_init (NULL, NULL);
  uri = gst_filename_to_uri (path, NULL);
  desc = g_strdup_printf ("uridecodebin uri=\"%s\" ! audioconvert ! audioresample ! "
                          "audio/x-raw,format=F32LE,channels=1,rate=%d ! "
                          "appsink name=sink sync=false", uri, rate);
  pipeline = gst_parse_launch (desc, &parse_error);
  if (pipeline == NULL)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_UNREADABLE, "%s", parse_error->message);
      return NULL;
    }
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  samples = g_array_new (FALSE, FALSE, sizeof (float));
  bus = gst_element_get_bus (pipeline);
  for (;;)
    {
      g_autoptr (GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
                                                                   100 * GST_MSECOND);
      GstBuffer *buffer;
      GstMapInfo map;

      /* A damaged file never reaches the sink's end: watch the bus. */
      if (sample == NULL)
        {
          g_autoptr (GstMessage) msg = NULL;
          if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
            break;
          msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
          if (msg)
            {
              g_autoptr (GError) gerr = NULL;
              gst_message_parse_error (msg, &gerr, NULL);
              gst_element_set_state (pipeline, GST_STATE_NULL);
              g_array_unref (samples);
              g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_UNREADABLE,
                           _("The recording %s cannot be played: %s"), path, gerr->message);
              return NULL;
            }
          continue;
        }
      buffer = gst_sample_get_buffer (sample);
      if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
        continue;
      for (gsize i = 0; i < map.size / sizeof (float); i++, at++)
        if (at >= skip && at < stop)
          g_array_append_val (samples, ((float *) (void *) map.data)[i]);
      gst_buffer_unmap (buffer, &map);
      if (samples->len > max)
        {
          gst_element_set_state (pipeline, GST_STATE_NULL);
          g_array_unref (samples);
          g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_TOO_LONG,
                       _("The recording %s is longer than 4 hours; cut it up first."), path);
          return NULL;
        }
      if (at >= stop)
        break;
    }

  /* An error on the bus (not audio, damaged) is the real reason for an
   * empty result. */
  {
    g_autoptr (GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    if (msg)
      {
        g_autoptr (GError) gerr = NULL;
        gst_message_parse_error (msg, &gerr, NULL);
        g_array_unref (samples);
        g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_UNREADABLE,
                     _("The recording %s cannot be played: %s"), path, gerr->message);
        return NULL;
      }
  }
  if (samples->len == 0)
    {
      g_array_unref (samples);
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_EMPTY,
                   _("The recording %s holds no sound in this segment."), path);
      return NULL;
    }
  return samples;
}

GArray *
al_audio_peaks (const float *samples,
                gsize        n_samples,
                guint        n_buckets)
{
  GArray *peaks = g_array_sized_new (FALSE, TRUE, sizeof (float), 2 * n_buckets);

  g_array_set_size (peaks, 2 * n_buckets);
  for (guint b = 0; b < n_buckets && n_samples > 0; b++)
    {
      gsize from = (gsize) ((double) b / n_buckets * n_samples);
      gsize to = MAX (from + 1, (gsize) ((double) (b + 1) / n_buckets * n_samples));
      float lo = 0, hi = 0;
      for (gsize i = from; i < to && i < n_samples; i++)
        {
          lo = MIN (lo, samples[i]);
          hi = MAX (hi, samples[i]);
        }
      g_array_index (peaks, float, 2 * b) = lo;
      g_array_index (peaks, float, 2 * b + 1) = hi;
    }
  return peaks;
}
