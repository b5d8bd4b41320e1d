/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-server"

#include "config.h"

#include "al-rhythm.h"
#include "al-server-dashboard.h"
#include "al-server-reply.h"

/* The group's rhythm as last set, so the form shows what holds now;
 * {"room":null} before any was set. With the limits the form holds to. */
MHD_Result_t
al_coach_room_get (AlRequest *req)
{
  g_autofree char *key = g_strdup_printf ("room:%s", req->user->group);
  g_autofree char *text = al_store_get_meta (req->server->store, key);
  json_t *room = text ? json_loads (text, 0, NULL) : NULL;
  g_autoptr (json_t) body = json_pack ("{s:o,s:o}", "room", room ? room : json_null (),
                                       "limits", al_rhythm_limits_to_json ());

  return al_respond_json (req, 200, body);
}
