/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

/* Boxes on video: CVAT for video 1.1 XML in (as gold) and out, and
 * MOTChallenge text out. Times in the store are seconds; both formats count
 * frames, which the task's frame rate turns into times and back. */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "al-export-util.h"
#include "al-format-private.h"
#include "al-track.h"
#include "al-tracks-score.h"

/* ---- reading CVAT video XML ---- */

/* Ten million frames: more than a day at 100 frames a second. */
#define AL_CVAT_MAX_FRAME 10000000

typedef struct
{
  const char *path;
  GPtrArray *labels;  /* char * */
  GPtrArray *tracks;  /* AlTrack */
  AlTrack *track;     /* the <track> being read */
  gboolean in_label;
  gboolean in_label_name;
  gboolean any_keyframe; /* the file marks its keyframes */
  GPtrArray *pending; /* per track: the boxes as read, for files without keyframe marks */
} CvatRead;

static const char *
attr (const char **names,
      const char **values,
      const char  *name)
{
  for (int i = 0; names[i]; i++)
    if (g_str_equal (names[i], name))
      return values[i];
  return NULL;
}

static gboolean
parse_double (const char *s,
              double     *out)
{
  char *end = NULL;
  if (s == NULL)
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != s && *end == '\0' && isfinite (*out);
}

static void
cvat_start (GMarkupParseContext *context,
            const char          *element,
            const char         **names,
            const char         **values,
            gpointer             data,
            GError             **error)
{
  CvatRead *r = data;
  int line = 0;

  g_markup_parse_context_get_position (context, &line, NULL);
  if (g_str_equal (element, "label") && r->track == NULL)
    r->in_label = TRUE;
  else if (g_str_equal (element, "name") && r->in_label)
    {
      /* A label's own name, not one of its attributes'. */
      const GSList *stack = g_markup_parse_context_get_element_stack (context);
      r->in_label_name = stack && stack->next && g_str_equal (stack->next->data, "label");
    }
  else if (g_str_equal (element, "track"))
    {
      const char *label = attr (names, values, "label");
      if (label == NULL || *label == '\0')
        {
          g_set_error (error, AL_FORMAT_ERROR, AL_FORMAT_ERROR_PARSE,
                       "%s, line %d: a <track> without a label", r->path, line);
          return;
        }
      r->track = al_track_new (label);
      g_ptr_array_add (r->tracks, r->track);
      g_ptr_array_add (r->pending, g_array_new (FALSE, FALSE, sizeof (AlTrackKey)));
    }
  else if (g_str_equal (element, "box") && r->track)
    {
      double frame, xtl, ytl, xbr, ybr;
      const char *outside = attr (names, values, "outside");
      const char *keyframe = attr (names, values, "keyframe");
      AlTrackKey k = { 0 };
      GArray *boxes = r->pending->pdata[r->pending->len - 1];

      if (!parse_double (attr (names, values, "frame"), &frame) || frame < 0 ||
          frame > AL_CVAT_MAX_FRAME || frame != floor (frame) || !parse_double (attr (names, values, "xtl"), &xtl) ||
          !parse_double (attr (names, values, "ytl"), &ytl) ||
          !parse_double (attr (names, values, "xbr"), &xbr) ||
          !parse_double (attr (names, values, "ybr"), &ybr))
        {
          g_set_error (error, AL_FORMAT_ERROR, AL_FORMAT_ERROR_PARSE,
                       "%s, line %d, track %u: a <box> needs a frame number (0 to %d) and "
                       "numbers xtl, ytl, xbr and ybr", r->path, line, r->tracks->len,
                       AL_CVAT_MAX_FRAME);
          return;
        }
      k.t = frame; /* a frame number until the rate is known */
      k.x = xtl;
      k.y = ytl;
      k.w = xbr - xtl;
      k.h = ybr - ytl;
      k.outside = g_strcmp0 (outside, "1") == 0;
      if (boxes->len > 0 && frame <= g_array_index (boxes, AlTrackKey, boxes->len - 1).t)
        {
          g_set_error (error, AL_FORMAT_ERROR, AL_FORMAT_ERROR_PARSE,
                       "%s, line %d, track %u: the box of frame %g comes after that of frame "
                       "%g; boxes must be in frame order", r->path, line, r->tracks->len, frame,
                       g_array_index (boxes, AlTrackKey, boxes->len - 1).t);
          return;
        }
      if (k.w < 0 || k.h < 0)
        {
          g_set_error (error, AL_FORMAT_ERROR, AL_FORMAT_ERROR_PARSE,
                       "%s, line %d, track %u, frame %g: the box has a negative size (xbr before "
                       "xtl or ybr before ytl)", r->path, line, r->tracks->len, frame);
          return;
        }
      if (keyframe)
        r->any_keyframe = TRUE;
      /* Marked 0: an interpolated box, which the keyframes give again. */
      if (g_strcmp0 (keyframe, "0") != 0)
        g_array_append_val (r->track->keys, k);
      g_array_append_val (boxes, k);
    }
}

static void
cvat_end (GMarkupParseContext *context,
          const char          *element,
          gpointer             data,
          GError             **error)
{
  CvatRead *r = data;

  if (g_str_equal (element, "track"))
    r->track = NULL;
  else if (g_str_equal (element, "label"))
    r->in_label = FALSE;
  else if (g_str_equal (element, "name"))
    r->in_label_name = FALSE;
}

static void
cvat_text (GMarkupParseContext *context,
           const char          *text,
           gsize                length,
           gpointer             data,
           GError             **error)
{
  CvatRead *r = data;

  if (r->in_label_name)
    {
      g_autofree char *name = g_strstrip (g_strndup (text, length));
      if (*name)
        g_ptr_array_add (r->labels, g_steal_pointer (&name));
    }
}

GPtrArray *
al_cvat_video_parse (const char *text,
                     gsize       length,
                     const char *name,
                     GPtrArray  *labels,
                     GError    **error)
{
  static const GMarkupParser parser = { cvat_start, cvat_end, cvat_text, NULL, NULL };
  g_autoptr (GPtrArray) tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_track_free);
  g_autoptr (GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr (GPtrArray) own_labels = labels ? NULL : g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GError) local = NULL;
  CvatRead r = { 0 };

  g_return_val_if_fail (text != NULL && name != NULL, NULL);

  r.path = name;
  r.labels = labels ? labels : own_labels;
  r.tracks = tracks;
  r.pending = pending;
  context = g_markup_parse_context_new (&parser, 0, &r, NULL);
  if (!g_markup_parse_context_parse (context, text, (gssize) length, &local) ||
      !g_markup_parse_context_end_parse (context, &local))
    {
      if (local->domain == AL_FORMAT_ERROR)
        return g_propagate_error (error, g_steal_pointer (&local)), NULL;
      return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s is not CVAT video XML: %s", name,
                             local->message), NULL;
    }
  if (tracks->len == 0)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s holds no <track>", name), NULL;
  /* Without keyframe marks every box is one. */
  for (guint i = 0; i < tracks->len && !r.any_keyframe; i++)
    {
      AlTrack *track = tracks->pdata[i];
      g_array_set_size (track->keys, 0);
      g_array_append_vals (track->keys, ((GArray *) pending->pdata[i])->data,
                           ((GArray *) pending->pdata[i])->len);
    }
  return g_steal_pointer (&tracks);
}

GPtrArray *
al_cvat_video_read (const char      *path,
                    AlImportOptions *options,
                    GError         **error)
{
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) tracks = NULL;
  g_autofree char *text = NULL;
  g_autofree char *media = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *id = NULL;
  g_autoptr (json_t) label_list = json_array ();
  g_autoptr (GError) local = NULL;
  AlVideoCheckInfo info = { 0 };
  json_t *gold, *obj;
  AlTask *task;
  gsize length;

  if (options == NULL || options->media == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s: CVAT video tracks need the video they belong to: --media FILE",
                           path), NULL;
  text = al_format_read_file (path, AL_FORMAT_MAX_FILE, FALSE, &length, error);
  if (text == NULL)
    return NULL;
  tracks = al_cvat_video_parse (text, length, path, labels, error);
  if (tracks == NULL)
    return NULL;

  media = g_canonicalize_filename (options->media, NULL);
  if (options->check_video == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA,
                           "%s: the frame rate of %s cannot be read here", path,
                           options->media), NULL;
  if (!options->check_video (media, options->check_data, &info, &local))
    return al_format_fail (error, AL_FORMAT_ERROR_MEDIA, "%s: %s", path, local->message), NULL;

  for (guint i = 0; i < labels->len; i++)
    json_array_append_new (label_list, json_string (labels->pdata[i]));
  for (guint i = 0; i < tracks->len; i++)
    {
      AlTrack *track = tracks->pdata[i];
      for (guint j = 0; j < track->keys->len; j++)
        {
          AlTrackKey *k = &g_array_index (track->keys, AlTrackKey, j);
          k->t = al_track_time_of ((guint) k->t, 0, info.fps);
        }
      {
        gboolean seen = FALSE;
        for (gsize l = 0; l < json_array_size (label_list); l++)
          seen |= g_str_equal (json_string_value (json_array_get (label_list, l)), track->label);
        if (!seen)
          json_array_append_new (label_list, json_string (track->label));
      }
    }
  gold = al_tracks_to_json (tracks);
  stem = g_path_get_basename (media);
  if (strrchr (stem, '.') && strrchr (stem, '.') != stem)
    *strrchr (stem, '.') = '\0';
  id = al_format_task_id (options, stem);
  obj = json_pack ("{s:s,s:s,s:s,s:O,s:f,s:f,s:o,s:o,s:{s:s}}", "id", id, "kind", "video-boxes",
                   "video", media, "labels", label_list, "fps", info.fps, "end",
                   info.duration, "instructions",
                   al_format_instructions (AL_TASK_KIND_VIDEO_BOXES, label_list), "gold", gold,
                   "source", "file", path);
  if (info.width > 0)
    {
      json_object_set_new (obj, "width", json_integer (info.width));
      json_object_set_new (obj, "height", json_integer (info.height));
    }
  if (info.duration <= 0)
    json_object_del (obj, "end");
  task = al_format_task_new (obj, path, "the tracks", error);
  if (task == NULL)
    return NULL;
  g_ptr_array_add (tasks, task);
  return g_steal_pointer (&tasks);
}

/* ---- writing ---- */

static void
append_escaped_text (GString    *s,
                     const char *text)
{
  g_autofree char *e = g_markup_escape_text (text, -1);
  g_string_append (s, e);
}

static char *
cvat_xml (AlExportItem *item,
          GPtrArray    *tracks)
{
  const AlTask *task = item->task;
  double fps = al_tracks_fps (task);
  double tol = 0.5 / fps;
  guint n = al_tracks_n_frames (task, tracks);
  /* CVAT counts the video's frames, from its first. */
  guint first = al_track_frame_of (task->start, 0, fps);
  g_autoptr (GString) s = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
  g_autofree char *base = g_path_get_basename (task->media);
  char num[6][G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, "<annotations>\n  <version>1.1</version>\n  <meta>\n    <task>\n");
  g_string_append (s, "      <name>");
  append_escaped_text (s, task->id);
  g_string_append_printf (s, "</name>\n      <size>%u</size>\n      <mode>interpolation</mode>\n"
                          "      <overlap>0</overlap>\n      <start_frame>%u</start_frame>\n"
                          "      <stop_frame>%u</stop_frame>\n      <labels>\n", n, first,
                          first + n - 1);
  for (char **l = task->labels; l && *l; l++)
    {
      g_string_append (s, "        <label>\n          <name>");
      append_escaped_text (s, *l);
      g_string_append (s, "</name>\n          <attributes>\n          </attributes>\n"
                          "        </label>\n");
    }
  g_string_append (s, "      </labels>\n");
  if (task->width > 0 && task->height > 0)
    g_string_append_printf (s, "      <original_size>\n        <width>%d</width>\n"
                            "        <height>%d</height>\n      </original_size>\n",
                            task->width, task->height);
  g_string_append (s, "    </task>\n    <source>");
  append_escaped_text (s, base);
  g_string_append (s, "</source>\n  </meta>\n");

  for (guint i = 0; i < tracks->len; i++)
    {
      const AlTrack *track = tracks->pdata[i];

      g_string_append_printf (s, "  <track id=\"%u\" label=\"", i);
      append_escaped_text (s, track->label);
      g_string_append (s, "\" source=\"manual\">\n");
      for (guint f = 0; f < n; f++)
        {
          double t = al_track_time_of (f, task->start, fps);
          AlTrackKey b;
          gboolean is_key;
          gboolean in = al_track_box_at (track, t, tol, &b, &is_key);

          /* Boxes in sight on every frame; an outside box only where the
           * object leaves, as CVAT writes them. */
          if (!in && !is_key)
            continue;
          g_ascii_formatd (num[0], sizeof num[0], "%.2f", b.x);
          g_ascii_formatd (num[1], sizeof num[1], "%.2f", b.y);
          g_ascii_formatd (num[2], sizeof num[2], "%.2f", b.x + b.w);
          g_ascii_formatd (num[3], sizeof num[3], "%.2f", b.y + b.h);
          g_string_append_printf (s, "    <box frame=\"%u\" keyframe=\"%d\" outside=\"%d\" "
                                  "occluded=\"0\" xtl=\"%s\" ytl=\"%s\" xbr=\"%s\" ybr=\"%s\" "
                                  "z_order=\"0\">\n    </box>\n", first + f, is_key ? 1 : 0,
                                  in ? 0 : 1,
                                  num[0], num[1], num[2], num[3]);
        }
      g_string_append (s, "  </track>\n");
    }
  g_string_append (s, "</annotations>\n");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* frame,id,x,y,w,h,conf,-1,-1,-1 with frames and ids from 1, one line per
 * frame on which a track's object is in sight, frame by frame. */
static char *
mot_text (AlExportItem *item,
          GPtrArray    *tracks)
{
  const AlTask *task = item->task;
  double fps = al_tracks_fps (task);
  double tol = 0.5 / fps;
  guint n = al_tracks_n_frames (task, tracks);
  g_autoptr (GString) s = g_string_new (NULL);
  char num[4][G_ASCII_DTOSTR_BUF_SIZE];

  for (guint f = 0; f < n; f++)
    for (guint i = 0; i < tracks->len; i++)
      {
        AlTrackKey b;
        if (!al_track_box_at (tracks->pdata[i], al_track_time_of (f, task->start, fps), tol, &b,
                              NULL))
          continue;
        g_ascii_formatd (num[0], sizeof num[0], "%.2f", b.x);
        g_ascii_formatd (num[1], sizeof num[1], "%.2f", b.y);
        g_ascii_formatd (num[2], sizeof num[2], "%.2f", b.w);
        g_ascii_formatd (num[3], sizeof num[3], "%.2f", b.h);
        g_string_append_printf (s, "%u,%u,%s,%s,%s,%s,1,-1,-1,-1\n", f + 1, i + 1, num[0],
                                num[1], num[2], num[3]);
      }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
al_export_video_tracks (AlExport   *export,
                        const char *dir,
                        gboolean    mot,
                        GError    **error)
{
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      g_autoptr (GPtrArray) tracks = NULL;
      g_autofree char *folder = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;

      if (item->task->kind != AL_TASK_KIND_VIDEO_BOXES)
        continue;
      tracks = al_tracks_from_json (item->result, NULL, item->task->id, error);
      if (tracks == NULL)
        return FALSE;
      folder = al_export_folder (dir, export->single, item->folder, error);
      if (folder == NULL)
        return FALSE;
      stem = al_export_safe_name (item->task->id);
      path = al_export_file_name (used, folder, stem, mot ? ".txt" : ".xml");
      text = mot ? mot_text (item, tracks) : cvat_xml (item, tracks);
      if (!al_export_write (path, text, -1, error))
        return FALSE;
    }
  return TRUE;
}
