/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "al-speech.h"
#include "al-speech-log.h"

#define LONG_EN "This is a long sentence about the task that keeps on going for quite a while, " \
  "so that there is plenty of time to cut it off in the middle of a word."
#define DUTCH "Taak zeven van vandaag. Je hebt nog vijf minuten tot de pauze."
#define BYTES_PER_MS (22050 * 2 / 1000.0)

typedef struct
{
  AlSpeech *speech;
  GPtrArray *events;     /* "started:TEXT" and "finished:TEXT:0|1" */
  guint speaking_notifies;
  gint64 last_finished_us;
  char *dir;
} Fixture;

static void
on_started (AlSpeech         *speech,
            const char       *text,
            AlSpeechPriority  priority,
            const char       *language,
            Fixture          *f)
{
  g_assert_true (al_speech_get_speaking (speech));
  g_ptr_array_add (f->events, g_strdup_printf ("started:%s", text));
}

static void
on_finished (AlSpeech         *speech,
             const char       *text,
             AlSpeechPriority  priority,
             const char       *language,
             gboolean          completed,
             Fixture          *f)
{
  f->last_finished_us = g_get_monotonic_time ();
  g_ptr_array_add (f->events, g_strdup_printf ("finished:%s:%d", text, completed));
}

static void
on_speaking (AlSpeech   *speech,
             GParamSpec *pspec,
             Fixture    *f)
{
  f->speaking_notifies++;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("annolab-speech-XXXXXX", &error);
  g_assert_no_error (error);
  f->events = g_ptr_array_new_with_free_func (g_free);
  f->speech = al_speech_new (data ? data : "memory", &error);
  g_assert_no_error (error);
  g_signal_connect (f->speech, "utterance-started", G_CALLBACK (on_started), f);
  g_signal_connect (f->speech, "utterance-finished", G_CALLBACK (on_finished), f);
  g_signal_connect (f->speech, "notify::speaking", G_CALLBACK (on_speaking), f);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (f->speech)
    g_assert_finalize_object (f->speech);
  g_ptr_array_unref (f->events);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static gboolean
has_event (Fixture    *f,
           const char *event)
{
  for (guint i = 0; i < f->events->len; i++)
    if (g_str_equal (g_ptr_array_index (f->events, i), event))
      return TRUE;
  return FALSE;
}

/* Runs the main context until @event has been seen. */
static void
wait_for_event (Fixture    *f,
                const char *event)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!has_event (f, event))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
assert_events (Fixture           *f,
               const char *const *expected)
{
  g_autofree char *got = NULL;
  g_autofree char *want = g_strjoinv ("\n", (char **) expected);

  g_ptr_array_add (f->events, NULL);
  got = g_strjoinv ("\n", (char **) f->events->pdata);
  g_ptr_array_remove_index (f->events, f->events->len - 1);
  g_assert_cmpstr (got, ==, want);
}

static void
test_queue_plays_in_order (Fixture      *f,
                           gconstpointer data)
{
  const char *const expected[] = {
    "started:one", "finished:one:1", "started:two", "finished:two:1", NULL
  };

  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", "one");
  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", "two");
  g_assert_true (al_speech_wait_idle (f->speech, 5000));
  assert_events (f, expected);
  g_assert_false (al_speech_get_speaking (f->speech));
  /* Speaking went on once and off once: no flicker between utterances. */
  g_assert_cmpuint (f->speaking_notifies, ==, 2);
}

static void
test_interrupt_cuts_queue (Fixture      *f,
                           gconstpointer data)
{
  const char *const expected[] = {
    "started:" LONG_EN, "finished:" LONG_EN ":0", "started:key", "finished:key:1", NULL
  };
  g_autoptr (GBytes) samples = NULL;
  gint64 pressed;

  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", LONG_EN);
  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", "never heard");
  wait_for_event (f, "started:" LONG_EN);
  run_for (300);
  pressed = g_get_monotonic_time ();
  al_speech_say (f->speech, AL_SPEECH_INTERRUPT, "en", "key");
  wait_for_event (f, "finished:" LONG_EN ":0");
  g_test_message ("interrupt to end of old utterance: %.1f ms",
                  (f->last_finished_us - pressed) / 1000.0);
  g_assert_cmpint (f->last_finished_us - pressed, <, 200 * 1000);
  g_assert_true (al_speech_wait_idle (f->speech, 5000));
  assert_events (f, expected);

  /* The long sentence takes seconds; only a fraction of it was played. */
  samples = al_speech_dup_samples (f->speech);
  g_assert_cmpuint (g_bytes_get_size (samples), >, 250 * BYTES_PER_MS);
  g_assert_cmpuint (g_bytes_get_size (samples), <, 1500 * BYTES_PER_MS);
}

static void
test_important_never_cut (Fixture      *f,
                          gconstpointer data)
{
  const char *const expected[] = {
    "started:Pauze over twee minuten.", "finished:Pauze over twee minuten.:1",
    "started:Opgeslagen.", "finished:Opgeslagen.:1",
    "started:key", "finished:key:1", NULL
  };

  al_speech_say (f->speech, AL_SPEECH_IMPORTANT, "nl", "Pauze over twee minuten.");
  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", "dropped by the key");
  wait_for_event (f, "started:Pauze over twee minuten.");
  al_speech_cancel (f->speech);
  al_speech_say (f->speech, AL_SPEECH_IMPORTANT, "nl", "Opgeslagen.");
  run_for (100);
  al_speech_say (f->speech, AL_SPEECH_INTERRUPT, "en", "key");
  g_assert_true (al_speech_wait_idle (f->speech, 10000));
  assert_events (f, expected);
}

static void
test_important_goes_first (Fixture      *f,
                           gconstpointer data)
{
  const char *const expected[] = {
    "started:first", "finished:first:1",
    "started:error", "finished:error:1",
    "started:second", "finished:second:1", NULL
  };

  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", "first");
  wait_for_event (f, "started:first");
  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", "second");
  al_speech_say (f->speech, AL_SPEECH_IMPORTANT, "en", "error");
  g_assert_true (al_speech_wait_idle (f->speech, 5000));
  assert_events (f, expected);
}

static void
test_cancel_latency (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GBytes) before = NULL;
  g_autoptr (GBytes) after = NULL;
  gint64 cancelled;
  gsize extra;

  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", LONG_EN);
  wait_for_event (f, "started:" LONG_EN);
  run_for (400);
  before = al_speech_dup_samples (f->speech);
  cancelled = g_get_monotonic_time ();
  al_speech_cancel (f->speech);
  wait_for_event (f, "finished:" LONG_EN ":0");
  g_test_message ("cancel to end of utterance: %.1f ms", (f->last_finished_us - cancelled) / 1000.0);
  g_assert_cmpint (f->last_finished_us - cancelled, <, 200 * 1000);
  g_assert_false (al_speech_get_speaking (f->speech));

  /* Silence: the sink gets hardly any audio after the cancel. */
  run_for (300);
  after = al_speech_dup_samples (f->speech);
  g_assert_cmpuint (g_bytes_get_size (before), >, 300 * BYTES_PER_MS);
  extra = g_bytes_get_size (after) - g_bytes_get_size (before);
  g_test_message ("audio after cancel: %.1f ms", extra / BYTES_PER_MS);
  g_assert_cmpuint (extra, <, 100 * BYTES_PER_MS);
}

static void
test_volume_scales_audio (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr (GBytes) loud = NULL;
  g_autoptr (GBytes) all = NULL;
  const gint16 *s;
  gsize n_loud, n_all;
  double sum_loud = 0, sum_quiet = 0;

  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", "volume");
  g_assert_true (al_speech_wait_idle (f->speech, 5000));
  loud = al_speech_dup_samples (f->speech);
  al_speech_set_volume (f->speech, 25);
  g_assert_cmpint (al_speech_get_volume (f->speech), ==, 25);
  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", "volume");
  g_assert_true (al_speech_wait_idle (f->speech, 5000));
  all = al_speech_dup_samples (f->speech);

  s = g_bytes_get_data (all, &n_all);
  n_all /= 2;
  n_loud = g_bytes_get_size (loud) / 2;
  g_assert_cmpuint (n_loud, >, 0);
  g_assert_cmpuint (n_all, >, n_loud);
  for (gsize i = 0; i < n_all; i++)
    {
      if (i < n_loud)
        sum_loud += ABS (s[i]);
      else
        sum_quiet += ABS (s[i]);
    }
  sum_loud /= n_loud;
  sum_quiet /= n_all - n_loud;
  g_assert_cmpfloat (sum_quiet, >, sum_loud * 0.15);
  g_assert_cmpfloat (sum_quiet, <, sum_loud * 0.35);
}

/* Reads `sox FILE -n stat` values; with @trim, after cutting the silence
 * at the end (eSpeak NG's own WAV files end in a pause). */
static void
sox_stat (const char *path,
          gboolean    trim,
          double     *length,
          double     *rms)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  const char *plain[] = { "sox", path, "-n", "stat", NULL };
  const char *trimmed[] = { "sox", path, "-n", "reverse", "silence", "1", "0.01", "0.1%",
                            "reverse", "stat", NULL };
  const char *p;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) (trim ? trimmed : plain), NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  p = strstr (err, "Length (seconds):");
  g_assert_nonnull (p);
  *length = g_ascii_strtod (p + strlen ("Length (seconds):"), NULL);
  p = strstr (err, "RMS     amplitude:");
  g_assert_nonnull (p);
  *rms = g_ascii_strtod (p + strlen ("RMS     amplitude:"), NULL);
}

/* The reference: the espeak-ng program speaking the same text. */
static double
reference_length (const char *dir,
                  const char *voice,
                  const char *text)
{
  g_autofree char *path = g_strdup_printf ("%s/ref-%s.wav", dir, voice);
  const char *argv[] = { "espeak-ng", "-v", voice, "-w", path, text, NULL };
  double length, rms;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  sox_stat (path, TRUE, &length, &rms);
  g_unlink (path);
  return length;
}

static double
render_to_wav (const char *path,
               int         rate,
               const char *language,
               const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sink = g_strconcat ("file:", path, NULL);
  AlSpeech *speech = al_speech_new (sink, &error);
  double length, rms;

  g_assert_no_error (error);
  al_speech_set_rate (speech, rate);
  al_speech_say (speech, AL_SPEECH_QUEUE, language, text);
  g_assert_true (al_speech_wait_idle (speech, 10000));
  /* Finalizing ends the stream, which completes the WAV header. */
  g_assert_finalize_object (speech);
  sox_stat (path, FALSE, &length, &rms);
  g_test_message ("%s at %d wpm: %.2f s, RMS %.4f", language, rate, length, rms);
  g_assert_cmpfloat (rms, >, 0.02);
  return length;
}

static void
test_dutch_wav (void)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-speech-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dutch.wav", NULL);
  g_autofree char *fast = g_build_filename (dir, "fast.wav", NULL);
  double length, fast_length;

  length = render_to_wav (path, AL_SPEECH_RATE_DEFAULT, "nl", DUTCH);
  g_assert_cmpfloat (length, >, 2.0);
  g_assert_cmpfloat (length, <, 8.0);

  /* The rate setting reaches eSpeak NG. */
  fast_length = render_to_wav (fast, 350, "nl", DUTCH);
  g_assert_cmpfloat (fast_length, <, length * 0.7);

  /* A Dutch voice spoke: the sentence is as long as espeak-ng -v nl makes
   * it, not as long as the English voice reading the same letters. */
  {
    double ours, rms, nl, en;

    sox_stat (path, TRUE, &ours, &rms);
    nl = reference_length (dir, "nl", DUTCH);
    en = reference_length (dir, "en", DUTCH);
    g_test_message ("speech length: ours %.3f s, espeak-ng nl %.3f s, en %.3f s", ours, nl, en);
    g_assert_cmpfloat (fabs (ours - nl), <, 0.05);
    g_assert_cmpfloat (fabs (ours - en), >, 0.2);
  }

  g_unlink (path);
  g_unlink (fast);
  g_rmdir (dir);
}

static void
test_log_format (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "speech.log", NULL);
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  gint64 before = al_process_uptime_ms ();
  gint64 previous = 0;
  const char *want[][3] = {
    { "queue", "en", LONG_EN },
    { "important", "nl", "Fout: een tab" },
    { "interrupt", "nl", "Vak drie" },
  };

  g_assert_true (al_speech_set_log (f->speech, path, &error));
  g_assert_no_error (error);
  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", LONG_EN);
  al_speech_say (f->speech, AL_SPEECH_QUEUE, "en", "cancelled before it started");
  wait_for_event (f, "started:" LONG_EN);
  al_speech_say (f->speech, AL_SPEECH_INTERRUPT, "nl", "Vak drie");
  /* Important utterances go ahead of everything that waits. */
  al_speech_say (f->speech, AL_SPEECH_IMPORTANT, "nl", "Fout:\teen tab");
  g_assert_true (al_speech_wait_idle (f->speech, 10000));

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_suffix (contents, "\n"));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");
  for (guint i = 0; i < 3; i++)
    {
      g_auto (GStrv) cols = g_strsplit (lines[i], "\t", -1);
      guint64 ms;

      g_assert_cmpuint (g_strv_length (cols), ==, 4);
      g_assert_true (g_ascii_string_to_unsigned (cols[0], 10, 0, G_MAXINT64, &ms, NULL));
      g_assert_cmpint ((gint64) ms, >=, MAX (before, previous));
      g_assert_cmpint ((gint64) ms, <=, al_process_uptime_ms ());
      previous = ms;
      g_assert_cmpstr (cols[1], ==, want[i][0]);
      g_assert_cmpstr (cols[2], ==, want[i][1]);
      g_assert_cmpstr (cols[3], ==, want[i][2]);
    }
}

/* Earcons are tones of tens of milliseconds on the speech output, distinct
 * from each other, and logged with "earcon" in the language column. */
static void
test_earcons (Fixture      *f,
              gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "speech.log", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GBytes) samples = NULL;
  gsize n_saved = 0, n_next = 0, n_error = 0;
  g_autofree gint16 *saved = al_earcon_render (AL_EARCON_SAVED, 22050, &n_saved);
  g_autofree gint16 *next = al_earcon_render (AL_EARCON_NEXT_TASK, 22050, &n_next);
  g_autofree gint16 *err = al_earcon_render (AL_EARCON_ERROR, 22050, &n_error);
  gsize all = n_saved + n_next + n_error;
  gint16 peak = 0;

  g_assert_true (saved != NULL && next != NULL && err != NULL);

  g_assert_cmpuint (n_saved, !=, n_next);
  g_assert_cmpuint (n_next, !=, n_error);
  g_assert_cmpuint (n_saved * 1000 / 22050, <, 150);
  g_assert_cmpuint (n_error * 1000 / 22050, <, 150);
  for (gsize i = 0; i < n_saved; i++)
    peak = MAX (peak, ABS (saved[i]));
  g_assert_cmpint (peak, >, 8000);
  /* Faded in and out: no click at either end. */
  g_assert_cmpint (ABS (saved[0]), <, 100);
  g_assert_cmpint (ABS (err[n_error - 1]), <, 100);

  g_assert_true (al_speech_set_log (f->speech, path, &error));
  al_speech_play_earcon (f->speech, AL_SPEECH_QUEUE, AL_EARCON_SAVED, "nl", "Opgeslagen");
  al_speech_play_earcon (f->speech, AL_SPEECH_QUEUE, AL_EARCON_NEXT_TASK, "nl", NULL);
  al_speech_play_earcon (f->speech, AL_SPEECH_IMPORTANT, AL_EARCON_ERROR, "nl", NULL);
  g_assert_true (al_speech_wait_idle (f->speech, 5000));
  samples = al_speech_dup_samples (f->speech);
  /* The memory sink is at the output's rate after audioresample; allow a
   * few milliseconds of rounding per tone. */
  g_assert_cmpuint (g_bytes_get_size (samples), >=, (all * 1000 / 22050 - 10) * BYTES_PER_MS);
  g_assert_cmpuint (g_bytes_get_size (samples), <=, (all * 1000 / 22050 + 30) * BYTES_PER_MS);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\tqueue\tearcon\tsaved\n"));
  g_assert_nonnull (strstr (contents, "\tqueue\tearcon\tnext-task\n"));
  g_assert_nonnull (strstr (contents, "\timportant\tearcon\terror\n"));
}

static void
test_uptime (void)
{
  gint64 ms = al_process_uptime_ms ();

  /* The test process started moments ago. */
  g_assert_cmpint (ms, >=, 0);
  g_assert_cmpint (ms, <, 60 * 1000);
  g_usleep (50 * 1000);
  g_assert_cmpint (al_process_uptime_ms () - ms, >=, 50);
  g_assert_cmpint (al_process_uptime_ms () - ms, <, 1000);
}

static void
test_bad_sink (void)
{
  g_autoptr (GError) error = NULL;
  AlSpeech *speech = al_speech_new ("loudspeaker", &error);

  g_assert_null (speech);
  g_assert_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_SINK);
  g_assert_nonnull (strstr (error->message, "loudspeaker"));
  g_clear_error (&error);

  speech = al_speech_new ("file:", &error);
  g_assert_null (speech);
  g_assert_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_SINK);
}

static void
test_one_engine (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  AlSpeech *second = al_speech_new ("none", &error);

  g_assert_null (second);
  g_assert_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_BUSY);
}

static void
on_notice (AlSpeech   *speech,
           const char *message,
           guint      *count)
{
  (*count)++;
}

/* Without a sound server "auto" falls back to a silent clock-driven sink;
 * speech still runs and is logged. */
static void
test_auto_sink (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("annolab-speech-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "speech.log", NULL);
  g_autofree char *contents = NULL;
  AlSpeech *speech = al_speech_new ("auto", &error);
  guint notices = 0;

  g_assert_no_error (error);
  g_signal_connect (speech, "notice", G_CALLBACK (on_notice), &notices);
  g_assert_true (al_speech_set_log (speech, path, &error));
  al_speech_say (speech, AL_SPEECH_INTERRUPT, "en", "hello");
  g_assert_true (al_speech_wait_idle (speech, 5000));
  g_assert_cmpuint (notices, ==, al_speech_get_notice (speech) ? 1 : 0);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\tinterrupt\ten\thello\n"));
  g_assert_finalize_object (speech);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_speechd_without_daemon (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("annolab-speech-XXXXXX", NULL);
  g_autofree char *address = g_strdup_printf ("unix_socket:%s/none", dir);
  AlSpeech *speech;

  /* No dispatcher listens at this address: a clean error, no hang. */
  g_setenv ("SPEECHD_ADDRESS", address, TRUE);
  speech = al_speech_new ("speechd", &error);
  g_unsetenv ("SPEECHD_ADDRESS");
  g_assert_null (speech);
  g_assert_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_BACKEND);
  g_rmdir (dir);
}

#ifdef HAVE_SPEECHD
/* ---- A stand-in Speech Dispatcher speaking SSIP on a Unix socket ----
 * Commands are case-insensitive in SSIP; the fake compares them so. */

typedef struct
{
  GSocket *listener;
  GThread *thread;
  GMutex mutex;
  GPtrArray *lines;   /* commands received, and "TEXT:..." for spoken text */
  gboolean quit;
} FakeSpeechd;

static void
fake_send (GSocket    *socket,
           const char *text)
{
  g_socket_send_with_blocking (socket, text, strlen (text), TRUE, NULL, NULL);
}

static void
fake_record (FakeSpeechd *fake,
             const char  *line)
{
  g_mutex_lock (&fake->mutex);
  g_ptr_array_add (fake->lines, g_strdup (line));
  g_mutex_unlock (&fake->mutex);
}

/* Each message "speaks" for 300 ms, then ends, unless stopped. */
static gpointer
fake_speechd_thread (gpointer data)
{
  FakeSpeechd *fake = data;
  g_autoptr (GSocket) client = g_socket_accept (fake->listener, NULL, NULL);
  g_autoptr (GString) pending = g_string_new (NULL);
  g_autoptr (GString) text = g_string_new (NULL);
  gboolean receiving = FALSE;
  int next_id = 1;
  int speaking = 0;
  gint64 end_at = 0;

  if (client == NULL)
    return NULL;
  while (!g_atomic_int_get (&fake->quit))
    {
      char buf[4096];
      gssize n;
      char *eol;

      if (speaking && g_get_monotonic_time () >= end_at)
        {
          g_autofree char *ev = g_strdup_printf ("702-%d\r\n702-1\r\n702 END\r\n", speaking);
          fake_send (client, ev);
          speaking = 0;
        }
      if (!g_socket_condition_timed_wait (client, G_IO_IN, 5000, NULL, NULL))
        continue;
      n = g_socket_receive (client, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        break;
      g_string_append_len (pending, buf, n);
      while ((eol = strstr (pending->str, "\r\n")) != NULL)
        {
          g_autofree char *line = g_strndup (pending->str, eol - pending->str);
          g_string_erase (pending, 0, eol - pending->str + 2);

          if (receiving)
            {
              if (g_str_equal (line, "."))
                {
                  g_autofree char *reply = g_strdup_printf ("225-%d\r\n225 OK MESSAGE QUEUED\r\n", next_id);
                  g_autofree char *begin = g_strdup_printf ("701-%d\r\n701-1\r\n701 BEGIN\r\n", next_id);
                  g_autofree char *spoken = g_strconcat ("TEXT:", text->str, NULL);

                  receiving = FALSE;
                  fake_record (fake, spoken);
                  fake_send (client, reply);
                  fake_send (client, begin);
                  speaking = next_id++;
                  end_at = g_get_monotonic_time () + 300 * 1000;
                }
              else
                g_string_append (text, line);
              continue;
            }
          fake_record (fake, line);
          if (g_ascii_strcasecmp (line, "SPEAK") == 0)
            {
              receiving = TRUE;
              g_string_truncate (text, 0);
              fake_send (client, "230 OK RECEIVING DATA\r\n");
            }
          else if (g_ascii_strcasecmp (line, "HISTORY GET CLIENT_ID") == 0)
            fake_send (client, "245-1\r\n245 OK CLIENT ID SENT\r\n");
          else if (g_ascii_strncasecmp (line, "STOP", 4) == 0)
            {
              fake_send (client, "210 OK STOPPED\r\n");
              if (speaking)
                {
                  g_autofree char *ev = g_strdup_printf ("703-%d\r\n703-1\r\n703 CANCELED\r\n", speaking);
                  fake_send (client, ev);
                  speaking = 0;
                }
            }
          else if (g_ascii_strcasecmp (line, "QUIT") == 0)
            {
              fake_send (client, "231 HAPPY HACKING\r\n");
              return NULL;
            }
          else
            fake_send (client, "200 OK\r\n");
        }
    }
  return NULL;
}

static FakeSpeechd *
fake_speechd_start (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (path);
  FakeSpeechd *fake = g_new0 (FakeSpeechd, 1);

  g_mutex_init (&fake->mutex);
  fake->lines = g_ptr_array_new_with_free_func (g_free);
  fake->listener = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (fake->listener, address, TRUE, &error));
  g_assert_true (g_socket_listen (fake->listener, &error));
  fake->thread = g_thread_new ("fake-speechd", fake_speechd_thread, fake);
  return fake;
}

static void
fake_speechd_stop (FakeSpeechd *fake)
{
  g_atomic_int_set (&fake->quit, TRUE);
  g_thread_join (fake->thread);
  g_object_unref (fake->listener);
  g_ptr_array_unref (fake->lines);
  g_mutex_clear (&fake->mutex);
  g_free (fake);
}

static gboolean
fake_heard (FakeSpeechd *fake,
            const char  *line)
{
  gboolean found = FALSE;

  g_mutex_lock (&fake->mutex);
  for (guint i = 0; i < fake->lines->len && !found; i++)
    found = g_ascii_strcasecmp (g_ptr_array_index (fake->lines, i), line) == 0;
  g_mutex_unlock (&fake->mutex);
  return found;
}

static void
test_speechd_backend (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("annolab-speech-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "speechd.sock", NULL);
  g_autofree char *address = g_strconcat ("unix_socket:", path, NULL);
  FakeSpeechd *fake = fake_speechd_start (path);
  Fixture f = { 0, };
  const char *const expected[] = {
    "started:Eerste zin.", "finished:Eerste zin.:1",
    "started:Een lange zin die wordt afgebroken.", "finished:Een lange zin die wordt afgebroken.:0",
    "started:toets", "finished:toets:1", NULL
  };

  g_setenv ("SPEECHD_ADDRESS", address, TRUE);
  f.speech = al_speech_new ("speechd", &error);
  g_unsetenv ("SPEECHD_ADDRESS");
  g_assert_no_error (error);
  f.events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f.speech, "utterance-started", G_CALLBACK (on_started), &f);
  g_signal_connect (f.speech, "utterance-finished", G_CALLBACK (on_finished), &f);
  g_assert_null (al_speech_get_sink_pad (f.speech));

  al_speech_set_rate (f.speech, 450);
  al_speech_say (f.speech, AL_SPEECH_QUEUE, "nl", "Eerste zin.");
  g_assert_true (al_speech_wait_idle (f.speech, 5000));
  g_assert_true (fake_heard (fake, "TEXT:Eerste zin."));
  g_assert_true (fake_heard (fake, "SET self LANGUAGE nl"));
  g_assert_true (fake_heard (fake, "SET self RATE 100"));
  g_assert_true (fake_heard (fake, "SET self PRIORITY message"));

  al_speech_say (f.speech, AL_SPEECH_QUEUE, "nl", "Een lange zin die wordt afgebroken.");
  wait_for_event (&f, "started:Een lange zin die wordt afgebroken.");
  run_for (50);
  al_speech_say (f.speech, AL_SPEECH_INTERRUPT, "nl", "toets");
  g_assert_true (al_speech_wait_idle (f.speech, 5000));
  assert_events (&f, expected);
  g_assert_true (fake_heard (fake, "STOP self"));
  g_assert_true (fake_heard (fake, "TEXT:toets"));

  g_assert_finalize_object (f.speech);
  g_ptr_array_unref (f.events);
  fake_speechd_stop (fake);
  g_unlink (path);
  g_rmdir (dir);
}
#endif

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

#define ADD(path, func, sink) \
  g_test_add (path, Fixture, sink, fixture_set_up, func, fixture_tear_down)

  ADD ("/speech/queue-in-order", test_queue_plays_in_order, NULL);
  ADD ("/speech/interrupt-cuts-queue", test_interrupt_cuts_queue, NULL);
  ADD ("/speech/important-never-cut", test_important_never_cut, NULL);
  ADD ("/speech/important-goes-first", test_important_goes_first, NULL);
  ADD ("/speech/cancel-latency", test_cancel_latency, NULL);
  ADD ("/speech/volume", test_volume_scales_audio, NULL);
  ADD ("/speech/log-format", test_log_format, NULL);
  ADD ("/speech/one-engine", test_one_engine, NULL);
  ADD ("/speech/earcons", test_earcons, NULL);
  g_test_add_func ("/speech/uptime", test_uptime);
  g_test_add_func ("/speech/dutch-wav", test_dutch_wav);
  g_test_add_func ("/speech/bad-sink", test_bad_sink);
  g_test_add_func ("/speech/auto-sink", test_auto_sink);
  g_test_add_func ("/speech/speechd-without-daemon", test_speechd_without_daemon);
#ifdef HAVE_SPEECHD
  g_test_add_func ("/speech/speechd-backend", test_speechd_backend);
#endif
  return g_test_run ();
}
