/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-server"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "al-server-private.h"
#include "al-server-reply.h"
#include "al-work-record.h"

/* The task as a participant may see it: no gold answer, no explanation
 * before the answer is in, and media as a URL instead of a server path. */
static json_t *
public_task (AlServer *server,
             AlTask   *task)
{
  json_t *json = al_task_to_json (task);
  gint64 media_id = al_store_task_media_id (server->store, task->id);
  g_autofree char *url = NULL;
  const char *media_key = al_task_media_key (task);

  json_object_del (json, "gold");
  json_object_del (json, "explanation");
  if (media_id >= 0)
    url = g_strdup_printf ("/api/v1/media/%" G_GINT64_FORMAT, media_id);
  json_object_set_new (json, media_key, json_string (url ? url : ""));
  json_object_set_new (json, "media_url", json_string (url ? url : ""));
  json_object_set_new (json, "number_today", json_integer (task->number_today));
  return json;
}

/* The answers a workstation acts on, each with its own code, and every
 * refusal of a participant's work kept for the coach. */
static MHD_Result_t
respond_work_error (AlRequest  *req,
                    GError     *error,
                    const char *lease_id)
{
  static const struct
  {
    int code;
    unsigned int status;
    const char *name;
  } map[] = {
    { AL_STORE_ERROR_ALREADY_SUBMITTED, 409, "already_submitted" },
    { AL_STORE_ERROR_LEASE_GONE, 409, "lease_gone" },
    { AL_STORE_ERROR_KEY_REUSED, 409, "idempotency_key_reused" },
    { AL_STORE_ERROR_TOO_MANY_LEASES, 409, "too_many_leases" },
    { AL_STORE_ERROR_TOO_MANY_BROKEN, 409, "too_many_broken_reports" },
    { AL_STORE_ERROR_TOO_MANY_PASSES, 409, "too_many_passes" },
    { AL_STORE_ERROR_INVALID, 400, "invalid_result" },
    { AL_STORE_ERROR_NOT_FOUND, 404, "not_found" },
    { AL_STORE_ERROR_FORBIDDEN, 403, "forbidden" },
  };

  if (error->domain == AL_STORE_ERROR)
    for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
      if (error->code == map[i].code)
        {
          al_store_add_refusal (req->server->store, req->user, map[i].name, error->message,
                                lease_id);
          return al_respond_error (req, map[i].status, map[i].name, "%s", error->message);
        }
  return al_respond_store_error (req, error);
}

MHD_Result_t
al_api_lease (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) task = NULL;
  g_autoptr (json_t) body = NULL;
  g_autoptr (json_t) request = NULL;
  g_autoptr (GPtrArray) exclude = g_ptr_array_new ();
  g_autofree char *expires = NULL;
  MHD_Result_t ret;
  const char *problem;
  int voice = -1;

  if (req->body && req->body->len > 0)
    {
      if ((request = al_request_json (req, &ret)) == NULL)
        return ret;
      if ((problem = al_parse_lease_body (request, exclude, &voice)) != NULL)
        return al_respond_error (req, 400, "invalid", "%s", problem);
    }
  g_ptr_array_add (exclude, NULL);
  /* The workstation says whether it is in voice mode now: the participant
   * may have switched it on a minute ago, and the "voice" setting is only
   * adopted at the next block. Without a word, the setting counts. */
  task = al_store_lease_mode (req->server->store, req->user, (const char *const *) exclude->pdata,
                              voice < 0 ? AL_LEASE_AS_SETTINGS
                                        : voice ? AL_LEASE_VOICE : AL_LEASE_SCREEN, &error);
  if (error)
    return respond_work_error (req, error, NULL);
  if (task == NULL)
    return al_respond_text (req, 204, "application/json", "", 0);
  expires = al_format_time_iso (task->lease_expires_ms);
  body = json_pack ("{s:{s:s,s:s,s:I},s:o}", "lease", "id", task->lease_id, "expires_at", expires,
                    "expires_ms", (json_int_t) task->lease_expires_ms, "task",
                    public_task (req->server, task));
  al_server_live_result (req->server, req->user->id, al_store_now_ms (req->server->store));
  return al_respond_json (req, 200, body);
}

MHD_Result_t
al_api_heartbeat (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) body = NULL;
  g_autofree char *expires_iso = NULL;
  gint64 expires = 0;

  if (!al_store_heartbeat (req->server->store, req->user, req->params[0], &expires, &error))
    return al_respond_store_error (req, error);
  expires_iso = al_format_time_iso (expires);
  body = json_pack ("{s:{s:s,s:s,s:I}}", "lease", "id", req->params[0], "expires_at", expires_iso,
                    "expires_ms", (json_int_t) expires);
  return al_respond_json (req, 200, body);
}

MHD_Result_t
al_api_broken (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) body = NULL;
  MHD_Result_t ret;
  const char *reason, *problem;

  if ((body = al_request_json (req, &ret)) == NULL)
    return ret;
  if ((problem = al_parse_broken_body (body, &reason)) != NULL)
    return al_respond_error (req, 400, "invalid", "%s", problem);
  if (!al_store_report_broken (req->server->store, req->user, req->params[0], reason, &error))
    return respond_work_error (req, error, req->params[0]);
  return al_respond_text (req, 204, "application/json", "", 0);
}

MHD_Result_t
al_api_pass (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) body = NULL;
  MHD_Result_t ret;
  const char *reason, *problem;

  if ((body = al_request_json (req, &ret)) == NULL)
    return ret;
  if ((problem = al_parse_pass_body (body, &reason)) != NULL ||
      !g_strv_contains (al_store_pass_reasons (), reason))
    return al_respond_error (req, 400, "invalid", "%s",
                             problem ? problem : "\"reason\" is noisy, language, not_for_me "
                                                 "or other");
  if (!al_store_pass (req->server->store, req->user, req->params[0], reason, &error))
    return respond_work_error (req, error, req->params[0]);
  al_server_live_result (req->server, req->user->id, al_store_now_ms (req->server->store));
  return al_respond_text (req, 204, "application/json", "", 0);
}

MHD_Result_t
al_api_results (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) body = NULL;
  g_autoptr (json_t) response = NULL;
  MHD_Result_t ret;
  const char *lease_id, *key, *problem;
  json_t *result;
  gint64 lead = 0;

  if ((body = al_request_json (req, &ret)) == NULL)
    return ret;
  if ((problem = al_parse_result_body (body, &lease_id, &key, &result, &lead)) != NULL)
    return al_respond_error (req, 400, "invalid", "%s", problem);
  response = al_store_submit (req->server->store, req->user, lease_id, key, result, lead, &error);
  if (response == NULL)
    return respond_work_error (req, error, lease_id);
  al_server_live_result (req->server, req->user->id, al_store_now_ms (req->server->store));
  return al_respond_json (req, 200, response);
}

static const char *
content_type (const char *path)
{
  static const char *const types[][2] = {
    { ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
    { ".webp", "image/webp" }, { ".gif", "image/gif" }, { ".bmp", "image/bmp" },
    { ".tif", "image/tiff" }, { ".tiff", "image/tiff" }, { ".wav", "audio/wav" },
    { ".flac", "audio/flac" }, { ".ogg", "audio/ogg" }, { ".opus", "audio/ogg" },
    { ".mp3", "audio/mpeg" }, { ".m4a", "audio/mp4" },
  };
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (lower, types[i][0]))
      return types[i][1];
  return "application/octet-stream";
}

/* Participants see the media of tasks they hold or held; coaches all. */
static gboolean
may_see_media (AlRequest *req,
               gint64     media_id)
{
  if (!g_str_equal (req->user->role, "participant"))
    return TRUE;
  return al_store_user_held_media (req->server->store, req->user->id, media_id);
}

/* Media is found by its number in the media table, never by a path from
 * the URL; the store opens only files inside the folders imports
 * registered, and never the database's own files. */
MHD_Result_t
al_api_media (AlRequest *req)
{
  gint64 id = al_param_id (req, 0);
  g_autofree char *path = NULL;
  g_autofree char *etag = NULL;
  struct MHD_Response *response;
  const char *range, *if_range, *match;
  struct stat st;
  gint64 from = 0, to;
  MHD_Result_t ret;
  unsigned int status = 200;
  int fd;

  g_autoptr (GError) error = NULL;

  if (id < 0 || (path = al_store_get_media_path (req->server->store, id)) == NULL)
    return al_respond_error (req, 404, "not_found", "There is no such media");
  if (!may_see_media (req, id))
    return al_respond_error (req, 403, "forbidden", "This media belongs to a task you do not have");
  g_clear_pointer (&path, g_free);
  fd = al_store_open_media (req->server->store, id, &path, &error);
  if (fd < 0 && g_error_matches (error, AL_STORE_ERROR, AL_STORE_ERROR_FORBIDDEN))
    return al_respond_error (req, 403, "forbidden", "%s", error->message);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      if (fd >= 0)
        close (fd);
      return al_respond_error (req, 410, "gone", "The media file is no longer on the server");
    }
  etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "\"", (gint64) st.st_size,
                          (gint64) st.st_mtime);
  match = MHD_lookup_connection_value (req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
  if (match && g_str_equal (match, etag))
    {
      close (fd);
      response = MHD_create_response_from_buffer (0, (void *) "", MHD_RESPMEM_PERSISTENT);
      MHD_add_response_header (response, MHD_HTTP_HEADER_ETAG, etag);
      ret = al_queue_response (req, 304, response);
      MHD_destroy_response (response);
      return ret;
    }
  to = st.st_size - 1;
  range = MHD_lookup_connection_value (req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
  if_range = MHD_lookup_connection_value (req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_RANGE);
  /* A piece of another version of the file would corrupt what the client has. */
  if (if_range && !g_str_equal (if_range, etag))
    range = NULL;
  switch (al_parse_range (range, st.st_size, &from, &to))
    {
    case AL_RANGE_UNSATISFIABLE:
      {
        g_autofree char *cr = g_strdup_printf ("bytes */%" G_GINT64_FORMAT, (gint64) st.st_size);
        close (fd);
        response = MHD_create_response_from_buffer (0, (void *) "", MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        ret = al_queue_response (req, 416, response);
        MHD_destroy_response (response);
        return ret;
      }
    case AL_RANGE_PART:
      status = 206;
      break;
    case AL_RANGE_WHOLE:
      break;
    default:
      g_assert_not_reached ();
    }
  response = MHD_create_response_from_fd_at_offset64 (to - from + 1, fd, from);
  MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type (path));
  MHD_add_response_header (response, MHD_HTTP_HEADER_ETAG, etag);
  MHD_add_response_header (response, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
  if (status == 206)
    {
      g_autofree char *cr = g_strdup_printf ("bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
                                             "/%" G_GINT64_FORMAT, from, to, (gint64) st.st_size);
      MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
    }
  ret = al_queue_response (req, status, response);
  MHD_destroy_response (response);
  return ret;
}

static json_t *
me_json (AlRequest *req)
{
  g_autofree char *room_key = g_strdup_printf ("room:%s", req->user->group);
  g_autofree char *room = al_store_get_meta (req->server->store, room_key);

  return json_pack ("{s:s,s:s,s:s,s:O,s:o,s:o}", "name", req->user->name, "role", req->user->role,
                    "group", req->user->group, "settings", req->user->settings, "room",
                    room ? json_loads (room, 0, NULL) : json_null (), "notices",
                    al_live_take_notices (req->server->live, req->user->id));
}

MHD_Result_t
al_api_events (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) body = NULL;
  g_autoptr (json_t) reply = NULL;
  MHD_Result_t ret;
  const char *type, *problem;
  gint64 at_ms;

  if ((body = al_request_json (req, &ret)) == NULL)
    return ret;
  problem = al_parse_event_body (body, al_store_now_ms (req->server->store), &type, &at_ms);
  if (problem)
    return al_respond_error (req, 400, "invalid", "%s", problem);
  /* Heartbeats only feed the live view; everything else is history. */
  if (!g_str_equal (type, "heartbeat") &&
      !al_store_add_event (req->server->store, req->user, type, at_ms, body, &error))
    return al_respond_store_error (req, error);
  al_server_live_event (req->server, req->user->id, type, at_ms, body);
  reply = me_json (req);
  return al_respond_json (req, 200, reply);
}

/* For the lab's monitoring: no token, nothing about anyone. */
MHD_Result_t
al_api_health (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) reply = NULL;

  /* Without a token: no database address or user in the answer; the
   * log has said what went wrong. */
  if (!al_store_ping (req->server->store, &error))
    {
      g_debug ("health: %s", error->message);
      return al_respond_error (req, 503, "database_unavailable", "The database cannot be used now");
    }
  reply = json_pack ("{s:s}", "database", "ok");
  return al_respond_json (req, 200, reply);
}

MHD_Result_t
al_api_me (AlRequest *req)
{
  g_autoptr (json_t) reply = me_json (req);
  return al_respond_json (req, 200, reply);
}

MHD_Result_t
al_api_me_record (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) record = al_work_record_build (req->server->store, req->user, &error);

  if (record == NULL)
    return al_respond_store_error (req, error);
  return al_respond_json (req, 200, record);
}
