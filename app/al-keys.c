/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-app"

#include "config.h"

#include <glib/gi18n.h>

#include "al-editor.h"
#include "al-keys.h"
#include "al-transcribe-editor.h"

static const struct
{
  const char *action;
  const char *accels;
  const char *help;
} window_keys[] = {
  { "win.submit", "<Control>Return;<Control>KP_Enter", N_ ("submit") },
  { "win.where-am-i", "<Control>i", N_ ("where am I") },
  { "win.key-help", "F1", N_ ("this help") },
  { "win.ask-help", "F2", N_ ("call the coach") },
  { "win.reference", "F3", N_ ("the reference answer of the last check task") },
  { "win.pass", "F4", N_ ("pass on this task: I can't do this one") },
  { "win.pause", "<Control>p", N_ ("a short pause, and back to work") },
  { "win.export-record", "<Control>e", N_ ("export my work record") },
  { "win.settings", "<Control>comma", N_ ("the settings") },
  { "win.high-contrast", "<Control><Shift>h", N_ ("high contrast on or off") },
  { "app.quit", "<Control>q", N_ ("quit") },
};

static gboolean
key_exists (const char *key)
{
  return gdk_keyval_from_name (key) != GDK_KEY_VoidSymbol;
}

/* One key for two actions would do only one of them. */
static char *
find_clash (AlKeymap *keymap)
{
  g_auto (GStrv) actions = al_keymap_list_actions (keymap);
  g_autoptr (GHashTable) owner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; actions[i]; i++)
    {
      const char *const *accels = al_keymap_get (keymap, actions[i]);
      for (guint j = 0; accels && accels[j]; j++)
        {
          guint keyval = 0;
          GdkModifierType mods = 0;
          char *id;
          const char *other;

          gtk_accelerator_parse (accels[j], &keyval, &mods);
          id = g_strdup_printf ("%u/%u", gdk_keyval_to_lower (keyval), (guint)mods);
          other = g_hash_table_lookup (owner, id);
          if (other && !g_str_equal (other, actions[i]))
            {
              g_free (id);
              return g_strdup_printf (_ ("%s is the key of both %s and %s"), accels[j], other,
                                      actions[i]);
            }
          g_hash_table_replace (owner, id, actions[i]);
        }
    }
  return NULL;
}

static AlKeymap *
defaults (void)
{
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (AlKeyDefault));
  const AlEditorKey *editor;
  gsize n = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (window_keys); i++)
    g_array_append_val (all, ((AlKeyDefault){ window_keys[i].action, window_keys[i].accels }));
  editor = al_transcribe_editor_default_keys (&n);
  for (gsize i = 0; i < n; i++)
    g_array_append_val (all, ((AlKeyDefault){ editor[i].action, editor[i].accels }));
  return al_keymap_new ((AlKeyDefault *)all->data, all->len);
}

AlKeymap *
al_keys_load (const char *path, gboolean must_exist, char **problem)
{
  g_autoptr (AlKeymap) keymap = defaults ();
  g_autoptr (GError) error = NULL;
  g_autofree char *clash = NULL;

  *problem = NULL;
  if (path == NULL || (!must_exist && !g_file_test (path, G_FILE_TEST_EXISTS)))
    return g_steal_pointer (&keymap);
  al_keymap_set_key_check (keymap, key_exists);
  if (!al_keymap_load (keymap, path, &error))
    {
      *problem = g_strdup (error->message);
      return defaults ();
    }
  clash = find_clash (keymap);
  if (clash)
    {
      *problem = g_strdup_printf ("%s: %s", path, clash);
      return defaults ();
    }
  return g_steal_pointer (&keymap);
}

char *
al_keys_window_help (AlKeymap *keymap)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (window_keys); i++)
    {
      g_autofree char *keys = al_editor_keys_label (al_keymap_get (keymap, window_keys[i].action));
      if (keys)
        g_string_append_printf (text, "%s%s: %s", text->len ? "\n" : "", keys,
                                _ (window_keys[i].help));
    }
  return g_string_free (text, FALSE);
}
