/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-player"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <math.h>

#include "al-player.h"

#define POSITION_INTERVAL_MS 50

/* pulsesink: ring buffer and the part written at a time (microseconds). */
#define PULSE_BUFFER_US 50000
#define PULSE_LATENCY_US 10000
/* A breath between the last word and the recording. Speech says it is done
 * only once its last sample was heard (al_speech_output_unheard). */
#define RESUME_AFTER_SPEECH_MS 40

struct _AlPlayer
{
  GObject parent_instance;

  GstElement *playbin;
  guint bus_watch;
  guint position_source;
  char *sink_name;
  gboolean silent_notice;

  char *path;
  double start;          /* seconds in the file */
  double end;            /* seconds in the file; 0: to the end */
  double duration;       /* of the segment */
  double rate;
  double rewind;
  double volume;
  gboolean loop;
  gboolean ready;
  gboolean playing;
  gboolean at_end;
  int holds;
  gboolean resume_after_hold;
  guint resume_source;   /* the recording goes on once the speech has been heard */
  double paused_at;      /* segment seconds, for the rewind on resume */
  gboolean rewind_due;   /* paused while playing: resume a little earlier */
  double pending_seek;   /* segment seconds to go to once ready; <0 none */
  double seeking_to;     /* segment seconds of the last flushing seek */
  int seek_unsettled;    /* atomic: no buffer from there has reached the sink yet */
  double file_length;    /* seconds of the whole recording */
  gboolean context;      /* playing what lies just before or after the segment */
  int sample_armed;      /* atomic: the next buffer at the sink is the first heard */
  gint64 sample_us;      /* monotonic time it arrived, for the main context */
};

G_DEFINE_FINAL_TYPE (AlPlayer, al_player, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_RATE,
  PROP_DURATION,
  N_PROPS
};

enum
{
  READY,
  FINISHED,
  ERROR,
  NOTICE,
  FIRST_SAMPLE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static double
clamp_pos (AlPlayer *self,
           double    pos)
{
  double max = self->duration > 0 ? self->duration : G_MAXDOUBLE;
  return CLAMP (pos, 0, max);
}

/* Every seek carries the rate: a plain seek would reset it to 1.0. */
static void
do_seek (AlPlayer *self,
         double    pos)
{
  gint64 from = (gint64) ((self->start + clamp_pos (self, pos)) * GST_SECOND);
  gint64 to = self->end > 0 ? (gint64) (self->end * GST_SECOND) : -1;

  if (!self->ready)
    {
      self->pending_seek = pos;
      return;
    }
  self->at_end = FALSE;
  self->context = FALSE;
  /* Until the sink has its first buffer from there, a position query
   * answers from before the flush (or not at all): a pause right after a
   * speed change (speech holds the recording) must keep this place. */
  self->seeking_to = clamp_pos (self, pos);
  gst_element_seek (self->playbin, self->rate, GST_FORMAT_TIME,
                    GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET, from,
                    to >= 0 ? GST_SEEK_TYPE_SET : GST_SEEK_TYPE_NONE, to);
  /* The flush is over when the seek returns: the next buffer is from there. */
  g_atomic_int_set (&self->seek_unsettled, 1);
}

double
al_player_get_position (AlPlayer *self)
{
  gint64 pos = 0;

  g_return_val_if_fail (AL_IS_PLAYER (self), 0);
  if (!self->ready)
    return 0;
  if (self->at_end)
    return self->duration;
  if (self->context)
    return self->paused_at;
  if (g_atomic_int_get (&self->seek_unsettled))
    return self->seeking_to;
  /* Paused, the place is the one kept: a sink that plays what it gets
   * (pulsesink here) does not follow the position of its buffers. */
  if (!self->playing)
    return self->paused_at;
  if (!gst_element_query_position (self->playbin, GST_FORMAT_TIME, &pos))
    return self->paused_at;
  return clamp_pos (self, (double) pos / GST_SECOND - self->start);
}

static gboolean
position_tick (gpointer data)
{
  AlPlayer *self = data;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  return G_SOURCE_CONTINUE;
}

static void
set_playing (AlPlayer *self,
             gboolean  playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  if (playing && self->position_source == 0)
    self->position_source = g_timeout_add (POSITION_INTERVAL_MS, position_tick, self);
  else if (!playing)
    g_clear_handle_id (&self->position_source, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
fail (AlPlayer   *self,
      const char *message)
{
  gst_element_set_state (self->playbin, GST_STATE_NULL);
  self->ready = FALSE;
  set_playing (self, FALSE);
  g_signal_emit (self, signals[ERROR], 0, message);
}

/* GStreamer's messages are for developers; say what is wrong with the file. */
static char *
describe_error (AlPlayer     *self,
                const GError *error)
{
  if (g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND) ||
      g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE))
    return g_strdup_printf (_("The recording %s is not a sound file that can be played."),
                            self->path);
  if (g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    return g_strdup_printf (_("The recording %s is in a sound format that this computer cannot "
                              "play."),
                            self->path);
  if (g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE) ||
      g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DEMUX) ||
      g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT))
    return g_strdup_printf (_("The recording %s is damaged or cut short."), self->path);
  if (error->domain == GST_RESOURCE_ERROR)
    return g_strdup_printf (_("The recording %s cannot be read."), self->path);
  return g_strdup_printf (_("The recording %s cannot be played (%s)."), self->path,
                          error->message);
}

static gboolean
on_bus (GstBus     *bus,
        GstMessage *msg,
        gpointer    data)
{
  AlPlayer *self = data;

  switch (GST_MESSAGE_TYPE (msg))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = NULL;
        gst_message_parse_error (msg, &error, NULL);
        text = describe_error (self, error);
        fail (self, text);
        break;
      }
    case GST_MESSAGE_ASYNC_DONE:
      if (!self->ready)
        {
          gint64 total = 0;
          double pos = self->pending_seek;
          self->ready = TRUE;
          if (gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &total))
            {
              double file = (double) total / GST_SECOND;
              double stop = self->end > 0 ? MIN (self->end, file) : file;
              self->file_length = file;
              self->duration = MAX (0, stop - self->start);
            }
          if (self->duration <= 0.01)
            {
              g_autofree char *text = NULL;
              double file = total > 0 ? (double) total / GST_SECOND : 0;

              /* A file with (almost) nothing in it is damaged; a segment
               * past the end of a good file is a mistake in the task. */
              if (file < 0.05)
                text = g_strdup_printf (_("The recording %s holds no sound: it is damaged or "
                                          "cut short."),
                                        self->path);
              else
                text = g_strdup_printf (_("The segment starts at %.1f seconds, after the end of "
                                          "the recording %s (%.1f seconds)."),
                                        self->start, self->path, file);
              fail (self, text);
              break;
            }
          self->pending_seek = -1;
          do_seek (self, pos >= 0 ? pos : 0);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
          if (!self->silent_notice && g_strcmp0 (self->sink_name, "silent") == 0)
            {
              self->silent_notice = TRUE;
              g_signal_emit (self, signals[NOTICE], 0,
                             _("No sound device was found; playback continues silently."));
            }
          g_signal_emit (self, signals[READY], 0);
        }
      break;
    case GST_MESSAGE_EOS:
      if (self->context)
        {
          /* Back to where the segment was, paused, as before the context. */
          self->context = FALSE;
          gst_element_set_state (self->playbin, GST_STATE_PAUSED);
          do_seek (self, self->paused_at);
          set_playing (self, FALSE);
          break;
        }
      if (self->loop)
        {
          /* After EOS the pipeline needs a fresh start from paused. */
          gst_element_set_state (self->playbin, GST_STATE_PAUSED);
          do_seek (self, 0);
          gst_element_set_state (self->playbin, GST_STATE_PLAYING);
          break;
        }
      /* Stop at the end of the segment, paused there. */
      self->at_end = TRUE;
      self->paused_at = self->duration;
      gst_element_set_state (self->playbin, GST_STATE_PAUSED);
      set_playing (self, FALSE);
      g_signal_emit (self, signals[FINISHED], 0);
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* Through PulseAudio, in sync with its clock, every start after a pause
 * or a seek waited a second or more before the first sample, and a speed
 * change while speech held the recording (voice mode) left it silent for
 * five seconds (tests/ui/test-sound.py): the sink plays what it gets, a
 * small ring buffer ahead of the sound server, as speech does. */
static void
tune_audio_sink (GstBin     *bin,
                 GstBin     *sub_bin,
                 GstElement *element,
                 gpointer    data)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory && g_str_equal (GST_OBJECT_NAME (factory), "pulsesink"))
    g_object_set (element, "buffer-time", (gint64) PULSE_BUFFER_US, "latency-time",
                  (gint64) PULSE_LATENCY_US, "sync", FALSE, NULL);
}

/* "none": a fake sink that keeps real time, for tests. "auto": the sound
 * card; on a machine without one the same silent sink, with a notice. */
static GstElement *
make_sink (AlPlayer *self)
{
  GstElement *sink;

  if (g_strcmp0 (self->sink_name, "none") != 0)
    {
      sink = gst_element_factory_make ("autoaudiosink", NULL);
      if (sink && gst_element_set_state (sink, GST_STATE_READY) != GST_STATE_CHANGE_FAILURE)
        {
          gboolean fake = FALSE;
          GstIterator *it = gst_bin_iterate_elements (GST_BIN (sink));
          GValue item = G_VALUE_INIT;
          while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
            {
              GstElementFactory *f = gst_element_get_factory (g_value_get_object (&item));
              fake |= f && g_str_equal (GST_OBJECT_NAME (f), "fakesink");
              tune_audio_sink (GST_BIN (sink), GST_BIN (sink), g_value_get_object (&item), NULL);
              g_value_reset (&item);
            }
          gst_iterator_free (it);
          gst_element_set_state (sink, GST_STATE_NULL);
          if (!fake)
            {
              /* The sound server's sink may be made again when it plays. */
              g_signal_connect (sink, "deep-element-added", G_CALLBACK (tune_audio_sink), NULL);
              return sink;
            }
        }
      if (sink)
        gst_object_unref (sink);
      g_free (self->sink_name);
      self->sink_name = g_strdup ("silent");
    }
  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", TRUE, NULL);
  return sink;
}

static gboolean
emit_first_sample (gpointer data)
{
  AlPlayer *self = data;

  g_signal_emit (self, signals[FIRST_SAMPLE], 0, self->sample_us);
  return G_SOURCE_REMOVE;
}

/* The sink holds one buffer while paused and plays it when told to; the
 * next one reaches its pad as that first one starts to sound. */
static GstPadProbeReturn
sink_buffer (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         data)
{
  AlPlayer *self = data;

  g_atomic_int_set (&self->seek_unsettled, 0);
  if (g_atomic_int_compare_and_exchange (&self->sample_armed, 1, 0))
    {
      self->sample_us = g_get_monotonic_time ();
      g_idle_add_full (G_PRIORITY_HIGH, emit_first_sample, g_object_ref (self), g_object_unref);
    }
  return GST_PAD_PROBE_OK;
}

static void
start_playing (AlPlayer *self)
{
  g_atomic_int_set (&self->sample_armed, 1);
  g_object_set (self->playbin, "mute", FALSE, NULL);
  gst_element_set_state (self->playbin, GST_STATE_PLAYING);
}

AlPlayer *
al_player_new (const char *sink)
{
  AlPlayer *self;
  GstElement *filter, *audio_sink;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstPad) pad = NULL;

  gst_init (NULL, NULL);
  self = g_object_new (AL_TYPE_PLAYER, NULL);
  self->sink_name = g_strdup (sink ? sink : "auto");
  self->playbin = gst_element_factory_make ("playbin", NULL);
  filter = gst_element_factory_make ("scaletempo", NULL);
  /* Video never: a recording with a picture track still only plays sound. */
  audio_sink = make_sink (self);
  pad = gst_element_get_static_pad (audio_sink, "sink");
  if (pad)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                       sink_buffer, self, NULL);
  g_object_set (self->playbin, "audio-filter", filter, "audio-sink", audio_sink,
                "video-sink", gst_element_factory_make ("fakesink", NULL), NULL);
  bus = gst_element_get_bus (self->playbin);
  self->bus_watch = gst_bus_add_watch (bus, on_bus, self);
  return self;
}

void
al_player_set_video_sink (AlPlayer   *self,
                          GstElement *sink)
{
  g_return_if_fail (AL_IS_PLAYER (self));
  g_return_if_fail (GST_IS_ELEMENT (sink));
  g_object_set (self->playbin, "video-sink", sink, NULL);
}

void
al_player_load (AlPlayer   *self,
                const char *path,
                double      start,
                double      end)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (AL_IS_PLAYER (self));
  gst_element_set_state (self->playbin, GST_STATE_NULL);
  g_free (self->path);
  self->path = g_strdup (path);
  self->start = MAX (start, 0);
  self->end = end;
  self->duration = end > start ? end - start : 0;
  self->ready = FALSE;
  self->at_end = FALSE;
  self->context = FALSE;
  self->paused_at = 0;
  self->rewind_due = FALSE;
  self->pending_seek = -1;
  g_atomic_int_set (&self->seek_unsettled, 0);
  self->resume_after_hold = FALSE;
  g_clear_handle_id (&self->resume_source, g_source_remove);
  set_playing (self, FALSE);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *text = g_strdup_printf (_("The recording %s is missing."), path);
      g_signal_emit (self, signals[ERROR], 0, text);
      return;
    }
  uri = gst_filename_to_uri (path, NULL);
  g_object_set (self->playbin, "uri", uri, NULL);
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
}

void
al_player_play (AlPlayer *self)
{
  g_return_if_fail (AL_IS_PLAYER (self));
  if (!self->ready || self->holds > 0)
    {
      self->resume_after_hold = self->holds > 0;
      return;
    }
  if (self->at_end)
    do_seek (self, 0);
  else if (self->rewind_due)
    do_seek (self, self->paused_at - self->rewind);
  self->rewind_due = FALSE;
  start_playing (self);
  set_playing (self, TRUE);
}

gboolean
al_player_play_context (AlPlayer *self,
                        double    seconds)
{
  double from, to;

  g_return_val_if_fail (AL_IS_PLAYER (self), FALSE);
  if (!self->ready || self->holds > 0 || seconds == 0)
    return FALSE;
  from = seconds < 0 ? MAX (0, self->start + seconds) : self->start + self->duration;
  to = seconds < 0 ? self->start : MIN (from + seconds, self->file_length);
  if (to - from < 0.05)
    return FALSE;
  if (self->playing)
    al_player_pause (self);
  else if (!self->at_end)
    self->paused_at = al_player_get_position (self);
  self->rewind_due = FALSE;
  self->at_end = FALSE;
  self->context = TRUE;
  gst_element_seek (self->playbin, self->rate, GST_FORMAT_TIME,
                    GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
                    (gint64) (from * GST_SECOND), GST_SEEK_TYPE_SET, (gint64) (to * GST_SECOND));
  start_playing (self);
  set_playing (self, TRUE);
  return TRUE;
}

void
al_player_pause (AlPlayer *self)
{
  g_return_if_fail (AL_IS_PLAYER (self));
  if (!self->playing)
    return;
  if (self->context)
    {
      /* Stopping the context returns to the segment, without a rewind. */
      gst_element_set_state (self->playbin, GST_STATE_PAUSED);
      do_seek (self, self->paused_at);
      set_playing (self, FALSE);
      return;
    }
  self->paused_at = al_player_get_position (self);
  self->rewind_due = TRUE;
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
  set_playing (self, FALSE);
}

/* Paused, and not to go on when a hold ends: the task is done. */
void
al_player_stop (AlPlayer *self)
{
  g_return_if_fail (AL_IS_PLAYER (self));
  al_player_pause (self);
  self->resume_after_hold = FALSE;
  g_clear_handle_id (&self->resume_source, g_source_remove);
}

void
al_player_toggle (AlPlayer *self)
{
  if (self->playing)
    al_player_pause (self);
  else
    al_player_play (self);
}

void
al_player_seek (AlPlayer *self,
                double    position)
{
  g_return_if_fail (AL_IS_PLAYER (self));
  self->paused_at = clamp_pos (self, position);
  self->rewind_due = FALSE;
  do_seek (self, position);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

void
al_player_skip (AlPlayer *self,
                double    seconds)
{
  al_player_seek (self, al_player_get_position (self) + seconds);
}

void
al_player_replay (AlPlayer *self)
{
  g_return_if_fail (AL_IS_PLAYER (self));
  self->paused_at = 0;
  self->rewind_due = FALSE;
  do_seek (self, 0);
  if (self->ready && self->holds == 0)
    {
      start_playing (self);
      set_playing (self, TRUE);
    }
}

double
al_player_set_rate (AlPlayer *self,
                    double    rate)
{
  g_return_val_if_fail (AL_IS_PLAYER (self), 1.0);
  rate = CLAMP (round (rate / AL_PLAYER_RATE_STEP) * AL_PLAYER_RATE_STEP, AL_PLAYER_MIN_RATE,
                AL_PLAYER_MAX_RATE);
  if (rate == self->rate)
    return rate;
  self->rate = rate;
  /* Told first: in voice mode the new speed is said, and the hold for it
   * pauses the recording before the seek sends it on at the new speed. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
  if (self->ready)
    do_seek (self, al_player_get_position (self));
  return rate;
}

double
al_player_faster (AlPlayer *self)
{
  return al_player_set_rate (self, self->rate + AL_PLAYER_RATE_STEP);
}

double
al_player_slower (AlPlayer *self)
{
  return al_player_set_rate (self, self->rate - AL_PLAYER_RATE_STEP);
}

void
al_player_set_loop (AlPlayer *self,
                    gboolean  loop)
{
  self->loop = loop;
}

void
al_player_set_rewind (AlPlayer *self,
                      double    seconds)
{
  self->rewind = MAX (seconds, 0);
}

void
al_player_set_volume (AlPlayer *self,
                      double    volume)
{
  self->volume = CLAMP (volume, 0, 1);
  g_object_set (self->playbin, "volume", self->volume, NULL);
}

/* Speech holds the task audio: nothing is ever said over a recording, and
 * the two never sound at once (tests/ui/test-sound.py). */
static gboolean
resume_after_hold (gpointer data)
{
  AlPlayer *self = data;

  self->resume_source = 0;
  if (self->holds == 0 && self->resume_after_hold)
    {
      self->resume_after_hold = FALSE;
      al_player_play (self);
    }
  return G_SOURCE_REMOVE;
}

void
al_player_hold (AlPlayer *self,
                gboolean  hold)
{
  g_return_if_fail (AL_IS_PLAYER (self));
  if (hold)
    {
      g_clear_handle_id (&self->resume_source, g_source_remove);
      if (self->holds++ == 0 && self->playing)
        {
          /* Silent at once: a sink that plays what it gets (pulsesink
           * here) still has some of the recording when the pause comes. */
          g_object_set (self->playbin, "mute", TRUE, NULL);
          al_player_pause (self);
          self->resume_after_hold = TRUE;
        }
    }
  else if (self->holds > 0 && --self->holds == 0 && self->resume_after_hold)
    self->resume_source = g_timeout_add (RESUME_AFTER_SPEECH_MS, resume_after_hold, self);
}

gboolean
al_player_get_playing (AlPlayer *self)
{
  return self->playing;
}

double
al_player_get_rate (AlPlayer *self)
{
  return self->rate;
}

double
al_player_get_duration (AlPlayer *self)
{
  return self->duration;
}

gboolean
al_player_is_ready (AlPlayer *self)
{
  return self->ready;
}

static void
al_player_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AlPlayer *self = AL_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_POSITION:
      g_value_set_double (value, al_player_get_position (self));
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
al_player_dispose (GObject *object)
{
  AlPlayer *self = AL_PLAYER (object);

  g_clear_handle_id (&self->position_source, g_source_remove);
  g_clear_handle_id (&self->resume_source, g_source_remove);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->playbin)
    {
      gst_element_set_state (self->playbin, GST_STATE_NULL);
      gst_clear_object (&self->playbin);
    }
  G_OBJECT_CLASS (al_player_parent_class)->dispose (object);
}

static void
al_player_finalize (GObject *object)
{
  AlPlayer *self = AL_PLAYER (object);

  g_free (self->path);
  g_free (self->sink_name);
  G_OBJECT_CLASS (al_player_parent_class)->finalize (object);
}

static void
al_player_class_init (AlPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = al_player_get_property;
  object_class->dispose = al_player_dispose;
  object_class->finalize = al_player_finalize;

  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] = g_param_spec_double ("position", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, AL_PLAYER_MIN_RATE,
                                               AL_PLAYER_MAX_RATE, 1.0,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 0);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FIRST_SAMPLE] = g_signal_new ("first-sample", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        G_TYPE_INT64);
}

static void
al_player_init (AlPlayer *self)
{
  self->rate = 1.0;
  self->rewind = 1.5;
  self->volume = 1.0;
  self->pending_seek = -1;
}
