/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-server"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "al-rhythm.h"
#include "al-server-private.h"
#include "al-server-reply.h"
#include "al-store-coach.h"
#include "al-work-record.h"

#define SSE_INTERVAL_US (1 * G_USEC_PER_SEC)

json_t *
al_coach_participant_json (AlServer     *server,
                           const AlUser *user)
{
  json_t *out = al_live_describe (server->live, user->id, al_store_now_ms (server->store));
  json_t *today = al_store_participant_today (server->store, user);

  json_object_update (out, today);
  json_decref (today);
  json_object_set_new (out, "id", json_integer (user->id));
  json_object_set_new (out, "name", json_string (user->name));
  json_object_set_new (out, "group", json_string (user->group));
  json_object_set (out, "settings", user->settings);
  json_object_set_new (out, "quality_trend", al_store_quality_trend (server->store, user, 20));
  return out;
}

static json_t *
participants_json (AlServer     *server,
                   const AlUser *coach)
{
  g_autoptr (GPtrArray) people = al_store_list_participants (server->store, coach->group);
  json_t *list = json_array ();

  for (guint i = 0; i < people->len; i++)
    json_array_append_new (list, al_coach_participant_json (server, g_ptr_array_index (people, i)));
  return json_pack ("{s:o}", "participants", list);
}

MHD_Result_t
al_coach_participants (AlRequest *req)
{
  g_autoptr (json_t) body = participants_json (req->server, req->user);
  return al_respond_json (req, 200, body);
}

/* A coach reaches only participants of their own group; others answer
 * 404 so that nobody learns who exists elsewhere. */
static AlUser *
own_participant (AlRequest *req)
{
  gint64 id = al_param_id (req, 0);
  AlUser *user = id > 0 ? al_store_get_user (req->server->store, id) : NULL;

  if (user && (!g_str_equal (user->role, "participant") ||
               !g_str_equal (user->group, req->user->group)))
    g_clear_pointer (&user, al_user_free);
  return user;
}

#define OWN_OR_404(user)                                                                        \
  g_autoptr (AlUser) user = own_participant (req);                                             \
  if (user == NULL)                                                                             \
    return al_respond_error (req, 404, "not_found", "There is no such participant in your group")

MHD_Result_t
al_coach_participant (AlRequest *req)
{
  OWN_OR_404 (user);
  g_autoptr (json_t) body = al_coach_participant_json (req->server, user);
  /* The plan form holds to the same limits as the settings check. */
  json_object_set_new (body, "limits", al_rhythm_limits_to_json ());
  return al_respond_json (req, 200, body);
}

MHD_Result_t
al_coach_history (AlRequest *req)
{
  OWN_OR_404 (user);
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) body = al_store_history (req->server->store, user, &error);
  if (body == NULL)
    return al_respond_store_error (req, error);
  return al_respond_json (req, 200, body);
}

/* The record is one self-contained page (it is saved and printed as a
 * file too), so its style is inline; the policy allows exactly that
 * style by its hash, and nothing else. */
static char *
record_csp (const char *html)
{
  const char *open = strstr (html, "<style>");
  const char *close = open ? strstr (open, "</style>") : NULL;
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *hash = NULL;
  guint8 digest[32];
  gsize length = sizeof digest;

  if (close == NULL)
    return g_strdup ("default-src 'none'; base-uri 'none'; form-action 'none'; "
                     "frame-ancestors 'none'");
  open += strlen ("<style>");
  g_checksum_update (sum, (const guchar *) open, close - open);
  g_checksum_get_digest (sum, digest, &length);
  hash = g_base64_encode (digest, length);
  return g_strdup_printf ("default-src 'none'; style-src 'sha256-%s'; base-uri 'none'; "
                          "form-action 'none'; frame-ancestors 'none'", hash);
}

static MHD_Result_t
respond_record_html (AlRequest *req,
                     json_t    *record)
{
  g_autofree char *html = al_work_record_to_html (record);
  g_autofree char *csp = record_csp (html);
  struct MHD_Response *response;
  MHD_Result_t ret;

  response = MHD_create_response_from_buffer (strlen (html), html, MHD_RESPMEM_MUST_COPY);
  MHD_add_response_header (response, "Content-Type", "text/html; charset=utf-8");
  MHD_add_response_header (response, "Content-Security-Policy", csp);
  ret = al_queue_response (req, 200, response);
  MHD_destroy_response (response);
  return ret;
}

MHD_Result_t
al_coach_record (AlRequest *req)
{
  OWN_OR_404 (user);
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) record = al_work_record_build (req->server->store, user, &error);
  const char *format = MHD_lookup_connection_value (req->conn, MHD_GET_ARGUMENT_KIND, "format");

  if (record == NULL)
    return al_respond_store_error (req, error);
  if (g_strcmp0 (format, "html") == 0)
    return respond_record_html (req, record);
  return al_respond_json (req, 200, record);
}

MHD_Result_t
al_coach_settings (AlRequest *req)
{
  OWN_OR_404 (user);
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) body = NULL;
  g_autoptr (json_t) merged = NULL;
  g_autoptr (json_t) notice = NULL;
  g_autofree char *problem = NULL;
  MHD_Result_t ret;

  if ((body = al_request_json (req, &ret)) == NULL)
    return ret;
  if ((problem = al_check_settings (body)) != NULL)
    return al_respond_error (req, 400, "invalid", "%s", problem);
  merged = json_deep_copy (user->settings);
  json_object_update (merged, body);
  if (!al_store_set_user_settings (req->server->store, user->id, merged, &error))
    return al_respond_store_error (req, error);
  /* The workstation adopts it at its next block. */
  notice = json_pack ("{s:s,s:O}", "type", "settings", "settings", merged);
  al_live_push_notice (req->server->live, user->id, notice);
  return al_respond_json (req, 200, merged);
}

MHD_Result_t
al_coach_end_break (AlRequest *req)
{
  OWN_OR_404 (user);
  g_autoptr (json_t) notice = json_pack ("{s:s}", "type", "end_break");
  al_live_push_notice (req->server->live, user->id, notice);
  return al_respond_text (req, 204, "application/json", "", 0);
}

MHD_Result_t
al_coach_ack_help (AlRequest *req)
{
  OWN_OR_404 (user);
  al_live_ack_help (req->server->live, user->id);
  return al_respond_text (req, 204, "application/json", "", 0);
}

MHD_Result_t
al_coach_delete (AlRequest *req)
{
  OWN_OR_404 (user);
  g_autoptr (GError) error = NULL;

  if (!al_store_delete_user_data (req->server->store, user, req->user->name, &error))
    return al_respond_store_error (req, error);
  return al_respond_text (req, 204, "application/json", "", 0);
}

MHD_Result_t
al_coach_room (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) body = NULL;
  g_autoptr (GPtrArray) people = NULL;
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  g_autofree char *problem = NULL;
  MHD_Result_t ret;

  if ((body = al_request_json (req, &ret)) == NULL)
    return ret;
  if ((problem = al_check_room (body)) != NULL)
    return al_respond_error (req, 400, "invalid", "%s", problem);
  key = g_strdup_printf ("room:%s", req->user->group);
  text = json_dumps (body, JSON_COMPACT | JSON_SORT_KEYS);
  if (!al_store_set_meta (req->server->store, key, text, &error))
    return al_respond_store_error (req, error);
  people = al_store_list_participants (req->server->store, req->user->group);
  for (guint i = 0; i < people->len; i++)
    {
      g_autoptr (json_t) notice = json_pack ("{s:s,s:O}", "type", "room", "room", body);
      al_live_push_notice (req->server->live, ((AlUser *) g_ptr_array_index (people, i))->id,
                           notice);
    }
  return al_respond_json (req, 200, body);
}

/* Server-sent events: the coach's whole grid once a second (time left
 * moves on) and at once after a change. */
typedef struct
{
  AlServer *server;
  struct MHD_Connection *conn;
  AlUser *coach;
  GString *pending;
  gsize offset;
  guint64 version;
  gint64 sent_us;
} Stream;

static void
stream_free (void *data)
{
  Stream *s = data;
  al_user_free (s->coach);
  g_string_free (s->pending, TRUE);
  g_free (s);
}

static ssize_t
stream_read (void    *cls,
             uint64_t pos,
             char    *buf,
             size_t   max)
{
  Stream *s = cls;

  while (s->offset >= s->pending->len)
    {
      guint64 version = al_live_version (s->server->live);
      gint64 now = g_get_monotonic_time ();

      if (g_atomic_int_get (&s->server->stopping))
        return MHD_CONTENT_READER_END_OF_STREAM;
      if (version != s->version || now - s->sent_us >= SSE_INTERVAL_US)
        {
          g_autoptr (json_t) data = participants_json (s->server, s->coach);
          g_autofree char *text = json_dumps (data, JSON_COMPACT);
          g_string_printf (s->pending, "event: participants\ndata: %s\n\n", text);
          s->offset = 0;
          s->version = version;
          s->sent_us = now;
          break;
        }
      /* Nothing new: the connection thread goes on with others, and the
       * stream is asked again at the next tick. */
      if (al_server_park (s->server, s->conn))
        return 0;
    }
  max = MIN (max, s->pending->len - s->offset);
  memcpy (buf, s->pending->str + s->offset, max);
  s->offset += max;
  return max;
}

MHD_Result_t
al_coach_stream (AlRequest *req)
{
  Stream *s = g_new0 (Stream, 1);
  struct MHD_Response *response;
  MHD_Result_t ret;

  s->server = req->server;
  s->conn = req->conn;
  s->coach = req->user;
  req->user = NULL;
  s->pending = g_string_new (NULL);
  s->version = G_MAXUINT64;
  response = MHD_create_response_from_callback (MHD_SIZE_UNKNOWN, 16 * 1024, stream_read, s,
                                                stream_free);
  MHD_add_response_header (response, "Content-Type", "text/event-stream");
  ret = al_queue_response (req, 200, response);
  MHD_destroy_response (response);
  return ret;
}

MHD_Result_t
al_coach_login (AlRequest *req)
{
  g_autoptr (json_t) body = NULL;
  g_autoptr (AlUser) user = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *cookie = NULL;
  struct MHD_Response *response;
  const char *token;
  MHD_Result_t ret;

  if ((body = al_request_json (req, &ret)) == NULL)
    return ret;
  token = json_string_value (json_object_get (body, "token"));
  user = token ? al_store_user_by_token (req->server->store, token, &error) : NULL;
  if (error)
    return al_respond_store_error (req, error);
  if (user == NULL || !g_str_equal (user->role, "coach"))
    return al_respond_error (req, 401, "unauthorized", "That is not a coach code");
  /* HttpOnly keeps the token from scripts; SameSite=Strict from other sites. */
  cookie = g_strdup_printf ("annolab_token=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
                            req->server->tls ? "; Secure" : "");
  response = MHD_create_response_from_buffer (0, (void *) "", MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header (response, MHD_HTTP_HEADER_SET_COOKIE, cookie);
  ret = al_queue_response (req, 204, response);
  MHD_destroy_response (response);
  return ret;
}

MHD_Result_t
al_coach_logout (AlRequest *req)
{
  struct MHD_Response *response = MHD_create_response_from_buffer (0, (void *) "",
                                                                   MHD_RESPMEM_PERSISTENT);
  MHD_Result_t ret;

  MHD_add_response_header (response, MHD_HTTP_HEADER_SET_COOKIE,
                           "annolab_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  ret = al_queue_response (req, 204, response);
  MHD_destroy_response (response);
  return ret;
}

/* The dashboard's pages are built into the program: nothing on disk to
 * lose or tamper with, and no outside server to load from. */
MHD_Result_t
al_coach_static (AlRequest *req)
{
  static const char *const types[][2] = {
    { ".html", "text/html; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
  };
  const char *name = req->params && req->params[0] ? req->params[0] : "";
  g_autofree char *resource = NULL;
  g_autoptr (GBytes) bytes = NULL;
  const char *type = "application/octet-stream";

  if (*name == '\0')
    name = "index.html";
  if (strchr (name, '/') || strstr (name, ".."))
    return al_respond_error (req, 404, "not_found", "There is no such page");
  resource = g_strconcat ("/nl/annolab/Queue/dashboard/", name, NULL);
  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    return al_respond_error (req, 404, "not_found", "There is no such page");
  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (name, types[i][0]))
      type = types[i][1];
  return al_respond_text (req, 200, type, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}
