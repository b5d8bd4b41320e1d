/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the server reads from a request line and its headers: the path
 * (normalised, matched against the routes, numbers taken from it), the
 * Authorization header and the token in it (looked up in a real store with
 * one user), and the Range header against files of several sizes.
 *
 * Input: lines "METHOD", "PATH", "AUTHORIZATION", "RANGE". */
#include "config.h"

#include <string.h>

#include "al-server-private.h"
#include "al-store.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static AlStore *store;

static void
open_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("annolab-fuzz-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  AlUser *user;

  g_assert_no_error (error);
  path = g_build_filename (dir, "lab.db", NULL);
  store = al_store_open (path, &error);
  g_assert_no_error (error);
  user = al_store_add_user (store, "ann", "participant", "a", &token, &error);
  g_assert_no_error (error);
  al_user_free (user);
}

static void
check_range (const char *header)
{
  static const gint64 sizes[] = { 0, 1, 100, 1 << 20, G_MAXINT64 / 2 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gint64 from = -7, to = -7;
      if (al_parse_range (header, sizes[i], &from, &to) == AL_RANGE_PART)
        {
          g_assert_cmpint (from, >=, 0);
          g_assert_cmpint (from, <=, to);
          g_assert_cmpint (to, <, sizes[i]);
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", 4);
  const char *method = lines[0] ? lines[0] : "";
  const char *url = method[0] && lines[1] ? lines[1] : "";
  const char *auth = url[0] && lines[2] ? lines[2] : NULL;
  const char *range = auth && lines[3] ? lines[3] : NULL;
  g_autofree char *path = NULL;
  const char *token;

  if (store == NULL)
    open_store ();

  path = al_path_normalize (url);
  if (path)
    {
      char **params = NULL;
      gboolean known = FALSE;
      int route = al_server_find_route (method, path, &params, &known);

      g_assert_null (strstr (path, ".."));
      g_assert_true (route < 0 || known);
      if (route >= 0)
        for (guint i = 0; params && params[i]; i++)
          {
            gint64 id = al_parse_id (params[i]);
            g_assert_true (id == -1 || id > 0);
          }
      g_strfreev (params);
    }

  token = al_parse_bearer (auth);
  if (token)
    {
      AlUser *user = al_store_user_by_token (store, token, NULL);
      /* A token from input never matches the random one made above. */
      g_assert_null (user);
    }
  check_range (range);
  return 0;
}
