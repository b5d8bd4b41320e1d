/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workstation's key map: its defaults, where a key may be shared, and
 * the labels and key help made from the keys in force. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "al-keys.h"

static char *
write_temp (const char *text)
{
  g_autoptr (GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("annolab-keys-XXXXXX.ini", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* Loads @text as a key file; returns the problem, or NULL. */
static char *
problem_of (const char *text, AlKeymap **out)
{
  g_autofree char *path = write_temp (text);
  char *problem = NULL;
  AlKeymap *keymap = al_keys_load (path, TRUE, &problem);

  g_unlink (path);
  if (out)
    *out = keymap;
  else
    al_keymap_free (keymap);
  return problem;
}

static void
test_defaults (void)
{
  g_autofree char *problem = NULL;
  g_autoptr (AlKeymap) keymap = al_keys_load (NULL, FALSE, &problem);
  g_auto (GStrv) actions = al_keymap_list_actions (keymap);

  /* A clash among the defaults would be a critical warning, fatal here. */
  g_assert_null (problem);
  for (guint i = 0; actions[i]; i++)
    {
      g_test_message ("%s", actions[i]);
      g_assert_nonnull (al_keymap_get_help (keymap, actions[i]));
      g_assert_nonnull (al_keymap_get (keymap, actions[i])[0]);
    }
  g_assert_cmpstr (al_keymap_get (keymap, "box.new")[0], ==, "n");
  g_assert_cmpstr (al_keymap_get (keymap, "win.settings")[0], ==, "<Control>comma");
}

static void
test_scopes (void)
{
  g_autofree char *a = problem_of ("[keys]\nbox.new=g\n", NULL);
  g_autofree char *b = problem_of ("[keys]\nbox.new=F1\n", NULL);
  g_autofree char *c = problem_of ("[keys]\nbox.new=<Control>space\n", NULL);
  g_autofree char *d = problem_of ("[keys]\ndialog.close=F2\n", NULL);
  g_autofree char *e = problem_of ("[keys]\nbox.nwe=b\n", NULL);
  g_autofree char *v = problem_of ("[keys]\nvideo.next-frame=n\n", NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (strstr (a, "g is the key of both box.new and box.grid"));
  /* The window's keys work everywhere. */
  g_assert_nonnull (b);
  g_assert_nonnull (strstr (b, "F1 is the key of both win.key-help and box.new"));
  g_assert_nonnull (d);
  g_assert_nonnull (strstr (d, "win.ask-help and dialog.close"));
  /* A task's keys only in its editor: the transcription task's play key
   * can be the box task's new box. */
  g_assert_null (c);
  /* The video task draws with the box task's canvas: both sets at once. */
  g_assert_nonnull (v);
  g_assert_nonnull (strstr (v, "n is the key of both box.new and video.next-frame"));
  g_assert_nonnull (e);
  g_assert_nonnull (strstr (e, ":2: unknown action “box.nwe” (did you mean “box.new”?)"));
}

static void
test_labels_and_help (void)
{
  AlKeymap *keymap = NULL;
  g_autofree char *problem
      = problem_of ("[keys]\nwin.submit=F9\nwin.settings=<Control>o\napp.quit=\n", &keymap);
  g_autofree char *submit = NULL;
  g_autofree char *quit = NULL;
  g_autofree char *keys = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *text = NULL;

  g_assert_null (problem);
  submit = al_keys_label (keymap, "Submit", "win.submit");
  quit = al_keys_label (keymap, "Quit", "app.quit");
  keys = al_keys_of (keymap, "win.settings");
  g_assert_cmpstr (submit, ==, "Submit (F9)");
  g_assert_cmpstr (quit, ==, "Quit");
  g_assert_cmpstr (keys, ==, "Ctrl+O");

  /* Without a task only the window's part, in the keys in force. */
  lines = al_keys_help (keymap, NULL);
  text = al_keys_help_text (lines);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "F9: submit\n"));
  g_assert_nonnull (strstr (text, "\nCtrl+O: the settings\n"));
  g_assert_nonnull (strstr (text, "\nEscape: close the key help or the settings"));
  /* A key taken away leaves its line out. */
  g_assert_null (strstr (text, "quit"));
  g_assert_null (strstr (text, "Ctrl+Enter"));
  for (guint i = 0; i < lines->len; i++)
    g_assert_true (((AlKeyHelp *)g_ptr_array_index (lines, i))->window);
  al_keymap_free (keymap);
}

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/keys/defaults", test_defaults);
  g_test_add_func ("/keys/scopes", test_scopes);
  g_test_add_func ("/keys/labels-and-help", test_labels_and_help);
  return g_test_run ();
}
