/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-queue.h"
#include "al-store.h"

G_BEGIN_DECLS

#define AL_TYPE_LOCAL_QUEUE (al_local_queue_get_type ())
G_DECLARE_FINAL_TYPE (AlLocalQueue, al_local_queue, AL, LOCAL_QUEUE, AlQueue)

/* The embedded queue: the same SQLite store a lab server uses, worked by
 * one participant on this machine. */
AlLocalQueue *al_local_queue_new (AlStore    *store,
                                  const char *participant,
                                  GError    **error);
AlStore      *al_local_queue_get_store (AlLocalQueue *self);

G_END_DECLS
