/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Live streams with nothing to send wait here, off the connection threads,
 * until the router's next tick; the coach's stream handler parks, the
 * router resumes. */
#define G_LOG_DOMAIN "annolab-server"
#include "config.h"

#include "al-server-private.h"

gboolean
al_server_park (AlServer              *server,
                struct MHD_Connection *conn)
{
  gboolean parked = FALSE;

  g_mutex_lock (&server->park_lock);
  if (!g_atomic_int_get (&server->stopping))
    {
      MHD_suspend_connection (conn);
      server->parked = g_slist_prepend (server->parked, conn);
      parked = TRUE;
    }
  g_mutex_unlock (&server->park_lock);
  return parked;
}

void
al_server_resume_parked (AlServer *server)
{
  GSList *parked;

  g_mutex_lock (&server->park_lock);
  parked = server->parked;
  server->parked = NULL;
  g_mutex_unlock (&server->park_lock);
  for (GSList *l = parked; l; l = l->next)
    MHD_resume_connection (l->data);
  g_slist_free (parked);
}
