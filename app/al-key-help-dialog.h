/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AL_TYPE_KEY_HELP_DIALOG (al_key_help_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AlKeyHelpDialog, al_key_help_dialog, AL, KEY_HELP_DIALOG, GtkWindow)

/* The key help (F1): the help text to read, or with as_list one item a
 * line, for the arrow keys to go through. */
AlKeyHelpDialog *al_key_help_dialog_new              (GtkWindow       *parent,
                                                     const char      *help,
                                                     gboolean         as_list);
/* The close button comes from the window, with its key map label. */
void             al_key_help_dialog_set_close_button (AlKeyHelpDialog *self,
                                                     GtkWidget       *button);
GtkListBox      *al_key_help_dialog_get_list         (AlKeyHelpDialog *self);
guint            al_key_help_dialog_get_n_items      (AlKeyHelpDialog *self);

G_END_DECLS
