/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <jansson.h>

G_BEGIN_DECLS

#define AL_TRACK_ERROR (al_track_error_quark ())
GQuark al_track_error_quark (void);

typedef enum
{
  AL_TRACK_ERROR_INVALID,
} AlTrackError;

/* One keyframe of a track: where the object is at time @t (seconds from
 * the start of the video), or that it is out of sight from then on. */
typedef struct
{
  double t;
  double x, y, w, h;
  gboolean outside;
} AlTrackKey;

/* An object followed through a video: its label and its keyframes, in
 * time order. Between two keyframes the box moves linearly, also towards
 * an outside keyframe (as CVAT's tracks do); after an outside keyframe the
 * object is out of sight until the next keyframe that is not; after the
 * last keyframe the box stays. */
typedef struct
{
  char *label;
  GArray *keys; /* AlTrackKey */
  /* For an editor: the number (from 1) of the model's proposed track it
   * came from, 0 for one the person made; unchecked: proposed and not
   * accepted yet. Neither is in a track's JSON. */
  int proposal;
  gboolean unchecked;
} AlTrack;

AlTrack   *al_track_new       (const char *label);
void       al_track_free      (AlTrack    *track);
AlTrack   *al_track_copy      (const AlTrack *track);

/* The box at @t: FALSE when the object is out of sight then (before the
 * first keyframe or after an outside one). @is_key tells whether a
 * keyframe lies at @t (within @tolerance seconds). */
gboolean   al_track_box_at    (const AlTrack *track,
                               double         t,
                               double         tolerance,
                               AlTrackKey    *box,
                               gboolean      *is_key);
/* Index of the keyframe within @tolerance of @t, or -1. */
int        al_track_key_at    (const AlTrack *track,
                               double         t,
                               double         tolerance);
/* Puts @key in time order, replacing a keyframe within @tolerance. */
void       al_track_set_key   (AlTrack          *track,
                               const AlTrackKey *key,
                               double            tolerance);
void       al_track_remove_key (AlTrack        *track,
                                guint           index);

/* {"tracks": [{"label", "keyframes": [{"t", "x", "y", "w", "h",
 * "outside"}]}]} into a GPtrArray of AlTrack; refuses, naming the track
 * and keyframe, a label outside @labels (unless NULL), keyframes out of
 * order, a negative size, or a box with no area that is not outside. */
GPtrArray *al_tracks_from_json (json_t       *result,
                                char *const  *labels,
                                const char   *what,
                                GError      **error);
json_t    *al_tracks_to_json   (GPtrArray    *tracks);

/* The frame number (from 0) of time @t, and the time of frame @n. */
guint      al_track_frame_of   (double t,
                                double start,
                                double fps);
double     al_track_time_of    (guint  frame,
                                double start,
                                double fps);

/* Intersection over union of two boxes. */
double     al_track_iou        (const AlTrackKey *a,
                                const AlTrackKey *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlTrack, al_track_free)

G_END_DECLS
