/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-editor.h"

G_BEGIN_DECLS

#define AL_TYPE_TRANSCRIBE_EDITOR (al_transcribe_editor_get_type ())
G_DECLARE_FINAL_TYPE (AlTranscribeEditor, al_transcribe_editor, AL, TRANSCRIBE_EDITOR, GtkWidget)

/* @sink: "auto" (the sound card, or silence with a notice) or "none". */
AlTranscribeEditor *al_transcribe_editor_new (const char *sink);

G_END_DECLS
