/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-video-box-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "al-box-canvas.h"
#include "al-proposal.h"
#include "al-track.h"
#include "al-video-box-editor.h"
#include "al-video-frames.h"

typedef enum
{
  ACT_NEXT_FRAME,
  ACT_PREVIOUS_FRAME,
  ACT_FORWARD,
  ACT_BACK,
  ACT_PLAY,
  ACT_KEYFRAME,
  ACT_OUTSIDE,
  ACT_NEXT_TRACK,
  ACT_PREVIOUS_TRACK,
  N_OWN_ACTS,
  /* The box task's undo keys, which undo the tracks here. */
  ACT_UNDO = N_OWN_ACTS,
  ACT_REDO,
  N_ACTS
} Act;

static const char *const taken_actions[] = { "box.undo", "box.redo" };

static const AlEditorKey default_keys[N_OWN_ACTS] = {
  { "video.next-frame", "f;period", N_ ("next / previous frame") },
  { "video.previous-frame", "d;comma", N_ ("next / previous frame") },
  { "video.forward", "<Shift>f", N_ ("one second on / back") },
  { "video.back", "<Shift>d", N_ ("one second on / back") },
  { "video.play", "space", N_ ("play or pause the video") },
  { "video.keyframe", "k", N_ ("make this frame a keyframe of the track, or no longer one") },
  { "video.outside", "o", N_ ("the object leaves sight here, or comes back") },
  { "video.next-track", "t", N_ ("next / previous track, also those out of sight") },
  { "video.previous-track", "<Shift>t", N_ ("next / previous track, also those out of sight") },
};

#define MAX_UNDO 200

struct _AlVideoBoxEditor
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *instructions;
  AlBoxCanvas *canvas;
  GtkLabel *legend;
  GtkLabel *position;
  GtkLabel *status;
  GtkLabel *proposal_note; /* says that the tracks shown are a model's proposal */
  GtkEventController *shortcuts;
  GStrv keys[N_ACTS];

  AlTask *task;
  json_t *pending_draft;
  GCancellable *cancellable;

  /* Decoding: one worker thread at a time uses the frames. */
  AlVideoFrames *frames;
  GMutex frames_lock;
  gboolean decoding;
  guint shown_frame;
  guint wanted_frame;
  gboolean have_frame;
  guint n_frames;
  double fps;
  guint play_source;

  GPtrArray *tracks;         /* AlTrack; label NULL until chosen */
  int current;               /* the selected track, or -1 */
  GArray *in_model;          /* model index -> track index */
  GPtrArray *undo;           /* json_t snapshots of the tracks */
  GPtrArray *redo;
  gboolean syncing;
  gboolean empty_told;
  /* The model's proposed tracks as proposed (AlTrack, numbered from 1),
   * NULL without a proposal; and whether the first Ctrl+Enter has said
   * that some are not checked yet. */
  GPtrArray *proposed;
  gboolean unchecked_told;
};

static void editor_iface_init (AlEditorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AlVideoBoxEditor,
                               al_video_box_editor,
                               GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AL_TYPE_EDITOR, editor_iface_init))

static double
frame_time (AlVideoBoxEditor *self,
            guint             frame)
{
  return al_track_time_of (frame, self->task->start, self->fps);
}

static double
tolerance (AlVideoBoxEditor *self)
{
  return 0.5 / self->fps;
}

static double
now (AlVideoBoxEditor *self)
{
  return frame_time (self, self->shown_frame);
}

static int
label_index (AlVideoBoxEditor *self,
             const char       *label)
{
  for (int l = 0; label && self->task->labels[l]; l++)
    if (g_str_equal (label, self->task->labels[l]))
      return l;
  return -1;
}

static char *
keys_of (AlVideoBoxEditor *self,
         Act               act)
{
  char *label = al_editor_keys_label ((const char *const *) self->keys[act]);
  return label ? label : g_strdup (_ ("(no key)"));
}

/* ---- tracks and undo ---- */

static AlBoxOrigin
track_origin (AlVideoBoxEditor *self,
              const AlTrack    *track)
{
  const AlTrack *p;

  if (track->proposal <= 0 || self->proposed == NULL ||
      (guint) track->proposal > self->proposed->len)
    return AL_BOX_ORIGIN_ADDED;
  p = self->proposed->pdata[track->proposal - 1];
  if (g_strcmp0 (p->label, track->label) != 0 || p->keys->len != track->keys->len)
    return AL_BOX_ORIGIN_CHANGED;
  for (guint i = 0; i < p->keys->len; i++)
    {
      const AlTrackKey *a = &g_array_index (p->keys, AlTrackKey, i);
      const AlTrackKey *b = &g_array_index (track->keys, AlTrackKey, i);
      /* Drafts and undo keep four decimals of a second, two of a pixel. */
      if (fabs (a->t - b->t) > 1e-4 || fabs (a->x - b->x) >= 0.005 ||
          fabs (a->y - b->y) >= 0.005 || fabs (a->w - b->w) >= 0.005 ||
          fabs (a->h - b->h) >= 0.005 || !a->outside != !b->outside)
        return AL_BOX_ORIGIN_CHANGED;
    }
  return track->unchecked ? AL_BOX_ORIGIN_PENDING : AL_BOX_ORIGIN_ACCEPTED;
}

/* What became of the proposed tracks; those still unchecked count as
 * accepted, as they are sent the way they were proposed. */
static void
count_tracks (AlVideoBoxEditor *self,
              AlProposalCounts *counts)
{
  *counts = (AlProposalCounts) { 0 };
  for (guint i = 0; i < self->tracks->len; i++)
    al_proposal_counts_add (counts, track_origin (self, self->tracks->pdata[i]));
  al_proposal_counts_finish (counts, self->proposed ? self->proposed->len : 0);
}

static guint
count_pending (AlVideoBoxEditor *self)
{
  guint n = 0;

  for (guint i = 0; i < self->tracks->len; i++)
    n += track_origin (self, self->tracks->pdata[i]) == AL_BOX_ORIGIN_PENDING;
  return n;
}

/* The tracks as undo, the draft (@for_result FALSE: with where each came
 * from) or the result (with its origin, when there was a proposal) keep
 * them. */
static json_t *
snapshot (AlVideoBoxEditor *self,
          gboolean          for_result)
{
  json_t *list = json_array ();

  for (guint i = 0; i < self->tracks->len; i++)
    {
      const AlTrack *track = self->tracks->pdata[i];
      json_t *keys = json_array ();
      for (guint j = 0; j < track->keys->len; j++)
        {
          const AlTrackKey *k = &g_array_index (track->keys, AlTrackKey, j);
          /* Four decimals of a second, two of a pixel: no float noise in
           * exports, and well within a frame and a pixel. */
          json_array_append_new (keys, json_pack ("{s:f,s:f,s:f,s:f,s:f,s:b}", "t",
                                                  round (k->t * 10000) / 10000, "x",
                                                  round (k->x * 100) / 100, "y",
                                                  round (k->y * 100) / 100, "w",
                                                  round (k->w * 100) / 100, "h",
                                                  round (k->h * 100) / 100, "outside",
                                                  k->outside));
        }
      json_array_append_new (list, json_pack ("{s:o,s:o}", "label",
                                              track->label ? json_string (track->label)
                                                           : json_null (),
                                              "keyframes", keys));
      if (!for_result && track->proposal > 0)
        {
          json_t *item = json_array_get (list, i);
          json_object_set_new (item, "proposal", json_integer (track->proposal));
          json_object_set_new (item, "unchecked", json_boolean (track->unchecked));
        }
      else if (for_result && self->proposed)
        {
          AlBoxOrigin origin = track_origin (self, track);
          json_object_set_new (json_array_get (list, i), "origin",
                               json_string (origin == AL_BOX_ORIGIN_ADDED     ? "added"
                                            : origin == AL_BOX_ORIGIN_CHANGED ? "changed"
                                                                              : "proposed"));
        }
    }
  return json_pack ("{s:o}", "tracks", list);
}

static void
restore (AlVideoBoxEditor *self,
         json_t           *state)
{
  json_t *list = json_object_get (state, "tracks");
  json_t *tr;
  size_t i;

  g_ptr_array_set_size (self->tracks, 0);
  json_array_foreach (list, i, tr)
    {
      AlTrack *track = al_track_new (json_string_value (json_object_get (tr, "label")));
      json_t *kf;
      size_t j;

      track->proposal = (int) json_integer_value (json_object_get (tr, "proposal"));
      track->unchecked = json_is_true (json_object_get (tr, "unchecked"));
      json_array_foreach (json_object_get (tr, "keyframes"), j, kf)
        {
          AlTrackKey k = { json_number_value (json_object_get (kf, "t")),
                           json_number_value (json_object_get (kf, "x")),
                           json_number_value (json_object_get (kf, "y")),
                           json_number_value (json_object_get (kf, "w")),
                           json_number_value (json_object_get (kf, "h")),
                           json_is_true (json_object_get (kf, "outside")) };
          al_track_set_key (track, &k, 1e-6);
        }
      g_ptr_array_add (self->tracks, track);
    }
  if (self->current >= (int) self->tracks->len)
    self->current = (int) self->tracks->len - 1;
}

static void
push_undo (AlVideoBoxEditor *self)
{
  g_ptr_array_add (self->undo, snapshot (self, FALSE));
  if (self->undo->len > MAX_UNDO)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
}

/* ---- showing a frame ---- */

static const char *
state_words (AlVideoBoxEditor *self,
             const AlTrack    *track)
{
  AlTrackKey b;
  gboolean is_key;
  gboolean in = al_track_box_at (track, now (self), tolerance (self), &b, &is_key);

  if (in)
    return is_key ? _ ("keyframe") : _ ("interpolated");
  if (track->keys->len > 0 && now (self) < g_array_index (track->keys, AlTrackKey, 0).t)
    return _ ("not yet in sight");
  return is_key ? _ ("leaves sight here") : _ ("out of sight");
}

static char *
context_text (AlVideoBoxEditor *self)
{
  g_autofree char *where = g_strdup_printf (_ ("%.1f s, frame %u of %u."), now (self),
                                            self->shown_frame + 1, self->n_frames);
  const AlTrack *track;
  const char *label;

  if (self->current < 0)
    {
      g_autofree char *new_keys = al_editor_keys_of (AL_EDITOR (self), "box.new");
      if (self->tracks->len == 0)
        return g_strdup_printf (_ ("%s No tracks yet: press %s for a new track."), where,
                                new_keys);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %u track, none selected.",
                                           "%s %u tracks, none selected.", self->tracks->len),
                              where, self->tracks->len);
    }
  track = self->tracks->pdata[self->current];
  label = track->label ? track->label : _ ("no label yet");
  return g_strdup_printf (_ ("%s Track %d of %u, %s, %s."), where, self->current + 1,
                          self->tracks->len, label, state_words (self, track));
}

/* The selected track through the whole video: "Keyframes of track 1:
 * 0.0 s, 1.0 s, out of sight 2.0 s." */
static char *
keyframes_text (AlVideoBoxEditor *self)
{
  const AlTrack *track;
  g_autoptr (GString) list = g_string_new (NULL);

  if (self->current < 0)
    return g_strdup ("");
  track = self->tracks->pdata[self->current];
  for (guint i = 0; i < track->keys->len; i++)
    {
      const AlTrackKey *k = &g_array_index (track->keys, AlTrackKey, i);
      g_autofree char *item = k->outside ? g_strdup_printf (_ ("out of sight %.1f s"), k->t)
                                         : g_strdup_printf (_ ("%.1f s"), k->t);
      g_string_append_printf (list, "%s%s", i ? ", " : "", item);
    }
  return g_strdup_printf (_ ("Keyframes of track %d: %s."), self->current + 1, list->str);
}

static void
update_status (AlVideoBoxEditor *self)
{
  g_autofree char *context = NULL;
  g_autofree char *text = NULL;
  g_autofree char *keys = NULL;

  if (!self->have_frame)
    return;
  context = context_text (self);
  al_box_canvas_set_context (self->canvas, context);
  al_box_canvas_refresh (self->canvas);
  text = al_box_canvas_describe (self->canvas);
  keys = keyframes_text (self);
  gtk_label_set_text (self->status, text);
  gtk_label_set_text (self->position, keys);
}

/* The canvas draws and describes proposed boxes by comparing them with
 * the proposal: on a frame, that is the box each proposed track has here,
 * marked changed when its track is no longer as proposed. */
static void
frame_proposal (AlVideoBoxEditor *self)
{
  AlBoxModel *model = al_box_canvas_get_model (self->canvas);
  g_autoptr (GArray) proposed = NULL;
  g_autoptr (json_t) confidences = NULL;
  json_t *boxes, *tr;
  size_t i;

  if (self->proposed == NULL || model == NULL)
    {
      al_box_canvas_set_frame_proposal (self->canvas, NULL, NULL);
      return;
    }
  proposed = g_array_new (FALSE, TRUE, sizeof (AlBox));
  boxes = json_array ();
  json_array_foreach (json_object_get (self->task->proposal, "tracks"), i, tr)
    {
      json_t *c = json_object_get (tr, "confidence");
      json_array_append_new (boxes, json_is_number (c) ? json_pack ("{s:O}", "confidence", c)
                                                       : json_object ());
    }
  confidences = json_pack ("{s:o}", "boxes", boxes);
  for (guint m = 0; m < self->in_model->len; m++)
    {
      const AlTrack *track = self->tracks->pdata[g_array_index (self->in_model, int, m)];
      AlBox b;

      if (track->proposal <= 0)
        continue;
      b = *al_box_model_get (model, m);
      if (track_origin (self, track) == AL_BOX_ORIGIN_CHANGED)
        b.label = -2; /* never a box's label: the canvas says "changed" */
      g_array_append_val (proposed, b);
    }
  al_box_canvas_set_frame_proposal (self->canvas, confidences, proposed);
}

/* The model holds the boxes of the tracks in sight on the frame shown. */
static void
fill_model (AlVideoBoxEditor *self)
{
  AlBoxModel *model = al_box_canvas_get_model (self->canvas);
  int select = -1;

  if (model == NULL)
    return;
  self->syncing = TRUE;
  al_box_model_clear (model);
  g_array_set_size (self->in_model, 0);
  for (guint i = 0; i < self->tracks->len; i++)
    {
      const AlTrack *track = self->tracks->pdata[i];
      AlTrackKey k;
      if (!al_track_box_at (track, now (self), tolerance (self), &k, NULL))
        continue;
      {
        AlBox box = { k.x, k.y, k.w, k.h, label_index (self, track->label), track->proposal,
                      track->unchecked };
        int index = al_box_model_add (model, &box);
        int t = (int) i;
        g_array_append_val (self->in_model, t);
        if ((int) i == self->current)
          select = index;
      }
    }
  al_box_model_select (model, select);
  self->syncing = FALSE;
  frame_proposal (self);
}

/* After an edit on the canvas: a new box is a new track, a changed box a
 * keyframe of its track on this frame, a removed box a removed track. */
static gboolean
sync_from_model (AlVideoBoxEditor *self)
{
  AlBoxModel *model = al_box_canvas_get_model (self->canvas);
  g_autoptr (json_t) before = NULL;
  guint n;
  gboolean changed = FALSE;
  int sel;

  if (model == NULL || self->syncing)
    return FALSE;
  before = snapshot (self, FALSE);
  n = al_box_model_get_n (model);
  sel = al_box_model_get_selected (model);
  if (n < self->in_model->len)
    {
      /* One box went: the one that was selected, its track's. */
      int gone = self->current;
      if (gone >= 0)
        g_ptr_array_remove_index (self->tracks, gone);
      self->current = -1;
      /* After a rejected proposal the next one here not checked yet, so
       * that Enter and Delete go through them all. */
      for (guint i = 0; i < self->tracks->len && self->current < 0; i++)
        {
          AlTrackKey k;
          if (track_origin (self, self->tracks->pdata[i]) == AL_BOX_ORIGIN_PENDING &&
              al_track_box_at (self->tracks->pdata[i], now (self), tolerance (self), &k, NULL))
            self->current = (int) i;
        }
      fill_model (self);
      changed = TRUE;
      sel = al_box_model_get_selected (model);
    }
  else
    for (guint i = 0; i < n; i++)
      {
        const AlBox *b = al_box_model_get (model, i);
        const char *label = b->label >= 0 ? self->task->labels[b->label] : NULL;
        AlTrackKey k = { now (self), b->x, b->y, b->w, b->h, FALSE };
        AlTrackKey was;
        AlTrack *track;

        if (i >= self->in_model->len)
          {
            int t = (int) self->tracks->len;
            track = al_track_new (label);
            g_ptr_array_add (self->tracks, track);
            g_array_append_val (self->in_model, t);
            al_track_set_key (track, &k, tolerance (self));
            changed = TRUE;
            continue;
          }
        track = self->tracks->pdata[g_array_index (self->in_model, int, i)];
        if (track->unchecked && !b->unchecked)
          {
            /* Accepted on the canvas (Enter). */
            track->unchecked = FALSE;
            changed = TRUE;
          }
        if (g_strcmp0 (track->label, label) != 0 && label)
          {
            g_free (track->label);
            track->label = g_strdup (label);
            changed = TRUE;
          }
        if (!al_track_box_at (track, now (self), tolerance (self), &was, NULL) ||
            fabs (was.x - k.x) > 0.001 || fabs (was.y - k.y) > 0.001 ||
            fabs (was.w - k.w) > 0.001 || fabs (was.h - k.h) > 0.001)
          {
            al_track_set_key (track, &k, tolerance (self));
            changed = TRUE;
          }
      }
  if (sel >= 0 && (guint) sel < self->in_model->len)
    self->current = g_array_index (self->in_model, int, sel);
  if (changed)
    {
      g_ptr_array_add (self->undo, g_steal_pointer (&before));
      if (self->undo->len > MAX_UNDO)
        g_ptr_array_remove_index (self->undo, 0);
      g_ptr_array_set_size (self->redo, 0);
      self->empty_told = FALSE;
      self->unchecked_told = FALSE;
      frame_proposal (self);
    }
  return changed;
}

static void request_frame (AlVideoBoxEditor *self);

typedef struct
{
  guint frame;      /* in the task's span, from 0 */
  guint in_video;   /* the same frame counted from the video's first */
} FrameJob;

static void
frame_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  AlVideoBoxEditor *self = source;
  FrameJob *job = data;
  GError *error = NULL;
  GBytes *bytes;

  g_mutex_lock (&self->frames_lock);
  bytes = self->frames ? al_video_frames_get (self->frames, job->in_video, &error) : NULL;
  g_mutex_unlock (&self->frames_lock);
  if (bytes == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "closed");
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
frame_decoded (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (source);
  FrameJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (GdkTexture) texture = NULL;
  const AlVideoInfo *info;
  gboolean first;

  self->decoding = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->frames == NULL)
    return;
  if (bytes == NULL)
    {
      g_clear_handle_id (&self->play_source, g_source_remove);
      al_editor_emit_broken (AL_EDITOR (self), error->message);
      return;
    }
  info = al_video_frames_info (self->frames);
  texture = gdk_memory_texture_new (info->width, info->height, GDK_MEMORY_R8G8B8A8, bytes,
                                    (gsize) info->width * 4);
  first = !self->have_frame;
  self->shown_frame = job->frame;
  self->have_frame = TRUE;
  if (first)
    al_box_canvas_set_image (self->canvas, texture, (const char *const *) self->task->labels);
  else
    al_box_canvas_set_frame (self->canvas, texture);
  fill_model (self);
  update_status (self);
  if (first)
    {
      g_autofree char *intro = al_box_canvas_describe (self->canvas);
      al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_QUEUE | AL_SPEECH_DESCRIBED, intro);
      al_editor_emit_ready (AL_EDITOR (self));
    }
  else if (self->play_source == 0)
    {
      g_autofree char *text = al_box_canvas_describe (self->canvas);
      al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT | AL_SPEECH_DESCRIBED, text);
    }
  if (self->wanted_frame != self->shown_frame)
    request_frame (self);
}

static void
request_frame (AlVideoBoxEditor *self)
{
  g_autoptr (GTask) task = NULL;
  FrameJob *job;

  if (self->decoding || self->frames == NULL)
    return;
  self->decoding = TRUE;
  job = g_new0 (FrameJob, 1);
  job->frame = self->wanted_frame;
  job->in_video = al_track_frame_of (self->task->start, 0, self->fps) + self->wanted_frame;
  task = g_task_new (self, self->cancellable, frame_decoded, NULL);
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, frame_thread);
}

static void
go_to (AlVideoBoxEditor *self,
       int               frame)
{
  if (self->frames == NULL || !self->have_frame)
    return;
  self->wanted_frame = (guint) CLAMP (frame, 0, (int) self->n_frames - 1);
  if (self->wanted_frame == self->shown_frame && !self->decoding)
    {
      g_autofree char *text = NULL;
      update_status (self);
      text = al_box_canvas_describe (self->canvas);
      al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT | AL_SPEECH_DESCRIBED,
                               text);
      return;
    }
  request_frame (self);
}

static gboolean
play_tick (gpointer data)
{
  AlVideoBoxEditor *self = data;

  if (self->decoding || self->wanted_frame != self->shown_frame)
    return G_SOURCE_CONTINUE;
  if (self->shown_frame + 1 >= self->n_frames)
    {
      self->play_source = 0;
      update_status (self);
      return G_SOURCE_REMOVE;
    }
  self->wanted_frame = self->shown_frame + 1;
  request_frame (self);
  return G_SOURCE_CONTINUE;
}

/* ---- opening ---- */

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  AlVideoFrames *frames = al_video_frames_open (data, &error);
  const AlVideoInfo *info = frames ? al_video_frames_info (frames) : NULL;
  g_autoptr (GBytes) last = NULL;

  /* A file cut short shows its first frame: it is found out here, before
   * any work is done on it, by its last. */
  if (info && info->duration > 0 && floor (info->duration * info->fps + 0.5) >= 2 &&
      (last = al_video_frames_get (frames, (guint) floor (info->duration * info->fps + 0.5) - 1,
                                   &error)) == NULL)
    g_clear_pointer (&frames, al_video_frames_free);
  if (frames == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, frames, (GDestroyNotify) al_video_frames_free);
}

static void
restore_draft (AlVideoBoxEditor *self,
               json_t           *draft)
{
  json_t *frame = json_object_get (draft, "frame");
  json_t *track = json_object_get (draft, "track");

  restore (self, draft);
  if (json_is_integer (track) && json_integer_value (track) < (json_int_t) self->tracks->len)
    self->current = (int) json_integer_value (track);
  if (json_is_integer (frame) && json_integer_value (frame) >= 0)
    self->wanted_frame = MIN ((guint) json_integer_value (frame), self->n_frames - 1);
}

static void
opened (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (source);
  g_autoptr (GError) error = NULL;
  AlVideoFrames *frames = g_task_propagate_pointer (G_TASK (result), &error);
  const AlVideoInfo *info;
  double end;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (frames == NULL)
    {
      gtk_label_set_text (self->status, error->message);
      al_editor_emit_broken (AL_EDITOR (self), error->message);
      return;
    }
  g_mutex_lock (&self->frames_lock);
  self->frames = frames;
  g_mutex_unlock (&self->frames_lock);
  info = al_video_frames_info (frames);
  /* The task's rate where it gives one: its keyframes were timed by it. */
  self->fps = self->task->fps > 0 ? self->task->fps : info->fps;
  end = self->task->end > 0 ? self->task->end : info->duration;
  self->n_frames = end > self->task->start
                       ? MAX (1u, (guint) floor ((end - self->task->start) * self->fps + 0.5))
                       : 1;
  self->wanted_frame = 0;
  if (self->pending_draft)
    {
      restore_draft (self, self->pending_draft);
      g_clear_pointer (&self->pending_draft, json_decref);
    }
  else if (self->proposed)
    {
      /* The proposed tracks to check; the first is selected, so that Enter
       * accepts it once it is in sight. */
      for (guint i = 0; i < self->proposed->len; i++)
        g_ptr_array_add (self->tracks, al_track_copy (self->proposed->pdata[i]));
      self->current = self->tracks->len > 0 ? 0 : -1;
    }
  request_frame (self);
}

static void
close_video (AlVideoBoxEditor *self)
{
  g_clear_handle_id (&self->play_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_mutex_lock (&self->frames_lock);
  g_clear_pointer (&self->frames, al_video_frames_free);
  g_mutex_unlock (&self->frames_lock);
  self->decoding = FALSE;
  self->have_frame = FALSE;
}

/* What the visible note says about a task's proposal; the frame's
 * description says it of each proposed box in sight. */
static void
show_proposal_note (AlVideoBoxEditor *self)
{
  g_autofree char *title = NULL;
  g_autofree char *markup = NULL;
  guint n;

  gtk_widget_set_visible (GTK_WIDGET (self->proposal_note), self->proposed != NULL);
  if (self->proposed == NULL)
    return;
  n = self->proposed->len;
  title = al_proposal_title (self->task->proposal);
  markup = g_markup_printf_escaped (g_dngettext (GETTEXT_PACKAGE,
                                                 "<b>%s</b>: %u track to check, its boxes "
                                                 "drawn dashed.",
                                                 "<b>%s</b>: %u tracks to check, their boxes "
                                                 "drawn dashed.", n),
                                    title, n);
  gtk_label_set_markup (self->proposal_note, markup);
}

static void
al_video_box_editor_load (AlEditor *editor,
                          AlTask   *task,
                          json_t   *draft)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (editor);
  g_autoptr (GTask) gtask = NULL;
  g_autoptr (GString) legend = g_string_new (NULL);
  const char *instructions = al_task_instructions (task, al_editor_language ());

  close_video (self);
  g_clear_pointer (&self->task, al_task_unref);
  self->task = al_task_ref (task);
  g_clear_pointer (&self->pending_draft, json_decref);
  self->pending_draft = draft ? json_incref (draft) : NULL;
  g_ptr_array_set_size (self->tracks, 0);
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  g_array_set_size (self->in_model, 0);
  self->current = -1;
  self->shown_frame = self->wanted_frame = 0;
  self->fps = task->fps > 0 ? task->fps : 25;
  self->empty_told = FALSE;
  self->unchecked_told = FALSE;
  g_clear_pointer (&self->proposed, g_ptr_array_unref);
  if (task->proposal)
    self->proposed = al_tracks_from_json (task->proposal, task->labels, "the proposal", NULL);
  for (guint i = 0; self->proposed && i < self->proposed->len; i++)
    {
      AlTrack *track = self->proposed->pdata[i];
      track->proposal = (int) i + 1;
      track->unchecked = TRUE;
    }
  show_proposal_note (self);

  for (int i = 0; task->labels[i]; i++)
    {
      g_autofree char *item = g_markup_printf_escaped ("<b>%d</b>  %s", i + 1, task->labels[i]);
      g_string_append_printf (legend, "%s%s", i ? "      " : "", item);
    }
  gtk_label_set_markup (self->legend, legend->str);
  gtk_label_set_text (self->instructions, instructions ? instructions : "");
  al_box_canvas_set_context (self->canvas, NULL);
  al_box_canvas_set_image (self->canvas, NULL, NULL);
  al_box_canvas_set_intro (self->canvas, instructions);
  gtk_label_set_text (self->status, _ ("The video is loading."));
  gtk_label_set_text (self->position, "");

  gtask = g_task_new (self, self->cancellable, opened, NULL);
  g_task_set_task_data (gtask, g_strdup (task->media), g_free);
  g_task_run_in_thread (gtask, open_thread);
}

/* ---- the answer ---- */

static json_t *
al_video_box_editor_get_result (AlEditor *editor)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (editor);
  json_t *state = snapshot (self, TRUE);
  json_t *list = json_object_get (state, "tracks");

  /* A track without keyframes says nothing. */
  for (size_t i = json_array_size (list); i-- > 0;)
    if (json_array_size (json_object_get (json_array_get (list, i), "keyframes")) == 0)
      json_array_remove (list, i);
  if (self->proposed)
    {
      AlProposalCounts counts;
      count_tracks (self, &counts);
      json_object_set_new (state, "proposal", al_proposal_mark (self->task->proposal, &counts));
    }
  return state;
}

static json_t *
al_video_box_editor_get_draft (AlEditor *editor)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (editor);
  json_t *state;

  if (!self->have_frame)
    return NULL;
  state = snapshot (self, FALSE);
  json_object_set_new (state, "frame", json_integer (self->shown_frame));
  json_object_set_new (state, "track", json_integer (self->current));
  return state;
}

/* Proposed tracks nobody looked at are most often an oversight, as
 * proposed boxes are: the first Ctrl+Enter selects the first of them (on
 * a frame where it is in sight) and says how to check it; the second sends
 * them as they were proposed (counted as accepted). */
static gboolean
unchecked_ok (AlVideoBoxEditor *self,
              char            **problem)
{
  guint n = count_pending (self);
  g_autofree char *accept_keys = NULL;
  g_autofree char *reject_keys = NULL;
  g_autofree char *submit_keys = NULL;
  AlTrackKey k;

  if (n == 0 || self->unchecked_told)
    return TRUE;
  self->unchecked_told = TRUE;
  for (guint i = 0; i < self->tracks->len; i++)
    if (track_origin (self, self->tracks->pdata[i]) == AL_BOX_ORIGIN_PENDING)
      {
        AlTrack *track = self->tracks->pdata[i];
        self->current = (int) i;
        if (!al_track_box_at (track, now (self), tolerance (self), &k, NULL))
          {
            const AlTrackKey *first = &g_array_index (track->keys, AlTrackKey, 0);
            self->wanted_frame = MIN (al_track_frame_of (first->t, self->task->start, self->fps),
                                      self->n_frames - 1);
            request_frame (self);
          }
        break;
      }
  fill_model (self);
  update_status (self);
  accept_keys = al_editor_keys_of (AL_EDITOR (self), "box.accept");
  reject_keys = al_editor_keys_of (AL_EDITOR (self), "box.delete");
  submit_keys = al_editor_keys_of (AL_EDITOR (self), "win.submit");
  *problem = g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE,
                 "%u proposed track is not checked yet. It is selected now: %s accepts it, %s "
                 "rejects it. Or press %s again to send it as proposed.",
                 "%u proposed tracks are not checked yet. The first is selected now: %s accepts "
                 "it, %s rejects it. Or press %s again to send them as proposed.",
                 n),
    n, accept_keys, reject_keys, submit_keys);
  return FALSE;
}

static gboolean
al_video_box_editor_check (AlEditor *editor,
                           char    **problem)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (editor);
  guint n_labels = self->task ? g_strv_length (self->task->labels) : 0;

  if (!self->have_frame)
    {
      *problem = g_strdup (_ ("The video is still loading."));
      return FALSE;
    }
  for (guint i = 0; i < self->tracks->len; i++)
    if (((AlTrack *) self->tracks->pdata[i])->label == NULL)
      {
        g_autofree char *last_action = g_strdup_printf ("box.label-%u", MIN (n_labels, 9));
        g_autofree char *first = al_editor_keys_of (editor, "box.label-1");
        g_autofree char *last = al_editor_keys_of (editor, last_action);

        self->current = (int) i;
        fill_model (self);
        update_status (self);
        *problem = n_labels == 1
                       ? g_strdup_printf (_ ("Track %u has no label yet. It is selected now: "
                                             "press %s to give it the label %s."),
                                          i + 1, first, self->task->labels[0])
                       : g_strdup_printf (_ ("Track %u has no label yet. It is selected now: "
                                             "press a key from %s to %s to choose its label."),
                                          i + 1, first, last);
        return FALSE;
      }
  if (!unchecked_ok (self, problem))
    return FALSE;
  if (self->tracks->len == 0 && !self->empty_told)
    {
      g_autofree char *new_keys = al_editor_keys_of (editor, "box.new");
      g_autofree char *submit_keys = al_editor_keys_of (editor, "win.submit");
      self->empty_told = TRUE;
      *problem = g_strdup_printf (_ ("You have not made a track yet: press %s for a new track. "
                                     "If there is nothing to follow in this video, press %s "
                                     "again to send it without tracks."),
                                  new_keys, submit_keys);
      return FALSE;
    }
  return TRUE;
}

static char *
al_video_box_editor_describe (AlEditor *editor)
{
  return al_box_canvas_describe (AL_VIDEO_BOX_EDITOR (editor)->canvas);
}

/* The canvas's keys in the words of tracks; its own undo is replaced by
 * the tracks' undo, which goes across frames. */
static char *
al_video_box_editor_describe_key (AlEditor   *editor,
                                  const char *action,
                                  const char *help)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (editor);
  guint n_labels = self->task ? g_strv_length (self->task->labels) : 0;
  guint64 number = 0;

  if (g_str_has_prefix (action, "video."))
    return g_strdup (help);
  if (!g_str_has_prefix (action, "box."))
    return NULL;
  if (g_str_equal (action, "box.undo"))
    return g_strdup (_ ("undo a change of the tracks, also on another frame"));
  if (g_str_equal (action, "box.redo"))
    return g_strdup (_ ("redo a change of the tracks"));
  if (g_str_equal (action, "box.new"))
    return g_strdup (_ ("new track: a box in the middle, a keyframe on this frame"));
  if (g_str_equal (action, "box.next") || g_str_equal (action, "box.previous"))
    return g_strdup (_ ("next / previous track in sight"));
  if (g_str_equal (action, "box.delete"))
    return g_strdup (self->proposed ? _ ("remove the track from the whole video; reject a "
                                         "proposed track")
                                    : _ ("remove the track from the whole video"));
  if (g_str_equal (action, "box.accept"))
    return self->proposed ? g_strdup (_ ("accept the model's proposed track")) : NULL;
  if (g_str_has_prefix (action, "box.label-") &&
      g_ascii_string_to_unsigned (action + strlen ("box.label-"), 10, 1, 9, &number, NULL))
    return number <= n_labels ? g_strdup_printf (_ ("give the track the label %s"),
                                                 self->task->labels[number - 1])
                              : NULL;
  return g_strdup (help);
}

static void
update_keys (AlVideoBoxEditor *self);

static void
al_video_box_editor_keys_changed (AlEditor   *editor,
                                  const char *action)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (editor);
  const char *const *accels = al_editor_get_keys (editor, action);

  for (int i = 0; i < N_ACTS; i++)
    if (g_str_equal (i < N_OWN_ACTS ? default_keys[i].action : taken_actions[i - N_OWN_ACTS],
                     action))
      {
        g_strfreev (self->keys[i]);
        self->keys[i] = g_strdupv ((char **) (accels ? accels : (const char *const[]) { NULL }));
        if (self->shortcuts)
          update_keys (self);
        /* The canvas's own undo would undo a frame's boxes only. */
        if (i >= N_OWN_ACTS)
          al_box_canvas_set_keys (self->canvas, action, NULL);
        return;
      }
  if (al_box_canvas_set_keys (self->canvas, action, accels))
    update_status (self);
}

static void
editor_iface_init (AlEditorInterface *iface)
{
  iface->load = al_video_box_editor_load;
  iface->get_result = al_video_box_editor_get_result;
  iface->get_draft = al_video_box_editor_get_draft;
  iface->check = al_video_box_editor_check;
  iface->describe = al_video_box_editor_describe;
  iface->describe_key = al_video_box_editor_describe_key;
  iface->keys_changed = al_video_box_editor_keys_changed;
}

/* ---- keys ---- */

static void
edited (AlVideoBoxEditor *self)
{
  self->unchecked_told = FALSE;
  fill_model (self);
  update_status (self);
  al_editor_emit_changed (AL_EDITOR (self));
}

static void
say (AlVideoBoxEditor *self,
     const char       *first)
{
  g_autofree char *description = al_box_canvas_describe (self->canvas);
  g_autofree char *text = first ? g_strdup_printf ("%s %s", first, description)
                                : g_steal_pointer (&description);
  al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, text);
}

static void
toggle_keyframe (AlVideoBoxEditor *self)
{
  AlTrack *track;
  AlTrackKey k;
  int at;

  if (self->current < 0)
    {
      say (self, _ ("No track selected."));
      return;
    }
  track = self->tracks->pdata[self->current];
  at = al_track_key_at (track, now (self), tolerance (self));
  if (at >= 0 && track->keys->len == 1)
    {
      g_autofree char *delete_keys = al_editor_keys_of (AL_EDITOR (self), "box.delete");
      g_autofree char *text = g_strdup_printf (_ ("This is the track's only keyframe; remove "
                                                  "the track with %s."), delete_keys);
      say (self, text);
      return;
    }
  push_undo (self);
  if (at >= 0)
    al_track_remove_key (track, (guint) at);
  else
    {
      if (!al_track_box_at (track, now (self), tolerance (self), &k, NULL))
        {
          g_autofree char *outside_keys = keys_of (self, ACT_OUTSIDE);
          g_autofree char *text = g_strdup_printf (_ ("The object is out of sight here: press "
                                                      "%s to bring it back."), outside_keys);
          g_ptr_array_remove_index (self->undo, self->undo->len - 1);
          say (self, text);
          return;
        }
      k.t = now (self);
      al_track_set_key (track, &k, tolerance (self));
    }
  edited (self);
  say (self, at >= 0 ? _ ("No longer a keyframe.") : _ ("Keyframe."));
}

static void
toggle_outside (AlVideoBoxEditor *self)
{
  AlTrack *track;
  AlTrackKey k;
  gboolean in;

  if (self->current < 0)
    {
      say (self, _ ("No track selected."));
      return;
    }
  track = self->tracks->pdata[self->current];
  push_undo (self);
  in = al_track_box_at (track, now (self), tolerance (self), &k, NULL);
  if (!in)
    {
      /* Back where it was last seen, or where it is first seen. */
      int last = -1;
      for (guint i = 0; i < track->keys->len; i++)
        {
          const AlTrackKey *ki = &g_array_index (track->keys, AlTrackKey, i);
          if (!ki->outside && (ki->t <= now (self) || last < 0))
            last = (int) i;
        }
      if (last >= 0)
        k = g_array_index (track->keys, AlTrackKey, last);
    }
  k.t = now (self);
  k.outside = in;
  al_track_set_key (track, &k, tolerance (self));
  edited (self);
  say (self, in ? _ ("Out of sight from here.") : _ ("Back in sight."));
}

static void
switch_track (AlVideoBoxEditor *self,
              int               direction)
{
  if (self->tracks->len == 0)
    {
      say (self, NULL);
      return;
    }
  self->current = self->current < 0 ? (direction > 0 ? 0 : (int) self->tracks->len - 1)
                                     : ((self->current + direction + (int) self->tracks->len) %
                                        (int) self->tracks->len);
  fill_model (self);
  update_status (self);
  say (self, NULL);
}

static void
undo_redo (AlVideoBoxEditor *self,
           gboolean          undo)
{
  GPtrArray *from = undo ? self->undo : self->redo;
  GPtrArray *to = undo ? self->redo : self->undo;
  json_t *state;

  if (from->len == 0)
    {
      say (self, undo ? _ ("Nothing to undo.") : _ ("Nothing to redo."));
      return;
    }
  g_ptr_array_add (to, snapshot (self, FALSE));
  state = from->pdata[from->len - 1];
  restore (self, state);
  g_ptr_array_remove_index (from, from->len - 1);
  edited (self);
  say (self, undo ? _ ("Undone.") : _ ("Redone."));
}

static void
run_act (AlVideoBoxEditor *self,
         Act               act)
{
  int second = (int) floor (self->fps + 0.5);

  if (!self->have_frame)
    return;
  switch (act)
    {
    case ACT_NEXT_FRAME:
      go_to (self, (int) self->wanted_frame + 1);
      break;
    case ACT_PREVIOUS_FRAME:
      go_to (self, (int) self->wanted_frame - 1);
      break;
    case ACT_FORWARD:
      go_to (self, (int) self->wanted_frame + second);
      break;
    case ACT_BACK:
      go_to (self, (int) self->wanted_frame - second);
      break;
    case ACT_PLAY:
      if (self->play_source)
        {
          g_clear_handle_id (&self->play_source, g_source_remove);
          update_status (self);
          say (self, _ ("Paused."));
        }
      else
        {
          if (self->shown_frame + 1 >= self->n_frames)
            go_to (self, 0);
          self->play_source = g_timeout_add ((guint) MAX (10, 1000 / self->fps), play_tick, self);
        }
      break;
    case ACT_KEYFRAME:
      toggle_keyframe (self);
      break;
    case ACT_OUTSIDE:
      toggle_outside (self);
      break;
    case ACT_NEXT_TRACK:
      switch_track (self, 1);
      break;
    case ACT_PREVIOUS_TRACK:
      switch_track (self, -1);
      break;
    case ACT_UNDO:
    case ACT_REDO:
      undo_redo (self, act == ACT_UNDO);
      break;
    default:
      break;
    }
}

static gboolean
shortcut_activated (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   data)
{
  run_act (AL_VIDEO_BOX_EDITOR (widget), GPOINTER_TO_INT (data));
  return TRUE;
}

static void
update_keys (AlVideoBoxEditor *self)
{
  if (self->shortcuts)
    gtk_widget_remove_controller (GTK_WIDGET (self), self->shortcuts);
  self->shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (self->shortcuts, GTK_PHASE_CAPTURE);
  for (int act = 0; act < N_ACTS; act++)
    for (guint i = 0; self->keys[act][i]; i++)
      {
        GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (self->keys[act][i]);
        if (trigger == NULL)
          {
            g_warning ("%s: “%s” is not a key",
                       act < N_OWN_ACTS ? default_keys[act].action : taken_actions[act - N_OWN_ACTS],
                       self->keys[act][i]);
            continue;
          }
        gtk_shortcut_controller_add_shortcut (
          GTK_SHORTCUT_CONTROLLER (self->shortcuts),
          gtk_shortcut_new (trigger, gtk_callback_action_new (shortcut_activated,
                                                              GINT_TO_POINTER (act), NULL)));
      }
  gtk_widget_add_controller (GTK_WIDGET (self), self->shortcuts);
  {
    g_autofree char *next = keys_of (self, ACT_NEXT_FRAME);
    g_autofree char *previous = keys_of (self, ACT_PREVIOUS_FRAME);
    g_autofree char *play = keys_of (self, ACT_PLAY);
    g_autofree char *key = keys_of (self, ACT_KEYFRAME);
    g_autofree char *outside = keys_of (self, ACT_OUTSIDE);
    g_autofree char *track = keys_of (self, ACT_NEXT_TRACK);
    g_autofree char *hint = g_strdup_printf (_ ("%s / %s: next / previous frame. %s: play or "
                                                "pause. %s: keyframe. %s: out of sight or back. "
                                                "%s: next track."),
                                             next, previous, play, key, outside, track);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->position), hint);
  }
}

/* ---- canvas signals ---- */

static void
canvas_changed (AlBoxCanvas      *canvas,
                AlVideoBoxEditor *self)
{
  if (sync_from_model (self))
    al_editor_emit_changed (AL_EDITOR (self));
  update_status (self);
}

static void
canvas_announce (AlBoxCanvas      *canvas,
                 const char       *text,
                 gboolean          interrupt,
                 AlVideoBoxEditor *self)
{
  g_autofree char *old = al_box_canvas_describe (canvas);
  gboolean description = g_strcmp0 (text, old) == 0;
  int priority = interrupt ? AL_SPEECH_INTERRUPT : AL_SPEECH_QUEUE;

  /* The canvas describes before it says it changed: make the keyframe
   * first, so that the words say what the frame is now. */
  if (sync_from_model (self))
    al_editor_emit_changed (AL_EDITOR (self));
  else if (self->current >= 0 && al_box_canvas_get_model (canvas))
    {
      int sel = al_box_model_get_selected (al_box_canvas_get_model (canvas));
      if (sel >= 0 && (guint) sel < self->in_model->len)
        self->current = g_array_index (self->in_model, int, sel);
    }
  update_status (self);
  if (description)
    {
      g_autofree char *now_text = al_box_canvas_describe (canvas);
      al_editor_emit_announce (AL_EDITOR (self), priority | AL_SPEECH_DESCRIBED, now_text);
      return;
    }
  al_editor_emit_announce (AL_EDITOR (self), priority, text);
}

static gboolean
al_video_box_editor_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (AL_VIDEO_BOX_EDITOR (widget)->canvas));
}

static void
al_video_box_editor_dispose (GObject *object)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (object);

  close_video (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (al_video_box_editor_parent_class)->dispose (object);
}

static void
al_video_box_editor_finalize (GObject *object)
{
  AlVideoBoxEditor *self = AL_VIDEO_BOX_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->task, al_task_unref);
  g_clear_pointer (&self->pending_draft, json_decref);
  g_ptr_array_unref (self->tracks);
  g_clear_pointer (&self->proposed, g_ptr_array_unref);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  g_array_unref (self->in_model);
  g_mutex_clear (&self->frames_lock);
  for (int i = 0; i < N_ACTS; i++)
    g_strfreev (self->keys[i]);
  G_OBJECT_CLASS (al_video_box_editor_parent_class)->finalize (object);
}

static void
al_video_box_editor_class_init (AlVideoBoxEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = al_video_box_editor_dispose;
  object_class->finalize = al_video_box_editor_finalize;
  widget_class->grab_focus = al_video_box_editor_grab_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkLabel *
add_label (AlVideoBoxEditor *self)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_xalign (label, 0);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (label));
  return label;
}

static void
al_video_box_editor_init (AlVideoBoxEditor *self)
{
  self->tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_track_free);
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) json_decref);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) json_decref);
  self->in_model = g_array_new (FALSE, FALSE, sizeof (int));
  self->current = -1;
  self->fps = 25;
  g_mutex_init (&self->frames_lock);
  self->cancellable = g_cancellable_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_start (self->box, 16);
  gtk_widget_set_margin_end (self->box, 16);
  gtk_widget_set_margin_top (self->box, 8);
  gtk_widget_set_margin_bottom (self->box, 8);

  self->instructions = add_label (self);
  gtk_widget_add_css_class (GTK_WIDGET (self->instructions), "instructions");
  /* Hidden unless a task has a proposal. */
  self->proposal_note = add_label (self);
  gtk_widget_add_css_class (GTK_WIDGET (self->proposal_note), "proposal-note");
  gtk_widget_set_visible (GTK_WIDGET (self->proposal_note), FALSE);
  self->canvas = al_box_canvas_new ();
  gtk_widget_set_vexpand (GTK_WIDGET (self->canvas), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->canvas), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self->canvas), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Video frame with boxes"), -1);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->canvas));
  g_signal_connect (self->canvas, "changed", G_CALLBACK (canvas_changed), self);
  g_signal_connect (self->canvas, "announce", G_CALLBACK (canvas_announce), self);
  self->status = add_label (self);
  self->position = add_label (self);
  self->legend = add_label (self);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "status");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Boxes on video task"), -1);

  for (int i = 0; i < N_ACTS; i++)
    self->keys[i] = g_new0 (char *, 1);
  for (int i = 0; i < N_OWN_ACTS; i++)
    {
      g_auto (GStrv) accels = g_strsplit (default_keys[i].accels, ";", -1);
      al_editor_set_keys (AL_EDITOR (self), default_keys[i].action, (const char *const *) accels);
    }
  {
    gsize n = 0;
    const AlEditorKey *keys = al_box_canvas_default_keys (&n);

    for (gsize i = 0; i < n; i++)
      {
        g_auto (GStrv) accels = g_strsplit (keys[i].accels, ";", -1);
        al_editor_set_keys (AL_EDITOR (self), keys[i].action, (const char *const *) accels);
      }
  }
  update_keys (self);
}

AlVideoBoxEditor *
al_video_box_editor_new (void)
{
  return g_object_new (AL_TYPE_VIDEO_BOX_EDITOR, NULL);
}

const AlEditorKey *
al_video_box_editor_default_keys (gsize *n_keys)
{
  *n_keys = N_OWN_ACTS;
  return default_keys;
}
