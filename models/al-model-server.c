/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-models"

#include "config.h"

#include <curl/curl.h>
#include <math.h>
#include <string.h>

#include "al-formats.h"
#include "al-model-server.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

/* A model's answer for one task is small; more is a server gone wrong. */
#define MAX_ANSWER (4 * 1024 * 1024)

struct _AlModelServer
{
  char *url;      /* ends in /predict */
  char *base;     /* as given, for messages and the proposal's "model" */
  long timeout_ms;
};

AlModelServer *
al_model_server_new (const char *url,
                     double      timeout_seconds,
                     GError    **error)
{
  AlModelServer *server;
  g_autoptr (GUri) parsed = NULL;
  g_autoptr (GUri) with_predict = NULL;
  g_autofree char *predict = NULL;
  const char *path;

  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    {
      g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_SERVER,
                   "\"%s\" is not a model server's address (http://HOST:PORT/)", url);
      return NULL;
    }
  parsed = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    {
      g_set_error (error, AL_MODEL_ERROR, AL_MODEL_ERROR_SERVER,
                   "\"%s\" is not a model server's address (http://HOST:PORT/)", url);
      return NULL;
    }
  path = g_uri_get_path (parsed);
  predict = g_str_has_suffix (path, "/predict")
              ? g_strdup (path)
              : g_strconcat (path, g_str_has_suffix (path, "/") ? "" : "/", "predict", NULL);
  with_predict = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (parsed),
                              g_uri_get_userinfo (parsed), g_uri_get_host (parsed),
                              g_uri_get_port (parsed), predict, g_uri_get_query (parsed), NULL);
  server = g_new0 (AlModelServer, 1);
  /* Named in messages and in the proposals without a password or token. */
  server->base = g_uri_to_string_partial (parsed, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY |
                                                    G_URI_HIDE_FRAGMENT);
  server->url = g_uri_to_string (with_predict);
  server->timeout_ms = (long) (timeout_seconds * 1000);
  return server;
}

void
al_model_server_free (AlModelServer *server)
{
  if (server == NULL)
    return;
  g_free (server->url);
  g_free (server->base);
  g_free (server);
}

gboolean
al_model_server_handles (const AlTask *task)
{
  return task->kind == AL_TASK_KIND_BBOX || task->kind == AL_TASK_KIND_TRANSCRIBE ||
         task->kind == AL_TASK_KIND_CLASSIFY;
}

static void
append_options (GString           *config,
                const char        *tag,
                char *const       *names)
{
  for (char *const *n = names; n && *n; n++)
    {
      g_autofree char *value = g_markup_escape_text (*n, -1);
      g_string_append_printf (config, "<%s value=\"%s\"/>", tag, value);
    }
}

/* The labelling config Label Studio would send for this task: the
 * control names are what the answers are matched on. */
static char *
label_config (const AlTask *task)
{
  GString *config = g_string_new ("<View>");
  const char *media = al_task_media_key (task);
  const char *object = task->media_type == AL_TASK_MEDIA_IMAGE ? "Image"
                       : task->media_type == AL_TASK_MEDIA_VIDEO ? "Video" : "Audio";

  g_string_append_printf (config, "<%s name=\"%s\" value=\"$%s\"/>", object, media, media);
  if (task->kind == AL_TASK_KIND_BBOX)
    {
      g_string_append (config, "<RectangleLabels name=\"label\" toName=\"image\">");
      append_options (config, "Label", task->labels);
      g_string_append (config, "</RectangleLabels>");
    }
  else if (task->kind == AL_TASK_KIND_TRANSCRIBE)
    g_string_append_printf (config, "<TextArea name=\"transcription\" toName=\"%s\"/>", media);
  else
    {
      g_string_append_printf (config, "<Choices name=\"choice\" toName=\"%s\" choice=\"%s\">",
                              media, task->multiple ? "multiple" : "single");
      append_options (config, "Choice", task->choices);
      g_string_append (config, "</Choices>");
    }
  g_string_append (config, "</View>");
  return g_string_free (config, FALSE);
}

static json_t *
request_body (gint64        seq,
              const AlTask *task)
{
  g_autofree char *config = label_config (task);
  json_t *data = json_object ();

  json_object_set_new (data, al_task_media_key (task), json_string (task->media));
  if (task->media_type != AL_TASK_MEDIA_IMAGE)
    {
      json_object_set_new (data, "start", json_real (task->start));
      if (task->end > 0)
        json_object_set_new (data, "end", json_real (task->end));
    }
  if (task->language)
    json_object_set_new (data, "language", json_string (task->language));
  json_object_set_new (data, "annolab_task", json_string (task->id));
  return json_pack ("{s:[{s:I,s:o}],s:s,s:s,s:{}}", "tasks", "id", (json_int_t) seq, "data", data,
                    "label_config", config, "project", "annolab", "params");
}

static size_t
sink_write (char  *ptr,
            size_t size,
            size_t nmemb,
            void  *data)
{
  GString *sink = data;

  if (sink->len + size * nmemb > MAX_ANSWER)
    return 0;
  g_string_append_len (sink, ptr, (gssize) (size * nmemb));
  return size * nmemb;
}

static gboolean
bad (GError    **error,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad (GError    **error,
     const char *format,
     ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AL_MODEL_ERROR, AL_MODEL_ERROR_SERVER, msg);
  return FALSE;
}

static json_t *
post (AlModelServer *server,
      const AlTask  *task,
      json_t        *body,
      GError       **error)
{
  g_autoptr (CURL) curl = curl_easy_init ();
  g_autoptr (GString) sink = g_string_new (NULL);
  g_autofree char *text = json_dumps (body, JSON_COMPACT);
  struct curl_slist *headers = curl_slist_append (NULL, "Content-Type: application/json");
  json_error_t jerr;
  json_t *answer;
  long status = 0;
  CURLcode rc;

  curl_easy_setopt (curl, CURLOPT_URL, server->url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDS, text);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, sink_write);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, sink);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, MIN (server->timeout_ms, 5000L));
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, server->timeout_ms);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  rc = curl_easy_perform (curl);
  curl_slist_free_all (headers);
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return bad (error, "the model server at %s did not answer within %.0f seconds (task %s)",
                server->base, server->timeout_ms / 1000.0, task->id), NULL;
  if (rc == CURLE_WRITE_ERROR)
    return bad (error, "the model server at %s sent more than %d MB for task %s", server->base,
                MAX_ANSWER / (1024 * 1024), task->id), NULL;
  if (rc != CURLE_OK)
    return bad (error, "the model server at %s cannot be reached: %s", server->base,
                curl_easy_strerror (rc)), NULL;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200)
    {
      g_autofree char *start = g_utf8_make_valid (sink->str, MIN (sink->len, 200));
      return bad (error, "the model server at %s answered HTTP %ld for task %s: %s",
                  server->base, status, task->id, g_strstrip (start)), NULL;
    }
  answer = json_loadb (sink->str, sink->len, 0, &jerr);
  if (answer == NULL)
    return bad (error, "the model server at %s sent something that is not JSON for task %s "
                "(%s, line %d)", server->base, task->id, jerr.text, jerr.line), NULL;
  return answer;
}

static gboolean
number (json_t     *obj,
        const char *key,
        double     *out)
{
  json_t *v = json_object_get (obj, key);
  if (!json_is_number (v) || !isfinite (json_number_value (v)))
    return FALSE;
  *out = json_number_value (v);
  return TRUE;
}

/* A score is a confidence from 0 to 1; a model may leave it out. */
static double
score_of (json_t *item,
          double  fallback)
{
  double s;
  return number (item, "score", &s) && s >= 0 && s <= 1 ? s : fallback;
}

static gboolean
map_box (AlModelServer *server,
         const AlTask  *task,
         json_t        *item,
         double         fallback,
         int           *width,
         int           *height,
         json_t        *boxes,
         GError       **error)
{
  json_t *value = json_object_get (item, "value");
  json_t *labels = json_object_get (value, "rectanglelabels");
  const char *label = json_string_value (json_array_get (labels, 0));
  double x, y, w, h, ow, oh;

  if (!number (value, "x", &x) || !number (value, "y", &y) || !number (value, "width", &w) ||
      !number (value, "height", &h))
    return bad (error, "the model server at %s sent a rectangle without x, y, width and height "
                "for task %s", server->base, task->id);
  if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > 100.001 || y + h > 100.001)
    return bad (error, "the model server at %s sent a rectangle outside the photo for task %s "
                "(Label Studio gives percentages from 0 to 100)", server->base, task->id);
  if (label == NULL || !g_strv_contains ((const char *const *) task->labels, label))
    return bad (error, "the model server at %s sent the label \"%s\" for task %s, which is not "
                "one of its labels", server->base, label ? label : "(none)", task->id);
  if (*width <= 0 && number (item, "original_width", &ow) && number (item, "original_height", &oh)
      && ow >= 1 && oh >= 1)
    {
      *width = (int) ow;
      *height = (int) oh;
    }
  if (*width <= 0 && !al_image_size (task->media, width, height))
    return bad (error, "the size of %s cannot be read, to turn the model server's percentages "
                "into pixels", task->media);
  json_array_append_new (boxes, json_pack ("{s:s,s:f,s:f,s:f,s:f,s:f}", "label", label,
                                           "x", round (x * *width) / 100.0,
                                           "y", round (y * *height) / 100.0,
                                           "w", round (w * *width) / 100.0,
                                           "h", round (h * *height) / 100.0,
                                           "confidence", score_of (item, fallback)));
  return TRUE;
}

json_t *
al_model_server_propose (AlModelServer *server,
                         gint64         seq,
                         const AlTask  *task,
                         GError       **error)
{
  g_autoptr (json_t) body = request_body (seq, task);
  g_autoptr (json_t) answer = post (server, task, body, error);
  g_autoptr (json_t) proposal = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  json_t *results, *prediction, *items, *item, *boxes = NULL, *choices = NULL;
  const char *version;
  double score = 0;
  int width = task->width, height = task->height;
  size_t i;

  if (answer == NULL)
    return NULL;
  results = json_object_get (answer, "results");
  if (!json_is_array (results))
    return bad (error, "the model server at %s answered without \"results\" (a list) for task %s",
                server->base, task->id), NULL;
  if (json_array_size (results) == 0)
    return NULL;
  if (json_array_size (results) != 1)
    return bad (error, "the model server at %s sent %zu results for task %s, where one task was "
                "asked", server->base, json_array_size (results), task->id), NULL;
  prediction = json_array_get (results, 0);
  items = json_object_get (prediction, "result");
  if (!json_is_object (prediction) || !json_is_array (items))
    return bad (error, "the model server at %s sent a result for task %s without \"result\" "
                "(a list)", server->base, task->id), NULL;
  if (json_array_size (items) == 0)
    return NULL;
  score = score_of (prediction, 0.5);
  version = json_string_value (json_object_get (prediction, "model_version"));
  if (version == NULL)
    version = json_string_value (json_object_get (answer, "model_version"));

  json_array_foreach (items, i, item)
    {
      const char *type = json_string_value (json_object_get (item, "type"));
      json_t *value = json_object_get (item, "value");

      if (!json_is_object (item) || !json_is_object (value) || type == NULL)
        return bad (error, "the model server at %s sent result %zu for task %s without \"type\" "
                    "and \"value\"", server->base, i + 1, task->id), NULL;
      if (task->kind == AL_TASK_KIND_BBOX && g_str_equal (type, "rectanglelabels"))
        {
          if (boxes == NULL)
            boxes = json_array ();
          if (!map_box (server, task, item, score, &width, &height, boxes, error))
            return json_decref (boxes), NULL;
        }
      else if (task->kind == AL_TASK_KIND_TRANSCRIBE && g_str_equal (type, "textarea"))
        {
          json_t *lines = json_object_get (value, "text");
          size_t k;
          json_t *line;
          if (!json_is_array (lines))
            return bad (error, "the model server at %s sent a textarea without \"text\" (a list) "
                        "for task %s", server->base, task->id), NULL;
          json_array_foreach (lines, k, line)
            {
              if (!json_is_string (line))
                return bad (error, "the model server at %s sent a text that is not a string for "
                            "task %s", server->base, task->id), NULL;
              if (text->len)
                g_string_append_c (text, ' ');
              g_string_append (text, json_string_value (line));
            }
          score = score_of (item, score);
        }
      else if (task->kind == AL_TASK_KIND_CLASSIFY && g_str_equal (type, "choices"))
        {
          json_t *list = json_object_get (value, "choices");
          size_t k;
          json_t *c;
          if (!json_is_array (list) || json_array_size (list) == 0 ||
              (!task->multiple && json_array_size (list) != 1))
            return bad (error, "the model server at %s sent choices for task %s that are not a "
                        "list of %s", server->base, task->id, task->multiple ? "names" : "one name"),
                   NULL;
          json_array_foreach (list, k, c)
            if (!json_is_string (c) ||
                !g_strv_contains ((const char *const *) task->choices, json_string_value (c)))
              return bad (error, "the model server at %s sent the choice \"%s\" for task %s, which "
                          "is not one of its choices", server->base,
                          json_is_string (c) ? json_string_value (c) : "?", task->id), NULL;
          choices = json_incref (list);
          score = score_of (item, score);
        }
      else
        return bad (error, "the model server at %s sent a \"%s\" result for task %s, which is a "
                    "%s task", server->base, type, task->id, al_task_kind_to_string (task->kind)),
               NULL;
    }

  proposal = json_pack ("{s:s,s:s}", "model", server->base, "version", version ? version : "");
  if (boxes)
    json_object_set_new (proposal, "boxes", boxes);
  else if (choices)
    {
      json_object_set_new (proposal, "choices", choices);
      json_object_set_new (proposal, "confidence", json_real (score));
    }
  else
    {
      g_auto (GStrv) words = g_strsplit_set (text->str, " \t\n", -1);
      json_t *list = json_array ();
      for (int k = 0; words[k]; k++)
        if (*words[k])
          json_array_append_new (list, json_pack ("{s:s,s:f}", "word", words[k],
                                                  "confidence", score));
      json_object_set_new (proposal, "text", json_string (text->str));
      json_object_set_new (proposal, "words", list);
    }
  return g_steal_pointer (&proposal);
}
