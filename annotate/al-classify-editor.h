/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-editor.h"

G_BEGIN_DECLS

#define AL_TYPE_CLASSIFY_EDITOR (al_classify_editor_get_type ())
G_DECLARE_FINAL_TYPE (AlClassifyEditor, al_classify_editor, AL, CLASSIFY_EDITOR, GtkWidget)

/* Shows a photo or plays a recording and offers the task's choices: one
 * toggle button per choice, picked with its digit. @sink as for the
 * transcription editor: "auto" or "none". */
AlClassifyEditor  *al_classify_editor_new          (const char       *sink);
/* Voice mode: a recording plays by itself once the question and the
 * choices have been said. */
void               al_classify_editor_set_voice    (AlClassifyEditor *self,
                                                    gboolean          voice);
void               al_classify_editor_hold         (AlClassifyEditor *self,
                                                    gboolean          hold);
GObject           *al_classify_editor_get_player   (AlClassifyEditor *self);
/* Says the choices of the task shown (after the window said the question). */
void               al_classify_editor_announce_choices (AlClassifyEditor *self);

/* Named actions ("classify.choice-1") with their default keys. */
const AlEditorKey *al_classify_editor_default_keys (gsize            *n_keys);

G_END_DECLS
