/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "al-speech.h"

/* Key presses for bench/speech-pulse.py, which records the sound server's
 * monitor and measures there. Each round: from silence, a press that speaks
 * (printed "press TIME"); 300 to 500 ms into that answer, a press that
 * silences it (an interrupt with nothing new to say, printed "cut TIME").
 * TIME is g_get_monotonic_time () in microseconds. */

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
  int presses = argc > 1 ? atoi (argv[1]) : 100;
  g_autoptr (AlSpeech) speech = NULL;

  gst_init (&argc, &argv);
  speech = al_speech_new ("auto", &error);
  if (speech == NULL)
    {
      g_printerr ("speech-monitor: %s\n", error->message);
      return 1;
    }
  if (al_speech_get_notice (speech))
    {
      g_printerr ("speech-monitor: %s\n", al_speech_get_notice (speech));
      return 1;
    }
  al_speech_say (speech, AL_SPEECH_QUEUE, "nl", "Klaar.");
  al_speech_wait_idle (speech, 5000);
  run_main_context (500);

  for (int i = 0; i < presses; i++)
    {
      g_autofree char *text = g_strdup_printf ("Box %d of %d, top left corner at %d by %d pixels, "
                                               "label coin, confidence high.", i + 1, presses,
                                               i * 7 % 640, i * 13 % 480);

      g_print ("press\t%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
      al_speech_say (speech, AL_SPEECH_INTERRUPT, "en", text);
      run_main_context (300 + g_random_int_range (0, 200));
      g_print ("cut\t%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
      al_speech_say (speech, AL_SPEECH_INTERRUPT, "en", "");
      /* Quiet long enough for the next press to start from silence. */
      run_main_context (250 + g_random_int_range (0, 100));
    }
  return 0;
}
