/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "al-box-canvas.h"
#include "al-classify-editor.h"
#include "al-draft-words.h"
#include "al-review-editor.h"
#include "al-editor.h"
#include "al-keys.h"
#include "al-transcribe-editor.h"
#include "al-video-box-editor.h"
#include "al-window-actions.h"

static gboolean
key_exists (const char *key)
{
  return gdk_keyval_from_name (key) != GDK_KEY_VoidSymbol;
}

/* The window's keys work everywhere; a task's only in its editor and the
 * dialogs' only in a dialog, so the box task, the transcription task and
 * the dialogs may share a key (Escape). */
static gboolean
is_global (const char *action)
{
  return g_str_has_prefix (action, "win.") || g_str_has_prefix (action, "app.");
}

/* In the window's part of the key help. */
static gboolean
is_window (const char *action)
{
  return is_global (action) || g_str_has_prefix (action, "dialog.");
}

/* The video box editor works with the box task's canvas: its keys and the
 * canvas's are in force together. */
static gboolean
on_box_canvas (const char *action)
{
  return g_str_has_prefix (action, "box.") || g_str_has_prefix (action, "video.");
}

static gboolean
same_scope (const char *a, const char *b)
{
  const char *dot_a = strchr (a, '.'), *dot_b = strchr (b, '.');

  if (is_global (a) || is_global (b))
    return TRUE;
  if (on_box_canvas (a) && on_box_canvas (b))
    return TRUE;
  return dot_a - a == dot_b - b && strncmp (a, b, dot_a - a) == 0;
}

/* Actions that may share a key because they never apply at the same time:
 * the grid's Enter places a corner, outside the grid Enter accepts a
 * proposed box. */
static gboolean
apart (const char *a, const char *b)
{
  static const char *const pairs[][2] = { { "box.place", "box.accept" } };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    if ((g_str_equal (a, pairs[i][0]) && g_str_equal (b, pairs[i][1]))
        || (g_str_equal (a, pairs[i][1]) && g_str_equal (b, pairs[i][0])))
      return TRUE;
  return FALSE;
}

/* One key for two actions would do only one of them. */
static char *
find_clash (AlKeymap *keymap)
{
  g_auto (GStrv) actions = al_keymap_list_actions (keymap);
  g_autoptr (GHashTable) owners
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);

  for (guint i = 0; actions[i]; i++)
    {
      const char *const *accels = al_keymap_get (keymap, actions[i]);
      for (guint j = 0; accels && accels[j]; j++)
        {
          guint keyval = 0;
          GdkModifierType mods = 0;
          char *id;
          GPtrArray *others;

          gtk_accelerator_parse (accels[j], &keyval, &mods);
          id = g_strdup_printf ("%u/%u", gdk_keyval_to_lower (keyval), (guint)mods);
          others = g_hash_table_lookup (owners, id);
          if (others == NULL)
            {
              others = g_ptr_array_new ();
              g_hash_table_insert (owners, id, others);
            }
          else
            g_free (id);
          for (guint k = 0; k < others->len; k++)
            {
              const char *other = g_ptr_array_index (others, k);
              if (!g_str_equal (other, actions[i]) && same_scope (other, actions[i])
                  && !apart (other, actions[i]))
                return g_strdup_printf (_ ("%s is the key of both %s and %s"), accels[j], other,
                                        actions[i]);
            }
          g_ptr_array_add (others, actions[i]);
        }
    }
  return NULL;
}

static void
add_editor_keys (GArray *all, const AlEditorKey *keys, gsize n)
{
  for (gsize i = 0; i < n; i++)
    g_array_append_val (all, ((AlKeyDefault){ keys[i].action, keys[i].accels, keys[i].help }));
}

static AlKeymap *
defaults (void)
{
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (AlKeyDefault));
  const AlKeyDefault *window;
  const AlEditorKey *editor;
  gsize n = 0;

  window = al_window_actions_default_keys (&n);
  g_array_append_vals (all, window, n);
  editor = al_box_canvas_default_keys (&n);
  add_editor_keys (all, editor, n);
  editor = al_transcribe_editor_default_keys (&n);
  add_editor_keys (all, editor, n);
  editor = al_draft_words_default_keys (&n);
  add_editor_keys (all, editor, n);
  editor = al_classify_editor_default_keys (&n);
  add_editor_keys (all, editor, n);
  editor = al_review_editor_default_keys (&n);
  add_editor_keys (all, editor, n);
  editor = al_video_box_editor_default_keys (&n);
  add_editor_keys (all, editor, n);
  return al_keymap_new ((AlKeyDefault *) (void *) all->data, all->len);
}

AlKeymap *
al_keys_load (const char *path, gboolean must_exist, char **problem)
{
  g_autoptr (AlKeymap) keymap = defaults ();
  g_autoptr (GError) error = NULL;
  g_autofree char *clash = NULL;

  *problem = NULL;
  clash = find_clash (keymap);
  /* The defaults are part of the program. */
  if (clash)
    g_critical ("The default keys clash: %s", clash);
  g_clear_pointer (&clash, g_free);
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

void
al_key_help_free (AlKeyHelp *line)
{
  if (line == NULL)
    return;
  g_free (line->keys);
  g_free (line->what);
  g_free (line);
}

static void
add_line (GPtrArray *lines, const char *keys, char *what, gboolean window)
{
  AlKeyHelp *last = lines->len ? g_ptr_array_index (lines, lines->len - 1) : NULL;

  if (last && last->window == window && g_str_equal (last->what, what))
    {
      char *joined = g_strdup_printf ("%s / %s", last->keys, keys);
      g_free (last->keys);
      last->keys = joined;
      g_free (what);
      return;
    }
  last = g_new0 (AlKeyHelp, 1);
  last->keys = g_strdup (keys);
  last->what = what;
  last->window = window;
  g_ptr_array_add (lines, last);
}

GPtrArray *
al_keys_help (AlKeymap *keymap, AlEditor *editor)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify)al_key_help_free);
  g_auto (GStrv) actions = al_keymap_list_actions (keymap);

  for (int window = 0; window < 2; window++)
    for (guint i = 0; actions[i]; i++)
      {
        const char *help = al_keymap_get_help (keymap, actions[i]);
        g_autofree char *keys = NULL;
        char *what;

        if (help == NULL || is_window (actions[i]) != window)
          continue;
        if (window)
          what = g_strdup (_ (help));
        else if (editor == NULL || (what = al_editor_describe_key (editor, actions[i], _ (help))) == NULL)
          continue;
        keys = al_editor_keys_label (al_keymap_get (keymap, actions[i]));
        /* In a shared line every action keeps its place. */
        add_line (lines, keys ? keys : _ ("(no key)"), what, window);
      }
  /* A line whose keys were all taken away says nothing. */
  for (guint i = lines->len; i-- > 0;)
    {
      AlKeyHelp *line = g_ptr_array_index (lines, i);
      if (g_str_equal (line->keys, _ ("(no key)")))
        g_ptr_array_remove_index (lines, i);
    }
  return lines;
}

char *
al_keys_help_text (GPtrArray *lines)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      AlKeyHelp *line = g_ptr_array_index (lines, i);
      gboolean gap = i > 0 && line->window != ((AlKeyHelp *)g_ptr_array_index (lines, i - 1))->window;

      g_string_append_printf (text, "%s%s: %s", i == 0 ? "" : gap ? "\n\n" : "\n", line->keys,
                              line->what);
    }
  return g_string_free (text, FALSE);
}

char *
al_keys_of (AlKeymap *keymap, const char *action)
{
  char *keys = keymap ? al_editor_keys_label (al_keymap_get (keymap, action)) : NULL;

  return keys ? keys : g_strdup (_ ("(no key)"));
}

char *
al_keys_label (AlKeymap *keymap, const char *label, const char *action)
{
  g_autofree char *keys = keymap ? al_editor_keys_label (al_keymap_get (keymap, action)) : NULL;

  /* TRANSLATORS: a button or menu item and its key, "Submit (Ctrl+Enter)". */
  return keys ? g_strdup_printf (_ ("%s (%s)"), label, keys) : g_strdup (label);
}
