/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends one line per started utterance:
 * milliseconds since process start, priority, language, text. */
typedef struct _AlSpeechLog AlSpeechLog;

AlSpeechLog *al_speech_log_open   (const char  *path,
                                   GError     **error);
void         al_speech_log_write  (AlSpeechLog *log,
                                   const char  *priority,
                                   const char  *language,
                                   const char  *text);
void         al_speech_log_close  (AlSpeechLog *log);

gint64       al_process_uptime_ms (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSpeechLog, al_speech_log_close)

G_END_DECLS
