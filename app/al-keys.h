/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "al-editor.h"
#include "al-keymap.h"

G_BEGIN_DECLS

/* The key map of the workstation: every window action ("win.submit",
 * al-window-actions.c), every box task action ("box.new",
 * al-box-canvas.c) and every transcription action
 * ("transcribe.play-pause") with its default keys and its line in the key
 * help, and the overrides of a key file.
 *
 * @path: a key file, or NULL for none. When it cannot be used, the
 * defaults stand and @problem says why, naming the file and line. A
 * missing file is only a problem when @must_exist. */
AlKeymap *al_keys_load (const char *path, gboolean must_exist, char **problem);

/* One line of the key help: "Ctrl+Enter" and "submit". */
typedef struct
{
  char *keys;
  char *what;
  gboolean window;  /* the window's, not the task's */
} AlKeyHelp;

void al_key_help_free (AlKeyHelp *line);

/* The key help (F1), in the keys in force and the person's language: the
 * lines of the task in @editor (NULL: none) for the task it shows, then the
 * window's. Actions next to each other that do alike share a line. */
GPtrArray *al_keys_help (AlKeymap *keymap, AlEditor *editor);
/* The lines as text, "keys: what" each, a blank line before the window's. */
char *al_keys_help_text (GPtrArray *lines);

/* "Submit (Ctrl+Enter)": @label (translated) with the keys of @action, or
 * @label alone when it has none. */
char *al_keys_label (AlKeymap *keymap, const char *label, const char *action);
/* The keys of @action for people ("Ctrl+Enter"), "(no key)" for none. */
char *al_keys_of (AlKeymap *keymap, const char *action);

G_END_DECLS
