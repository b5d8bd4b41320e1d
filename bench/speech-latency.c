/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "al-speech.h"

/* Simulated key presses, each an interrupt while the previous answer is
 * still speaking. For each press it measures, at the audio sink:
 *   first  - the first buffer of the new utterance reaching the sink pad,
 *   render - that buffer being rendered (fakesink handoff, after clock sync),
 *   silence - the flush that ends the previous utterance reaching the sink. */

typedef struct
{
  GMutex mutex;
  gint64 pressed;
  gboolean expect_flush;
  gboolean flushed;
  gint64 first;
  gint64 render;
  gint64 silence;
} Press;

static Press press;

static GstPadProbeReturn
on_probe (GstPad          *pad,
          GstPadProbeInfo *info,
          gpointer         data)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&press.mutex);
  if (press.pressed != 0)
    {
      if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
        {
          /* Buffers of the old utterance may still arrive before the flush. */
          if (press.first == 0 && (!press.expect_flush || press.flushed))
            press.first = now;
        }
      else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_FLUSH_START)
        {
          if (press.silence == 0)
            press.silence = now;
        }
      else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_FLUSH_STOP)
        press.flushed = TRUE;
    }
  g_mutex_unlock (&press.mutex);
  return GST_PAD_PROBE_OK;
}

static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    data)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&press.mutex);
  if (press.first != 0 && press.render == 0)
    press.render = now;
  g_mutex_unlock (&press.mutex);
}

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
report (const char *what,
        GArray     *values)
{
  double *v = (double *) (void *) values->data;
  guint n = values->len;

  if (n == 0)
    {
      g_print ("%-42s %5u %9s %9s %9s\n", what, n, "-", "-", "-");
      return;
    }
  qsort (v, n, sizeof (double), compare);
  g_print ("%-42s %5u %9.2f %9.2f %9.2f\n", what, n, v[n / 2],
           v[MIN (n - 1, (guint) (n * 0.95))], v[n - 1]);
}

static void
run_main_context (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) render = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) silence = g_array_new (FALSE, FALSE, sizeof (double));
  const char *sink = argc > 1 ? argv[1] : "none";
  int presses = argc > 2 ? atoi (argv[2]) : 100;
  g_autoptr (AlSpeech) speech = NULL;
  GstPad *pad;
  GstElement *element;

  gst_init (&argc, &argv);
  g_mutex_init (&press.mutex);
  speech = al_speech_new (sink, &error);
  if (speech == NULL)
    {
      g_printerr ("speech-latency: %s\n", error->message);
      return 1;
    }
  pad = al_speech_get_sink_pad (speech);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
                     on_probe, NULL, NULL);
  element = gst_pad_get_parent_element (pad);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), "signal-handoffs"))
    {
      g_object_set (element, "signal-handoffs", TRUE, NULL);
      g_signal_connect (element, "handoff", G_CALLBACK (on_handoff), NULL);
    }
  gst_object_unref (element);

  /* Warm up: load both voices once. */
  al_speech_say (speech, AL_SPEECH_QUEUE, "nl", "Klaar.");
  al_speech_say (speech, AL_SPEECH_QUEUE, "en", "Ready.");
  al_speech_wait_idle (speech, 5000);

  for (int i = 0; i < presses; i++)
    {
      g_autofree char *text = g_strdup_printf ("Box %d of %d, top left corner at %d by %d pixels, "
                                               "label coin, confidence high.", i + 1, presses,
                                               i * 7 % 640, i * 13 % 480);
      gboolean speaking = i > 0;

      g_mutex_lock (&press.mutex);
      press.first = press.render = press.silence = 0;
      press.flushed = FALSE;
      press.expect_flush = speaking;
      press.pressed = g_get_monotonic_time ();
      g_mutex_unlock (&press.mutex);

      al_speech_say (speech, AL_SPEECH_INTERRUPT, "en", text);
      /* Presses come 150 to 250 ms apart: each cuts the one before. */
      run_main_context (150 + g_random_int_range (0, 100));

      g_mutex_lock (&press.mutex);
      if (press.first)
        g_array_append_val (first, (double) { (press.first - press.pressed) / 1000.0 });
      if (press.render)
        g_array_append_val (render, (double) { (press.render - press.pressed) / 1000.0 });
      if (speaking && press.silence)
        g_array_append_val (silence, (double) { (press.silence - press.pressed) / 1000.0 });
      press.pressed = 0;
      g_mutex_unlock (&press.mutex);
    }
  al_speech_cancel (speech);
  al_speech_wait_idle (speech, 5000);

  g_print ("sink: %s%s\n", sink, al_speech_get_notice (speech) ? " (no audio device: fake sink)" : "");
  g_print ("%-42s %5s %9s %9s %9s\n", "milliseconds from key press", "n", "median", "p95", "max");
  report ("(a) first new audio buffer at sink pad", first);
  report ("    first new audio buffer rendered", render);
  report ("(b) old utterance silenced (flush at sink)", silence);
  return 0;
}
