/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <gst/gst.h>

#include "al-speech-priority.h"
#include "al-earcon.h"

G_BEGIN_DECLS

#define AL_SPEECH_ERROR (al_speech_error_quark ())
GQuark al_speech_error_quark (void);

typedef enum
{
  AL_SPEECH_ERROR_FAILED,
  AL_SPEECH_ERROR_SINK,     /* the sink option is not understood or cannot be built */
  AL_SPEECH_ERROR_BUSY,     /* another AlSpeech owns eSpeak NG in this process */
  AL_SPEECH_ERROR_BACKEND,  /* eSpeak NG or Speech Dispatcher is not available */
  AL_SPEECH_ERROR_LOG,
} AlSpeechError;

#define AL_SPEECH_RATE_MIN 80
#define AL_SPEECH_RATE_MAX 450
#define AL_SPEECH_RATE_DEFAULT 175

#define AL_TYPE_SPEECH (al_speech_get_type ())
G_DECLARE_FINAL_TYPE (AlSpeech, al_speech, AL, SPEECH, GObject)

/* sink: "auto", "none", "memory", "file:PATH" or "speechd". */
AlSpeech   *al_speech_new               (const char        *sink,
                                         GError           **error);
void        al_speech_say               (AlSpeech          *self,
                                         AlSpeechPriority   priority,
                                         const char        *language,
                                         const char        *text);
/* A short tone instead of words, queued like an utterance and logged with
 * "earcon" as its language. @word is said instead where tones cannot be
 * played (Speech Dispatcher). */
void        al_speech_play_earcon       (AlSpeech          *self,
                                         AlSpeechPriority   priority,
                                         AlEarcon           earcon,
                                         const char        *language,
                                         const char        *word);
void        al_speech_cancel            (AlSpeech          *self);
void        al_speech_set_rate          (AlSpeech          *self,
                                         int                words_per_minute);
int         al_speech_get_rate          (AlSpeech          *self);
void        al_speech_set_pitch         (AlSpeech          *self,
                                         int                pitch);
int         al_speech_get_pitch         (AlSpeech          *self);
void        al_speech_set_volume        (AlSpeech          *self,
                                         int                volume);
int         al_speech_get_volume        (AlSpeech          *self);
gboolean    al_speech_get_speaking      (AlSpeech          *self);
/* TRUE when nothing is queued or being said, as the speech thread sees it
 * now; "speaking" follows on the main context a moment later. */
gboolean    al_speech_get_idle          (AlSpeech          *self);
const char *al_speech_get_notice        (AlSpeech          *self);
gboolean    al_speech_set_log           (AlSpeech          *self,
                                         const char        *path,
                                         GError           **error);

/* For tests and benchmarks. The pad is the audio sink's sink pad
 * (NULL for the speechd backend). */
GstPad     *al_speech_get_sink_pad      (AlSpeech          *self);
GBytes     *al_speech_dup_samples       (AlSpeech          *self);
gboolean    al_speech_wait_idle         (AlSpeech          *self,
                                         guint              timeout_ms);

/* TRUE when a screen reader (Orca) is running for this session. */
gboolean    al_speech_screen_reader_running (void);

G_END_DECLS
