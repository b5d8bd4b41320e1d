/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-a11y"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/audio/gstaudiobasesink.h>
#include <string.h>

#include "al-speech.h"
#include "al-speech-output.h"

/* The memory sink keeps at most this much audio (two minutes). */
#define MEMORY_CAP_BYTES (AL_SPEECH_OUTPUT_RATE * 2 * 120)

/* pulsesink: ring buffer and the part written at a time (microseconds). */
#define PULSE_BUFFER_US 10000
#define PULSE_LATENCY_US 2500

#define SPEECH_CAPS "audio/x-raw,format=S16LE,layout=interleaved,rate=22050,channels=1"

struct _AlSpeechOutput
{
  GstElement *pipeline;
  GstElement *src;
  GstElement *volume;
  GstElement *sink;
  gboolean live;

  /* The device sink inside autoaudiosink, once it is there. */
  GstElement *device;
  /* End of the audio pushed, and of what reached the sink's pad (ns). */
  gint64 pushed_end;
  gint64 reached_end;
  GMutex mark_mutex;

  GMutex memory_mutex;
  GByteArray *memory;
};

static GstFlowReturn
memory_new_sample (GstAppSink *appsink,
                   gpointer    data)
{
  AlSpeechOutput *output = data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (appsink);
  GstBuffer *buffer = sample ? gst_sample_get_buffer (sample) : NULL;
  GstMapInfo map;

  if (buffer && gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_mutex_lock (&output->memory_mutex);
      if (output->memory->len + map.size <= MEMORY_CAP_BYTES)
        g_byte_array_append (output->memory, map.data, map.size);
      g_mutex_unlock (&output->memory_mutex);
      gst_buffer_unmap (buffer, &map);
    }
  return GST_FLOW_OK;
}

/* Small device buffers keep the time from a key press to sound short
 * (bench/speech-pulse.py measures it at the sound server). Through
 * PulseAudio the stream says it is speech (media.role a11y), so the sound
 * server can keep it apart from the task audio. */
static void
tune_audio_sink (GstBin     *bin,
                 GstBin     *sub_bin,
                 GstElement *element,
                 gpointer    data)
{
  AlSpeechOutput *output = data;
  GstElementFactory *factory = gst_element_get_factory (element);
  gboolean pulse = factory && g_str_equal (GST_OBJECT_NAME (factory), "pulsesink");
  g_autoptr (GstStructure) props = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "buffer-time") &&
      g_object_class_find_property (G_OBJECT_GET_CLASS (element), "latency-time"))
    g_object_set (element, "buffer-time", (gint64) (pulse ? PULSE_BUFFER_US : 40000),
                  "latency-time", (gint64) (pulse ? PULSE_LATENCY_US : 5000), NULL);
  if (pulse)
    {
      /* In sync, pulsesink dropped whole utterances as late (all but 1 of
       * 40 presses in bench/speech-pulse.py): the speech thread already
       * paces the audio by the clock, so the sink plays what it gets. */
      g_object_set (element, "sync", FALSE, NULL);
      props = gst_structure_new ("props", "media.role", G_TYPE_STRING, "a11y", NULL);
      g_object_set (element, "stream-properties", props, NULL);
    }
  if (GST_IS_AUDIO_BASE_SINK (element))
    {
      g_mutex_lock (&output->mark_mutex);
      g_set_object (&output->device, element);
      g_mutex_unlock (&output->mark_mutex);
    }
}

/* autoaudiosink drops its device when it goes back to NULL. */
static void
forget_audio_sink (GstBin     *bin,
                   GstBin     *sub_bin,
                   GstElement *element,
                   gpointer    data)
{
  AlSpeechOutput *output = data;

  g_mutex_lock (&output->mark_mutex);
  if (output->device == element)
    g_clear_object (&output->device);
  g_mutex_unlock (&output->mark_mutex);
}

static gboolean
is_fake_auto_sink (GstElement *autosink)
{
  g_autoptr (GstIterator) it = gst_bin_iterate_recurse (GST_BIN (autosink));
  GValue item = G_VALUE_INIT;
  gboolean fake = FALSE;
  gboolean found = FALSE;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *child = g_value_get_object (&item);
      GstElementFactory *factory = gst_element_get_factory (child);

      found = TRUE;
      if (factory && g_str_equal (GST_OBJECT_NAME (factory), "fakesink"))
        fake = TRUE;
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return fake || !found;
}

static GstElement *
make_fakesink (void)
{
  GstElement *sink = gst_element_factory_make ("fakesink", "speech-sink");

  g_object_set (sink, "sync", TRUE, "async", FALSE, NULL);
  return sink;
}

static GstElement *
make_sink (AlSpeechOutput  *output,
           const char      *spec,
           char           **notice,
           GError         **error)
{
  GstElement *sink = NULL;

  if (g_str_equal (spec, "none"))
    return make_fakesink ();

  if (g_str_equal (spec, "memory"))
    {
      GstAppSinkCallbacks callbacks = { .new_sample = memory_new_sample };
      g_autoptr (GstCaps) caps = gst_caps_from_string (SPEECH_CAPS);

      sink = gst_element_factory_make ("appsink", "speech-sink");
      g_object_set (sink, "sync", TRUE, "async", FALSE, "caps", caps, NULL);
      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, output, NULL);
      output->memory = g_byte_array_new ();
      return sink;
    }

  if (g_str_has_prefix (spec, "file:"))
    {
      const char *path = spec + 5;
      GstElement *bin, *wavenc, *filesink;
      GstPad *pad;

      if (*path == '\0')
        {
          g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_SINK,
                       "Speech sink \"%s\" names no file", spec);
          return NULL;
        }
      bin = gst_bin_new ("speech-sink");
      wavenc = gst_element_factory_make ("wavenc", NULL);
      filesink = gst_element_factory_make ("filesink", NULL);
      if (wavenc == NULL || filesink == NULL)
        {
          g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_SINK,
                       "GStreamer elements wavenc and filesink are missing");
          gst_clear_object (&wavenc);
          gst_clear_object (&filesink);
          gst_object_unref (bin);
          return NULL;
        }
      g_object_set (filesink, "location", path, NULL);
      gst_bin_add_many (GST_BIN (bin), wavenc, filesink, NULL);
      gst_element_link (wavenc, filesink);
      pad = gst_element_get_static_pad (wavenc, "sink");
      gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));
      gst_object_unref (pad);
      return bin;
    }

  if (g_str_equal (spec, "auto"))
    {
      sink = gst_element_factory_make ("autoaudiosink", "speech-sink");
      if (sink != NULL)
        {
          g_signal_connect (sink, "deep-element-added", G_CALLBACK (tune_audio_sink), output);
          g_signal_connect (sink, "deep-element-removed", G_CALLBACK (forget_audio_sink), output);
          /* autoaudiosink picks its device when it goes to READY. */
          if (gst_element_set_state (sink, GST_STATE_READY) != GST_STATE_CHANGE_FAILURE &&
              !is_fake_auto_sink (sink))
            {
              gst_element_set_state (sink, GST_STATE_NULL);
              return sink;
            }
          gst_element_set_state (sink, GST_STATE_NULL);
          gst_object_unref (sink);
        }
      *notice = g_strdup (_("No audio output device was found: speech is logged but cannot be heard."));
      return make_fakesink ();
    }

  g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_SINK,
               "Unknown speech sink \"%s\" (use auto, none, memory, file:PATH or speechd)", spec);
  return NULL;
}

static GstPadProbeReturn
sink_reached (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         data)
{
  AlSpeechOutput *output = data;
  GstBuffer *buffer = gst_pad_probe_info_get_buffer (info);

  if (buffer && GST_BUFFER_PTS_IS_VALID (buffer) && GST_BUFFER_DURATION_IS_VALID (buffer))
    {
      g_mutex_lock (&output->mark_mutex);
      output->reached_end = (gint64) (GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer));
      g_mutex_unlock (&output->mark_mutex);
    }
  return GST_PAD_PROBE_OK;
}

AlSpeechOutput *
al_speech_output_new (const char  *spec,
                      char       **notice,
                      GError     **error)
{
  g_autoptr (AlSpeechOutput) output = g_new0 (AlSpeechOutput, 1);
  g_autoptr (GstCaps) caps = NULL;
  GstElement *convert, *resample;

  g_return_val_if_fail (spec != NULL, NULL);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  g_mutex_init (&output->memory_mutex);
  g_mutex_init (&output->mark_mutex);
  *notice = NULL;

  output->pipeline = gst_pipeline_new ("speech");
  output->sink = make_sink (output, spec, notice, error);
  if (output->sink == NULL)
    return NULL;
  output->live = !g_str_has_prefix (spec, "file:");

  output->src = gst_element_factory_make ("appsrc", "speech-src");
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  output->volume = gst_element_factory_make ("volume", NULL);
  if (!output->src || !convert || !resample || !output->volume)
    {
      g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_SINK,
                   "GStreamer base plugins (appsrc, audioconvert, audioresample, volume) are missing");
      gst_clear_object (&convert);
      gst_clear_object (&resample);
      gst_object_unref (output->sink);
      output->sink = NULL;
      return NULL;
    }

  caps = gst_caps_from_string (SPEECH_CAPS);
  g_object_set (output->src,
                "caps", caps,
                "format", GST_FORMAT_TIME,
                "is-live", output->live,
                "block", FALSE,
                "max-bytes", (guint64) AL_SPEECH_OUTPUT_RATE * 2 * 600,
                NULL);
  gst_bin_add_many (GST_BIN (output->pipeline), output->src, convert, resample,
                    output->volume, output->sink, NULL);
  if (!gst_element_link_many (output->src, convert, resample, output->volume, output->sink, NULL))
    {
      g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_SINK,
                   "Cannot link the speech pipeline to sink \"%s\"", spec);
      return NULL;
    }
  {
    g_autoptr (GstPad) pad = gst_element_get_static_pad (output->sink, "sink");

    if (pad)
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, sink_reached, output, NULL);
  }
  if (gst_element_set_state (output->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_SINK,
                   "Cannot start the speech pipeline with sink \"%s\"", spec);
      return NULL;
    }
  return g_steal_pointer (&output);
}

void
al_speech_output_free (AlSpeechOutput *output)
{
  if (output == NULL)
    return;
  if (output->pipeline)
    {
      gst_element_set_state (output->pipeline, GST_STATE_NULL);
      gst_object_unref (output->pipeline);
    }
  g_clear_object (&output->device);
  if (output->memory)
    g_byte_array_unref (output->memory);
  g_mutex_clear (&output->memory_mutex);
  g_mutex_clear (&output->mark_mutex);
  g_free (output);
}

gboolean
al_speech_output_is_live (AlSpeechOutput *output)
{
  return output->live;
}

/* The running time of the pipeline, or 0 before it has a clock. */
GstClockTime
al_speech_output_now (AlSpeechOutput *output)
{
  g_autoptr (GstClock) clock = gst_element_get_clock (output->pipeline);
  GstClockTime now, base;

  if (clock == NULL)
    return 0;
  now = gst_clock_get_time (clock);
  base = gst_element_get_base_time (output->pipeline);
  return now > base ? now - base : 0;
}

void
al_speech_output_push (AlSpeechOutput *output,
                       const gint16   *samples,
                       gsize           n_samples,
                       GstClockTime    pts)
{
  GstBuffer *buffer = gst_buffer_new_memdup (samples, n_samples * sizeof (gint16));

  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (n_samples, GST_SECOND,
                                                        AL_SPEECH_OUTPUT_RATE);
  g_mutex_lock (&output->mark_mutex);
  output->pushed_end = (gint64) (pts + GST_BUFFER_DURATION (buffer));
  g_mutex_unlock (&output->mark_mutex);
  gst_app_src_push_buffer (GST_APP_SRC (output->src), buffer);
}

/* A sound device or server, not a file, memory or nothing. */
gboolean
al_speech_output_has_device (AlSpeechOutput *output)
{
  gboolean has;

  g_mutex_lock (&output->mark_mutex);
  has = output->device != NULL;
  g_mutex_unlock (&output->mark_mutex);
  return has;
}

/* How much of the audio pushed is not heard yet: still on its way to the
 * sink, or in the device's and sound server's buffers. pulsesink plays
 * what it gets, so on a busy machine this can be more than a tenth of a
 * second after the clock has passed the last sample's time. */
GstClockTime
al_speech_output_unheard (AlSpeechOutput *output)
{
  g_autoptr (GstAudioBaseSink) device = NULL;
  GstClockTime left = 0;
  gint64 pending;

  g_mutex_lock (&output->mark_mutex);
  pending = output->pushed_end - output->reached_end;
  if (output->device)
    device = g_object_ref (GST_AUDIO_BASE_SINK (output->device));
  g_mutex_unlock (&output->mark_mutex);
  /* A millisecond of rounding between the two ends is no audio. */
  if (pending > (gint64) GST_MSECOND)
    left += (GstClockTime) pending;
  if (device && device->ringbuffer && gst_audio_ring_buffer_is_acquired (device->ringbuffer))
    {
      guint rate = GST_AUDIO_INFO_RATE (&device->ringbuffer->spec.info);

      if (rate > 0)
        left += gst_util_uint64_scale (gst_audio_ring_buffer_delay (device->ringbuffer),
                                       GST_SECOND, rate);
    }
  return left;
}

/* Drops the audio queued in appsrc and everything downstream; the sink
 * stops at once. Running time keeps going (no reset), so timestamps of
 * later utterances stay valid. */
void
al_speech_output_flush (AlSpeechOutput *output)
{
  gst_element_send_event (output->src, gst_event_new_flush_start ());
  gst_element_send_event (output->src, gst_event_new_flush_stop (FALSE));
  g_mutex_lock (&output->mark_mutex);
  output->reached_end = output->pushed_end;
  g_mutex_unlock (&output->mark_mutex);
}

void
al_speech_output_set_volume (AlSpeechOutput *output,
                             double          volume)
{
  g_object_set (output->volume, "volume", volume, NULL);
}

GstPad *
al_speech_output_get_sink_pad (AlSpeechOutput *output)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (output->sink, "sink");

  /* The sink element owns the pad for as long as the output lives. */
  return pad;
}

GBytes *
al_speech_output_dup_samples (AlSpeechOutput *output)
{
  GBytes *bytes;

  if (output->memory == NULL)
    return g_bytes_new (NULL, 0);
  g_mutex_lock (&output->memory_mutex);
  bytes = g_bytes_new (output->memory->data, output->memory->len);
  g_mutex_unlock (&output->memory_mutex);
  return bytes;
}

/* Ends the stream so that a WAV file gets its final header. */
void
al_speech_output_finish (AlSpeechOutput *output)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (output->pipeline);
  g_autoptr (GstMessage) msg = NULL;

  gst_app_src_end_of_stream (GST_APP_SRC (output->src));
  msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
}
