/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-task"

#include "config.h"

#include <math.h>
#include <string.h>

#include "al-task.h"
#include "al-track.h"

G_DEFINE_QUARK (al-task-error-quark, al_task_error)
G_DEFINE_BOXED_TYPE (AlTask, al_task, al_task_ref, al_task_unref)

/* Refcounting lives beside the struct so AlTask stays a plain struct. */
typedef struct
{
  AlTask task;
  gatomicrefcount ref;
} AlTaskReal;

static AlTask *
al_task_alloc (void)
{
  AlTaskReal *real = g_new0 (AlTaskReal, 1);
  g_atomic_ref_count_init (&real->ref);
  return &real->task;
}

AlTask *
al_task_ref (AlTask *task)
{
  g_return_val_if_fail (task != NULL, NULL);
  g_atomic_ref_count_inc (&((AlTaskReal *) task)->ref);
  return task;
}

void
al_task_unref (AlTask *task)
{
  g_return_if_fail (task != NULL);
  if (!g_atomic_ref_count_dec (&((AlTaskReal *) task)->ref))
    return;
  g_free (task->id);
  g_free (task->media);
  g_strfreev (task->labels);
  g_free (task->instructions_nl);
  g_free (task->instructions_en);
  g_free (task->language);
  g_strfreev (task->markup);
  g_strfreev (task->choices);
  g_free (task->subtitle);
  g_free (task->explanation_nl);
  g_free (task->explanation_en);
  g_free (task->lease_id);
  if (task->gold)
    json_decref (task->gold);
  if (task->source)
    json_decref (task->source);
  if (task->proposal)
    json_decref (task->proposal);
  g_free (task);
}

static const char *const kind_names[AL_TASK_N_KINDS] = { "bbox", "transcribe", "classify",
                                                               "subtitle-review", "video-boxes" };
static const char *const media_keys[] = { "image", "audio", "video" };

const char *
al_task_kind_to_string (AlTaskKind kind)
{
  g_return_val_if_fail (kind < AL_TASK_N_KINDS, "bbox");
  return kind_names[kind];
}

const char *
al_task_media_key (const AlTask *task)
{
  return media_keys[task->media_type];
}

gboolean
al_task_is_listening (const AlTask *task)
{
  g_return_val_if_fail (task != NULL, FALSE);
  return task->kind == AL_TASK_KIND_TRANSCRIBE ||
         ((task->kind == AL_TASK_KIND_CLASSIFY || task->kind == AL_TASK_KIND_SUBTITLE_REVIEW) &&
          task->media_type == AL_TASK_MEDIA_AUDIO);
}

gboolean
al_task_kind_from_string (const char *str,
                          AlTaskKind *kind)
{
  for (int i = 0; i < AL_TASK_N_KINDS; i++)
    if (g_strcmp0 (str, kind_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
is_url (const char *s)
{
  return g_str_has_prefix (s, "http://") || g_str_has_prefix (s, "https://");
}

static char *
resolve_media (const char *path,
               const char *base_dir)
{
  if (is_url (path) || g_path_is_absolute (path) || base_dir == NULL)
    return g_strdup (path);
  return g_canonicalize_filename (path, base_dir);
}

/* "instructions" may be {"nl": ..., "en": ...} or one string for both. */
static void
read_texts (json_t *value,
            char  **nl,
            char  **en)
{
  if (json_is_string (value))
    {
      *nl = g_strdup (json_string_value (value));
      *en = g_strdup (json_string_value (value));
    }
  else if (json_is_object (value))
    {
      json_t *v_nl = json_object_get (value, "nl");
      json_t *v_en = json_object_get (value, "en");
      if (json_is_string (v_nl))
        *nl = g_strdup (json_string_value (v_nl));
      if (json_is_string (v_en))
        *en = g_strdup (json_string_value (v_en));
    }
}

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AL_TASK_ERROR, AL_TASK_ERROR_INVALID, msg);
  return FALSE;
}

static gboolean
number_field (json_t     *obj,
              const char *key,
              double     *out)
{
  json_t *v = json_object_get (obj, key);
  if (!json_is_number (v))
    return FALSE;
  *out = json_number_value (v);
  return isfinite (*out);
}

/* An optional image size; absent means unknown (0). */
static gboolean
size_field (json_t     *obj,
            const char *key,
            int        *out)
{
  json_t *v = json_object_get (obj, key);
  if (v == NULL)
    return TRUE;
  if (!json_is_integer (v) || json_integer_value (v) < 1 || json_integer_value (v) > 1000000)
    return FALSE;
  *out = (int) json_integer_value (v);
  return TRUE;
}

/* A box of a result made from a proposal may say where it came from. */
static gboolean
validate_origin (json_t      *box,
                 const char  *what,
                 size_t       n,
                 GError     **error)
{
  static const char *const origins[] = { "proposed", "changed", "added", NULL };
  json_t *origin = json_object_get (box, "origin");

  if (origin == NULL)
    return TRUE;
  if (!json_is_string (origin) || !g_strv_contains (origins, json_string_value (origin)))
    return fail (error, "%s %zu: \"origin\" must be \"proposed\", \"changed\" or "
                 "\"added\"", what, n);
  return TRUE;
}

static gboolean
validate_boxes (json_t      *value,
                char *const *labels,
                const char  *what,
                GError     **error)
{
  json_t *boxes = json_object_get (value, "boxes");
  size_t i;
  json_t *box;

  if (!json_is_array (boxes))
    return fail (error, "%s needs \"boxes\" as a list", what);
  json_array_foreach (boxes, i, box)
    {
      double x, y, w, h;
      const char *label = json_string_value (json_object_get (box, "label"));
      g_autofree char *item_what = g_strdup_printf ("%s box", what);
      if (!json_is_object (box))
        return fail (error, "%s box %zu is not an object", what, i + 1);
      if (!number_field (box, "x", &x) || !number_field (box, "y", &y) ||
          !number_field (box, "w", &w) || !number_field (box, "h", &h))
        return fail (error, "%s box %zu needs numbers x, y, w and h", what, i + 1);
      if (w <= 0 || h <= 0)
        return fail (error, "%s box %zu has no area (w and h must be above 0)", what, i + 1);
      if (label == NULL)
        return fail (error, "%s box %zu has no label", what, i + 1);
      if (labels && !g_strv_contains ((const char *const *) labels, label))
        return fail (error, "%s box %zu has label \"%s\", which is not in the task's labels",
                     what, i + 1, label);
      if (!validate_origin (box, item_what, i + 1, error))
        return FALSE;
    }
  return TRUE;
}

/* {"choices": [...]}: names from the task's list, each once; one of them
 * unless more than one may apply. */
static gboolean
validate_choices (json_t      *value,
                  const AlTask *task,
                  const char  *what,
                  GError     **error)
{
  json_t *list = json_object_get (value, "choices");
  size_t i, j;
  json_t *c;

  if (!json_is_array (list))
    return fail (error, "%s needs \"choices\" as a list", what);
  if (!task->multiple && json_array_size (list) != 1)
    return fail (error, "%s must have exactly one choice (it has %zu)", what,
                 json_array_size (list));
  json_array_foreach (list, i, c)
    {
      const char *name = json_string_value (c);
      if (name == NULL)
        return fail (error, "%s: choice %zu is not a text", what, i + 1);
      if (!g_strv_contains ((const char *const *) task->choices, name))
        return fail (error, "%s has the choice \"%s\", which is not in the task's choices", what,
                     name);
      for (j = 0; j < i; j++)
        if (g_strcmp0 (json_string_value (json_array_get (list, j)), name) == 0)
          return fail (error, "%s has the choice \"%s\" twice", what, name);
    }
  return TRUE;
}

/* A classification task: one medium, a question's choices. */
static gboolean
read_classify (AlTask  *task,
               json_t  *object,
               GError **error)
{
  json_t *choices = json_object_get (object, "choices");
  json_t *multiple = json_object_get (object, "multiple");
  size_t i, n;

  if (!json_is_array (choices) || json_array_size (choices) == 0)
    return fail (error, "task %s: \"choices\" must be a non-empty list", task->id);
  n = json_array_size (choices);
  if (n > AL_TASK_MAX_CHOICES)
    return fail (error, "task %s: \"choices\" may hold at most %d choices (it has %zu), one per "
                 "digit key", task->id, AL_TASK_MAX_CHOICES, n);
  if (multiple && !json_is_boolean (multiple))
    return fail (error, "task %s: \"multiple\" must be true or false", task->id);
  task->multiple = json_is_true (multiple);
  if (n < 2 && !task->multiple)
    return fail (error, "task %s: a question with one answer needs at least 2 choices",
                 task->id);
  task->choices = g_new0 (char *, n + 1);
  for (i = 0; i < n; i++)
    {
      const char *name = json_string_value (json_array_get (choices, i));
      if (name == NULL || *name == '\0' || g_utf8_strlen (name, -1) > 60)
        return fail (error, "task %s: choice %zu must be a short non-empty text", task->id, i + 1);
      if (g_strv_contains ((const char *const *) task->choices, name))
        return fail (error, "task %s: the choice \"%s\" is there twice", task->id, name);
      task->choices[i] = g_strdup (name);
    }
  if (json_is_string (json_object_get (object, "language")))
    task->language = g_strdup (json_string_value (json_object_get (object, "language")));
  return TRUE;
}

/* The segment of a recording or clip: start >= 0, end after it or 0. */
static gboolean
read_segment (AlTask  *task,
              json_t  *object,
              GError **error)
{
  if (json_object_get (object, "start") && !number_field (object, "start", &task->start))
    return fail (error, "task %s: \"start\" must be a number of seconds", task->id);
  if (json_object_get (object, "end") && !number_field (object, "end", &task->end))
    return fail (error, "task %s: \"end\" must be a number of seconds", task->id);
  if (task->start < 0 || (task->end != 0 && task->end <= task->start))
    return fail (error, "task %s: the segment must have start >= 0 and end after start",
                 task->id);
  return TRUE;
}

/* A subtitle cue to review: its span (which must end) and its text. */
static gboolean
read_subtitle (AlTask  *task,
               json_t  *object,
               GError **error)
{
  const char *text = json_string_value (json_object_get (object, "subtitle"));
  const char *lang = json_string_value (json_object_get (object, "language"));

  if (!read_segment (task, object, error))
    return FALSE;
  if (task->end <= task->start)
    return fail (error, "task %s: a cue needs \"end\" after \"start\"", task->id);
  if (text == NULL)
    return fail (error, "task %s: \"subtitle\" (the cue's text) must be a string", task->id);
  task->subtitle = g_strdup (text);
  task->language = g_strdup (lang && *lang ? lang : "nl");
  return TRUE;
}

/* A video to follow objects through: its span and, when known, its frame
 * rate (which the import reads from the video itself). */
static gboolean
read_video (AlTask  *task,
            json_t  *object,
            GError **error)
{
  if (!read_segment (task, object, error))
    return FALSE;
  if (json_object_get (object, "fps") &&
      (!number_field (object, "fps", &task->fps) || task->fps <= 0 || task->fps > 1000))
    return fail (error, "task %s: \"fps\" must be a number of frames per second above 0",
                 task->id);
  return TRUE;
}

AlTask *
al_task_new_from_json (json_t     *object,
                       const char *base_dir,
                       GError    **error)
{
  g_autoptr (AlTask) task = al_task_alloc ();
  json_t *v;
  const char *media_key;
  const char *media;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_is_object (object))
    return fail (error, "a task must be a JSON object"), NULL;

  v = json_object_get (object, "id");
  if (json_is_string (v) && *json_string_value (v))
    task->id = g_strdup (json_string_value (v));
  else if (json_is_integer (v))
    task->id = g_strdup_printf ("%" JSON_INTEGER_FORMAT, json_integer_value (v));
  else
    return fail (error, "the task has no \"id\" (a non-empty string)"), NULL;

  if (!al_task_kind_from_string (json_string_value (json_object_get (object, "kind")),
                                 &task->kind))
    return fail (error, "task %s: \"kind\" must be \"bbox\", \"transcribe\", \"classify\", "
                 "\"subtitle-review\" or \"video-boxes\"",
                 task->id), NULL;

  task->media_type = task->kind == AL_TASK_KIND_BBOX ? AL_TASK_MEDIA_IMAGE
                     : task->kind == AL_TASK_KIND_VIDEO_BOXES ? AL_TASK_MEDIA_VIDEO
                                                              : AL_TASK_MEDIA_AUDIO;
  if (task->kind == AL_TASK_KIND_CLASSIFY || task->kind == AL_TASK_KIND_SUBTITLE_REVIEW)
    {
      int found = 0;
      for (int m = task->kind == AL_TASK_KIND_CLASSIFY ? 0 : 1;
           m < (int) G_N_ELEMENTS (media_keys); m++)
        if (json_object_get (object, media_keys[m]))
          {
            task->media_type = m;
            found++;
          }
      if (found != 1 && task->kind == AL_TASK_KIND_SUBTITLE_REVIEW)
        return fail (error, "task %s: a subtitle review needs one of \"audio\" or \"video\"",
                     task->id), NULL;
      if (found != 1)
        return fail (error, "task %s: a classify task needs one of \"image\", \"audio\" or "
                     "\"video\"", task->id), NULL;
    }
  media_key = al_task_media_key (task);
  media = json_string_value (json_object_get (object, media_key));
  if (media == NULL || *media == '\0')
    return fail (error, "task %s: \"%s\" is missing", task->id, media_key), NULL;
  task->media = resolve_media (media, base_dir);

  read_texts (json_object_get (object, "instructions"), &task->instructions_nl,
              &task->instructions_en);
  read_texts (json_object_get (object, "explanation"), &task->explanation_nl,
              &task->explanation_en);
  task->training = json_is_true (json_object_get (object, "training"));
  v = json_object_get (object, "overlap");
  if (v && (!json_is_integer (v) || json_integer_value (v) < 1 || json_integer_value (v) > 1000))
    return fail (error, "task %s: \"overlap\" must be a whole number from 1 to 1000", task->id),
           NULL;
  task->overlap = v ? (int) json_integer_value (v) : 1;

  if (task->kind == AL_TASK_KIND_BBOX || task->kind == AL_TASK_KIND_VIDEO_BOXES)
    {
      json_t *labels = json_object_get (object, "labels");
      size_t i, n;
      if (!json_is_array (labels) || json_array_size (labels) == 0)
        return fail (error, "task %s: \"labels\" must be a non-empty list", task->id), NULL;
      n = json_array_size (labels);
      task->labels = g_new0 (char *, n + 1);
      for (i = 0; i < n; i++)
        {
          const char *label = json_string_value (json_array_get (labels, i));
          if (label == NULL || *label == '\0')
            return fail (error, "task %s: label %zu is not a non-empty string", task->id, i + 1),
                   NULL;
          task->labels[i] = g_strdup (label);
        }
      if (!size_field (object, "width", &task->width) ||
          !size_field (object, "height", &task->height))
        return fail (error, "task %s: \"width\" and \"height\" must be whole numbers of pixels",
                     task->id), NULL;
      if (task->kind == AL_TASK_KIND_VIDEO_BOXES && !read_video (task, object, error))
        return NULL;
    }
  else if (task->kind == AL_TASK_KIND_CLASSIFY)
    {
      if (!read_classify (task, object, error) ||
          (task->media_type != AL_TASK_MEDIA_IMAGE && !read_segment (task, object, error)))
        return NULL;
    }
  else if (task->kind == AL_TASK_KIND_SUBTITLE_REVIEW)
    {
      if (!read_subtitle (task, object, error))
        return NULL;
    }
  else
    {
      const char *lang = json_string_value (json_object_get (object, "language"));
      json_t *seg = json_object_get (object, "segment");
      if (!read_segment (task, object, error))
        return NULL;
      task->language = g_strdup (lang ? lang : "nl");
      v = json_object_get (object, "markup");
      if (v)
        {
          size_t i, n = json_array_size (v);
          if (!json_is_array (v) || n > 9)
            return fail (error, "task %s: \"markup\" must be a list of at most 9 marks", task->id),
                   NULL;
          task->markup = g_new0 (char *, n + 1);
          for (i = 0; i < n; i++)
            {
              const char *mark = json_string_value (json_array_get (v, i));
              if (mark == NULL || *mark == '\0' || strlen (mark) > 40)
                return fail (error, "task %s: mark %zu must be a short text", task->id, i + 1),
                       NULL;
              task->markup[i] = g_strdup (mark);
            }
        }
      if (json_is_object (seg))
        {
          task->segment_index = (int) json_integer_value (json_object_get (seg, "index"));
          task->segment_count = (int) json_integer_value (json_object_get (seg, "count"));
        }
    }

  v = json_object_get (object, "source");
  if (v && !json_is_null (v))
    {
      if (!json_is_object (v))
        return fail (error, "task %s: \"source\" must be an object", task->id), NULL;
      task->source = json_incref (v);
    }

  v = json_object_get (object, "gold");
  if (v && !json_is_null (v))
    {
      g_autoptr (GError) local = NULL;
      if (!al_task_validate_result (task, v, &local))
        return fail (error, "task %s: gold: %s", task->id, local->message), NULL;
      task->gold = json_incref (v);
    }

  /* Kept on gold tasks too, to measure the model; the lease never hands
   * it out there (al_store_attach_proposal). */
  v = json_object_get (object, "proposal");
  if (v && !json_is_null (v))
    {
      if (!json_is_object (v))
        return fail (error, "task %s: \"proposal\" must be an object", task->id), NULL;
      task->proposal = json_deep_copy (v);
      if (json_object_get (task->proposal, "model") == NULL)
        json_object_set_new (task->proposal, "model", json_string ("import"));
      if (json_object_get (task->proposal, "version") == NULL)
        json_object_set_new (task->proposal, "version", json_string (""));
      if (!al_task_validate_proposal (task, task->proposal, error))
        return NULL;
    }

  return g_steal_pointer (&task);
}

static json_t *
texts_to_json (const char *nl,
               const char *en)
{
  json_t *obj = json_object ();
  if (nl)
    json_object_set_new (obj, "nl", json_string (nl));
  if (en)
    json_object_set_new (obj, "en", json_string (en));
  return obj;
}

json_t *
al_task_to_json (const AlTask *task)
{
  json_t *obj = json_object ();

  json_object_set_new (obj, "id", json_string (task->id));
  json_object_set_new (obj, "kind", json_string (al_task_kind_to_string (task->kind)));
  json_object_set_new (obj, al_task_media_key (task), json_string (task->media));
  if (task->instructions_nl || task->instructions_en)
    json_object_set_new (obj, "instructions",
                         texts_to_json (task->instructions_nl, task->instructions_en));
  if (task->kind == AL_TASK_KIND_BBOX || task->kind == AL_TASK_KIND_VIDEO_BOXES)
    {
      json_t *labels = json_array ();
      for (char **l = task->labels; l && *l; l++)
        json_array_append_new (labels, json_string (*l));
      json_object_set_new (obj, "labels", labels);
      if (task->width > 0 && task->height > 0)
        {
          json_object_set_new (obj, "width", json_integer (task->width));
          json_object_set_new (obj, "height", json_integer (task->height));
        }
      if (task->kind == AL_TASK_KIND_VIDEO_BOXES)
        {
          json_object_set_new (obj, "start", json_real (task->start));
          if (task->end > 0)
            json_object_set_new (obj, "end", json_real (task->end));
          if (task->fps > 0)
            json_object_set_new (obj, "fps", json_real (task->fps));
        }
    }
  else if (task->kind == AL_TASK_KIND_CLASSIFY)
    {
      json_t *choices = json_array ();
      for (char **c = task->choices; *c; c++)
        json_array_append_new (choices, json_string (*c));
      json_object_set_new (obj, "choices", choices);
      json_object_set_new (obj, "multiple", json_boolean (task->multiple));
      if (task->media_type != AL_TASK_MEDIA_IMAGE)
        {
          json_object_set_new (obj, "start", json_real (task->start));
          if (task->end > 0)
            json_object_set_new (obj, "end", json_real (task->end));
        }
      if (task->language)
        json_object_set_new (obj, "language", json_string (task->language));
    }
  else if (task->kind == AL_TASK_KIND_SUBTITLE_REVIEW)
    {
      json_object_set_new (obj, "start", json_real (task->start));
      json_object_set_new (obj, "end", json_real (task->end));
      json_object_set_new (obj, "subtitle", json_string (task->subtitle));
      json_object_set_new (obj, "language", json_string (task->language));
    }
  else
    {
      json_object_set_new (obj, "start", json_real (task->start));
      if (task->end > 0)
        json_object_set_new (obj, "end", json_real (task->end));
      json_object_set_new (obj, "language", json_string (task->language));
      if (task->markup)
        {
          json_t *marks = json_array ();
          for (char **m = task->markup; *m; m++)
            json_array_append_new (marks, json_string (*m));
          json_object_set_new (obj, "markup", marks);
        }
      if (task->segment_count > 0)
        json_object_set_new (obj, "segment", json_pack ("{s:i,s:i}", "index", task->segment_index,
                                                        "count", task->segment_count));
    }
  if (task->training)
    json_object_set_new (obj, "training", json_true ());
  if (task->overlap > 1)
    json_object_set_new (obj, "overlap", json_integer (task->overlap));
  if (task->explanation_nl || task->explanation_en)
    json_object_set_new (obj, "explanation",
                         texts_to_json (task->explanation_nl, task->explanation_en));
  if (task->source)
    json_object_set (obj, "source", task->source);
  if (task->gold)
    json_object_set (obj, "gold", task->gold);
  if (task->proposal)
    json_object_set (obj, "proposal", task->proposal);
  return obj;
}

const char *
al_task_instructions (const AlTask *task,
                      const char   *language)
{
  if (g_strcmp0 (language, "en") == 0 && task->instructions_en)
    return task->instructions_en;
  return task->instructions_nl ? task->instructions_nl : task->instructions_en;
}

const char *
al_task_explanation (const AlTask *task,
                     const char   *language)
{
  if (g_strcmp0 (language, "en") == 0 && task->explanation_en)
    return task->explanation_en;
  return task->explanation_nl ? task->explanation_nl : task->explanation_en;
}

/* {"verdict": "correct"|"text"|"timing", "text", "start", "end"}: the
 * cue as the reviewer leaves it, whatever the verdict. */
static gboolean
validate_review (json_t     *value,
                 const char *what,
                 GError    **error)
{
  static const char *const verdicts[] = { "correct", "text", "timing", NULL };
  const char *verdict = json_string_value (json_object_get (value, "verdict"));
  double start = 0, end = 0;

  if (verdict == NULL || !g_strv_contains (verdicts, verdict))
    return fail (error, "%s: \"verdict\" must be \"correct\", \"text\" or \"timing\"", what);
  if (!json_is_string (json_object_get (value, "text")))
    return fail (error, "%s needs \"text\" as a string", what);
  if (!number_field (value, "start", &start) || !number_field (value, "end", &end))
    return fail (error, "%s needs \"start\" and \"end\" as numbers of seconds", what);
  if (start < 0 || end <= start)
    return fail (error, "%s: the cue must have start >= 0 and end after start", what);
  return TRUE;
}

/* {"tracks": [...]}: see al-track.h; every keyframe within the span. */
static gboolean
validate_tracks (const AlTask *task,
                 json_t       *value,
                 GError      **error)
{
  g_autoptr (GPtrArray) tracks = al_tracks_from_json (value, task->labels, "the answer", error);

  if (tracks == NULL)
    return FALSE;
  for (guint i = 0; i < tracks->len; i++)
    {
      const AlTrack *track = tracks->pdata[i];
      for (guint j = 0; j < track->keys->len; j++)
        {
          const AlTrackKey *k = &g_array_index (track->keys, AlTrackKey, j);
          if (k->t < task->start - 1e-6 || (task->end > 0 && k->t > task->end + 1e-6))
            return fail (error, "the answer, track %u, keyframe %u is at %g s, outside the "
                         "video's span", i + 1, j + 1, k->t);
          if (!k->outside && task->width > 0 && task->height > 0 &&
              (k->x >= task->width || k->y >= task->height || k->x + k->w <= 0 ||
               k->y + k->h <= 0))
            return fail (error, "the answer, track %u, keyframe %u lies outside the %d×%d "
                         "picture (mark the object outside instead)", i + 1, j + 1,
                         task->width, task->height);
        }
    }
  return TRUE;
}

/* What a result made from a proposal says of it: the model and how many
 * of its items (words or boxes) were accepted, changed, added or
 * rejected. */
static gboolean
validate_proposal_marks (json_t     *marks,
                         GError    **error)
{
  static const char *const counts[] = { "accepted", "changed", "added", "rejected" };

  if (!json_is_object (marks))
    return fail (error, "the answer's \"proposal\" must be an object");
  if (!json_is_string (json_object_get (marks, "model")) ||
      !*json_string_value (json_object_get (marks, "model")) ||
      !json_is_string (json_object_get (marks, "version")))
    return fail (error, "the answer's \"proposal\" needs \"model\" (a non-empty text) and "
                 "\"version\" (a text)");
  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      json_t *n = json_object_get (marks, counts[i]);
      if (!json_is_integer (n) || json_integer_value (n) < 0 ||
          json_integer_value (n) > 100000)
        return fail (error, "the answer's \"proposal\" needs \"%s\" as a whole number from 0 "
                     "to 100000", counts[i]);
    }
  return TRUE;
}

gboolean
al_task_validate_result (const AlTask *task,
                         json_t       *result,
                         GError      **error)
{
  json_t *marks;

  if (!json_is_object (result))
    return fail (error, "the answer must be a JSON object");
  marks = json_object_get (result, "proposal");
  if (marks && !validate_proposal_marks (marks, error))
    return FALSE;
  if (task->kind == AL_TASK_KIND_BBOX)
    return validate_boxes (result, task->labels, "the answer", error);
  if (task->kind == AL_TASK_KIND_CLASSIFY)
    return validate_choices (result, task, "the answer", error);
  if (task->kind == AL_TASK_KIND_SUBTITLE_REVIEW)
    return validate_review (result, "the answer", error);
  if (task->kind == AL_TASK_KIND_VIDEO_BOXES)
    {
      json_t *track;
      size_t i;

      if (!validate_tracks (task, result, error))
        return FALSE;
      /* A track made from a proposal may say where it came from, as boxes do. */
      json_array_foreach (json_object_get (result, "tracks"), i, track)
        if (!validate_origin (track, "the answer track", i + 1, error))
          return FALSE;
      return TRUE;
    }
  if (!json_is_string (json_object_get (result, "text")))
    return fail (error, "the answer needs \"text\" as a string");
  return TRUE;
}

/* A confidence, where there is one, runs from 0 to 1. */
static gboolean
validate_confidence (json_t     *item,
                     const char *what,
                     GError    **error)
{
  json_t *c = json_object_get (item, "confidence");

  if (c && (!json_is_number (c) || json_number_value (c) < 0 || json_number_value (c) > 1))
    return fail (error, "%s: \"confidence\" must be a number from 0 to 1", what);
  return TRUE;
}

static gboolean
validate_proposal_boxes (const AlTask *task,
                         json_t       *proposal,
                         const char   *what,
                         GError      **error)
{
  json_t *boxes = json_object_get (proposal, "boxes");
  size_t i;
  json_t *box;

  if (!validate_boxes (proposal, task->labels, what, error))
    return FALSE;
  json_array_foreach (boxes, i, box)
    {
      g_autofree char *item = g_strdup_printf ("%s box %zu", what, i + 1);
      double x = json_number_value (json_object_get (box, "x"));
      double y = json_number_value (json_object_get (box, "y"));
      double w = json_number_value (json_object_get (box, "w"));
      double h = json_number_value (json_object_get (box, "h"));

      /* Half a pixel of slack for percentages rounded on the way. */
      if (x < -0.5 || y < -0.5 ||
          (task->width > 0 && (x + w > task->width + 0.5 || y + h > task->height + 0.5)))
        return fail (error, "%s is outside the image (%d×%d pixels)", item, task->width,
                     task->height);
      if (!validate_confidence (box, item, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_proposal_words (json_t     *proposal,
                         const char *what,
                         GError    **error)
{
  json_t *words = json_object_get (proposal, "words");
  size_t i;
  json_t *word;

  if (!json_is_string (json_object_get (proposal, "text")))
    return fail (error, "%s needs \"text\" as a string", what);
  if (words && !json_is_array (words))
    return fail (error, "%s: \"words\" must be a list", what);
  json_array_foreach (words, i, word)
    {
      g_autofree char *item = g_strdup_printf ("%s word %zu", what, i + 1);
      const char *text = json_string_value (json_object_get (word, "word"));
      double start = 0, end = 0;
      gboolean has_start = json_object_get (word, "start") != NULL;
      gboolean has_end = json_object_get (word, "end") != NULL;

      if (text == NULL || *text == '\0')
        return fail (error, "%s needs \"word\" as a text", item);
      if ((has_start && !number_field (word, "start", &start)) ||
          (has_end && !number_field (word, "end", &end)) || start < 0 ||
          (has_start && has_end && end < start))
        return fail (error, "%s: \"start\" and \"end\" must be seconds, the end not before "
                     "the start", item);
      if (!validate_confidence (word, item, error))
        return FALSE;
    }
  return TRUE;
}

/* Tracks as a result has them (inside the span and the picture), each
 * with a confidence where the model gives one. */
static gboolean
validate_proposal_tracks (const AlTask *task,
                          json_t       *proposal,
                          const char   *what,
                          GError      **error)
{
  g_autoptr (GError) local = NULL;
  json_t *track;
  size_t i;

  if (!validate_tracks (task, proposal, &local))
    {
      /* The track checks speak of "the answer". */
      g_autofree char *message = g_str_has_prefix (local->message, "the answer")
                                     ? g_strconcat (what, local->message + strlen ("the answer"),
                                                    NULL)
                                     : g_strdup (local->message);
      return fail (error, "%s", message);
    }
  json_array_foreach (json_object_get (proposal, "tracks"), i, track)
    {
      g_autofree char *item = g_strdup_printf ("%s, track %zu", what, i + 1);
      if (!validate_confidence (track, item, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
al_task_validate_proposal (const AlTask *task,
                           json_t       *proposal,
                           GError      **error)
{
  g_autofree char *what = NULL;
  json_t *model, *version;

  g_return_val_if_fail (task != NULL, FALSE);

  what = g_strdup_printf ("task %s: the proposal", task->id);
  if (!json_is_object (proposal))
    return fail (error, "task %s: \"proposal\" must be an object", task->id);
  model = json_object_get (proposal, "model");
  version = json_object_get (proposal, "version");
  if (!json_is_string (model) || *json_string_value (model) == '\0' ||
      (version && !json_is_string (version)))
    return fail (error, "%s needs \"model\" (a non-empty text) and \"version\" (a text)",
                 what);
  switch (task->kind)
    {
    case AL_TASK_KIND_BBOX:
      return validate_proposal_boxes (task, proposal, what, error);
    case AL_TASK_KIND_TRANSCRIBE:
      return validate_proposal_words (proposal, what, error);
    case AL_TASK_KIND_CLASSIFY:
      return validate_choices (proposal, task, what, error) &&
             validate_confidence (proposal, what, error);
    case AL_TASK_KIND_VIDEO_BOXES:
      return validate_proposal_tracks (task, proposal, what, error);
    case AL_TASK_KIND_SUBTITLE_REVIEW:
    case AL_TASK_N_KINDS:
    default:
      break;
    }
  return fail (error, "task %s: a subtitle review takes no proposal", task->id);
}

gboolean
al_json_get_int64 (json_t     *object,
                   const char *key,
                   gint64     *out)
{
  json_t *v = json_object_get (object, key);

  if (!json_is_integer (v))
    return FALSE;
  *out = json_integer_value (v);
  return TRUE;
}

gboolean
al_json_get_numbers (json_t *array,
                     double *out,
                     gsize   n)
{
  if (!json_is_array (array) || json_array_size (array) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      json_t *v = json_array_get (array, i);
      if (!json_is_number (v) || !isfinite (json_number_value (v)))
        return FALSE;
      out[i] = json_number_value (v);
    }
  return TRUE;
}
