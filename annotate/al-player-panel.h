/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "al-editor.h"
#include "al-player.h"

G_BEGIN_DECLS

#define AL_TYPE_PLAYER_PANEL (al_player_panel_get_type ())
G_DECLARE_FINAL_TYPE (AlPlayerPanel, al_player_panel, AL, PLAYER_PANEL, GtkWidget)

/* The recording of an editor's task: its player and the line that says
 * how it stands ("Playing · 1.2 of 3.0 s"). The player's notices are the
 * editor's announcements; in voice mode a loaded recording plays at once
 * (speech holds it until the words before it are said).
 * Signals:
 *   "error" (const char *message)   the recording cannot be played
 */
void      al_player_panel_set_player (AlPlayerPanel *self,
                                      AlEditor      *editor,
                                      const char    *sink);
AlPlayer *al_player_panel_get_player (AlPlayerPanel *self);
void      al_player_panel_set_voice  (AlPlayerPanel *self,
                                      gboolean       voice);
/* The next "ready" plays, voice mode or not. */
void      al_player_panel_play_when_ready (AlPlayerPanel *self,
                                           gboolean       play);
/* The line shows the speed too. */
void      al_player_panel_set_show_speed (AlPlayerPanel *self,
                                          gboolean       show_speed);
/* Text after the line ("· Segment 1 of 3 ..."), NULL for none. */
void      al_player_panel_set_extra  (AlPlayerPanel *self,
                                      const char    *extra);
void      al_player_panel_update     (AlPlayerPanel *self);

G_END_DECLS
