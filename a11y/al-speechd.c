/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-a11y"
#include "config.h"

#include "al-speechd.h"

#ifdef HAVE_SPEECHD

#include <libspeechd.h>

struct _AlSpeechd
{
  SPDConnection *conn;
  GMutex mutex;
  GCond cond;
  int waiting_for;   /* message id, or -1 */
  gboolean done;
};

/* libspeechd callbacks carry no user data; there is one connection. */
G_LOCK_DEFINE_STATIC (active);
static AlSpeechd *active;

/* The connection is kept for the life of the process and reused:
 * spd_close in threaded mode cancels libspeechd's reader thread, which can
 * deadlock on the stdio lock, and after a broken socket it closes the
 * descriptor a second time. */
static SPDConnection *kept;

static gboolean
connection_alive (SPDConnection *conn)
{
  /* libspeechd's reader thread clears the stream when the socket breaks. */
  return conn != NULL && conn->stream != NULL;
}

static void
on_event (size_t               msg_id,
          size_t               client_id,
          SPDNotificationType  type)
{
  G_LOCK (active);
  if (active)
    {
      g_mutex_lock (&active->mutex);
      if ((int) msg_id == active->waiting_for)
        {
          active->done = TRUE;
          g_cond_broadcast (&active->cond);
        }
      g_mutex_unlock (&active->mutex);
    }
  G_UNLOCK (active);
}

AlSpeechd *
al_speechd_new (GError **error)
{
  AlSpeechd *sd;
  SPDConnection *conn;
  char *spd_error = NULL;

  G_LOCK (active);
  if (active)
    {
      G_UNLOCK (active);
      g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_BUSY,
                   "Another Speech Dispatcher connection is already open");
      return NULL;
    }
  G_UNLOCK (active);

  /* No autospawn: when no dispatcher runs, the app uses eSpeak NG itself.
   * A dead kept connection is abandoned, not closed (see above). */
  if (connection_alive (kept))
    conn = kept;
  else
    conn = spd_open2 ("annolab", "speech", NULL, SPD_MODE_THREADED, NULL, FALSE, &spd_error);
  if (conn == NULL)
    {
      g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_BACKEND,
                   "Speech Dispatcher is not available: %s",
                   spd_error ? spd_error : "no connection");
      free (spd_error);
      return NULL;
    }
  sd = g_new0 (AlSpeechd, 1);
  sd->conn = conn;
  sd->waiting_for = -1;
  g_mutex_init (&sd->mutex);
  g_cond_init (&sd->cond);
  if (conn != kept)
    {
      conn->callback_end = on_event;
      conn->callback_cancel = on_event;
      spd_set_notification_on (conn, SPD_END);
      spd_set_notification_on (conn, SPD_CANCEL);
      kept = conn;
    }
  G_LOCK (active);
  active = sd;
  G_UNLOCK (active);
  return sd;
}

void
al_speechd_free (AlSpeechd *sd)
{
  if (sd == NULL)
    return;
  G_LOCK (active);
  active = NULL;
  G_UNLOCK (active);
  if (connection_alive (sd->conn))
    spd_cancel (sd->conn);
  g_mutex_clear (&sd->mutex);
  g_cond_clear (&sd->cond);
  g_free (sd);
}

/* Speech Dispatcher takes rate and pitch from -100 to 100, with 0 as the
 * voice's normal value. */
static int
map_rate (int wpm)
{
  if (wpm <= AL_SPEECH_RATE_DEFAULT)
    return (wpm - AL_SPEECH_RATE_DEFAULT) * 100 / (AL_SPEECH_RATE_DEFAULT - AL_SPEECH_RATE_MIN);
  return (wpm - AL_SPEECH_RATE_DEFAULT) * 100 / (AL_SPEECH_RATE_MAX - AL_SPEECH_RATE_DEFAULT);
}

gboolean
al_speechd_speak (AlSpeechd        *sd,
                  AlSpeechPriority  priority,
                  const char       *language,
                  int               rate,
                  int               pitch,
                  const char       *text,
                  int              *abort)
{
  int id;
  gboolean completed = FALSE;

  if (!connection_alive (sd->conn))
    {
      g_message ("The connection to Speech Dispatcher is lost");
      return FALSE;
    }
  spd_set_language (sd->conn, language);
  spd_set_voice_rate (sd->conn, map_rate (rate));
  spd_set_voice_pitch (sd->conn, pitch * 2 - 100);

  g_mutex_lock (&sd->mutex);
  sd->done = FALSE;
  /* Hold the mutex across spd_say so the end event cannot be missed. */
  id = spd_say (sd->conn, priority == AL_SPEECH_IMPORTANT ? SPD_IMPORTANT : SPD_MESSAGE, text);
  sd->waiting_for = id;
  if (id < 0)
    {
      g_mutex_unlock (&sd->mutex);
      g_message ("Speech Dispatcher refused \"%s\"", text);
      return FALSE;
    }
  for (;;)
    {
      if (sd->done)
        {
          completed = TRUE;
          break;
        }
      if (g_atomic_int_get (abort))
        break;
      /* The abort flag is raised on another condition: look every 2 ms. */
      g_cond_wait_until (&sd->cond, &sd->mutex, g_get_monotonic_time () + 2000);
    }
  sd->waiting_for = -1;
  g_mutex_unlock (&sd->mutex);
  if (!completed)
    spd_stop (sd->conn);
  return completed;
}

void
al_speechd_set_volume (AlSpeechd *sd,
                       int        volume)
{
  spd_set_volume (sd->conn, volume * 2 - 100);
}

#else /* !HAVE_SPEECHD */

AlSpeechd *
al_speechd_new (GError **error)
{
  g_set_error (error, AL_SPEECH_ERROR, AL_SPEECH_ERROR_BACKEND,
               "annolab was built without Speech Dispatcher support");
  return NULL;
}

void
al_speechd_free (AlSpeechd *sd)
{
}

gboolean
al_speechd_speak (AlSpeechd        *sd,
                  AlSpeechPriority  priority,
                  const char       *language,
                  int               rate,
                  int               pitch,
                  const char       *text,
                  int              *abort)
{
  return FALSE;
}

void
al_speechd_set_volume (AlSpeechd *sd,
                       int        volume)
{
}

#endif
