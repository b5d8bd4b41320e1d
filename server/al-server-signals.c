/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-server"

#include "config.h"

#include "al-server-dashboard.h"
#include "al-server-reply.h"
#include "al-store-coach.h"
#include "al-store-signals.h"

/* Four weeks of blocks: enough to see a trend, little enough to read. */
#define HISTORY_DAYS 28

/* Signals of the whole group, for the room view: a page asks for them
 * once a minute, not with every live update. */
MHD_Result_t
al_coach_signals (AlRequest *req)
{
  g_autoptr (GPtrArray) people = al_store_list_participants (req->server->store, req->user->group);
  g_autoptr (json_t) list = json_array ();
  g_autoptr (json_t) body = NULL;

  for (guint i = 0; i < people->len; i++)
    {
      g_autoptr (GError) error = NULL;
      json_t *one = al_store_signals (req->server->store, g_ptr_array_index (people, i), &error);
      if (one == NULL)
        return al_respond_store_error (req, error);
      json_array_append_new (list, one);
    }
  body = json_pack ("{s:O}", "signals", list);
  return al_respond_json (req, 200, body);
}

/* One participant of the coach's own group: the signals and every block
 * of the last four weeks. Others answer 404, as elsewhere. */
MHD_Result_t
al_coach_participant_signals (AlRequest *req)
{
  gint64 id = al_param_id (req, 0);
  g_autoptr (AlUser) user = id > 0 ? al_store_get_user (req->server->store, id) : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) body = NULL;
  json_t *blocks;

  if (user == NULL || !g_str_equal (user->role, "participant") ||
      !g_str_equal (user->group, req->user->group))
    return al_respond_error (req, 404, "not_found", "There is no such participant in your group");
  if ((body = al_store_signals (req->server->store, user, &error)) == NULL ||
      (blocks = al_store_block_history (req->server->store, user, HISTORY_DAYS, &error)) == NULL)
    return al_respond_store_error (req, error);
  json_object_set_new (body, "blocks", blocks);
  return al_respond_json (req, 200, body);
}
