/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "server-harness.h"
#include "test-db.h"

char *
harness_queue_path (void)
{
  return g_build_filename (g_getenv ("ANNOLAB_BUILD_ROOT"), "server", "annolab-queue", NULL);
}

char *
harness_db (const char *dir)
{
  return test_db_location (dir, "lab.db");
}

/* Runs an annolab-queue command to completion; returns its stdout. */
char *
harness_run (const char *db,
             const char *first,
             ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;
  va_list args;

  g_ptr_array_add (argv, harness_queue_path ());
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (db));
  va_start (args, first);
  for (const char *a = first; a; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("annolab-queue %s failed: %s", first, err);
  return g_strstrip (g_steal_pointer (&out));
}

void
harness_copy_demo (const char *dir,
                   const char *from,
                   const char *name)
{
  g_autofree char *src = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo", from,
                                           NULL);
  g_autofree char *dst = g_build_filename (dir, name, NULL);
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (src, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (dst, bytes, length, NULL));
}

char *
harness_import (const char *dir,
                const char *text)
{
  g_autofree char *tasks = g_build_filename (dir, "tasks.jsonl", NULL);
  char *db = harness_db (dir);

  g_assert_true (g_file_set_contents (tasks, text, -1, NULL));
  g_free (harness_run (db, "import", tasks, NULL));
  g_free (harness_run (db, "set", "gold_share", "0", NULL));
  return db;
}

char *
harness_add_user (const char *db,
                  const char *name,
                  const char *role,
                  const char *group)
{
  return harness_run (db, "user", "add", name, "--role", role, "--group", group, NULL);
}

void
server_start (Server     *s,
              const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *queue = harness_queue_path ();
  g_autofree char *line = NULL;

  if (s->dir == NULL)
    {
      s->dir = g_strdup (dir);
      s->db = harness_db (dir);
    }
  s->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, queue, "--db", s->db,
                              "serve", "--listen", "127.0.0.1:0", "--rate", "100000", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_free (s->url);
  s->url = g_strdup (line + strlen ("listening on "));
}

void
server_kill (Server *s,
             int     sig)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (s->proc, sig);
  /* Asked to stop, the server shuts down cleanly and exits with 0; under
   * the sanitizers that also means no leak or undefined behaviour was
   * found in it (their report is on the server's stderr). */
  if (sig == SIGKILL)
    g_subprocess_wait (s->proc, NULL, NULL);
  else
    {
      g_subprocess_wait_check (s->proc, NULL, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&s->proc);
}

void
server_cleanup (Server *s)
{
  g_autofree char *cmd = NULL;

  if (s->proc)
    server_kill (s, SIGTERM);
  cmd = g_strdup_printf ("rm -rf '%s'", s->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (s->dir);
  g_free (s->db);
  g_free (s->url);
  memset (s, 0, sizeof *s);
}

static size_t
collect (char  *data,
         size_t size,
         size_t n,
         void  *out)
{
  g_string_append_len (out, data, size * n);
  return size * n;
}

static size_t
header_line (char  *data,
             size_t size,
             size_t n,
             void  *user_data)
{
  Reply *r = user_data;
  g_autofree char *line = g_strndup (data, size * n);
  g_autofree char *all = r->headers;

  r->headers = g_strconcat (all ? all : "", line, NULL);
  g_strstrip (line);
  if (g_ascii_strncasecmp (line, "ETag:", 5) == 0)
    r->etag = g_strdup (g_strstrip (line + 5));
  else if (g_ascii_strncasecmp (line, "Content-Range:", 14) == 0)
    r->content_range = g_strdup (g_strstrip (line + 14));
  return size * n;
}

Reply *
http (Server            *s,
      const char        *method,
      const char        *path,
      const char        *token,
      const char        *body,
      const char *const *headers)
{
  CURL *curl = curl_easy_init ();
  struct curl_slist *list = NULL;
  g_autofree char *url = g_strconcat (s->url, path, NULL);
  g_autofree char *auth = token ? g_strdup_printf ("Authorization: Bearer %s", token) : NULL;
  GString *out = g_string_new (NULL);
  Reply *r = g_new0 (Reply, 1);
  CURLcode rc;

  gboolean typed = FALSE;

  if (auth)
    list = curl_slist_append (list, auth);
  for (; headers && *headers; headers++)
    {
      typed = typed || g_ascii_strncasecmp (*headers, "Content-Type:", 13) == 0;
      list = curl_slist_append (list, *headers);
    }
  /* JSON unless the test sends another type. */
  if (body && !typed)
    list = curl_slist_append (list, "Content-Type: application/json");
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt (curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, out);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, header_line);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, r);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 20L);
  if (g_str_equal (method, "HEAD"))
    curl_easy_setopt (curl, CURLOPT_NOBODY, 1L);
  if (body)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  rc = curl_easy_perform (curl);
  if (rc == CURLE_OK)
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &r->status);
  else
    r->status = -1;
  curl_slist_free_all (list);
  curl_easy_cleanup (curl);
  r->body_length = out->len;
  r->body = g_string_free (out, FALSE);
  r->json = json_loads (r->body, 0, NULL);
  return r;
}

void
reply_free (Reply *r)
{
  g_free (r->body);
  g_free (r->etag);
  g_free (r->content_range);
  g_free (r->headers);
  if (r->json)
    json_decref (r->json);
  g_free (r);
}
