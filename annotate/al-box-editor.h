/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-box-canvas.h"
#include "al-editor.h"

G_BEGIN_DECLS

/* Photos larger than this are refused before decoding, so a huge or hostile
 * file cannot exhaust the memory of an old lab PC. */
#define AL_BOX_EDITOR_MAX_PIXELS ((gint64) 100 * 1000 * 1000)

#define AL_TYPE_BOX_EDITOR (al_box_editor_get_type ())
G_DECLARE_FINAL_TYPE (AlBoxEditor, al_box_editor, AL, BOX_EDITOR, GtkWidget)

/* The box task: instructions, the canvas, a legend of labels and a status
 * line that says what is selected. */
AlBoxEditor *al_box_editor_new        (void);
AlBoxCanvas *al_box_editor_get_canvas (AlBoxEditor *self);
/* After a scored task: the photo stays, with the participant's boxes solid
 * and @reference's dashed, a legend that says so and @words (what differs)
 * above the photo. Loading the next task, or end_review, ends it. */
void         al_box_editor_show_review (AlBoxEditor *self,
                                        json_t      *reference,
                                        const char  *words);
void         al_box_editor_end_review  (AlBoxEditor *self);

G_END_DECLS
