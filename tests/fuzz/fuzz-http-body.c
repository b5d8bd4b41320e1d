/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JSON request bodies the server reads, through the same functions the
 * handlers call: the body parser with its depth limit, then the endpoint's
 * own checks, and for results the validation and scoring against a task,
 * for events the live state the dashboard shows.
 *
 * Input: one byte choosing the endpoint, one choosing the Content-Type,
 * then the body. */
#include "config.h"

#include <string.h>

#include "al-live.h"
#include "al-quality.h"
#include "al-server-parse.h"
#include "al-server.h"
#include "al-store.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static AlTask *bbox_task, *text_task;

static AlTask *
make_task (const char *json)
{
  g_autoptr (json_t) obj = json_loads (json, 0, NULL);
  g_autoptr (GError) error = NULL;
  AlTask *task = al_task_new_from_json (obj, "/nonexistent", &error);

  g_assert_no_error (error);
  return task;
}

static int
depth_of (json_t *json)
{
  int deepest = 0, d;
  const char *key;
  json_t *value;
  size_t i;

  if (json_is_object (json))
    {
      json_object_foreach (json, key, value) if ((d = depth_of (value)) > deepest) deepest = d;
    }
  else if (json_is_array (json))
    {
      json_array_foreach (json, i, value) if ((d = depth_of (value)) > deepest) deepest = d;
    }
  else
    return 0;
  return deepest + 1;
}

static void
check_result (json_t *body)
{
  const char *lease_id, *key;
  json_t *result;
  gint64 lead;
  AlTask *tasks[] = { bbox_task, text_task };

  if (al_parse_result_body (body, &lease_id, &key, &result, &lead) != NULL)
    return;
  g_assert_nonnull (lease_id);
  g_assert_true (key && *key && strlen (key) <= 200);
  for (gsize i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      g_autoptr (GError) error = NULL;
      if (al_task_validate_result (tasks[i], result, &error))
        {
          json_t *score = al_quality_score (tasks[i], result, NULL);
          if (score)
            {
              g_autofree char *text = json_dumps (score, JSON_COMPACT);
              g_assert_nonnull (text);
              json_decref (score);
            }
        }
      else
        g_assert_nonnull (error);
    }
}

static void
check_event (json_t *body)
{
  const char *type;
  gint64 at_ms = 0, now = 1700000000000;
  AlLive *live;

  if (al_parse_event_body (body, now, &type, &at_ms) != NULL)
    return;
  live = al_live_new ();
  al_live_event (live, 1, type, at_ms, body);
  al_live_result (live, 1, now);
  for (int i = 0; i < 3; i++)
    {
      json_t *seen = al_live_describe (live, 1, now + i * AL_LIVE_OFFLINE_MS);
      g_autofree char *text = json_dumps (seen, JSON_COMPACT);
      g_assert_nonnull (text);
      json_decref (seen);
    }
  json_decref (al_live_take_notices (live, 1));
  al_live_free (live);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const char *const types[] = {
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    NULL,
  };
  AlBodyError err = { 0 };
  g_autoptr (json_t) body = NULL;
  g_autoptr (GPtrArray) exclude = NULL;
  const char *reason, *problem = NULL;
  int voice = -1;
  g_autofree char *why = NULL;
  int endpoint;

  if (bbox_task == NULL)
    {
      bbox_task = make_task ("{\"id\":\"b\",\"kind\":\"bbox\",\"image\":\"a.png\",\"labels\":"
                             "[\"coin\",\"key\"],\"gold\":{\"boxes\":[{\"label\":\"coin\","
                             "\"x\":10,\"y\":10,\"w\":50,\"h\":50}]}}");
      text_task = make_task ("{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"a.wav\","
                             "\"gold\":{\"text\":\"Een twee, drie [inaudible] vier.\"}}");
    }
  if (size < 2)
    return 0;
  endpoint = data[0] % 7;
  body = al_parse_json_body (types[data[1] % G_N_ELEMENTS (types)], (const char *)data + 2,
                             size - 2, &err);
  if (body == NULL)
    {
      g_assert_true (err.status == 400 || err.status == 415);
      g_assert_nonnull (err.code);
      g_assert_nonnull (err.message);
      g_free (err.message);
      return 0;
    }
  g_assert_true (json_is_object (body));
  /* The depth limit holds for whatever got through. */
  g_assert_cmpint (depth_of (body), <=, AL_SERVER_MAX_DEPTH);

  switch (endpoint)
    {
    case 0:
      exclude = g_ptr_array_new ();
      problem = al_parse_lease_body (body, exclude, &voice);
      g_assert_true (problem != NULL || exclude->len <= 16);
      break;
    case 1:
      check_result (body);
      break;
    case 2:
      problem = al_parse_broken_body (body, &reason);
      g_assert_true (problem != NULL || (reason && strlen (reason) <= 2000));
      break;
    case 3:
      check_event (body);
      break;
    case 4:
      if ((why = al_check_settings (body)) == NULL)
        {
          /* As the handler does: merged into the participant's settings. */
          g_autoptr (json_t) merged = json_pack ("{s:b}", "voice", FALSE);
          g_autofree char *text = NULL;
          json_object_update (merged, body);
          text = json_dumps (merged, JSON_COMPACT);
          g_assert_nonnull (text);
        }
      break;
    case 5:
      if ((why = al_check_room (body)) == NULL)
        {
          g_autofree char *text = json_dumps (body, JSON_COMPACT | JSON_SORT_KEYS);
          g_assert_nonnull (text);
        }
      break;
    default:
      /* /coach/login only reads "token". */
      (void)json_string_value (json_object_get (body, "token"));
      break;
    }
  return 0;
}
