/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-queue.h"
#include "al-store.h"

G_BEGIN_DECLS

#define AL_TYPE_REMOTE_QUEUE (al_remote_queue_get_type ())
G_DECLARE_FINAL_TYPE (AlRemoteQueue, al_remote_queue, AL, REMOTE_QUEUE, AlQueue)

/* Tasks from a lab server. Results and events go through a durable outbox
 * in @store first, so a result typed is a result kept, whatever the
 * network does; a sender delivers them with backoff. */
AlRemoteQueue *al_remote_queue_new       (const char *base_url,
                                          const char *token,
                                          AlStore    *store,
                                          GError    **error);
/* Pacing state sent with every heartbeat: {"state","block","blocks","ms_left"}. */
void           al_remote_queue_set_state (AlRemoteQueue *self,
                                          json_t        *state);

G_END_DECLS
