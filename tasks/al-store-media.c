/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "al-store-private.h"

/* The server opens a media file only when it lies, after symlinks, inside
 * a folder an import registered, and is never the database or one of its
 * -wal, -shm or -journal files. Opening and closing any descriptor of the
 * database file drops every POSIX lock this process holds on it, which lets
 * another process delete a WAL that still holds acknowledged results. */

static const char *const own_suffixes[] = { "", "-wal", "-shm", "-journal", NULL };

gboolean
al_path_is_inside (const char *real,
                   const char *root)
{
  gsize n;

  g_return_val_if_fail (real != NULL && root != NULL, FALSE);

  n = strlen (root);
  if (n > 0 && root[n - 1] == '/')
    n--;
  return strncmp (real, root, n) == 0 && real[n] == '/' && real[n + 1] != '\0';
}

gboolean
al_store_is_own_file (AlStore           *store,
                      const char        *real,
                      const struct stat *st)
{
  g_autofree char *abs = g_canonicalize_filename (store->path, NULL);
  g_autofree char *dir = g_path_get_dirname (abs);
  g_autofree char *base = g_path_get_basename (abs);
  g_autofree char *real_dir = realpath (dir, NULL);

  for (int i = 0; own_suffixes[i]; i++)
    {
      g_autofree char *name = g_strconcat (base, own_suffixes[i], NULL);
      g_autofree char *path = g_build_filename (real_dir ? real_dir : dir, name, NULL);
      struct stat own;

      if (g_strcmp0 (real, path) == 0)
        return TRUE;
      /* A hard link has another name for the same file. */
      if (st && stat (path, &own) == 0 && own.st_dev == st->st_dev && own.st_ino == st->st_ino)
        return TRUE;
    }
  return FALSE;
}

gboolean
al_store_add_media_root (AlStore    *store,
                         const char *root,
                         GError    **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  gboolean ok = FALSE;

  al_store_lock (store);
  stmt = al_store_prepare (store, "INSERT INTO media_roots(path) VALUES (?)"
                                  " ON CONFLICT DO NOTHING", error);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, root, -1, SQLITE_STATIC);
      rc = al_stmt_step (stmt);
      ok = rc == SQLITE_DONE || al_store_set_error (store, rc, "Registering a media folder", error);
    }
  al_store_unlock (store);
  return ok;
}

static gboolean
inside_a_root (AlStore    *store,
               const char *real)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (store, "SELECT path FROM media_roots", NULL);

  while (stmt && al_stmt_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *root = realpath ((const char *) al_stmt_column_text (stmt, 0), NULL);
      if (root && al_path_is_inside (real, root))
        return TRUE;
    }
  return FALSE;
}

int
al_store_open_media (AlStore *store,
                     gint64   media_id,
                     char   **path_out,
                     GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *real = NULL;
  struct stat before, after;
  gboolean allowed;
  int fd;

  g_return_val_if_fail (store != NULL, -1);

  path = al_store_get_media_path (store, media_id);
  if (path == NULL)
    return g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_NOT_FOUND, "There is no such media"),
           -1;
  real = realpath (path, NULL);
  if (real == NULL || stat (real, &before) != 0 || !S_ISREG (before.st_mode))
    return g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                        "The media file is no longer on the server"), -1;
  al_store_lock (store);
  allowed = !al_store_is_own_file (store, real, &before) && inside_a_root (store, real);
  al_store_unlock (store);
  if (!allowed)
    {
      g_message ("refused to serve media %" G_GINT64_FORMAT ": %s is the database's own file or "
                 "outside the dataset folders", media_id, real);
      return g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FORBIDDEN,
                          "This media file is outside the dataset's folders"), -1;
    }
  /* O_NOFOLLOW: the checked name must still be the file that is opened. */
  fd = open (real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 || fstat (fd, &after) != 0 || after.st_dev != before.st_dev ||
      after.st_ino != before.st_ino)
    {
      if (fd >= 0)
        close (fd);
      return g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                          "The media file is no longer on the server"), -1;
    }
  if (path_out)
    *path_out = g_steal_pointer (&real);
  return fd;
}

static gboolean
is_dataset_media (AlStore           *store,
                  const char        *real,
                  const struct stat *st)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (store, "SELECT path FROM media", NULL);

  while (stmt && al_stmt_step (stmt) == SQLITE_ROW)
    {
      const char *path = (const char *) al_stmt_column_text (stmt, 0);
      struct stat media;

      if (g_strcmp0 (path, real) == 0 ||
          (stat (path, &media) == 0 && media.st_dev == st->st_dev && media.st_ino == st->st_ino))
        return TRUE;
    }
  return FALSE;
}

char *
al_store_check_output (AlStore    *store,
                       const char *output,
                       GError    **error)
{
  g_autofree char *abs = NULL;
  g_autofree char *real = NULL;
  struct stat st;
  gboolean exists, own, media = FALSE;

  g_return_val_if_fail (store != NULL && output != NULL, NULL);

  abs = g_canonicalize_filename (output, NULL);
  real = realpath (abs, NULL);
  if (real == NULL)
    {
      /* A new file: its folder must exist; the name is kept as given. */
      g_autofree char *dir = g_path_get_dirname (abs);
      g_autofree char *base = g_path_get_basename (abs);
      g_autofree char *real_dir = realpath (dir, NULL);

      if (real_dir == NULL)
        return g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                            "Cannot write %s: there is no folder %s", output, dir), NULL;
      real = g_build_filename (real_dir, base, NULL);
    }
  exists = stat (real, &st) == 0;
  al_store_lock (store);
  own = al_store_is_own_file (store, real, exists ? &st : NULL);
  if (!own && exists)
    media = is_dataset_media (store, real, &st);
  al_store_unlock (store);
  if (own)
    return g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FORBIDDEN,
                        "%s is the queue's database or one of its files; writing there would "
                        "destroy the lab's work: choose another file", output), NULL;
  if (media)
    return g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FORBIDDEN,
                        "%s is a photo or recording of a dataset; choose another file", output),
           NULL;
  return g_steal_pointer (&real);
}
