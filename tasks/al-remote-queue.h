/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-queue.h"
#include "al-store.h"

G_BEGIN_DECLS

#define AL_TYPE_REMOTE_QUEUE (al_remote_queue_get_type ())
G_DECLARE_FINAL_TYPE (AlRemoteQueue, al_remote_queue, AL, REMOTE_QUEUE, AlQueue)

/* Tasks from a lab server. Results and events go through a durable outbox
 * in @store first, so a result typed is a result kept, whatever the
 * network does; a sender delivers them with backoff.
 *
 * Outbox rules: 2xx removes the row; no answer, 5xx, 408 and 429 are
 * tried again, ever more patiently (up to a minute apart); any other 4xx
 * is final: the row stays, marked with the server's reason, and is not
 * sent again. A task whose result or broken report is in the outbox (sent
 * or not, refused or not) is never leased to this workstation again.
 *
 * submit_finish answers {"delivered": true, ...the server's response},
 * {"refused": true, "status", "reason"} or {"queued": true} (kept here:
 * the server was not reached within a few seconds); what happens to a
 * queued result later comes as "delivered" or "refused". */
AlRemoteQueue *al_remote_queue_new       (const char *base_url,
                                          const char *token,
                                          AlStore    *store,
                                          GError    **error);
/* Pacing state sent with every heartbeat: {"state","block","blocks","ms_left"}. */
void           al_remote_queue_set_state (AlRemoteQueue *self,
                                          json_t        *state);

G_END_DECLS
