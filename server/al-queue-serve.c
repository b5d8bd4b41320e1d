/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-queue"

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

#include "al-quality.h"
#include "al-queue-serve.h"
#include "al-formats.h"
#include "al-server.h"

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
al_queue_serve (AlStore    *store,
                const char *listen,
                const char *cert_path,
                const char *key_path,
                double      rate)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *host = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  AlServerOptions options = { 0 };
  AlServer *server;
  const char *colon = listen ? strrchr (listen, ':') : NULL;
  char *end = NULL;
  guint64 port;

  if (colon == NULL)
    {
      fprintf (stderr, "annolab-queue: --listen takes HOST:PORT, for example 127.0.0.1:8080\n");
      return 2;
    }
  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (*end || port > 65535 || end == colon + 1)
    {
      fprintf (stderr, "annolab-queue: \"%s\" is not a port number\n", colon + 1);
      return 2;
    }
  if ((cert_path == NULL) != (key_path == NULL))
    {
      fprintf (stderr, "annolab-queue: TLS needs both --tls-cert and --tls-key\n");
      return 2;
    }
  if (cert_path && (!g_file_get_contents (cert_path, &cert, NULL, &error) ||
                    !g_file_get_contents (key_path, &key, NULL, &error)))
    {
      fprintf (stderr, "annolab-queue: %s\n", error->message);
      return 1;
    }

  host = g_strndup (listen, colon - listen);
  options.host = host;
  options.port = port;
  options.tls_cert = cert;
  options.tls_key = key;
  options.rate_per_second = rate;
  al_store_set_scorer (store, al_quality_score, NULL);
  al_store_set_image_size_func (store, al_image_size);
  server = al_server_start (store, &options, &error);
  if (server == NULL)
    {
      fprintf (stderr, "annolab-queue: %s\n", error->message);
      return 1;
    }
  /* The handlers come before the first line, so that a stop asked for as
   * soon as the port is known still shuts the server down cleanly. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit, loop);
  g_unix_signal_add (SIGINT, quit, loop);
  /* Tests and scripts read the real port from this first line. */
  printf ("listening on %s://%s:%u\n", cert ? "https" : "http", host, al_server_get_port (server));
  fflush (stdout);
  g_main_loop_run (loop);
  al_server_stop (server);
  fprintf (stderr, "annolab-queue: stopped\n");
  return 0;
}
