/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "al-keymap.h"

static const AlKeyDefault defaults[] = {
  { "app.play-pause", "<Control>space" },
  { "app.rewind", "<Control>Left;F7" },
  { "app.submit", "<Control>Return" },
  { "app.help", "F1", "this help" },
};

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

static void
assert_accels (AlKeymap   *keymap,
               const char *action,
               const char *joined)
{
  const char *const *accels = al_keymap_get (keymap, action);
  g_autofree char *got = NULL;

  g_assert_nonnull (accels);
  got = g_strjoinv (";", (char **) accels);
  g_assert_cmpstr (got, ==, joined);
}

static void
test_defaults (void)
{
  g_autoptr (AlKeymap) keymap = al_keymap_new (defaults, G_N_ELEMENTS (defaults));
  g_auto (GStrv) actions = al_keymap_list_actions (keymap);

  g_assert_cmpuint (g_strv_length (actions), ==, 4);
  g_assert_cmpstr (actions[0], ==, "app.play-pause");
  g_assert_cmpstr (actions[3], ==, "app.help");
  assert_accels (keymap, "app.play-pause", "<Control>space");
  assert_accels (keymap, "app.rewind", "<Control>Left;F7");
  g_assert_null (al_keymap_get (keymap, "app.unknown"));
  g_assert_cmpstr (al_keymap_get_help (keymap, "app.help"), ==, "this help");
  g_assert_null (al_keymap_get_help (keymap, "app.rewind"));
}

static void
test_accel_syntax (void)
{
  struct { const char *in; const char *out; } good[] = {
    { "a", "a" },
    { "<Control>space", "<Control>space" },
    { "<Shift><Control>Return", "<Control><Shift>Return" },
    { "<ctrl>KP_Enter", "<Control>KP_Enter" },
    { "<Super><Alt>F12", "<Alt><Super>F12" },
    { "XF86AudioPlay", "XF86AudioPlay" },
  };
  struct { const char *in; const char *says; } bad[] = {
    { "", "no key" },
    { "<Control>", "no key" },
    { "<Hyper>a", "unknown modifier “<Hyper>”" },
    { "<Control space", "missing its “>”" },
    { "Control+space", "not a key name" },
    { "<Control>a b", "not a key name" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *out = al_accel_normalize (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, good[i].out);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *out = al_accel_normalize (bad[i].in, &error);

      g_assert_null (out);
      g_assert_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACCEL);
      g_assert_nonnull (strstr (error->message, bad[i].says));
    }
}

/* A foot pedal that sends F13/F14 gets play-pause and rewind. */
static void
test_load_overrides (void)
{
  g_autoptr (AlKeymap) keymap = al_keymap_new (defaults, G_N_ELEMENTS (defaults));
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_temp ("# Foot pedal\n"
                                      "[keys]\n"
                                      "app.play-pause=F13;<Control>space\n"
                                      "app.rewind = F14\n"
                                      "app.help=\n");

  g_assert_true (al_keymap_load (keymap, path, &error));
  g_assert_no_error (error);
  assert_accels (keymap, "app.play-pause", "F13;<Control>space");
  assert_accels (keymap, "app.rewind", "F14");
  assert_accels (keymap, "app.help", "");
  assert_accels (keymap, "app.submit", "<Control>Return");
  g_unlink (path);
}

static void
assert_load_fails (const char *text,
                   int         code,
                   const char *says)
{
  g_autoptr (AlKeymap) keymap = al_keymap_new (defaults, G_N_ELEMENTS (defaults));
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_temp (text);

  g_assert_false (al_keymap_load (keymap, path, &error));
  g_assert_error (error, AL_KEYMAP_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, says));
  /* A failed load changes nothing. */
  assert_accels (keymap, "app.play-pause", "<Control>space");
  g_unlink (path);
}

static void
test_load_errors (void)
{
  assert_load_fails ("[keys]\napp.play-pause=F13\napp.rewind=<Contrl>Left\n",
                     AL_KEYMAP_ERROR_ACCEL, ":3: app.rewind: “<Contrl>Left”: unknown modifier");
  assert_load_fails ("[keys]\n\napp.play-pause=F13\napp.fly=F2\n",
                     AL_KEYMAP_ERROR_ACTION, ":4: unknown action “app.fly”");
  assert_load_fails ("[keys]\napp.rewnd=F7\n", AL_KEYMAP_ERROR_ACTION,
                     ":2: unknown action “app.rewnd” (did you mean “app.rewind”?)");
  assert_load_fails ("[keys]\napp.play-pause F13\n", AL_KEYMAP_ERROR_FILE,
                     ":2: expected “[group]” or “action=keys”, found “app.play-pause F13”");
  assert_load_fails ("[keys\n", AL_KEYMAP_ERROR_FILE, ":1: expected");
  assert_load_fails ("[keys]\napp.help=\xff\n", AL_KEYMAP_ERROR_FILE, "not UTF-8");
  assert_load_fails ("[keys]\napp.help=a;b;c;d;e;f;g;h;i\n", AL_KEYMAP_ERROR_ACCEL,
                     ":2: app.help: more than 8 keys");
}

static void
test_missing_file (void)
{
  g_autoptr (AlKeymap) keymap = al_keymap_new (defaults, G_N_ELEMENTS (defaults));
  g_autoptr (GError) error = NULL;

  g_assert_false (al_keymap_load (keymap, "/nonexistent/keys.ini", &error));
  g_assert_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_FILE);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/keys.ini: "));
}

static gboolean
only_f_keys (const char *key)
{
  return key[0] == 'F' && g_ascii_isdigit (key[1]);
}

static void
test_key_check (void)
{
  g_autoptr (AlKeymap) keymap = al_keymap_new (defaults, G_N_ELEMENTS (defaults));
  g_autoptr (GError) error = NULL;
  g_autofree char *good = write_temp ("[keys]\napp.play-pause=F5\n");
  g_autofree char *bad = write_temp ("[keys]\napp.play-pause=F5\napp.help=<Shift>Pedal\n");

  /* The defaults are not checked: they are the program's own. */
  al_keymap_set_key_check (keymap, only_f_keys);
  g_assert_true (al_keymap_load (keymap, good, &error));
  assert_accels (keymap, "app.play-pause", "F5");
  assert_accels (keymap, "app.submit", "<Control>Return");
  g_assert_false (al_keymap_load (keymap, bad, &error));
  g_assert_error (error, AL_KEYMAP_ERROR, AL_KEYMAP_ERROR_ACCEL);
  g_assert_nonnull (strstr (error->message, ":3: app.help: “<Shift>Pedal”: there is no key called "
                                            "“Pedal”"));
  g_unlink (good);
  g_unlink (bad);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/keymap/defaults", test_defaults);
  g_test_add_func ("/keymap/accel-syntax", test_accel_syntax);
  g_test_add_func ("/keymap/load-overrides", test_load_overrides);
  g_test_add_func ("/keymap/load-errors", test_load_errors);
  g_test_add_func ("/keymap/missing-file", test_missing_file);
  g_test_add_func ("/keymap/key-check", test_key_check);
  return g_test_run ();
}
