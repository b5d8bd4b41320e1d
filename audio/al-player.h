/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define AL_TYPE_PLAYER (al_player_get_type ())
G_DECLARE_FINAL_TYPE (AlPlayer, al_player, AL, PLAYER, GObject)

#define AL_PLAYER_MIN_RATE 0.5
#define AL_PLAYER_MAX_RATE 2.0
#define AL_PLAYER_RATE_STEP 0.25

/* Plays one segment of a recording the way transcribers want it: speed
 * without pitch change, rewind a little on resume, stop (or loop) at the
 * segment's end. Never blocks the main loop.
 * Properties: "playing" (bool), "position" (seconds from the segment
 * start, updated while playing), "rate", "duration".
 * Signals: "ready" (), "finished" () at the segment end, "error" (const
 * char *message), "notice" (const char *message), "first-sample" (gint64
 * monotonic microseconds: the first audio of a play reached the sink). */
AlPlayer *al_player_new          (const char *sink);
void      al_player_load         (AlPlayer   *self,
                                  const char *path,
                                  double      start,
                                  double      end);
void      al_player_play         (AlPlayer   *self);
void      al_player_pause        (AlPlayer   *self);
void      al_player_toggle       (AlPlayer   *self);
void      al_player_stop         (AlPlayer   *self);
void      al_player_seek         (AlPlayer   *self,
                                  double      position);
void      al_player_skip         (AlPlayer   *self,
                                  double      seconds);
void      al_player_replay       (AlPlayer   *self);
/* Plays up to |seconds| of the recording just before (negative) or just
 * after (positive) the segment, then goes back to the segment, paused.
 * FALSE when there is nothing there or speech holds the player. */
gboolean  al_player_play_context (AlPlayer   *self,
                                  double      seconds);
double    al_player_set_rate     (AlPlayer   *self,
                                  double      rate);
double    al_player_faster       (AlPlayer   *self);
double    al_player_slower       (AlPlayer   *self);
void      al_player_set_loop     (AlPlayer   *self,
                                  gboolean    loop);
void      al_player_set_rewind   (AlPlayer   *self,
                                  double      seconds);
/* Where the picture track of a video goes (by default nowhere); set it
 * before al_player_load. The player takes @sink. */
void      al_player_set_video_sink (AlPlayer   *self,
                                    GstElement *sink);
void      al_player_set_volume   (AlPlayer   *self,
                                  double      volume);
void      al_player_hold         (AlPlayer   *self,
                                  gboolean    hold);
gboolean  al_player_get_playing  (AlPlayer   *self);
double    al_player_get_position (AlPlayer   *self);
double    al_player_get_rate     (AlPlayer   *self);
double    al_player_get_duration (AlPlayer   *self);
gboolean  al_player_is_ready     (AlPlayer   *self);

G_END_DECLS
