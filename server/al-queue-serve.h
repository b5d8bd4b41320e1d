/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-store.h"

G_BEGIN_DECLS

/* The serve command's options as given; NULL where not given. */
typedef struct
{
  const char *listen;
  const char *tls_cert;
  const char *tls_key;
  const char *rate;
  const char *idle_timeout;
  const char *per_address;
  const char *max_connections;
  const char *threads;
} AlServeArgs;

/* Serves @store until SIGTERM or SIGINT; returns the exit status. */
int al_queue_serve (AlStore           *store,
                    const AlServeArgs *args);

G_END_DECLS
