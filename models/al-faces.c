/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-models"

#include "config.h"

#include <gst/gst.h>
#include <string.h>

#include "al-boxes.h"
#include "al-faces.h"
#include "al-formats.h"

#define CASCADES "/usr/share/opencv4/haarcascades/"

const char *
al_faces_label (const AlTask *task)
{
  static const char *const names[] = { "gezicht", "gezichten", "face", "faces", NULL };

  if (task->kind != AL_TASK_KIND_BBOX)
    return NULL;
  for (char **l = task->labels; l && *l; l++)
    for (int i = 0; names[i]; i++)
      if (g_ascii_strcasecmp (*l, names[i]) == 0)
        return *l;
  return NULL;
}

static gboolean
run_pipeline (GstElement *pipeline,
              const char *path,
              GArray     *faces,
              gboolean    mirrored,
              int         width,
              GError    **error)
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

      if (msg == NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT)
        {
          if (msg == NULL || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
            {
              g_autoptr (GError) gerr = NULL;
              if (msg)
                gst_message_parse_error (msg, &gerr, NULL);
              g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_MEDIA,
                           "%s cannot be read as a photo: %s", path,
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
      for (guint i = 0; i < gst_value_list_get_size (list); i++)
        {
          const GstStructure *f = gst_value_get_structure (gst_value_list_get_value (list, i));
          guint x = 0, y = 0, w = 0, h = 0;
          AlBox box = { 0 };
          gst_structure_get_uint (f, "x", &x);
          gst_structure_get_uint (f, "y", &y);
          gst_structure_get_uint (f, "width", &w);
          gst_structure_get_uint (f, "height", &h);
          box.x = mirrored ? width - (double) x - w : x;
          box.y = y;
          box.w = w;
          box.h = h;
          g_array_append_val (faces, box);
        }
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

/* One pass of one cascade over the photo; @mirrored flips it first (the
 * profile cascade finds faces turned one way only). */
static gboolean
detect (const char *path,
        const char *cascade,
        int         min_neighbors,
        gboolean    mirrored,
        int         width,
        GArray     *faces,
        GError    **error)
{
  g_autofree char *desc = g_strdup_printf (
    "filesrc name=src ! decodebin ! videoconvert ! %s facedetect name=fd display=false "
    "min-neighbors=%d ! fakesink", mirrored ? "videoflip method=horizontal-flip ! videoconvert !" : "",
    min_neighbors);
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
  return run_pipeline (pipeline, path, faces, mirrored, width, error);
}

/* Boxes of several passes that overlap (IoU above 0.3) are one face. */
static int
find_same (GArray      *faces,
           const AlBox *box)
{
  for (guint i = 0; i < faces->len; i++)
    if (al_box_iou (&g_array_index (faces, AlBox, i), box) > 0.3)
      return (int) i;
  return -1;
}

json_t *
al_faces_propose (const AlTask *task,
                  GError      **error)
{
  g_autoptr (GArray) frontal = g_array_new (FALSE, TRUE, sizeof (AlBox));
  g_autoptr (GArray) strict = g_array_new (FALSE, TRUE, sizeof (AlBox));
  g_autoptr (GArray) profile = g_array_new (FALSE, TRUE, sizeof (AlBox));
  g_autoptr (GArray) faces = g_array_new (FALSE, TRUE, sizeof (AlBox));
  const char *label = al_faces_label (task);
  json_t *boxes;
  int width = task->width, height = task->height;

  g_return_val_if_fail (label != NULL, NULL);

  /* facedetect also loads its nose, mouth and eye cascades, which Debian
   * does not ship, and OpenCV logs each miss; only faces are asked here. */
  g_setenv ("OPENCV_LOG_LEVEL", "OFF", FALSE);
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  if ((width <= 0 || height <= 0) && !al_image_size (task->media, &width, &height))
    {
      g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_MEDIA,
                   "%s cannot be read as a photo", task->media);
      return NULL;
    }
  /* A Haar cascade gives no score: a face the frontal cascade still finds
   * when it asks for three times as many neighbouring hits is surer. */
  if (!detect (task->media, CASCADES "haarcascade_frontalface_default.xml", 3, FALSE, width,
               frontal, error) ||
      !detect (task->media, CASCADES "haarcascade_frontalface_default.xml", 9, FALSE, width,
               strict, error) ||
      !detect (task->media, CASCADES "haarcascade_profileface.xml", 3, FALSE, width, profile,
               error) ||
      !detect (task->media, CASCADES "haarcascade_profileface.xml", 3, TRUE, width, profile,
               error))
    return NULL;

  for (guint i = 0; i < frontal->len; i++)
    {
      AlBox box = g_array_index (frontal, AlBox, i);
      box.score = find_same (strict, &box) >= 0 ? 0.9 : 0.6;
      g_array_append_val (faces, box);
    }
  for (guint i = 0; i < profile->len; i++)
    {
      AlBox box = g_array_index (profile, AlBox, i);
      int same = find_same (faces, &box);
      if (same >= 0)
        g_array_index (faces, AlBox, same).score = 0.9;
      else
        {
          box.score = 0.5;
          g_array_append_val (faces, box);
        }
    }

  boxes = json_array ();
  for (guint i = 0; i < faces->len; i++)
    {
      AlBox *b = &g_array_index (faces, AlBox, i);
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
