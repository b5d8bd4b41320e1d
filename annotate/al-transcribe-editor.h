/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-editor.h"

G_BEGIN_DECLS

#define AL_TYPE_TRANSCRIBE_EDITOR (al_transcribe_editor_get_type ())
G_DECLARE_FINAL_TYPE (AlTranscribeEditor, al_transcribe_editor, AL, TRANSCRIBE_EDITOR, GtkWidget)

/* @sink: "auto" (the sound card, or silence with a notice) or "none". */
AlTranscribeEditor *al_transcribe_editor_new         (const char         *sink);
/* Voice mode: play each segment as soon as it is ready and say each word
 * typed. Speech holds the playback, so it is never talked over. */
void                al_transcribe_editor_set_voice   (AlTranscribeEditor *self,
                                                      gboolean            voice);

/* What voice mode says while the person types. */
typedef enum
{
  AL_TRANSCRIBE_ECHO_WORDS, /* the default: each word when it is finished */
  AL_TRANSCRIBE_ECHO_NONE,
  AL_TRANSCRIBE_ECHO_CHARACTERS,
} AlTranscribeEcho;

/* Large text: the player buttons show their names without their keys, so
 * that they fit on the screen. */
void                al_transcribe_editor_set_compact (AlTranscribeEditor *self,
                                                      gboolean            compact);
void                al_transcribe_editor_set_echo    (AlTranscribeEditor *self,
                                                      AlTranscribeEcho    echo);
/* Pause playback while the person types; resume after a short rest. */
void                al_transcribe_editor_set_patient (AlTranscribeEditor *self,
                                                      gboolean            patient);
void                al_transcribe_editor_hold        (AlTranscribeEditor *self,
                                                      gboolean            hold);
GObject            *al_transcribe_editor_get_player  (AlTranscribeEditor *self);

/* Named actions ("transcribe.play-pause") with their default keys, as GTK
 * accelerators separated by ";". Other keys come with al_editor_set_keys. */
const AlEditorKey  *al_transcribe_editor_default_keys (gsize             *n_keys);

/* Experienced verbosity: a task's recording is not described when it loads
 * (Ctrl+I still tells), only its language when it is not the session's. */
void al_transcribe_editor_set_brief (AlTranscribeEditor *self,
                                     gboolean            brief);

G_END_DECLS
