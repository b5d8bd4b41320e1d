/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-queue"

#include "config.h"

#include "al-server-private.h"

/* Several servers on one PostgreSQL database: a participant's workstation
 * talks to one of them, the coach's dashboard perhaps to another. Each
 * server tells the others what its live view learns (events, results),
 * and applies what they tell, so every dashboard sees everyone. */

static void
heard (const char *payload,
       gpointer    user_data)
{
  AlServer *server = user_data;
  g_autoptr (json_t) notice = json_loads (payload, 0, NULL);
  const char *from = json_string_value (json_object_get (notice, "from"));
  const char *op = json_string_value (json_object_get (notice, "op"));
  gint64 user = json_integer_value (json_object_get (notice, "user"));
  gint64 at = json_integer_value (json_object_get (notice, "at"));

  /* Its own notices come back too. */
  if (from == NULL || op == NULL || g_str_equal (from, server->instance) || user <= 0)
    return;
  if (g_str_equal (op, "event") && json_is_string (json_object_get (notice, "type")))
    al_live_event (server->live, user, json_string_value (json_object_get (notice, "type")), at,
                   json_object_get (notice, "data"));
  else if (g_str_equal (op, "result"))
    al_live_result (server->live, user, at);
}

gboolean
al_server_live_share (AlServer *server,
                      GError  **error)
{
  server->instance = g_uuid_string_random ();
  return al_store_listen (server->store, heard, server, error);
}

static void
tell (AlServer *server,
      json_t   *notice)
{
  g_autofree char *text = NULL;

  json_object_set_new (notice, "from", json_string (server->instance));
  text = json_dumps (notice, JSON_COMPACT);
  /* PostgreSQL takes notices up to 8000 bytes; event bodies are kept far smaller. */
  if (text && strlen (text) < 7900)
    al_store_notify (server->store, text);
  json_decref (notice);
}

void
al_server_live_event (AlServer   *server,
                      gint64      user_id,
                      const char *type,
                      gint64      at_ms,
                      json_t     *data)
{
  al_live_event (server->live, user_id, type, at_ms, data);
  tell (server, json_pack ("{s:s,s:I,s:s,s:I,s:O?}", "op", "event", "user", (json_int_t) user_id,
                           "type", type, "at", (json_int_t) at_ms, "data", data));
}

void
al_server_live_result (AlServer *server,
                       gint64    user_id,
                       gint64    at_ms)
{
  al_live_result (server->live, user_id, at_ms);
  tell (server, json_pack ("{s:s,s:I,s:I}", "op", "result", "user", (json_int_t) user_id, "at",
                           (json_int_t) at_ms));
}
