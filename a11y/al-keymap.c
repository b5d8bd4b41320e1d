/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-a11y"
#include "config.h"

#include <string.h>

#include "al-keymap.h"

#define MAX_FILE_BYTES (256 * 1024)
#define MAX_ACCELS 8
#define MAX_KEY_NAME 32

G_DEFINE_QUARK (al-keymap-error-quark, al_keymap_error)

struct _AlKeymap
{
  GPtrArray *actions;     /* names, in the order given */
  GHashTable *accels;     /* action → GStrv */
  GHashTable *help;       /* action → untranslated help (static) */
  AlKeyCheck key_check;   /* NULL: every well-formed name is a key */
};

static const char *const modifiers[] = { "Control", "Shift", "Alt", "Super" };

/* Key names as in xkb keysym names: letters, digits and underscores
 * ("space", "F5", "KP_Enter", "a", "XF86AudioPlay"). */
static gboolean
key_name_is_valid (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > MAX_KEY_NAME)
    return FALSE;
  for (const char *p = key; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

char *
al_accel_normalize (const char  *accel,
                    GError     **error)
{
  gboolean have[G_N_ELEMENTS (modifiers)] = { FALSE, };
  const char *p = accel;
  GString *out;

  g_return_val_if_fail (accel != NULL, NULL);

  while (*p == '<')
    {
      const char *end = strchr (p, '>');
      gsize i;

      if (end == NULL)
        {
          g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACCEL,
                       "“%s”: a modifier is missing its “>”", accel);
          return NULL;
        }
      for (i = 0; i < G_N_ELEMENTS (modifiers); i++)
        {
          gsize len = strlen (modifiers[i]);
          gboolean ctrl = i == 0 && end - p - 1 == 4 && g_ascii_strncasecmp (p + 1, "Ctrl", 4) == 0;

          if (ctrl || ((gsize) (end - p - 1) == len && g_ascii_strncasecmp (p + 1, modifiers[i], len) == 0))
            break;
        }
      if (i == G_N_ELEMENTS (modifiers))
        {
          g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACCEL,
                       "“%s”: unknown modifier “%.*s” (use <Control>, <Shift>, <Alt> or <Super>)",
                       accel, (int) (end - p + 1), p);
          return NULL;
        }
      have[i] = TRUE;
      p = end + 1;
    }

  if (!key_name_is_valid (p))
    {
      g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACCEL,
                   *p ? "“%s”: “%s” is not a key name" : "“%s”: no key after the modifiers",
                   accel, p);
      return NULL;
    }

  out = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (modifiers); i++)
    if (have[i])
      g_string_append_printf (out, "<%s>", modifiers[i]);
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

/* Splits "a;b" into normalized accelerators; an empty list unbinds. */
static GStrv
parse_accels (const char  *value,
              AlKeyCheck   key_check,
              GError     **error)
{
  g_auto (GStrv) parts = g_strsplit (value, ";", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *accel = NULL;

      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      if (++n > MAX_ACCELS)
        {
          g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACCEL,
                       "more than %d keys for one action", MAX_ACCELS);
          return NULL;
        }
      accel = al_accel_normalize (parts[i], error);
      if (accel == NULL)
        return NULL;
      if (key_check)
        {
          const char *key = strrchr (accel, '>') ? strrchr (accel, '>') + 1 : accel;
          if (!key_check (key))
            {
              g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACCEL,
                           "“%s”: there is no key called “%s”", parts[i], key);
              return NULL;
            }
        }
      g_strv_builder_add (builder, accel);
    }
  return g_strv_builder_end (builder);
}

AlKeymap *
al_keymap_new (const AlKeyDefault *defaults,
               gsize               n_defaults)
{
  AlKeymap *keymap = g_new0 (AlKeymap, 1);

  keymap->actions = g_ptr_array_new_with_free_func (g_free);
  keymap->accels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_strfreev);
  keymap->help = g_hash_table_new (g_str_hash, g_str_equal);

  for (gsize i = 0; i < n_defaults; i++)
    {
      g_autoptr (GError) error = NULL;
      GStrv accels = parse_accels (defaults[i].accels ? defaults[i].accels : "", NULL, &error);
      char *name;

      /* Defaults are part of the program: a bad one is a programming error. */
      if (accels == NULL)
        {
          g_critical ("Default keys of %s: %s", defaults[i].action, error->message);
          accels = g_new0 (char *, 1);
        }
      if (g_hash_table_lookup_extended (keymap->accels, defaults[i].action, (gpointer *) &name, NULL))
        {
          /* A later default for the same action wins. */
          g_hash_table_insert (keymap->accels, name, accels);
          if (defaults[i].help)
            g_hash_table_insert (keymap->help, name, (gpointer) defaults[i].help);
          continue;
        }
      name = g_strdup (defaults[i].action);
      g_ptr_array_add (keymap->actions, name);
      g_hash_table_insert (keymap->accels, name, accels);
      if (defaults[i].help)
        g_hash_table_insert (keymap->help, name, (gpointer) defaults[i].help);
    }
  return keymap;
}

void
al_keymap_free (AlKeymap *keymap)
{
  if (keymap == NULL)
    return;
  g_hash_table_unref (keymap->help);
  g_hash_table_unref (keymap->accels);
  g_ptr_array_unref (keymap->actions);
  g_free (keymap);
}

/* GKeyFile does not report line numbers: find the line of a key in the
 * [keys] group ourselves so messages can name it. */
static int
line_of_key (const char *contents,
             const char *key)
{
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  gboolean in_keys = FALSE;

  for (int i = 0; lines[i]; i++)
    {
      const char *line = lines[i];
      gsize len = strlen (key);

      while (g_ascii_isspace (*line))
        line++;
      if (*line == '[')
        in_keys = g_str_has_prefix (line, "[keys]");
      else if (in_keys && strncmp (line, key, len) == 0 &&
               (line[len] == '=' || g_ascii_isspace (line[len])))
        return i + 1;
    }
  return 0;
}

/* GKeyFile's messages quote a bad line but do not number it. */
static gboolean
check_lines (const char  *path,
             const char  *contents,
             GError     **error)
{
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);

  for (int i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[' ? line[strlen (line) - 1] != ']' : strchr (line, '=') == NULL)
        {
          g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_FILE,
                       "%s:%d: expected “[group]” or “action=keys”, found “%s”", path, i + 1, line);
          return FALSE;
        }
    }
  return TRUE;
}

/* Edit distance, for a typing mistake in an action's name. */
static guint
distance (const char *a,
          const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];
      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + (a[i - 1] != b[j - 1]));
          diag = up;
        }
    }
  return row[lb];
}

/* The known action closest to @name, when it is a likely typing mistake. */
static const char *
nearest_action (AlKeymap   *keymap,
                const char *name)
{
  const char *best = NULL;
  guint best_distance = 3;

  if (strlen (name) > 64)
    return NULL;
  for (guint i = 0; i < keymap->actions->len; i++)
    {
      const char *action = g_ptr_array_index (keymap->actions, i);
      guint d = distance (name, action);

      if (d < best_distance)
        {
          best = action;
          best_distance = d;
        }
    }
  return best;
}

gboolean
al_keymap_load (AlKeymap    *keymap,
                const char  *path,
                GError     **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GHashTable) pending = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) keys = NULL;
  gsize length = 0;
  GHashTableIter iter;
  gpointer k, v;

  g_return_val_if_fail (keymap != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_FILE,
                   "%s: %s", path, local_error->message);
      return FALSE;
    }
  if (length > MAX_FILE_BYTES)
    {
      g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_FILE,
                   "%s: the file is larger than %d bytes", path, MAX_FILE_BYTES);
      return FALSE;
    }
  if (!g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_FILE,
                   "%s: the file is not UTF-8 text", path);
      return FALSE;
    }
  if (!check_lines (path, contents, error))
    return FALSE;
  if (!g_key_file_load_from_data (file, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_FILE,
                   "%s: %s", path, local_error->message);
      return FALSE;
    }
  if (!g_key_file_has_group (file, "keys"))
    return TRUE;

  keys = g_key_file_get_keys (file, "keys", NULL, NULL);
  /* All or nothing: check every line before changing the map. */
  pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_strfreev);
  for (guint i = 0; keys[i]; i++)
    {
      g_autofree char *value = g_key_file_get_value (file, "keys", keys[i], NULL);
      gpointer name;
      GStrv accels;

      if (!g_hash_table_lookup_extended (keymap->accels, keys[i], &name, NULL))
        {
          const char *near = nearest_action (keymap, keys[i]);

          if (near)
            g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACTION,
                         "%s:%d: unknown action “%s” (did you mean “%s”?)", path,
                         line_of_key (contents, keys[i]), keys[i], near);
          else
            g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACTION,
                         "%s:%d: unknown action “%s”", path, line_of_key (contents, keys[i]),
                         keys[i]);
          return FALSE;
        }
      accels = parse_accels (value ? value : "", keymap->key_check, &local_error);
      if (accels == NULL)
        {
          g_set_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACCEL,
                       "%s:%d: %s: %s", path, line_of_key (contents, keys[i]), keys[i],
                       local_error->message);
          return FALSE;
        }
      g_hash_table_replace (pending, name, accels);
    }

  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      g_hash_table_iter_steal (&iter);
      g_hash_table_replace (keymap->accels, k, v);
    }
  return TRUE;
}

void
al_keymap_set_key_check (AlKeymap   *keymap,
                         AlKeyCheck  check)
{
  g_return_if_fail (keymap != NULL);
  keymap->key_check = check;
}

const char *const *
al_keymap_get (AlKeymap   *keymap,
               const char *action)
{
  g_return_val_if_fail (keymap != NULL, NULL);
  g_return_val_if_fail (action != NULL, NULL);

  return g_hash_table_lookup (keymap->accels, action);
}

GStrv
al_keymap_list_actions (AlKeymap *keymap)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (keymap != NULL, NULL);

  for (guint i = 0; i < keymap->actions->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (keymap->actions, i));
  return g_strv_builder_end (builder);
}

const char *
al_keymap_get_help (AlKeymap   *keymap,
                    const char *action)
{
  g_return_val_if_fail (keymap != NULL, NULL);
  g_return_val_if_fail (action != NULL, NULL);

  return g_hash_table_lookup (keymap->help, action);
}
