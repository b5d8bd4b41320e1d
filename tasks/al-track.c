/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-tasks"

#include "config.h"

#include <math.h>

#include "al-track.h"

G_DEFINE_QUARK (al-track-error-quark, al_track_error)

AlTrack *
al_track_new (const char *label)
{
  AlTrack *track = g_new0 (AlTrack, 1);
  track->label = g_strdup (label);
  track->keys = g_array_new (FALSE, FALSE, sizeof (AlTrackKey));
  return track;
}

void
al_track_free (AlTrack *track)
{
  if (track == NULL)
    return;
  g_free (track->label);
  g_array_unref (track->keys);
  g_free (track);
}

AlTrack *
al_track_copy (const AlTrack *track)
{
  AlTrack *copy = al_track_new (track->label);
  g_array_append_vals (copy->keys, track->keys->data, track->keys->len);
  copy->proposal = track->proposal;
  copy->unchecked = track->unchecked;
  return copy;
}

static const AlTrackKey *
key (const AlTrack *track,
     guint          i)
{
  return &g_array_index (track->keys, AlTrackKey, i);
}

int
al_track_key_at (const AlTrack *track,
                 double         t,
                 double         tolerance)
{
  for (guint i = 0; i < track->keys->len; i++)
    if (fabs (key (track, i)->t - t) <= tolerance)
      return (int) i;
  return -1;
}

gboolean
al_track_box_at (const AlTrack *track,
                 double         t,
                 double         tolerance,
                 AlTrackKey    *box,
                 gboolean      *is_key)
{
  const AlTrackKey *a, *b;
  int k = al_track_key_at (track, t, tolerance);
  guint i;

  if (is_key)
    *is_key = k >= 0;
  if (k >= 0)
    {
      *box = *key (track, k);
      return !box->outside;
    }
  if (track->keys->len == 0 || t < key (track, 0)->t)
    return FALSE;
  for (i = 0; i + 1 < track->keys->len && key (track, i + 1)->t <= t; i++)
    ;
  a = key (track, i);
  *box = *a;
  box->t = t;
  if (a->outside)
    return FALSE;
  if (i + 1 == track->keys->len)
    return TRUE;
  b = key (track, i + 1);
  /* Towards an outside keyframe too, as CVAT interpolates: its box is
   * where the object was when it left. */
  {
    double f = (t - a->t) / (b->t - a->t);
    box->x = a->x + f * (b->x - a->x);
    box->y = a->y + f * (b->y - a->y);
    box->w = a->w + f * (b->w - a->w);
    box->h = a->h + f * (b->h - a->h);
  }
  return TRUE;
}

void
al_track_set_key (AlTrack          *track,
                  const AlTrackKey *k,
                  double            tolerance)
{
  int at = al_track_key_at (track, k->t, tolerance);
  guint i;

  if (at >= 0)
    {
      AlTrackKey *slot = &g_array_index (track->keys, AlTrackKey, at);
      double t = slot->t;
      *slot = *k;
      slot->t = t;
      return;
    }
  for (i = 0; i < track->keys->len && key (track, i)->t < k->t; i++)
    ;
  g_array_insert_val (track->keys, i, *k);
}

void
al_track_remove_key (AlTrack *track,
                     guint    index)
{
  g_return_if_fail (index < track->keys->len);
  g_array_remove_index (track->keys, index);
}

static gboolean
number (json_t     *obj,
        const char *name,
        double     *out)
{
  json_t *v = json_object_get (obj, name);
  if (!json_is_number (v))
    return FALSE;
  *out = json_number_value (v);
  return isfinite (*out);
}

GPtrArray *
al_tracks_from_json (json_t      *result,
                     char *const *labels,
                     const char  *what,
                     GError     **error)
{
  g_autoptr (GPtrArray) tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_track_free);
  json_t *list = json_object_get (result, "tracks");
  json_t *tr, *kf;
  size_t i, j;

  if (!json_is_array (list))
    {
      g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID, "%s needs \"tracks\" as a list",
                   what);
      return NULL;
    }
  json_array_foreach (list, i, tr)
    {
      const char *label = json_string_value (json_object_get (tr, "label"));
      json_t *keys = json_object_get (tr, "keyframes");
      AlTrack *track;

      if (label == NULL || *label == '\0')
        {
          g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID,
                       "%s, track %zu has no label", what, i + 1);
          return NULL;
        }
      if (labels && !g_strv_contains ((const char *const *) labels, label))
        {
          g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID,
                       "%s, track %zu has label \"%s\", which is not in the task's labels", what,
                       i + 1, label);
          return NULL;
        }
      if (!json_is_array (keys) || json_array_size (keys) == 0)
        {
          g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID,
                       "%s, track %zu needs \"keyframes\" as a non-empty list", what, i + 1);
          return NULL;
        }
      track = al_track_new (label);
      g_ptr_array_add (tracks, track);
      json_array_foreach (keys, j, kf)
        {
          AlTrackKey k = { 0 };
          json_t *outside = json_object_get (kf, "outside");

          if (!number (kf, "t", &k.t) || !number (kf, "x", &k.x) || !number (kf, "y", &k.y) ||
              !number (kf, "w", &k.w) || !number (kf, "h", &k.h))
            {
              g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID,
                           "%s, track %zu, keyframe %zu needs numbers t, x, y, w and h", what,
                           i + 1, j + 1);
              return NULL;
            }
          if (outside && !json_is_boolean (outside))
            {
              g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID,
                           "%s, track %zu, keyframe %zu: \"outside\" must be true or false",
                           what, i + 1, j + 1);
              return NULL;
            }
          k.outside = json_is_true (outside);
          if (k.t < 0)
            {
              g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID,
                           "%s, track %zu, keyframe %zu is at a negative time (%g s)", what,
                           i + 1, j + 1, k.t);
              return NULL;
            }
          if (k.w < 0 || k.h < 0)
            {
              g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID,
                           "%s, track %zu, keyframe %zu has a negative size (w %g, h %g)", what,
                           i + 1, j + 1, k.w, k.h);
              return NULL;
            }
          if (!k.outside && (k.w <= 0 || k.h <= 0))
            {
              g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID,
                           "%s, track %zu, keyframe %zu has no area (w and h must be above 0 "
                           "unless the object is outside)", what, i + 1, j + 1);
              return NULL;
            }
          if (track->keys->len > 0 && k.t <= key (track, track->keys->len - 1)->t)
            {
              g_set_error (error, AL_TRACK_ERROR, AL_TRACK_ERROR_INVALID,
                           "%s, track %zu, keyframe %zu (at %g s) is not after keyframe %zu (at "
                           "%g s): keyframes must be in time order", what, i + 1, j + 1, k.t,
                           j, key (track, track->keys->len - 1)->t);
              return NULL;
            }
          g_array_append_val (track->keys, k);
        }
    }
  return g_steal_pointer (&tracks);
}

json_t *
al_tracks_to_json (GPtrArray *tracks)
{
  json_t *list = json_array ();

  for (guint i = 0; i < tracks->len; i++)
    {
      const AlTrack *track = tracks->pdata[i];
      json_t *keys = json_array ();
      for (guint j = 0; j < track->keys->len; j++)
        {
          const AlTrackKey *k = key (track, j);
          json_array_append_new (keys, json_pack ("{s:f,s:f,s:f,s:f,s:f,s:b}", "t", k->t, "x",
                                                  k->x, "y", k->y, "w", k->w, "h", k->h,
                                                  "outside", k->outside));
        }
      json_array_append_new (list, json_pack ("{s:s,s:o}", "label", track->label, "keyframes",
                                              keys));
    }
  return json_pack ("{s:o}", "tracks", list);
}

guint
al_track_frame_of (double t,
                   double start,
                   double fps)
{
  double f = floor ((t - start) * fps + 0.5);
  return f < 0 ? 0 : (guint) f;
}

double
al_track_time_of (guint  frame,
                  double start,
                  double fps)
{
  return start + frame / fps;
}

double
al_track_iou (const AlTrackKey *a,
              const AlTrackKey *b)
{
  double ix = MAX (0.0, MIN (a->x + a->w, b->x + b->w) - MAX (a->x, b->x));
  double iy = MAX (0.0, MIN (a->y + a->h, b->y + b->h) - MAX (a->y, b->y));
  double inter = ix * iy;
  double uni = a->w * a->h + b->w * b->h - inter;
  return uni > 0 ? inter / uni : 0;
}
