/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-a11y"
#include "config.h"

#include <espeak-ng/speak_lib.h>
#include <string.h>

#include "al-earcon.h"
#include "al-speech.h"
#include "al-speech-log.h"
#include "al-speech-output.h"
#include "al-speechd.h"

/* Audio goes to GStreamer in pieces of about 5 ms, and the speech thread
 * keeps at most LOOKAHEAD of audio ahead of the clock, so that a cancel
 * has little to flush and memory stays small. */
#define CHUNK_SAMPLES 110
#define LOOKAHEAD (40 * GST_MSECOND)
#define LEAD (5 * GST_MSECOND)
/* Speech is done when what is left to hear is below HEARD, or after
 * MAX_UNHEARD whatever the device says. */
#define HEARD (2 * GST_MSECOND)
#define MAX_UNHEARD (1000 * GST_MSECOND)
/* Silence between utterances, pushed in pieces of this length. */
#define SILENCE_SAMPLES 110
#define SILENCE (5 * GST_MSECOND)
#define MAX_TEXT_BYTES 4000
#define MAX_QUEUE 256

G_DEFINE_QUARK (al-speech-error-quark, al_speech_error)

G_DEFINE_ENUM_TYPE (AlSpeechPriority, al_speech_priority,
  G_DEFINE_ENUM_VALUE (AL_SPEECH_INTERRUPT, "interrupt"),
  G_DEFINE_ENUM_VALUE (AL_SPEECH_QUEUE, "queue"),
  G_DEFINE_ENUM_VALUE (AL_SPEECH_IMPORTANT, "important"))

typedef struct
{
  AlSpeechPriority priority;
  char *language;
  char *text;
  int earcon;  /* an AlEarcon played instead of the text, or -1 */
} Utterance;

typedef enum
{
  NOTE_STARTED,
  NOTE_FINISHED,
  NOTE_NOTICE,
} NoteKind;

typedef struct
{
  NoteKind kind;
  Utterance *utterance;
  gboolean completed;
  gboolean speaking;
  char *message;
} Note;

struct _AlSpeech
{
  GObject parent_instance;

  GMainContext *context;
  GThread *thread;
  AlSpeechOutput *output;   /* NULL for speechd */
  AlSpeechd *speechd;       /* NULL unless the speechd backend */
  char *notice;

  /* Shared with the speech thread, under mutex. */
  GMutex mutex;
  GCond cond;
  GQueue queue;             /* important utterances first */
  Utterance *current;
  gboolean quit;
  gboolean busy;            /* an utterance is being synthesised or played */
  int rate;
  int pitch;
  int volume;
  AlSpeechLog *log;
  GQueue notes;
  GSource *note_source;
  int abort;                /* atomic: the current utterance must stop */

  /* Speech thread only. */
  GstClockTime next_pts;
  char *voice_language;
  int applied_rate;
  int applied_pitch;

  /* Main context only. */
  gboolean speaking;
};

enum
{
  PROP_0,
  PROP_SPEAKING,
  PROP_RATE,
  PROP_PITCH,
  PROP_VOLUME,
  N_PROPS
};

enum
{
  SIGNAL_UTTERANCE_STARTED,
  SIGNAL_UTTERANCE_FINISHED,
  SIGNAL_NOTICE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* eSpeak NG has global state: one AlSpeech at a time may own it. */
G_LOCK_DEFINE_STATIC (owner);
static AlSpeech *espeak_owner;
static int espeak_sample_rate;

G_DEFINE_FINAL_TYPE (AlSpeech, al_speech, G_TYPE_OBJECT)

const char *
al_speech_priority_to_string (AlSpeechPriority priority)
{
  switch (priority)
    {
    case AL_SPEECH_INTERRUPT:
      return "interrupt";
    case AL_SPEECH_QUEUE:
      return "queue";
    case AL_SPEECH_IMPORTANT:
      return "important";
    default:
      return "unknown";
    }
}

static void
utterance_free (Utterance *u)
{
  if (u == NULL)
    return;
  g_free (u->language);
  g_free (u->text);
  g_free (u);
}

static Utterance *
utterance_copy (const Utterance *u)
{
  Utterance *copy = g_new0 (Utterance, 1);

  copy->priority = u->priority;
  copy->language = g_strdup (u->language);
  copy->text = g_strdup (u->text);
  copy->earcon = u->earcon;
  return copy;
}

static void
note_free (Note *note)
{
  utterance_free (note->utterance);
  g_free (note->message);
  g_free (note);
}

/* Notifications: the speech thread queues them, an idle source on the
 * object's own main context emits them in order. */
static gboolean
dispatch_notes (gpointer data)
{
  AlSpeech *self = data;

  g_object_ref (self);
  for (;;)
    {
      Note *note;

      g_mutex_lock (&self->mutex);
      note = g_queue_pop_head (&self->notes);
      if (note == NULL)
        {
          g_clear_pointer (&self->note_source, g_source_unref);
          g_mutex_unlock (&self->mutex);
          break;
        }
      g_mutex_unlock (&self->mutex);

      switch (note->kind)
        {
        case NOTE_STARTED:
          if (!self->speaking)
            {
              self->speaking = TRUE;
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKING]);
            }
          g_signal_emit (self, signals[SIGNAL_UTTERANCE_STARTED], 0, note->utterance->text,
                         note->utterance->priority, note->utterance->language);
          break;
        case NOTE_FINISHED:
          g_signal_emit (self, signals[SIGNAL_UTTERANCE_FINISHED], 0, note->utterance->text,
                         note->utterance->priority, note->utterance->language, note->completed);
          if (self->speaking != note->speaking)
            {
              self->speaking = note->speaking;
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKING]);
            }
          break;
        case NOTE_NOTICE:
          g_signal_emit (self, signals[SIGNAL_NOTICE], 0, note->message);
          break;
        default:
          g_assert_not_reached ();
        }
      note_free (note);
    }
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Called with the mutex held. */
static void
push_note_locked (AlSpeech *self,
                  Note     *note)
{
  g_queue_push_tail (&self->notes, note);
  if (self->note_source == NULL)
    {
      self->note_source = g_idle_source_new ();
      g_source_set_priority (self->note_source, G_PRIORITY_HIGH_IDLE);
      g_source_set_callback (self->note_source, dispatch_notes, self, NULL);
      g_source_set_static_name (self->note_source, "[annolab] speech notes");
      g_source_attach (self->note_source, self->context);
    }
}

static void
push_note (AlSpeech *self,
           Note     *note)
{
  g_mutex_lock (&self->mutex);
  push_note_locked (self, note);
  g_mutex_unlock (&self->mutex);
}

/* ---- The speech thread ---- */

static gboolean
aborted (AlSpeech *self)
{
  return g_atomic_int_get (&self->abort) != 0;
}

/* Waits until the clock reaches the running time @until, or the current
 * utterance is cancelled. Returns FALSE when cancelled. */
static gboolean
wait_for_clock (AlSpeech     *self,
                GstClockTime  until)
{
  gboolean ok = TRUE;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      GstClockTime now;
      gint64 end;

      if (aborted (self))
        {
          ok = FALSE;
          break;
        }
      now = al_speech_output_now (self->output);
      if (now >= until)
        break;
      end = g_get_monotonic_time () + (gint64) ((until - now) / GST_USECOND) + 1;
      g_cond_wait_until (&self->cond, &self->mutex, end);
    }
  g_mutex_unlock (&self->mutex);
  return ok;
}

/* The clock passing the last sample's time is not the last sample being
 * heard: it may still be in the sound server's buffers. Before saying it
 * has nothing left to say, the thread waits for that, unless more words
 * are waiting or these are cut, so that a recording held for speech never
 * starts over its last word. */
static void
wait_until_heard (AlSpeech *self)
{
  gint64 give_up = g_get_monotonic_time () + MAX_UNHEARD / GST_USECOND;

  g_mutex_lock (&self->mutex);
  while (!aborted (self) && g_queue_is_empty (&self->queue) && g_get_monotonic_time () < give_up)
    {
      GstClockTime left = al_speech_output_unheard (self->output);

      if (left < HEARD)
        break;
      g_cond_wait_until (&self->cond, &self->mutex,
                         g_get_monotonic_time () + (gint64) MIN (left, 10 * GST_MSECOND) / GST_USECOND);
    }
  g_mutex_unlock (&self->mutex);
}

/* Between utterances the device gets silence, a little at a time: a
 * sound server stream that ran dry starts again only after its sink's
 * latency (some 50 ms through PulseAudio's null sink, from a key press to
 * the first word), while one that flows plays new words at once
 * (bench/speech-pulse.py). */
static void
keep_flowing (AlSpeech *self)
{
  static const gint16 zeros[SILENCE_SAMPLES];
  GstClockTime now = al_speech_output_now (self->output);

  if (self->next_pts == GST_CLOCK_TIME_NONE || self->next_pts < now)
    self->next_pts = now;
  if (self->next_pts < now + SILENCE)
    {
      al_speech_output_push (self->output, zeros, SILENCE_SAMPLES, self->next_pts);
      self->next_pts += gst_util_uint64_scale (SILENCE_SAMPLES, GST_SECOND, AL_SPEECH_OUTPUT_RATE);
    }
}

static int
synth_callback (short        *wav,
                int           numsamples,
                espeak_EVENT *events)
{
  AlSpeech *self = events ? events->user_data : NULL;
  int offset = 0;

  if (self == NULL)
    return 1;
  if (aborted (self))
    return 1;
  if (wav == NULL)
    return 0;

  while (offset < numsamples)
    {
      int n = MIN (CHUNK_SAMPLES, numsamples - offset);

      if (al_speech_output_is_live (self->output))
        {
          GstClockTime now = al_speech_output_now (self->output);

          /* Start an utterance a little ahead of the clock so that its
           * first buffer is not late at the sink. */
          if (self->next_pts < now + LEAD)
            self->next_pts = now + LEAD;
          if (self->next_pts > now + LOOKAHEAD &&
              !wait_for_clock (self, self->next_pts - LOOKAHEAD))
            return 1;
        }
      al_speech_output_push (self->output, wav + offset, n, self->next_pts);
      self->next_pts += gst_util_uint64_scale (n, GST_SECOND, AL_SPEECH_OUTPUT_RATE);
      offset += n;
    }
  return aborted (self) ? 1 : 0;
}

static void
apply_voice (AlSpeech        *self,
             const Utterance *u)
{
  int rate, pitch;

  g_mutex_lock (&self->mutex);
  rate = self->rate;
  pitch = self->pitch;
  g_mutex_unlock (&self->mutex);

  if (rate != self->applied_rate)
    {
      espeak_SetParameter (espeakRATE, rate, 0);
      self->applied_rate = rate;
    }
  if (pitch != self->applied_pitch)
    {
      espeak_SetParameter (espeakPITCH, pitch, 0);
      self->applied_pitch = pitch;
    }
  if (g_strcmp0 (self->voice_language, u->language) != 0)
    {
      if (espeak_SetVoiceByName (u->language) != EE_OK)
        {
          g_message ("No eSpeak NG voice for language \"%s\"; using English", u->language);
          espeak_SetVoiceByName ("en");
        }
      g_free (self->voice_language);
      self->voice_language = g_strdup (u->language);
      /* A new voice resets rate and pitch. */
      espeak_SetParameter (espeakRATE, rate, 0);
      espeak_SetParameter (espeakPITCH, pitch, 0);
    }
}

/* Speaks one utterance through eSpeak NG and GStreamer; returns TRUE when
 * it was played to the end. */
static gboolean
speak_espeak (AlSpeech        *self,
              const Utterance *u)
{
  espeak_ERROR err;

  apply_voice (self, u);
  if (self->next_pts == GST_CLOCK_TIME_NONE)
    self->next_pts = 0;
  err = espeak_Synth (u->text, strlen (u->text) + 1, 0, POS_CHARACTER, 0,
                      espeakCHARS_UTF8, NULL, self);
  if (err != EE_OK && !aborted (self))
    g_message ("eSpeak NG could not speak \"%s\" (error %d)", u->text, (int) err);

  if (al_speech_output_is_live (self->output) && !aborted (self) &&
      wait_for_clock (self, self->next_pts))
    wait_until_heard (self);

  if (aborted (self))
    {
      al_speech_output_flush (self->output);
      /* The flushed audio will never play: start again from the clock. */
      self->next_pts = 0;
      return FALSE;
    }
  return TRUE;
}

/* Plays an earcon on the same output as the speech, so it is queued, cut
 * and paced like an utterance. */
static gboolean
play_earcon (AlSpeech        *self,
             const Utterance *u)
{
  espeak_EVENT event = { 0 };
  gsize n = 0;
  g_autofree gint16 *samples = al_earcon_render (u->earcon, AL_SPEECH_OUTPUT_RATE, &n);

  event.user_data = self;
  if (self->next_pts == GST_CLOCK_TIME_NONE)
    self->next_pts = 0;
  synth_callback (samples, (int) n, &event);
  if (al_speech_output_is_live (self->output) && !aborted (self) &&
      wait_for_clock (self, self->next_pts))
    wait_until_heard (self);
  if (aborted (self))
    {
      al_speech_output_flush (self->output);
      self->next_pts = 0;
      return FALSE;
    }
  return TRUE;
}

static gpointer
speech_thread (gpointer data)
{
  AlSpeech *self = data;

  self->next_pts = 0;
  for (;;)
    {
      Utterance *u;
      gboolean completed;
      AlSpeechLog *log;
      Note *note;

      g_mutex_lock (&self->mutex);
      while (!self->quit && g_queue_is_empty (&self->queue))
        {
          if (self->output && al_speech_output_has_device (self->output))
            {
              keep_flowing (self);
              g_cond_wait_until (&self->cond, &self->mutex,
                                 g_get_monotonic_time () + SILENCE / GST_USECOND / 2);
            }
          else
            g_cond_wait (&self->cond, &self->mutex);
        }
      if (self->quit)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      u = g_queue_pop_head (&self->queue);
      self->current = u;
      self->busy = TRUE;
      g_atomic_int_set (&self->abort, 0);
      log = self->log;
      note = g_new0 (Note, 1);
      note->kind = NOTE_STARTED;
      note->utterance = utterance_copy (u);
      push_note_locked (self, note);
      /* The log is only replaced under the mutex, and written here. */
      if (log)
        al_speech_log_write (log, al_speech_priority_to_string (u->priority),
                             u->earcon >= 0 ? "earcon" : u->language,
                             u->earcon >= 0 ? al_earcon_name (u->earcon) : u->text);
      g_mutex_unlock (&self->mutex);

      /* Speech Dispatcher has no tones of ours: it says the short word. */
      if (u->earcon >= 0 && !self->speechd)
        completed = play_earcon (self, u);
      else if (self->speechd)
        completed = al_speechd_speak (self->speechd, u->priority, u->language,
                                      al_speech_get_rate (self), al_speech_get_pitch (self),
                                      u->text, &self->abort);
      else
        completed = speak_espeak (self, u);

      g_mutex_lock (&self->mutex);
      self->current = NULL;
      self->busy = !g_queue_is_empty (&self->queue);
      note = g_new0 (Note, 1);
      note->kind = NOTE_FINISHED;
      note->utterance = u;
      note->completed = completed;
      note->speaking = self->busy;
      push_note_locked (self, note);
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
    }

  if (self->output && !al_speech_output_is_live (self->output))
    al_speech_output_finish (self->output);
  return NULL;
}

/* ---- Public API ---- */

static void
al_speech_dispose (GObject *object)
{
  AlSpeech *self = AL_SPEECH (object);

  if (self->thread)
    {
      g_mutex_lock (&self->mutex);
      self->quit = TRUE;
      g_atomic_int_set (&self->abort, 1);
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  if (self->note_source)
    {
      g_source_destroy (self->note_source);
      g_clear_pointer (&self->note_source, g_source_unref);
    }
  g_queue_clear_full (&self->notes, (GDestroyNotify) note_free);
  g_queue_clear_full (&self->queue, (GDestroyNotify) utterance_free);
  g_clear_pointer (&self->output, al_speech_output_free);
  g_clear_pointer (&self->speechd, al_speechd_free);
  g_clear_pointer (&self->log, al_speech_log_close);

  G_LOCK (owner);
  if (espeak_owner == self)
    espeak_owner = NULL;
  G_UNLOCK (owner);

  G_OBJECT_CLASS (al_speech_parent_class)->dispose (object);
}

static void
al_speech_finalize (GObject *object)
{
  AlSpeech *self = AL_SPEECH (object);

  g_free (self->notice);
  g_free (self->voice_language);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (al_speech_parent_class)->finalize (object);
}

static void
al_speech_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AlSpeech *self = AL_SPEECH (object);

  switch (prop_id)
    {
    case PROP_SPEAKING:
      g_value_set_boolean (value, self->speaking);
      break;
    case PROP_RATE:
      g_value_set_int (value, al_speech_get_rate (self));
      break;
    case PROP_PITCH:
      g_value_set_int (value, al_speech_get_pitch (self));
      break;
    case PROP_VOLUME:
      g_value_set_int (value, al_speech_get_volume (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
al_speech_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  AlSpeech *self = AL_SPEECH (object);

  switch (prop_id)
    {
    case PROP_RATE:
      al_speech_set_rate (self, g_value_get_int (value));
      break;
    case PROP_PITCH:
      al_speech_set_pitch (self, g_value_get_int (value));
      break;
    case PROP_VOLUME:
      al_speech_set_volume (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
al_speech_class_init (AlSpeechClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = al_speech_dispose;
  object_class->finalize = al_speech_finalize;
  object_class->get_property = al_speech_get_property;
  object_class->set_property = al_speech_set_property;

  properties[PROP_SPEAKING] =
    g_param_spec_boolean ("speaking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE] =
    g_param_spec_int ("rate", NULL, NULL, AL_SPEECH_RATE_MIN, AL_SPEECH_RATE_MAX,
                      AL_SPEECH_RATE_DEFAULT,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PITCH] =
    g_param_spec_int ("pitch", NULL, NULL, 0, 100, 50,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME] =
    g_param_spec_int ("volume", NULL, NULL, 0, 100, 100,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_UTTERANCE_STARTED] =
    g_signal_new ("utterance-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, AL_TYPE_SPEECH_PRIORITY, G_TYPE_STRING);
  /* The last argument is FALSE when the utterance was cut off. */
  signals[SIGNAL_UTTERANCE_FINISHED] =
    g_signal_new ("utterance-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, AL_TYPE_SPEECH_PRIORITY, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
al_speech_init (AlSpeech *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
  g_queue_init (&self->notes);
  self->context = g_main_context_ref_thread_default ();
  self->rate = AL_SPEECH_RATE_DEFAULT;
  self->pitch = 50;
  self->volume = 100;
  self->applied_rate = -1;
  self->applied_pitch = -1;
}

static gboolean
init_espeak (GError **error)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      espeak_sample_rate = espeak_Initialize (AUDIO_OUTPUT_SYNCHRONOUS, 10, NULL,
                                              espeakINITIALIZE_DONT_EXIT);
      if (espeak_sample_rate > 0)
        espeak_SetSynthCallback (synth_callback);
      g_once_init_leave (&once, 1);
    }
  if (espeak_sample_rate != AL_SPEECH_OUTPUT_RATE)
    {
      g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_BACKEND,
                   "eSpeak NG could not start (sample rate %d)", espeak_sample_rate);
      return FALSE;
    }
  return TRUE;
}

AlSpeech *
al_speech_new (const char  *sink,
               GError     **error)
{
  g_autoptr (AlSpeech) self = NULL;

  g_return_val_if_fail (sink != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (AL_TYPE_SPEECH, NULL);

  if (g_str_equal (sink, "speechd"))
    {
      self->speechd = al_speechd_new (error);
      if (self->speechd == NULL)
        return NULL;
    }
  else
    {
      G_LOCK (owner);
      if (espeak_owner != NULL)
        {
          G_UNLOCK (owner);
          g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_BUSY,
                       "Another speech engine is already running in this process");
          return NULL;
        }
      espeak_owner = self;
      G_UNLOCK (owner);

      if (!init_espeak (error))
        return NULL;
      self->output = al_speech_output_new (sink, &self->notice, error);
      if (self->output == NULL)
        return NULL;
    }

  if (self->notice)
    {
      Note *note = g_new0 (Note, 1);

      g_message ("%s", self->notice);
      note->kind = NOTE_NOTICE;
      note->message = g_strdup (self->notice);
      push_note (self, note);
    }
  self->thread = g_thread_new ("speech", speech_thread, self);
  return g_steal_pointer (&self);
}

static void
drop_queued_locked (AlSpeech *self)
{
  GList *l = self->queue.head;

  while (l)
    {
      GList *next = l->next;
      Utterance *u = l->data;

      if (u->priority != AL_SPEECH_IMPORTANT)
        {
          utterance_free (u);
          g_queue_delete_link (&self->queue, l);
        }
      l = next;
    }
}

static void
cancel_current_locked (AlSpeech *self)
{
  if (self->current && self->current->priority != AL_SPEECH_IMPORTANT)
    {
      g_atomic_int_set (&self->abort, 1);
      g_cond_broadcast (&self->cond);
    }
}

static char *
clean_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  const char *end;

  if (strlen (valid) <= MAX_TEXT_BYTES)
    return g_steal_pointer (&valid);
  end = g_utf8_find_prev_char (valid, valid + MAX_TEXT_BYTES + 1);
  return g_strndup (valid, end - valid);
}

static gboolean
language_is_valid (const char *language)
{
  gsize len = strlen (language);

  if (len == 0 || len > 16)
    return FALSE;
  for (const char *p = language; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static void
enqueue (AlSpeech         *self,
         AlSpeechPriority  priority,
         const char       *language,
         const char       *text,
         int               earcon)
{
  Utterance *u;

  if (language == NULL || !language_is_valid (language))
    language = "en";

  g_mutex_lock (&self->mutex);
  if (priority == AL_SPEECH_INTERRUPT)
    {
      drop_queued_locked (self);
      cancel_current_locked (self);
    }
  if (*text == '\0')
    {
      g_mutex_unlock (&self->mutex);
      return;
    }

  /* Keep the queue bounded: drop the oldest waiting task information. */
  if (g_queue_get_length (&self->queue) >= MAX_QUEUE)
    {
      GList *l;

      for (l = self->queue.head; l; l = l->next)
        if (((Utterance *) l->data)->priority != AL_SPEECH_IMPORTANT)
          break;
      if (l == NULL && priority != AL_SPEECH_IMPORTANT)
        {
          g_mutex_unlock (&self->mutex);
          return;
        }
      if (l)
        {
          utterance_free (l->data);
          g_queue_delete_link (&self->queue, l);
        }
    }

  u = g_new0 (Utterance, 1);
  u->priority = priority;
  u->language = g_strdup (language);
  u->text = clean_text (text);
  u->earcon = earcon;

  if (priority == AL_SPEECH_IMPORTANT)
    {
      /* After the important ones already waiting, before anything else. */
      GList *l = self->queue.head;

      while (l && ((Utterance *) l->data)->priority == AL_SPEECH_IMPORTANT)
        l = l->next;
      if (l)
        g_queue_insert_before (&self->queue, l, u);
      else
        g_queue_push_tail (&self->queue, u);
    }
  else
    g_queue_push_tail (&self->queue, u);

  self->busy = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
al_speech_say (AlSpeech         *self,
               AlSpeechPriority  priority,
               const char       *language,
               const char       *text)
{
  g_return_if_fail (AL_IS_SPEECH (self));
  g_return_if_fail (priority <= AL_SPEECH_IMPORTANT);
  g_return_if_fail (text != NULL);
  enqueue (self, priority, language, text, -1);
}

void
al_speech_play_earcon (AlSpeech         *self,
                       AlSpeechPriority  priority,
                       AlEarcon          earcon,
                       const char       *language,
                       const char       *word)
{
  g_return_if_fail (AL_IS_SPEECH (self));
  g_return_if_fail (priority <= AL_SPEECH_IMPORTANT);
  g_return_if_fail (earcon < AL_N_EARCONS);
  enqueue (self, priority, language, word && *word ? word : al_earcon_name (earcon), earcon);
}

void
al_speech_cancel (AlSpeech *self)
{
  g_return_if_fail (AL_IS_SPEECH (self));

  g_mutex_lock (&self->mutex);
  drop_queued_locked (self);
  cancel_current_locked (self);
  self->busy = self->current != NULL || !g_queue_is_empty (&self->queue);
  g_mutex_unlock (&self->mutex);
}

#define DEFINE_SETTING(name, field, lo, hi, prop)                       \
  void                                                                  \
  al_speech_set_##name (AlSpeech *self, int value)                      \
  {                                                                     \
    gboolean changed;                                                   \
    g_return_if_fail (AL_IS_SPEECH (self));                             \
    value = CLAMP (value, lo, hi);                                      \
    g_mutex_lock (&self->mutex);                                        \
    changed = self->field != value;                                     \
    self->field = value;                                                \
    g_mutex_unlock (&self->mutex);                                      \
    if (changed)                                                        \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);     \
  }                                                                     \
  int                                                                   \
  al_speech_get_##name (AlSpeech *self)                                 \
  {                                                                     \
    int value;                                                          \
    g_return_val_if_fail (AL_IS_SPEECH (self), 0);                      \
    g_mutex_lock (&self->mutex);                                        \
    value = self->field;                                                \
    g_mutex_unlock (&self->mutex);                                      \
    return value;                                                       \
  }

DEFINE_SETTING (rate, rate, AL_SPEECH_RATE_MIN, AL_SPEECH_RATE_MAX, PROP_RATE)
DEFINE_SETTING (pitch, pitch, 0, 100, PROP_PITCH)

void
al_speech_set_volume (AlSpeech *self,
                      int       volume)
{
  g_return_if_fail (AL_IS_SPEECH (self));

  volume = CLAMP (volume, 0, 100);
  g_mutex_lock (&self->mutex);
  if (self->volume == volume)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->volume = volume;
  g_mutex_unlock (&self->mutex);

  /* Volume acts at once, also on the utterance that is playing. */
  if (self->output)
    al_speech_output_set_volume (self->output, volume / 100.0);
  if (self->speechd)
    al_speechd_set_volume (self->speechd, volume);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

int
al_speech_get_volume (AlSpeech *self)
{
  int volume;

  g_return_val_if_fail (AL_IS_SPEECH (self), 0);
  g_mutex_lock (&self->mutex);
  volume = self->volume;
  g_mutex_unlock (&self->mutex);
  return volume;
}

gboolean
al_speech_get_speaking (AlSpeech *self)
{
  g_return_val_if_fail (AL_IS_SPEECH (self), FALSE);
  return self->speaking;
}

gboolean
al_speech_get_idle (AlSpeech *self)
{
  gboolean idle;

  g_return_val_if_fail (AL_IS_SPEECH (self), TRUE);
  g_mutex_lock (&self->mutex);
  idle = self->current == NULL && g_queue_is_empty (&self->queue);
  g_mutex_unlock (&self->mutex);
  return idle;
}

const char *
al_speech_get_notice (AlSpeech *self)
{
  g_return_val_if_fail (AL_IS_SPEECH (self), NULL);
  return self->notice;
}

gboolean
al_speech_set_log (AlSpeech    *self,
                   const char  *path,
                   GError     **error)
{
  AlSpeechLog *log = NULL;
  AlSpeechLog *old;

  g_return_val_if_fail (AL_IS_SPEECH (self), FALSE);

  if (path != NULL)
    {
      log = al_speech_log_open (path, error);
      if (log == NULL)
        return FALSE;
    }
  /* The speech thread writes under the mutex, so the old log is free to close. */
  g_mutex_lock (&self->mutex);
  old = self->log;
  self->log = log;
  g_mutex_unlock (&self->mutex);
  al_speech_log_close (old);
  return TRUE;
}

GstPad *
al_speech_get_sink_pad (AlSpeech *self)
{
  g_return_val_if_fail (AL_IS_SPEECH (self), NULL);
  return self->output ? al_speech_output_get_sink_pad (self->output) : NULL;
}

GBytes *
al_speech_dup_samples (AlSpeech *self)
{
  g_return_val_if_fail (AL_IS_SPEECH (self), NULL);
  return self->output ? al_speech_output_dup_samples (self->output) : g_bytes_new (NULL, 0);
}

/* Runs the object's main context until nothing is queued or playing and
 * every notification has been emitted. */
gboolean
al_speech_wait_idle (AlSpeech *self,
                     guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_return_val_if_fail (AL_IS_SPEECH (self), FALSE);

  for (;;)
    {
      gboolean idle;

      while (g_main_context_iteration (self->context, FALSE))
        ;
      g_mutex_lock (&self->mutex);
      idle = !self->busy && self->current == NULL && g_queue_is_empty (&self->queue) &&
             g_queue_is_empty (&self->notes);
      g_mutex_unlock (&self->mutex);
      if (idle)
        return TRUE;
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_usleep (1000);
    }
}
