/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-models"

#include "config.h"

#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "al-boxes.h"
#include "al-faces.h"
#include "al-formats.h"
#include "al-video-frames.h"

#define CASCADES "/usr/share/opencv4/haarcascades/"

/* A face a pass found, on frame @frame of the video (0 on a photo). */
typedef struct
{
  AlBox box;
  guint frame;
} Face;

/* Which frames of a video the detector looks at: every @step-th of the
 * task's span, counted from the video's first frame. */
typedef struct
{
  double fps;
  guint first, last, step;
} Sampling;

const char *
al_faces_label (const AlTask *task)
{
  static const char *const names[] = { "gezicht", "gezichten", "face", "faces", NULL };

  if (task->kind != AL_TASK_KIND_BBOX && task->kind != AL_TASK_KIND_VIDEO_BOXES)
    return NULL;
  for (char **l = task->labels; l && *l; l++)
    for (int i = 0; names[i]; i++)
      if (g_ascii_strcasecmp (*l, names[i]) == 0)
        return *l;
  return NULL;
}

static guint
frame_of (GstClockTime    pts,
          const Sampling *sampling)
{
  return (guint) floor ((double) pts / GST_SECOND * sampling->fps + 0.5);
}

/* Frames that are not looked at are dropped before they are converted. */
static GstPadProbeReturn
sample_frame (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         data)
{
  const Sampling *sampling = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  guint frame;

  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  frame = frame_of (GST_BUFFER_PTS (buffer), sampling);
  if (frame < sampling->first || frame > sampling->last ||
      (frame - sampling->first) % sampling->step != 0)
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

static gboolean
run_pipeline (GstElement     *pipeline,
              const char     *path,
              GArray         *faces,
              gboolean        mirrored,
              int             width,
              const Sampling *sampling,
              GError        **error)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  gboolean done = FALSE, ok = TRUE;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!done)
    {
      g_autoptr (GstMessage) msg = gst_bus_timed_pop_filtered (
        bus, 30 * GST_SECOND, GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      const GstStructure *s;
      const GValue *list;
      guint64 pts = 0;

      if (msg == NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT)
        {
          if (msg == NULL || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
            {
              g_autoptr (GError) gerr = NULL;
              if (msg)
                gst_message_parse_error (msg, &gerr, NULL);
              g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_MEDIA,
                           "%s cannot be read as a %s: %s", path,
                           sampling ? "video" : "photo",
                           gerr ? gerr->message : "no answer in 30 seconds");
              ok = FALSE;
            }
          done = TRUE;
          continue;
        }
      s = gst_message_get_structure (msg);
      if (!gst_structure_has_name (s, "facedetect") ||
          (list = gst_structure_get_value (s, "faces")) == NULL)
        continue;
      gst_structure_get_uint64 (s, "timestamp", &pts);
      for (guint i = 0; i < gst_value_list_get_size (list); i++)
        {
          const GstStructure *f = gst_value_get_structure (gst_value_list_get_value (list, i));
          guint x = 0, y = 0, w = 0, h = 0;
          Face face = { { 0 }, sampling ? frame_of (pts, sampling) : 0 };
          gst_structure_get_uint (f, "x", &x);
          gst_structure_get_uint (f, "y", &y);
          gst_structure_get_uint (f, "width", &w);
          gst_structure_get_uint (f, "height", &h);
          face.box.x = mirrored ? width - (double) x - w : x;
          face.box.y = y;
          face.box.w = w;
          face.box.h = h;
          g_array_append_val (faces, face);
        }
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

/* One pass of one cascade over the photo, or over the sampled frames of a
 * video; @mirrored flips it first (the profile cascade finds faces turned
 * one way only). */
static gboolean
detect (const char     *path,
        const char     *cascade,
        int             min_neighbors,
        gboolean        mirrored,
        int             width,
        const Sampling *sampling,
        GArray         *faces,
        GError        **error)
{
  g_autofree char *desc = g_strdup_printf (
    "filesrc name=src ! decodebin ! video/x-raw ! identity name=gate ! videoconvert ! %s "
    "facedetect name=fd display=false min-neighbors=%d ! fakesink sync=false",
    mirrored ? "videoflip method=horizontal-flip ! videoconvert !" : "", min_neighbors);
  g_autoptr (GError) local = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (desc, &local);
  g_autoptr (GstElement) src = NULL;
  g_autoptr (GstElement) fd = NULL;

  if (pipeline == NULL || local)
    {
      g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_MISSING,
                   "the face detector is not installed (GStreamer's facedetect, Debian package "
                   "gstreamer1.0-opencv): %s", local ? local->message : "?");
      return FALSE;
    }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  fd = gst_bin_get_by_name (GST_BIN (pipeline), "fd");
  g_object_set (src, "location", path, NULL);
  g_object_set (fd, "profile", cascade, NULL);
  if (sampling)
    {
      g_autoptr (GstElement) gate = gst_bin_get_by_name (GST_BIN (pipeline), "gate");
      g_autoptr (GstPad) pad = gst_element_get_static_pad (gate, "sink");
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, sample_frame, (gpointer) sampling, NULL);
    }
  return run_pipeline (pipeline, path, faces, mirrored, width, sampling, error);
}

/* Boxes of several passes on one frame that overlap (IoU above 0.3) are
 * one face. */
static int
find_same (GArray     *faces,
           const Face *face)
{
  for (guint i = 0; i < faces->len; i++)
    {
      const Face *f = &g_array_index (faces, Face, i);
      if (f->frame == face->frame && al_box_iou (&f->box, &face->box) > 0.3)
        return (int) i;
    }
  return -1;
}

/* The four passes of the photo (or of each sampled frame): a Haar cascade
 * gives no score, so a face the frontal cascade still finds when it asks
 * for three times as many neighbouring hits is surer, as is one that a
 * frontal and a profile pass both found. */
static GArray *
find_faces (const char     *path,
            int             width,
            const Sampling *sampling,
            GError        **error)
{
  g_autoptr (GArray) frontal = g_array_new (FALSE, TRUE, sizeof (Face));
  g_autoptr (GArray) strict = g_array_new (FALSE, TRUE, sizeof (Face));
  g_autoptr (GArray) profile = g_array_new (FALSE, TRUE, sizeof (Face));
  GArray *faces;

  if (!detect (path, CASCADES "haarcascade_frontalface_default.xml", 3, FALSE, width, sampling,
               frontal, error) ||
      !detect (path, CASCADES "haarcascade_frontalface_default.xml", 9, FALSE, width, sampling,
               strict, error) ||
      !detect (path, CASCADES "haarcascade_profileface.xml", 3, FALSE, width, sampling, profile,
               error) ||
      !detect (path, CASCADES "haarcascade_profileface.xml", 3, TRUE, width, sampling, profile,
               error))
    return NULL;

  faces = g_array_new (FALSE, TRUE, sizeof (Face));
  for (guint i = 0; i < frontal->len; i++)
    {
      Face face = g_array_index (frontal, Face, i);
      face.box.score = find_same (strict, &face) >= 0 ? 0.9 : 0.6;
      g_array_append_val (faces, face);
    }
  for (guint i = 0; i < profile->len; i++)
    {
      Face face = g_array_index (profile, Face, i);
      int same = find_same (faces, &face);
      if (same >= 0)
        g_array_index (faces, Face, same).box.score = 0.9;
      else
        {
          face.box.score = 0.5;
          g_array_append_val (faces, face);
        }
    }
  return faces;
}

static void
start_gst (void)
{
  /* facedetect also loads its nose, mouth and eye cascades, which Debian
   * does not ship, and OpenCV logs each miss; only faces are asked here. */
  g_setenv ("OPENCV_LOG_LEVEL", "OFF", FALSE);
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
}

static json_t *propose_tracks (const AlTask *task,
                               const char   *label,
                               GError      **error);

json_t *
al_faces_propose (const AlTask *task,
                  GError      **error)
{
  g_autoptr (GArray) faces = NULL;
  const char *label = al_faces_label (task);
  json_t *boxes;
  int width = task->width, height = task->height;

  g_return_val_if_fail (label != NULL, NULL);

  start_gst ();
  if (task->kind == AL_TASK_KIND_VIDEO_BOXES)
    return propose_tracks (task, label, error);
  if ((width <= 0 || height <= 0) && !al_image_size (task->media, &width, &height))
    {
      g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_MEDIA,
                   "%s cannot be read as a photo", task->media);
      return NULL;
    }
  if ((faces = find_faces (task->media, width, NULL, error)) == NULL)
    return NULL;

  boxes = json_array ();
  for (guint i = 0; i < faces->len; i++)
    {
      AlBox *b = &g_array_index (faces, Face, i).box;
      int x = CLAMP ((int) b->x, 0, width - 1), y = CLAMP ((int) b->y, 0, height - 1);
      int w = MIN ((int) b->w, width - x), h = MIN ((int) b->h, height - y);
      if (w > 0 && h > 0)
        json_array_append_new (boxes, json_pack ("{s:s,s:i,s:i,s:i,s:i,s:f}", "label", label,
                                                 "x", x, "y", y, "w", w, "h", h,
                                                 "confidence", b->score));
    }
  return json_pack ("{s:s,s:s,s:o}", "model", "opencv-haar", "version", AL_OPENCV_VERSION,
                    "boxes", boxes);
}

/* ---- faces on video: tracks ---- */

/* A face followed over the sampled frames: its faces, in frame order. */
typedef struct
{
  GArray *faces; /* Face */
  guint last;    /* the sample (from 0) it was last seen on */
} Chain;

static void
chain_free (gpointer data)
{
  Chain *chain = data;
  g_array_unref (chain->faces);
  g_free (chain);
}

typedef struct
{
  Chain *chain;
  guint face;
  double iou;
} Link;

static int
by_iou (gconstpointer a,
        gconstpointer b)
{
  double d = ((const Link *) b)->iou - ((const Link *) a)->iou;
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}

/* Greedy linking, sample by sample: the pairs of a face and a track seen
 * on one of the two samples before, best overlap first, at an IoU of at
 * least 0.3; a face left over starts a track. A track missed on one
 * sample goes on (a cascade misses a face now and then), missed on two it
 * has ended. */
static GPtrArray *
link_faces (GArray         *faces,
            const Sampling *sampling)
{
  GPtrArray *chains = g_ptr_array_new_with_free_func (chain_free);
  guint n_samples = (sampling->last - sampling->first) / sampling->step + 1;

  for (guint s = 0; s < n_samples; s++)
    {
      guint frame = sampling->first + s * sampling->step;
      g_autoptr (GArray) links = g_array_new (FALSE, FALSE, sizeof (Link));
      g_autoptr (GArray) here = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autofree gboolean *used = NULL;
      guint n_chains = chains->len;

      for (guint i = 0; i < faces->len; i++)
        if (g_array_index (faces, Face, i).frame == frame)
          g_array_append_val (here, i);
      used = g_new0 (gboolean, here->len);
      for (guint c = 0; c < n_chains; c++)
        {
          Chain *chain = chains->pdata[c];
          const Face *last = &g_array_index (chain->faces, Face, chain->faces->len - 1);
          if (s - chain->last > 2)
            continue;
          for (guint k = 0; k < here->len; k++)
            {
              Link link = { chain, k,
                            al_box_iou (&last->box,
                                        &g_array_index (faces, Face,
                                                        g_array_index (here, guint, k)).box) };
              if (link.iou >= 0.3)
                g_array_append_val (links, link);
            }
        }
      g_array_sort (links, by_iou);
      for (guint l = 0; l < links->len; l++)
        {
          Link *link = &g_array_index (links, Link, l);
          if (used[link->face] || link->chain->last == s)
            continue;
          used[link->face] = TRUE;
          link->chain->last = s;
          g_array_append_val (link->chain->faces,
                              g_array_index (faces, Face, g_array_index (here, guint, link->face)));
        }
      for (guint k = 0; k < here->len; k++)
        if (!used[k])
          {
            Chain *chain = g_new0 (Chain, 1);
            chain->faces = g_array_new (FALSE, FALSE, sizeof (Face));
            chain->last = s;
            g_array_append_val (chain->faces,
                                g_array_index (faces, Face, g_array_index (here, guint, k)));
            g_ptr_array_add (chains, chain);
          }
    }
  return chains;
}

static json_t *
keyframe (double      t,
          const AlBox *b,
          int          width,
          int          height,
          gboolean     outside)
{
  int x = CLAMP ((int) b->x, 0, width - 1), y = CLAMP ((int) b->y, 0, height - 1);
  int w = MAX (1, MIN ((int) b->w, width - x)), h = MAX (1, MIN ((int) b->h, height - y));

  return json_pack ("{s:f,s:i,s:i,s:i,s:i,s:b}", "t", round (t * 10000) / 10000, "x", x, "y", y,
                    "w", w, "h", h, "outside", outside);
}

/* A detection that lies where the track would be anyway, moving straight
 * from the keyframe before to the detection after (IoU 0.9 or more), is
 * left out: fewer keyframes to check, and the track still follows it. */
static gboolean
on_the_way (const Face *before,
            const Face *face,
            const Face *after)
{
  double f = (double) (face->frame - before->frame) / (after->frame - before->frame);
  AlBox b = { before->box.x + f * (after->box.x - before->box.x),
              before->box.y + f * (after->box.y - before->box.y),
              before->box.w + f * (after->box.w - before->box.w),
              before->box.h + f * (after->box.h - before->box.h), NULL, 0 };

  return al_box_iou (&b, &face->box) >= 0.9;
}

static json_t *
chain_to_json (const Chain    *chain,
               const char     *label,
               const Sampling *sampling,
               double          start,
               int             width,
               int             height)
{
  json_t *keys = json_array ();
  const Face *kept = NULL, *last;
  double score = 0;

  for (guint i = 0; i < chain->faces->len; i++)
    {
      const Face *face = &g_array_index (chain->faces, Face, i);
      score += face->box.score;
      if (kept && i + 1 < chain->faces->len &&
          on_the_way (kept, face, &g_array_index (chain->faces, Face, i + 1)))
        continue;
      json_array_append_new (keys, keyframe (start + (double) (face->frame - sampling->first) /
                                                       sampling->fps,
                                             &face->box, width, height, FALSE));
      kept = face;
    }
  /* Not found again: out of sight from the next sample on. */
  last = &g_array_index (chain->faces, Face, chain->faces->len - 1);
  if (last->frame + sampling->step <= sampling->last)
    json_array_append_new (keys, keyframe (start + (double) (last->frame + sampling->step -
                                                             sampling->first) / sampling->fps,
                                           &last->box, width, height, TRUE));
  return json_pack ("{s:s,s:f,s:o}", "label", label, "confidence",
                    round (score / chain->faces->len * 100) / 100, "keyframes", keys);
}

/* Faces on every sampled frame of the task's span, linked into tracks. */
static json_t *
propose_tracks (const AlTask *task,
                const char   *label,
                GError      **error)
{
  AlVideoInfo info = { task->width, task->height, task->fps, 0 };
  Sampling sampling = { 0 };
  g_autoptr (GArray) faces = NULL;
  g_autoptr (GPtrArray) chains = NULL;
  json_t *tracks;
  double end;
  guint n_samples;

  if ((info.width <= 0 || info.height <= 0 || info.fps <= 0 || task->end <= 0) &&
      !al_video_probe (task->media, &info, NULL))
    {
      g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_MEDIA,
                   "%s cannot be read as a video", task->media);
      return NULL;
    }
  sampling.fps = task->fps > 0 ? task->fps : info.fps;
  if (task->width > 0 && task->height > 0)
    {
      info.width = task->width;
      info.height = task->height;
    }
  end = task->end > 0 ? task->end : info.duration;
  /* Every half second: a face moves little in that time, so the boxes of
   * two samples still overlap, and the frames between are the ones the
   * editor interpolates anyway. Whole frames, so that every keyframe lies
   * on a frame of the task. */
  sampling.step = MAX (1u, (guint) floor (sampling.fps / 2 + 0.5));
  sampling.first = (guint) floor (task->start * sampling.fps + 0.5);
  n_samples = end > task->start
                  ? MAX (1u, (guint) floor ((end - task->start) * sampling.fps + 0.5))
                  : 1;
  sampling.last = sampling.first + n_samples - 1;
  if ((faces = find_faces (task->media, info.width, &sampling, error)) == NULL)
    return NULL;
  chains = link_faces (faces, &sampling);

  tracks = json_array ();
  for (guint c = 0; c < chains->len; c++)
    {
      const Chain *chain = chains->pdata[c];
      /* A face on one sample only, in a video of several, is most often a
       * false hit of the cascade: a real face stays in sight longer. */
      if (chain->faces->len < 2 && sampling.last - sampling.first >= sampling.step)
        continue;
      json_array_append_new (tracks, chain_to_json (chain, label, &sampling, task->start,
                                                    info.width, info.height));
    }
  return json_pack ("{s:s,s:s,s:o}", "model", "opencv-haar", "version", AL_OPENCV_VERSION,
                    "tracks", tracks);
}
