/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AL_TYPE_PASS_CHOOSER (al_pass_chooser_get_type ())
G_DECLARE_FINAL_TYPE (AlPassChooser, al_pass_chooser, AL, PASS_CHOOSER, GtkWindow)

/* The chooser for the reason a task is passed on. "reason-chosen" gives
 * the reason's code as the store and the server know it; "announce" what
 * voice mode says when the focus moves to a reason. */
AlPassChooser *al_pass_chooser_new              (GtkWindow     *parent);
/* The cancel button comes from the window, with its key map keys. */
void           al_pass_chooser_set_close_button (AlPassChooser *self,
                                                 GtkWidget     *button);
guint          al_pass_chooser_get_n_reasons    (AlPassChooser *self);
/* The first reason gets the focus; it is said with the question. */
const char    *al_pass_chooser_focus_first      (AlPassChooser *self);
gboolean       al_pass_chooser_get_chosen       (AlPassChooser *self);
/* The words for a reason's code. */
const char    *al_pass_reason_words             (const char    *code);

G_END_DECLS
