/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-editor.h"

G_BEGIN_DECLS

#define AL_TYPE_REVIEW_EDITOR (al_review_editor_get_type ())
G_DECLARE_FINAL_TYPE (AlReviewEditor, al_review_editor, AL, REVIEW_EDITOR, GtkWidget)

/* Plays a subtitle cue's span of its recording and shows the cue: the
 * worker judges it correct, its text wrong (and corrects it) or its
 * timing wrong (and moves start and end in 100 ms steps). @sink as for
 * the transcription editor: "auto" or "none". */
AlReviewEditor    *al_review_editor_new          (const char     *sink);
/* Voice mode: the span plays by itself, then the cue's text is said in
 * its language. */
void               al_review_editor_set_voice    (AlReviewEditor *self,
                                                  gboolean        voice);
void               al_review_editor_hold         (AlReviewEditor *self,
                                                  gboolean        hold);
GObject           *al_review_editor_get_player   (AlReviewEditor *self);
/* Says which cue and its span (after the window said the task); in voice
 * mode the span then plays, and then the cue's text is said. */
void               al_review_editor_announce_cue (AlReviewEditor *self);

/* Named actions ("review.correct") with their default keys. */
const AlEditorKey *al_review_editor_default_keys (gsize          *n_keys);

G_END_DECLS
