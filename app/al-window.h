/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "al-application.h"
#include "al-editor.h"

G_BEGIN_DECLS

#define AL_TYPE_WINDOW (al_window_get_type ())
G_DECLARE_FINAL_TYPE (AlWindow, al_window, AL, WINDOW, GtkApplicationWindow)

AlWindow *al_window_new       (AlApplication *app);
AlWindow *al_window_new_error (AlApplication *app,
                               const char    *message);
void      al_window_announce  (AlWindow        *self,
                               AlSpeechPriority priority,
                               const char      *text);

G_END_DECLS
