/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-store.h"

G_BEGIN_DECLS

#define AL_SERVER_MAX_BODY (1024 * 1024)
#define AL_SERVER_MAX_DEPTH 32
/* A connection with nothing sent or received for this long is closed. The
 * dashboard's event stream writes every second, so it stays. */
#define AL_SERVER_IDLE_TIMEOUT 30
/* A workstation uses two or three connections, a coach's browser up to
 * six; one address holding more cannot starve the others. */
#define AL_SERVER_PER_ADDRESS 16
#define AL_SERVER_MAX_CONNECTIONS 1000
/* Requests that wait for their write to be on disk wait outside the
 * connection threads, at most this many at once; that many can share
 * one transaction. */
#define AL_SERVER_MAX_WAITING 256

typedef struct _AlServer AlServer;

typedef struct
{
  const char *host;       /* "127.0.0.1", "0.0.0.0" */
  guint16 port;           /* 0: any free port */
  char *tls_cert;         /* PEM text, or NULL for plain HTTP */
  char *tls_key;
  double rate_per_second; /* per token; 0: the default */
  guint idle_timeout_s;   /* 0: AL_SERVER_IDLE_TIMEOUT */
  guint per_address;      /* connections from one address; 0: AL_SERVER_PER_ADDRESS */
  guint max_connections;  /* 0: AL_SERVER_MAX_CONNECTIONS */
  guint threads;          /* connection threads; 0: one per core */
} AlServerOptions;

AlServer *al_server_start    (AlStore               *store,
                              const AlServerOptions *options,
                              GError               **error);
guint16   al_server_get_port (AlServer              *server);
void      al_server_stop     (AlServer              *server);

G_END_DECLS
