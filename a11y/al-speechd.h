/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-speech.h"

G_BEGIN_DECLS

/* Speech through Speech Dispatcher, for people who also run Orca. Used by
 * the speech thread only; AlSpeech keeps the queue and priorities. */
typedef struct _AlSpeechd AlSpeechd;

AlSpeechd *al_speechd_new        (GError           **error);
void       al_speechd_free       (AlSpeechd         *sd);
gboolean   al_speechd_speak      (AlSpeechd         *sd,
                                  AlSpeechPriority   priority,
                                  const char        *language,
                                  int                rate,
                                  int                pitch,
                                  const char        *text,
                                  int               *abort);
void       al_speechd_set_volume (AlSpeechd         *sd,
                                  int                volume);

G_END_DECLS
