/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "al-editor.h"

G_BEGIN_DECLS

#define AL_TYPE_DRAFT_WORDS (al_draft_words_get_type ())
G_DECLARE_FINAL_TYPE (AlDraftWords, al_draft_words, AL, DRAFT_WORDS, GObject)

/* A model's draft transcript in a transcription editor's text field: its
 * unsure words marked (underlined and shaded) and keys to go to them, to go
 * word by word and to hear a word; in voice mode the draft is read out
 * after the recording has played. @editor speaks (announce), @view holds
 * the text and @player ("finished") plays the recording. None is owned. */
AlDraftWords      *al_draft_words_new          (AlEditor    *editor,
                                                GtkTextView *view,
                                                GObject     *player);
/* The note that says the text is a model's proposal; hidden without one. */
GtkWidget         *al_draft_words_get_note     (AlDraftWords *self);
/* Large text: a note of one line, from the next task on. */
void               al_draft_words_set_compact  (AlDraftWords *self,
                                                gboolean      compact);
/* The text a task opens with when there is no draft: its proposal's. */
const char        *al_draft_words_text_of      (AlTask       *task);
/* After the text field holds the task's text: marks the unsure words
 * that are still there, shows the note and says it. */
void               al_draft_words_load         (AlDraftWords *self,
                                                AlTask       *task,
                                                gboolean      voice);
/* Where the draft stands, for "where am I" ("1 unsure word of the model's
 * draft is left."); NULL without a proposal. */
char              *al_draft_words_describe     (AlDraftWords *self);
/* The result's "proposal" mark for @text as it is sent; NULL without a
 * proposal. */
json_t            *al_draft_words_mark         (AlDraftWords *self,
                                                const char   *text);

/* Named actions ("transcribe.next-unsure") with their default keys. */
const AlEditorKey *al_draft_words_default_keys (gsize        *n_keys);
/* FALSE for an action that is not one of these. */
gboolean           al_draft_words_set_keys     (AlDraftWords      *self,
                                                const char        *action,
                                                const char *const *accels);

G_END_DECLS
