/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-store.h"

G_BEGIN_DECLS

#define AL_SERVER_MAX_BODY (1024 * 1024)
#define AL_SERVER_MAX_DEPTH 32

typedef struct _AlServer AlServer;

typedef struct
{
  const char *host;       /* "127.0.0.1", "0.0.0.0" */
  guint16 port;           /* 0: any free port */
  char *tls_cert;         /* PEM text, or NULL for plain HTTP */
  char *tls_key;
  double rate_per_second; /* per token; 0: the default */
} AlServerOptions;

AlServer *al_server_start    (AlStore               *store,
                              const AlServerOptions *options,
                              GError               **error);
guint16   al_server_get_port (AlServer              *server);
void      al_server_stop     (AlServer              *server);

G_END_DECLS
