/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "al-store-private.h"

void
al_user_free (AlUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->role);
  g_free (user->group);
  if (user->settings)
    json_decref (user->settings);
  g_free (user);
}

static AlUser *
user_from_row (AlStmt *stmt)
{
  AlUser *user = g_new0 (AlUser, 1);
  const char *settings = (const char *) al_stmt_column_text (stmt, 4);

  user->id = al_stmt_column_int64 (stmt, 0);
  user->name = g_strdup ((const char *) al_stmt_column_text (stmt, 1));
  user->role = g_strdup ((const char *) al_stmt_column_text (stmt, 2));
  user->group = g_strdup ((const char *) al_stmt_column_text (stmt, 3));
  user->settings = settings ? json_loads (settings, 0, NULL) : NULL;
  if (!json_is_object (user->settings))
    {
      if (user->settings)
        json_decref (user->settings);
      user->settings = json_object ();
    }
  return user;
}

#define USER_COLUMNS "id, name, role, grp, settings"

static AlUser *
find_user (AlStore    *store,
           const char *where,
           const char *text,
           gint64      number)
{
  g_autofree char *sql = g_strdup_printf ("SELECT " USER_COLUMNS " FROM users WHERE %s", where);
  g_autoptr (AlStmt) stmt = NULL;
  AlUser *user = NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store, sql, NULL);
  if (stmt)
    {
      if (text)
        al_stmt_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
      else
        al_stmt_bind_int64 (stmt, 1, number);
      if (al_stmt_step (stmt) == SQLITE_ROW)
        user = user_from_row (stmt);
    }
  al_store_unlock (store);
  return user;
}

AlUser *
al_store_find_user (AlStore    *store,
                    const char *name)
{
  return find_user (store, "name = ?", name, 0);
}

static gboolean
valid_role (const char *role)
{
  /* The administrator is whoever has the command line, not a token. */
  return g_strcmp0 (role, "participant") == 0 || g_strcmp0 (role, "coach") == 0;
}

static AlUser *
insert_user (AlStore    *store,
             const char *name,
             const char *role,
             const char *group,
             const char *token_hash,
             GError    **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  if (name == NULL || *name == '\0' || strlen (name) > 100 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID,
                   "A display name must be 1 to 100 characters of text");
      return NULL;
    }
  if (!valid_role (role))
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID,
                   "Unknown role \"%s\": use participant or coach", role);
      return NULL;
    }

  al_store_lock (store);
  stmt = al_store_prepare (store,
                           "INSERT INTO users(name, role, grp, token_hash, created_at) "
                           "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt)
    {
      al_stmt_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      al_stmt_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
      al_stmt_bind_text (stmt, 3, group ? group : "default", -1, SQLITE_STATIC);
      al_stmt_bind_text (stmt, 4, token_hash, -1, SQLITE_STATIC);
      al_stmt_bind_int64 (stmt, 5, al_store_now_ms (store));
      rc = al_stmt_step (stmt);
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CONFLICT,
                     "There is already a user named \"%s\"", name);
      else if (rc != SQLITE_DONE)
        al_store_set_error (store, rc, "Adding a user", error);
    }
  al_store_unlock (store);
  if (error && *error)
    return NULL;
  return al_store_find_user (store, name);
}

AlUser *
al_store_ensure_user (AlStore    *store,
                      const char *name,
                      const char *role,
                      const char *group,
                      GError    **error)
{
  AlUser *user = al_store_find_user (store, name);
  if (user)
    return user;
  return insert_user (store, name, role, group, NULL, error);
}

static char *
hash_secret (const char *secret)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

/* A new secret for a token, and its hash to keep. */
static char *
new_secret (char  **hash,
            GError **error)
{
  guint8 raw[32];
  GString *secret = g_string_new (NULL);

  if (getrandom (raw, sizeof raw, 0) != sizeof raw)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FAILED,
                   "The system gave no random numbers for a token");
      g_string_free (secret, TRUE);
      return NULL;
    }
  for (gsize i = 0; i < sizeof raw; i++)
    g_string_append_printf (secret, "%02x", raw[i]);
  *hash = hash_secret (secret->str);
  return g_string_free (secret, FALSE);
}

/* Tokens read "<user id>.<secret>": the id finds the row, and the secret's
 * hash is compared in constant time so timing tells nothing about it. */
AlUser *
al_store_add_user (AlStore    *store,
                   const char *name,
                   const char *role,
                   const char *group,
                   char      **token,
                   GError    **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *secret = new_secret (&hash, error);
  AlUser *user;

  if (secret == NULL)
    return NULL;
  user = insert_user (store, name, role, group, hash, error);
  if (user && token)
    *token = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", user->id, secret);
  return user;
}

typedef struct
{
  gint64 user_id;
  const char *hash;
} Renew;

static gboolean
renew_write (AlStore *store,
             gpointer data,
             GError **error)
{
  Renew *r = data;
  g_autoptr (AlStmt) stmt = al_store_prepare (store, "UPDATE users SET token_hash = ? WHERE id = ?",
                                              error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  al_stmt_bind_text (stmt, 1, r->hash, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (stmt, 2, r->user_id);
  if ((rc = al_stmt_step (stmt)) != SQLITE_DONE)
    return al_store_set_error (store, rc, "Renewing a token", error);
  return TRUE;
}

/* A lost token, or a coach who leaves: the old token stops working at
 * once, and the person keeps their name and their record. */
char *
al_store_renew_token (AlStore    *store,
                      const char *name,
                      GError    **error)
{
  g_autoptr (AlUser) user = al_store_find_user (store, name);
  g_autofree char *hash = NULL;
  g_autofree char *secret = NULL;
  Renew r;

  if (user == NULL)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_NOT_FOUND,
                   "There is no user named \"%s\"", name);
      return NULL;
    }
  if ((secret = new_secret (&hash, error)) == NULL)
    return NULL;
  r.user_id = user->id;
  r.hash = hash;
  if (!al_store_write (store, renew_write, &r, error))
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%s", user->id, secret);
}

static gboolean
equal_constant_time (const char *a,
                     const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint8 diff = la != lb;
  for (gsize i = 0; i < la && i < lb; i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

AlUser *
al_store_user_by_token (AlStore    *store,
                        const char *token,
                        GError    **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *hash = NULL;
  const char *dot;
  char *end = NULL;
  gint64 id;

  if (token == NULL || (dot = strchr (token, '.')) == NULL || strlen (dot + 1) != 64)
    return NULL;
  id = g_ascii_strtoll (token, &end, 10);
  if (end != dot || id <= 0)
    return NULL;

  al_store_lock (store);
  stmt = al_store_prepare (store, "SELECT token_hash FROM users WHERE id = ?", error);
  if (stmt)
    {
      int rc;

      al_stmt_bind_int64 (stmt, 1, id);
      rc = al_stmt_step (stmt);
      if (rc == SQLITE_ROW && al_stmt_column_text (stmt, 0))
        stored = g_strdup ((const char *) al_stmt_column_text (stmt, 0));
      else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        al_store_set_error (store, rc, "Checking the token", error);
    }
  al_store_unlock (store);

  hash = hash_secret (dot + 1);
  if (stored == NULL || !equal_constant_time (hash, stored))
    return NULL;
  return find_user (store, "id = ?", NULL, id);
}

typedef struct
{
  gint64 user_id;
  const char *text;
} Settings;

static gboolean
settings_write (AlStore *store,
                gpointer data,
                GError **error)
{
  Settings *set = data;
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  stmt = al_store_prepare (store, "UPDATE users SET settings = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  al_stmt_bind_text (stmt, 1, set->text, -1, SQLITE_STATIC);
  al_stmt_bind_int64 (stmt, 2, set->user_id);
  rc = al_stmt_step (stmt);
  return rc == SQLITE_DONE || al_store_set_error (store, rc, "Saving user settings", error);
}

gboolean
al_store_set_user_settings (AlStore *store,
                            gint64   user_id,
                            json_t  *settings,
                            GError **error)
{
  g_autofree char *text = json_dumps (settings, JSON_COMPACT);
  Settings set = { user_id, text };

  return al_store_write (store, settings_write, &set, error);
}
