/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-a11y"
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "al-speech.h"
#include "al-speech-log.h"

struct _AlSpeechLog
{
  GMutex mutex;
  FILE *file;
};

/* The process start time in milliseconds on CLOCK_BOOTTIME, which is the
 * clock that /proc/uptime and the starttime field of /proc/self/stat use.
 * Without /proc, the first call stands in for the start. */
static gint64
process_start_ms (void)
{
  static gsize once = 0;
  static gint64 start_ms;

  if (g_once_init_enter (&once))
    {
      g_autofree char *stat = NULL;
      gint64 ms = -1;

      if (g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
        {
          /* The command name may hold spaces and parentheses: skip past the last ')'. */
          const char *p = strrchr (stat, ')');
          g_auto (GStrv) fields = p ? g_strsplit (p + 2, " ", 0) : NULL;

          /* Field 22 of the file is starttime; fields[0] here is field 3. */
          if (fields && g_strv_length (fields) > 19)
            {
              guint64 ticks = g_ascii_strtoull (fields[19], NULL, 10);
              long hz = sysconf (_SC_CLK_TCK);
              if (hz > 0)
                ms = (gint64) (ticks * 1000 / (guint64) hz);
            }
        }
      if (ms < 0)
        {
          struct timespec ts;
          clock_gettime (CLOCK_BOOTTIME, &ts);
          ms = (gint64) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        }
      start_ms = ms;
      g_once_init_leave (&once, 1);
    }
  return start_ms;
}

gint64
al_process_uptime_ms (void)
{
  struct timespec ts;
  gint64 start = process_start_ms ();

  clock_gettime (CLOCK_BOOTTIME, &ts);
  return MAX (0, (gint64) ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - start);
}

AlSpeechLog *
al_speech_log_open (const char  *path,
                    GError     **error)
{
  FILE *file;
  AlSpeechLog *log;

  g_return_val_if_fail (path != NULL, NULL);

  process_start_ms ();
  file = fopen (path, "ae");
  if (file == NULL)
    {
      int saved = errno;
      g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_LOG,
                   "Cannot open speech log %s: %s", path, g_strerror (saved));
      return NULL;
    }
  log = g_new0 (AlSpeechLog, 1);
  g_mutex_init (&log->mutex);
  log->file = file;
  return log;
}

void
al_speech_log_write (AlSpeechLog *log,
                     const char  *priority,
                     const char  *language,
                     const char  *text)
{
  g_autofree char *clean = g_strdup (text);

  /* Keep exactly one line with four columns. */
  g_strdelimit (clean, "\t\r\n", ' ');
  g_mutex_lock (&log->mutex);
  fprintf (log->file, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\n",
           al_process_uptime_ms (), priority, language, clean);
  fflush (log->file);
  g_mutex_unlock (&log->mutex);
}

void
al_speech_log_close (AlSpeechLog *log)
{
  if (log == NULL)
    return;
  fclose (log->file);
  g_mutex_clear (&log->mutex);
  g_free (log);
}
