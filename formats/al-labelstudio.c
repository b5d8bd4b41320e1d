/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-formats"

#include "config.h"

#include <math.h>
#include <string.h>

#include "al-export-util.h"
#include "al-format-private.h"

/* Label Studio's JSON export: a list of tasks, each with "data" (the
 * image or audio) and "annotations" and "predictions" that hold results.
 * Rectangles are in percent of the image, "textarea" holds transcripts. */

static gboolean
percent (json_t     *value,
         const char *key,
         double     *out)
{
  json_t *v = json_object_get (value, key);
  if (!json_is_number (v))
    return FALSE;
  *out = json_number_value (v);
  return isfinite (*out) && *out >= -0.01 && *out <= 100.01;
}

/* The first annotation that was not cancelled: the gold answer. */
static json_t *
pick_results (json_t *task)
{
  json_t *anns = json_object_get (task, "annotations");
  size_t i;
  json_t *a;

  json_array_foreach (anns, i, a)
    if (json_is_object (a) && !json_is_true (json_object_get (a, "was_cancelled")) &&
        json_is_array (json_object_get (a, "result")))
      return json_object_get (a, "result");
  return NULL;
}

/* The first prediction with results: Label Studio's pre-annotation,
 * which becomes the task's proposal (docs/proposals.md). */
static json_t *
pick_prediction (json_t *task)
{
  json_t *preds = json_object_get (task, "predictions");
  size_t i;
  json_t *p;

  json_array_foreach (preds, i, p)
    if (json_is_object (p) && json_array_size (json_object_get (p, "result")) > 0)
      return p;
  return NULL;
}

static json_t *
prediction_results (json_t *task)
{
  return json_object_get (pick_prediction (task), "result");
}

/* Label Studio serves uploads from "/data/upload/..." and local storage
 * from "/data/local-files/?d=PATH"; both are files beside the export or in
 * --images here. */
static char *
media_path (const char      *value,
            const char      *base_dir,
            AlImportOptions *options)
{
  const char *d = strstr (value, "?d=");
  const char *images = options ? options->images_dir : NULL;

  if (d)
    value = d + 3;
  if (g_str_has_prefix (value, "/data/") && images == NULL && !g_file_test (value, G_FILE_TEST_EXISTS))
    {
      g_autofree char *base = g_path_get_basename (value);
      return g_canonicalize_filename (base, base_dir);
    }
  return al_format_resolve (value, base_dir, images);
}

static gboolean
add_label (json_t     *labels,
           const char *label)
{
  size_t i;
  json_t *v;
  json_array_foreach (labels, i, v)
    if (g_strcmp0 (json_string_value (v), label) == 0)
      return TRUE;
  if (json_array_size (labels) >= AL_FORMAT_MAX_LABELS)
    return FALSE;
  json_array_append_new (labels, json_string (label));
  return TRUE;
}

/* First pass: every rectangle label in the file, so each image task offers
 * them all. */
static gboolean
collect_labels (json_t          *root,
                const char      *name,
                AlImportOptions *options,
                json_t          *labels,
                GError         **error)
{
  size_t i, r;
  json_t *task, *item;

  for (char **l = options ? options->labels : NULL; l && *l; l++)
    if (**l && !add_label (labels, *l))
      return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE, "more than %d labels",
                             AL_FORMAT_MAX_LABELS);
  json_array_foreach (root, i, task)
    for (int p = 0; p < 2; p++)
      json_array_foreach (p ? prediction_results (task) : pick_results (task), r, item)
        {
          json_t *names = json_object_get (json_object_get (item, "value"), "rectanglelabels");
          const char *label = json_string_value (json_array_get (names, 0));
          if (label && *label && !add_label (labels, label))
            return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE,
                                   "%s, task [%zu]: more than %d labels", name, i,
                                   AL_FORMAT_MAX_LABELS);
        }
  return TRUE;
}

/* A classification project: the choices offered, from the labelling
 * config, --choices, or else every choice the file's results use. */
typedef struct
{
  json_t *choices;
  gboolean multiple;
  char *question;
  gboolean project;  /* every task is a classification task */
  gboolean fixed;    /* the choices are given, not collected */
} ChoiceSet;

static json_t *
result_choices (json_t *results)
{
  size_t r;
  json_t *item;

  json_array_foreach (results, r, item)
    if (g_strcmp0 (json_string_value (json_object_get (item, "type")), "choices") == 0)
      return json_object_get (json_object_get (item, "value"), "choices");
  return NULL;
}

static gboolean
collect_choices (json_t     *root,
                 const char *name,
                 ChoiceSet  *set,
                 GError    **error)
{
  size_t i, k;
  json_t *task, *c;

  json_array_foreach (root, i, task)
    for (int p = 0; p < 2; p++)
      {
        json_t *list = result_choices (p ? prediction_results (task) : pick_results (task));
        if (list == NULL)
          continue;
        if (!json_is_array (list))
          return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                                 "%s, task [%zu]: \"choices\" in a result must be a list", name, i);
        if (json_array_size (list) > 1 && !set->fixed)
          set->multiple = TRUE;
        json_array_foreach (list, k, c)
          if (!set->fixed && json_is_string (c) && *json_string_value (c) &&
              !add_label (set->choices, json_string_value (c)))
            return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE, "%s: too many choices", name);
      }
  return TRUE;
}

typedef struct
{
  GPtrArray *choices;
  gboolean multiple;
  gboolean seen;
  char *header;
} ConfigParse;

static void
config_start (GMarkupParseContext *context,
              const char          *element,
              const char         **names,
              const char         **values,
              gpointer             data,
              GError             **error)
{
  ConfigParse *cp = data;
  const char *value = NULL, *alias = NULL, *choice = NULL;

  for (guint i = 0; names[i]; i++)
    {
      if (g_str_equal (names[i], "value"))
        value = values[i];
      else if (g_str_equal (names[i], "alias"))
        alias = values[i];
      else if (g_str_equal (names[i], "choice"))
        choice = values[i];
    }
  if (g_str_equal (element, "Choices"))
    {
      cp->seen = TRUE;
      cp->multiple = g_strcmp0 (choice, "multiple") == 0;
    }
  else if (g_str_equal (element, "Choice") && (alias || value))
    g_ptr_array_add (cp->choices, g_strdup (alias ? alias : value));
  else if (g_str_equal (element, "Header") && value && cp->header == NULL)
    cp->header = g_strdup (value);
}

gboolean
al_labelstudio_read_config (const char *path,
                            GStrv      *choices,
                            gboolean   *multiple,
                            char      **question,
                            GError    **error)
{
  static const GMarkupParser parser = { config_start, NULL, NULL, NULL, NULL };
  g_autofree char *text = NULL;
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) local = NULL;
  ConfigParse cp = { list, FALSE, FALSE, NULL };
  gsize length;

  text = al_format_read_file (path, 1024 * 1024, TRUE, &length, error);
  if (text == NULL)
    return FALSE;
  context = g_markup_parse_context_new (&parser, 0, &cp, NULL);
  if (!g_markup_parse_context_parse (context, text, length, &local) ||
      !g_markup_parse_context_end_parse (context, &local))
    {
      g_free (cp.header);
      return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s: not a Label Studio labelling "
                             "config: %s", path, local->message);
    }
  if (!cp.seen || list->len == 0)
    {
      g_free (cp.header);
      return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s: the config has no <Choices> "
                             "with <Choice value=\"...\"/>", path);
    }
  g_ptr_array_add (list, NULL);
  *choices = (GStrv) g_ptr_array_steal (list, NULL);
  *multiple = cp.multiple;
  *question = cp.header;
  return TRUE;
}

/* An item's "score", else the prediction's; below 0 for none. */
static double
score_of (json_t *item,
          double  fallback)
{
  json_t *score = json_object_get (item, "score");
  return json_is_number (score) ? json_number_value (score) : fallback;
}

static json_t *
read_boxes (json_t      *results,
            const char  *name,
            const char  *record,
            int         *width,
            int         *height,
            const char  *media,
            double       score,
            GError     **error)
{
  g_autoptr (json_t) boxes = json_array ();
  size_t r;
  json_t *item;

  json_array_foreach (results, r, item)
    {
      json_t *value = json_object_get (item, "value");
      json_t *ow = json_object_get (item, "original_width");
      json_t *oh = json_object_get (item, "original_height");
      json_t *rot = json_object_get (value, "rotation");
      const char *label = json_string_value (json_array_get (json_object_get (value,
                                                                              "rectanglelabels"), 0));
      double x, y, w, h;

      if (g_strcmp0 (json_string_value (json_object_get (item, "type")), "rectanglelabels") != 0)
        continue;
      if (!json_is_object (value) || !percent (value, "x", &x) || !percent (value, "y", &y) ||
          !percent (value, "width", &w) || !percent (value, "height", &h) || w <= 0 || h <= 0)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, %s, result [%zu]: a rectangle needs x, y, width and height "
                               "in percent (0-100, width and height above 0)", name, record, r),
               NULL;
      if (label == NULL || *label == '\0')
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, %s, result [%zu]: the rectangle has no label", name, record, r),
               NULL;
      if (json_is_number (rot) && fabs (json_number_value (rot)) > 1e-6)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, %s, result [%zu]: rotated rectangles cannot be imported", name,
                               record, r), NULL;
      if (json_is_integer (ow) && json_is_integer (oh) && json_integer_value (ow) > 0 &&
          json_integer_value (oh) > 0 && json_integer_value (ow) <= 1000000 &&
          json_integer_value (oh) <= 1000000)
        {
          *width = (int) json_integer_value (ow);
          *height = (int) json_integer_value (oh);
        }
      if (*width <= 0 && !al_image_size (media, width, height))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, %s, result [%zu]: no original_width/original_height and %s "
                               "cannot be read, so percent cannot become pixels", name, record, r,
                               media), NULL;
      if (json_array_size (boxes) >= AL_FORMAT_MAX_BOXES)
        return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE,
                               "%s, %s: more than %d boxes", name, record, AL_FORMAT_MAX_BOXES),
               NULL;
      json_array_append_new (boxes, json_pack ("{s:s,s:f,s:f,s:f,s:f}", "label", label, "x",
                                               x * *width / 100, "y", y * *height / 100, "w",
                                               w * *width / 100, "h", h * *height / 100));
      if (score_of (item, score) >= 0)
        json_object_set_new (json_array_get (boxes, json_array_size (boxes) - 1), "confidence",
                             json_real (score_of (item, score)));
    }
  return g_steal_pointer (&boxes);
}

static char *
read_text (json_t *results)
{
  g_autoptr (GString) s = NULL;
  size_t r, k;
  json_t *item, *t;

  json_array_foreach (results, r, item)
    {
      json_t *text = json_object_get (json_object_get (item, "value"), "text");
      if (g_strcmp0 (json_string_value (json_object_get (item, "type")), "textarea") != 0)
        continue;
      if (s == NULL)
        s = g_string_new (NULL);
      if (json_is_string (text))
        g_string_append (s, json_string_value (text));
      json_array_foreach (text, k, t)
        if (json_is_string (t))
          g_string_append_printf (s, "%s%s", s->len ? " " : "", json_string_value (t));
    }
  return s ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

/* A task of annolab's own Label Studio export names its choices, so that
 * those nobody picked come back too. */
static json_t *
read_classify (json_t     *task,
               const char *id,
               const char *media,
               const char *key,
               ChoiceSet  *set)
{
  json_t *data = json_object_get (task, "data");
  json_t *chosen = result_choices (pick_results (task));
  json_t *own = set->fixed ? NULL : json_object_get (data, "annolab_choices");
  gboolean multiple = own ? json_is_true (json_object_get (data, "annolab_multiple"))
                          : set->multiple;
  json_t *obj = json_pack ("{s:s,s:s,s:s,s:O,s:b,s:o}", "id", id, "kind", "classify", key, media,
                           "choices", own ? own : set->choices, "multiple", multiple,
                           "instructions", al_format_question (set->question, multiple));
  json_t *start = json_object_get (data, "start"), *end = json_object_get (data, "end");

  if (!g_str_equal (key, "image") && start)
    json_object_set (obj, "start", start);
  if (!g_str_equal (key, "image") && end)
    json_object_set (obj, "end", end);
  if (json_is_string (json_object_get (data, "language")))
    json_object_set (obj, "language", json_object_get (data, "language"));
  if (chosen)
    json_object_set_new (obj, "gold", json_pack ("{s:O}", "choices", chosen));
  return obj;
}

/* A prediction as a proposal: boxes in pixels, a transcript's words or
 * the choices, each with the item's score (else the prediction's, else
 * 0.5, as from a model server). Each result must fit the task. */
static gboolean
read_proposal (json_t     *prediction,
               json_t     *obj,
               const char *name,
               const char *record,
               int        *width,
               int        *height,
               const char *media,
               GError    **error)
{
  static const char *const types[] = { "rectanglelabels", "textarea", "choices" };
  const char *kind = json_string_value (json_object_get (obj, "kind"));
  int k = g_str_equal (kind, "bbox") ? 0 : g_str_equal (kind, "transcribe") ? 1 : 2;
  json_t *results = json_object_get (prediction, "result");
  json_t *version = json_object_get (prediction, "model_version");
  double score = score_of (prediction, 0.5);
  g_autoptr (json_t) proposal = NULL;
  size_t r;
  json_t *item;

  json_array_foreach (results, r, item)
    {
      const char *type = json_string_value (json_object_get (item, "type"));
      if (g_strcmp0 (type, types[k]) != 0)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, %s, prediction result [%zu]: a \"%s\" result does not fit "
                               "a %s task (it takes \"%s\")", name, record, r,
                               type ? type : "?", kind, types[k]);
    }
  proposal = json_pack ("{s:s,s:s}", "model", "import", "version",
                        json_is_string (version) ? json_string_value (version) : "");
  if (k == 0)
    {
      json_t *boxes = read_boxes (results, name, record, width, height, media, score, error);
      if (boxes == NULL)
        return FALSE;
      json_object_set_new (proposal, "boxes", boxes);
    }
  else if (k == 1)
    {
      g_autofree char *text = read_text (results);
      g_auto (GStrv) words = g_strsplit_set (text ? text : "", " \t\n", -1);
      json_t *list = json_array ();
      score = score_of (json_array_get (results, 0), score);
      for (int w = 0; words[w]; w++)
        if (*words[w])
          json_array_append_new (list, json_pack ("{s:s,s:f}", "word", words[w], "confidence",
                                                  score));
      json_object_set_new (proposal, "text", json_string (text ? text : ""));
      json_object_set_new (proposal, "words", list);
    }
  else
    {
      json_object_set (proposal, "choices", result_choices (results));
      json_object_set_new (proposal, "confidence",
                           json_real (score_of (json_array_get (results, 0), score)));
    }
  json_object_set (obj, "proposal", proposal);
  return TRUE;
}

static AlTask *
read_task (json_t          *task,
           size_t           index,
           const char      *name,
           const char      *base_dir,
           AlImportOptions *options,
           json_t          *labels,
           ChoiceSet       *set,
           GError         **error)
{
  g_autofree char *record = g_strdup_printf ("task [%zu]", index);
  json_t *data = json_object_get (task, "data");
  json_t *j_id = json_object_get (task, "id");
  const char *image = json_string_value (json_object_get (data, "image"));
  const char *audio = json_string_value (json_object_get (data, "audio"));
  const char *video = json_string_value (json_object_get (data, "video"));
  json_t *results = pick_results (task);
  json_t *prediction = pick_prediction (task);
  gboolean classify = set->project || result_choices (results) != NULL ||
                      result_choices (json_object_get (prediction, "result")) != NULL;
  g_autofree char *num = NULL;
  g_autofree char *id = NULL;
  g_autofree char *media = NULL;
  g_autoptr (json_t) obj = NULL;

  if (!json_is_object (task) || !json_is_object (data))
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE, "%s, %s: needs a \"data\" object", name,
                           record), NULL;
  if (classify && video && *video)
    image = audio = NULL;
  else
    video = NULL;
  if ((image == NULL || *image == '\0') && (audio == NULL || *audio == '\0') && video == NULL)
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s, %s: \"data\" has neither \"image\" nor \"audio\"", name, record),
           NULL;
  if (json_is_integer (j_id))
    num = g_strdup_printf ("%" JSON_INTEGER_FORMAT, json_integer_value (j_id));
  else if (json_is_string (j_id) && *json_string_value (j_id))
    num = g_strdup (json_string_value (j_id));
  else if (j_id == NULL)
    num = g_strdup_printf ("%zu", index + 1);
  else
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s, %s: \"id\" must be a number or a string", name, record), NULL;
  id = al_format_task_id (options, num);
  media = media_path (video ? video : image && *image ? image : audio, base_dir, options);

  if (classify)
    obj = read_classify (task, id, media, video ? "video" : image && *image ? "image" : "audio",
                         set);
  else if (image && *image)
    {
      int width = 0, height = 0;
      json_t *w = json_object_get (data, "width"), *h = json_object_get (data, "height");
      if (json_array_size (labels) == 0)
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, %s: an image task needs labels, and the file has none; name "
                               "them with --labels", name, record), NULL;
      if (json_is_integer (w) && json_is_integer (h) && json_integer_value (w) > 0 &&
          json_integer_value (h) > 0 && json_integer_value (w) <= 1000000 &&
          json_integer_value (h) <= 1000000)
        {
          width = (int) json_integer_value (w);
          height = (int) json_integer_value (h);
        }
      obj = json_pack ("{s:s,s:s,s:s,s:O,s:o}", "id", id, "kind", "bbox", "image", media,
                       "labels", labels, "instructions",
                       al_format_instructions (AL_TASK_KIND_BBOX, labels));
      if (results)
        {
          json_t *boxes = read_boxes (results, name, record, &width, &height, media, -1,
                                      error);
          if (boxes == NULL)
            return NULL;
          json_object_set_new (obj, "gold", json_pack ("{s:o}", "boxes", boxes));
        }
      if (prediction &&
          !read_proposal (prediction, obj, name, record, &width, &height, media, error))
        return NULL;
      if (width > 0 && height > 0)
        {
          json_object_set_new (obj, "width", json_integer (width));
          json_object_set_new (obj, "height", json_integer (height));
        }
    }
  else
    {
      const char *lang = json_string_value (json_object_get (data, "language"));
      g_autofree char *text = results ? read_text (results) : NULL;
      json_t *start = json_object_get (data, "start"), *end = json_object_get (data, "end");
      obj = json_pack ("{s:s,s:s,s:s,s:s,s:o}", "id", id, "kind", "transcribe", "audio", media,
                       "language", lang ? lang : options && options->language ? options->language
                                                                               : "nl",
                       "instructions", al_format_instructions (AL_TASK_KIND_TRANSCRIBE, NULL));
      if (start)
        json_object_set (obj, "start", start);
      if (end)
        json_object_set (obj, "end", end);
      if (text && strlen (text) > AL_FORMAT_MAX_TEXT)
        return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE,
                               "%s, %s: the transcript is longer than %d bytes", name, record,
                               AL_FORMAT_MAX_TEXT), NULL;
      if (text)
        json_object_set_new (obj, "gold", json_pack ("{s:s}", "text", text));
    }
  if (prediction && !json_object_get (obj, "proposal") &&
      !read_proposal (prediction, obj, name, record, NULL, NULL, media, error))
    return NULL;
  json_object_set_new (obj, "source", json_pack ("{s:s,s:O}", "format", "labelstudio", "id",
                                                 j_id ? j_id : json_null ()));
  return al_format_task_new (g_steal_pointer (&obj), name, record, error);
}

GPtrArray *
al_labelstudio_parse (const char      *text,
                      gsize            length,
                      const char      *name,
                      const char      *base_dir,
                      AlImportOptions *options,
                      GError         **error)
{
  g_autoptr (json_t) root = al_format_load_json (text, length, name, error);
  g_autoptr (GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (json_t) labels = json_array ();
  g_autoptr (json_t) choices = json_array ();
  g_auto (GStrv) config_choices = NULL;
  g_autofree char *question = NULL;
  ChoiceSet set = { choices, options && options->multiple, NULL, FALSE, FALSE };
  size_t i;
  json_t *v;

  if (root == NULL)
    return NULL;
  if (!json_is_array (root))
    return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                           "%s: a Label Studio export is a JSON list of tasks", name), NULL;
  if (json_array_size (root) > AL_FORMAT_MAX_RECORDS)
    return al_format_fail (error, AL_FORMAT_ERROR_TOO_LARGE,
                           "%s: more than %d tasks; split the file", name, AL_FORMAT_MAX_RECORDS),
           NULL;
  if (options && options->config)
    {
      if (!al_labelstudio_read_config (options->config, &config_choices, &set.multiple, &question,
                                       error))
        return NULL;
      for (char **c = config_choices; *c; c++)
        add_label (choices, *c);
      set.project = set.fixed = TRUE;
    }
  else if (options && options->choices)
    {
      for (const char *const *c = options->choices; *c; c++)
        if (**c)
          add_label (choices, *c);
      set.project = set.fixed = json_array_size (choices) > 0;
    }
  set.question = options && options->question ? (char *) options->question : question;
  if (!collect_choices (root, name, &set, error))
    return NULL;
  if (!collect_labels (root, name, options, labels, error))
    return NULL;
  json_array_foreach (root, i, v)
    {
      AlTask *task = read_task (v, i, name, base_dir, options, labels, &set, error);
      if (task == NULL)
        return NULL;
      g_ptr_array_add (tasks, task);
      if (!g_hash_table_add (ids, task->id))
        return al_format_fail (error, AL_FORMAT_ERROR_PARSE,
                               "%s, task [%zu]: task id \"%s\" appears twice", name, i, task->id),
               NULL;
    }
  return g_steal_pointer (&tasks);
}

static json_t *
results_json (AlExportItem *item)
{
  AlTask *task = item->task;
  json_t *out = json_array ();
  size_t i;
  json_t *box;

  if (task->kind == AL_TASK_KIND_CLASSIFY)
    {
      json_array_append_new (out, json_pack ("{s:s,s:s,s:s,s:s,s:{s:O}}", "id", "c1", "type",
                                             "choices", "from_name", "choice", "to_name",
                                             al_task_media_key (task), "value", "choices",
                                             json_object_get (item->result, "choices")));
      return out;
    }
  if (task->kind == AL_TASK_KIND_TRANSCRIBE)
    {
      const char *text = json_string_value (json_object_get (item->result, "text"));
      json_array_append_new (out, json_pack ("{s:s,s:s,s:s,s:s,s:{s:[s]}}", "id", "t1", "type",
                                             "textarea", "from_name", "transcription", "to_name",
                                             "audio", "value", "text", text ? text : ""));
      return out;
    }
  json_array_foreach (json_object_get (item->result, "boxes"), i, box)
    {
      g_autofree char *rid = g_strdup_printf ("b%zu", i + 1);
      double x = json_number_value (json_object_get (box, "x"));
      double y = json_number_value (json_object_get (box, "y"));
      double w = json_number_value (json_object_get (box, "w"));
      double h = json_number_value (json_object_get (box, "h"));
      const char *label = json_string_value (json_object_get (box, "label"));
      json_array_append_new (
        out, json_pack ("{s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:{s:f,s:f,s:f,s:f,s:i,s:[s]}}", "id", rid,
                        "type", "rectanglelabels", "from_name", "label", "to_name", "image",
                        "original_width", task->width, "original_height", task->height,
                        "image_rotation", 0, "value", "x", 100 * x / task->width, "y",
                        100 * y / task->height, "width", 100 * w / task->width, "height",
                        100 * h / task->height, "rotation", 0, "rectanglelabels",
                        label ? label : ""));
    }
  return out;
}

gboolean
al_export_labelstudio (AlExport *export,
                       FILE     *out,
                       GError  **error)
{
  g_autoptr (json_t) root = json_array ();
  g_autoptr (GHashTable) by_task = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gboolean keep_ids = TRUE;
  json_int_t ann_id = 0;

  /* Label Studio ids of an earlier import stay when they are all there. */
  for (guint i = 0; i < export->tasks->len && keep_ids; i++)
    {
      AlTask *task = export->tasks->pdata[i];
      json_t *src = task->source ? json_object_get (task->source, "id") : NULL;
      keep_ids = json_is_integer (src) &&
                 g_hash_table_add (seen, g_memdup2 (&(gint64) { json_integer_value (src) },
                                                    sizeof (gint64)));
    }
  for (guint i = 0; i < export->tasks->len; i++)
    {
      AlTask *task = export->tasks->pdata[i];
      json_t *data = json_object ();
      json_t *src = task->source ? json_object_get (task->source, "id") : NULL;
      json_int_t id = keep_ids ? json_integer_value (src) : (json_int_t) i + 1;
      json_t *entry;

      if (task->kind == AL_TASK_KIND_BBOX)
        {
          if (!al_export_image_size (task, error))
            return FALSE;
          json_object_set_new (data, "image", json_string (task->media));
        }
      else if (task->kind == AL_TASK_KIND_CLASSIFY)
        {
          json_t *choices = json_array ();
          for (char **c = task->choices; *c; c++)
            json_array_append_new (choices, json_string (*c));
          json_object_set_new (data, al_task_media_key (task), json_string (task->media));
          json_object_set_new (data, "annolab_choices", choices);
          json_object_set_new (data, "annolab_multiple", json_boolean (task->multiple));
          if (task->media_type != AL_TASK_MEDIA_IMAGE)
            {
              json_object_set_new (data, "start", json_real (task->start));
              if (task->end > 0)
                json_object_set_new (data, "end", json_real (task->end));
            }
        }
      else
        {
          json_object_set_new (data, "audio", json_string (task->media));
          json_object_set_new (data, "start", json_real (task->start));
          if (task->end > 0)
            json_object_set_new (data, "end", json_real (task->end));
          json_object_set_new (data, "language", json_string (task->language));
        }
      json_object_set_new (data, "annolab_id", json_string (task->id));
      entry = json_pack ("{s:I,s:o,s:[],s:[]}", "id", id, "data", data, "annotations",
                         "predictions");
      json_array_append_new (root, entry);
      g_hash_table_insert (by_task, task, entry);
    }
  for (guint i = 0; i < export->items->len; i++)
    {
      AlExportItem *item = export->items->pdata[i];
      json_t *entry = g_hash_table_lookup (by_task, item->task);
      json_t *ann = json_pack ("{s:I,s:o,s:b,s:s}", "id", ++ann_id, "result", results_json (item),
                               "was_cancelled", 0, "annotator", item->annotator);
      if (item->annotator_id > 0)
        json_object_set_new (ann, "completed_by", json_integer (item->annotator_id));
      json_array_append_new (json_object_get (entry, "annotations"), ann);
    }
  if (json_dumpf (root, out, JSON_INDENT (1) | JSON_PRESERVE_ORDER) != 0 ||
      fputc ('\n', out) == EOF)
    return al_format_fail (error, AL_FORMAT_ERROR_IO, "Cannot write the export");
  return TRUE;
}
