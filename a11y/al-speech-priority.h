/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How urgent something spoken is. Editors announce with it, speech
 * queues by it. */
typedef enum
{
  AL_SPEECH_INTERRUPT,  /* key echo, navigation: cuts what is speaking */
  AL_SPEECH_QUEUE,      /* task information: waits its turn */
  AL_SPEECH_IMPORTANT,  /* break warnings, errors: never dropped, never cut */
} AlSpeechPriority;

GType al_speech_priority_get_type (void);
#define AL_TYPE_SPEECH_PRIORITY (al_speech_priority_get_type ())

const char *al_speech_priority_to_string (AlSpeechPriority priority);

G_END_DECLS
