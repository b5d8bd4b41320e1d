/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-queue"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>

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

/* A whole number from 1 to @max for @name, or FALSE after saying why. */
static gboolean
limit (const char *name,
       const char *text,
       guint64     max,
       guint      *out)
{
  char *end = NULL;
  guint64 n;

  if (text == NULL)
    return TRUE;
  n = g_ascii_strtoull (text, &end, 10);
  if (!g_ascii_isdigit (text[0]) || *end || n < 1 || n > max)
    {
      fprintf (stderr, "annolab-queue: %s takes a whole number from 1 to %" G_GUINT64_FORMAT
               ", not \"%s\"\n", name, max, text);
      return FALSE;
    }
  *out = n;
  return TRUE;
}

/* One server per SQLite file: a second one would answer too, but neither
 * would see the other's live view, and a coach would miss a call for help
 * made through the other. (PostgreSQL shares it between servers.) */
static gboolean
serve_alone (AlStore *store)
{
  const char *path = al_store_get_path (store);
  int fd;

  if (g_str_has_prefix (path, "postgresql://") || g_str_has_prefix (path, "postgres://"))
    return TRUE;
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return TRUE;
  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    /* Kept open to the end: closing any descriptor of the file would
     * drop SQLite's own locks on it. */
    return TRUE;
  if (errno == EWOULDBLOCK)
    fprintf (stderr, "annolab-queue: another \"annolab-queue serve\" is already using %s. One "
             "server per SQLite file: stop the other one first, or put the queue on PostgreSQL "
             "to run several (see scaling.md)\n", path);
  else
    fprintf (stderr, "annolab-queue: cannot lock %s: %s\n", path, g_strerror (errno));
  close (fd);
  return FALSE;
}

int
al_queue_serve (AlStore           *store,
                const AlServeArgs *args)
{
  const char *listen = args->listen;
  const char *cert_path = args->tls_cert;
  const char *key_path = args->tls_key;
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

  if (!limit ("--idle-timeout", args->idle_timeout, 24 * 3600, &options.idle_timeout_s)
      || !limit ("--per-address", args->per_address, 100000, &options.per_address)
      || !limit ("--max-connections", args->max_connections, 100000, &options.max_connections)
      || !limit ("--threads", args->threads, 1024, &options.threads))
    return 2;
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
  if (args->rate)
    {
      double rate = g_ascii_strtod (args->rate, &end);
      if (end == args->rate || *end || !(rate > 0) || rate > 1e6)
        {
          fprintf (stderr, "annolab-queue: --rate takes the requests per second one token may "
                   "make, a number above 0 such as 200, not \"%s\"\n", args->rate);
          return 2;
        }
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
  options.rate_per_second = args->rate ? g_ascii_strtod (args->rate, NULL) : 0;
  if (!serve_alone (store))
    return 1;
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
