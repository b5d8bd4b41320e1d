/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "al-keymap.h"

G_BEGIN_DECLS

/* The key map of the workstation: every window action ("win.submit") and
 * every transcription editor action ("transcribe.play-pause") with its
 * default keys, and the overrides of a key file.
 *
 * @path: a key file, or NULL for none. When it cannot be used, the
 * defaults stand and @problem says why, naming the file and line. A
 * missing file is only a problem when @must_exist. */
AlKeymap *al_keys_load (const char *path, gboolean must_exist, char **problem);
/* The window's part of the key help, in the keys in force. */
char *al_keys_window_help (AlKeymap *keymap);

G_END_DECLS
