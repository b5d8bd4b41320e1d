/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-server"

#include "config.h"

#include "al-server-private.h"
#include "al-server-reply.h"
#include "al-store-coach.h"

/* Broken reports wait here for a coach, who looks at the media and puts
 * the task back when it is fine after all (or once it was fixed). */
MHD_Result_t
al_coach_broken (AlRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) list = al_store_list_broken (req->server->store, req->user->group, &error);

  if (list == NULL)
    return al_respond_store_error (req, error);
  return al_respond_json (req, 200, list);
}

MHD_Result_t
al_coach_restore (AlRequest *req)
{
  g_autoptr (GError) error = NULL;

  if (!al_store_restore_task (req->server->store, req->params[0], req->user->name, &error))
    return al_respond_store_error (req, error);
  return al_respond_text (req, 204, "application/json", "", 0);
}
