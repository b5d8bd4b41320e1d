/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>

#include "al-settings.h"

static char *
temp_path (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("annolab-settings-XXXXXX", &error);

  g_assert_no_error (error);
  /* In a folder that does not exist yet: saving creates it. */
  return g_build_filename (dir, "annolab", "settings.ini", NULL);
}

#define LONG_NAME "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void
test_defaults_without_file (void)
{
  g_autofree char *path = temp_path ();
  g_autoptr (AlSettings) settings = al_settings_new (path);
  g_autoptr (GError) error = NULL;

  g_assert_true (al_settings_load (settings, &error));
  g_assert_no_error (error);
  g_assert_null (settings->language);
  g_assert_false (settings->voice);
  g_assert_cmpint (settings->speech_rate, ==, 175);
  g_assert_cmpint (settings->echo, ==, AL_ECHO_WORDS);
  g_assert_cmpint (settings->contrast, ==, AL_CONTRAST_SYSTEM);
  g_assert_cmpint (settings->text_scale, ==, 100);
  g_assert_cmpint (settings->speech_output, ==, AL_SPEECH_BACKEND_AUTO);
  g_assert_cmpint (settings->verbosity, ==, AL_VERBOSITY_BEGINNER);
}

static void
test_round_trip (void)
{
  g_autofree char *path = temp_path ();
  g_autoptr (AlSettings) saved = al_settings_new (path);
  g_autoptr (AlSettings) loaded = al_settings_new (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  saved->language = g_strdup ("en");
  saved->voice = TRUE;
  saved->speech_rate = 300;
  saved->echo = AL_ECHO_CHARACTERS;
  saved->contrast = AL_CONTRAST_ON;
  saved->text_scale = 200;
  saved->speech_output = AL_SPEECH_BACKEND_SPEECHD;
  saved->verbosity = AL_VERBOSITY_EXPERIENCED;
  saved->name = g_strdup ("Sam de Vries");
  g_assert_true (al_settings_save (saved, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "[workstation]"));
  g_assert_nonnull (strstr (text, "high-contrast=on"));
  g_assert_nonnull (strstr (text, "echo=characters"));
  g_assert_nonnull (strstr (text, "verbosity=experienced"));
  g_assert_nonnull (strstr (text, "speech-output=speech-dispatcher"));

  g_assert_true (al_settings_load (loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->language, ==, "en");
  g_assert_true (loaded->voice);
  g_assert_cmpint (loaded->speech_rate, ==, 300);
  g_assert_cmpint (loaded->echo, ==, AL_ECHO_CHARACTERS);
  g_assert_cmpint (loaded->contrast, ==, AL_CONTRAST_ON);
  g_assert_cmpint (loaded->text_scale, ==, 200);
  g_assert_cmpint (loaded->speech_output, ==, AL_SPEECH_BACKEND_SPEECHD);
  g_assert_cmpint (loaded->verbosity, ==, AL_VERBOSITY_EXPERIENCED);
  g_assert_cmpstr (loaded->name, ==, "Sam de Vries");
}

static void
test_partial_file (void)
{
  g_autofree char *path = temp_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (AlSettings) settings = al_settings_new (path);
  g_autoptr (GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (path, "[workstation]\nhigh-contrast=off\n", -1, NULL));
  g_assert_true (al_settings_load (settings, &error));
  g_assert_no_error (error);
  g_assert_cmpint (settings->contrast, ==, AL_CONTRAST_OFF);
  g_assert_cmpint (settings->speech_rate, ==, 175);
  g_assert_cmpint (settings->echo, ==, AL_ECHO_WORDS);
}

/* A bad value names the file, the key and what is allowed, and changes
 * nothing: loading is all or nothing. */
static void
test_bad_values (void)
{
  static const struct
  {
    const char *contents;
    const char *expected;
  } cases[] = {
    { "[workstation]\nspeech-rate=20\n", "speech-rate: “20” is not valid (use 80 to 450)" },
    { "[workstation]\nspeech-rate=fast\n", "speech-rate: “fast”" },
    { "[workstation]\ntext-scale=250\n", "text-scale: “250” is not valid (use 100 to 200)" },
    { "[workstation]\nlanguage=de\n", "language: “de”" },
    { "[workstation]\necho=all\n", "echo: “all”" },
    { "[workstation]\nverbosity=expert\n", "verbosity: “expert”" },
    { "[workstation]\nname=" LONG_NAME "\n", "name: “" },
    { "[workstation]\nhigh-contrast=maybe\n", "high-contrast: “maybe”" },
    { "[workstation]\nspeech-output=orca\n",
      "speech-output: “orca” is not valid (use auto, espeak or speech-dispatcher)" },
    { "[workstation]\nvoice=yes please\n", "voice: “yes please”" },
    { "[workstation]\nvoice=true\nspeech-rate=20\n", "speech-rate" },
  };
  g_autofree char *path = temp_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (AlSettings) settings = al_settings_new (path);
      g_autoptr (GError) error = NULL;

      g_assert_true (g_file_set_contents (path, cases[i].contents, -1, NULL));
      g_assert_false (al_settings_load (settings, &error));
      g_assert_error (error, AL_SETTINGS_ERROR, AL_SETTINGS_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[i].expected));
      g_assert_false (settings->voice);
      g_assert_cmpint (settings->speech_rate, ==, 175);
    }
}

static void
test_not_a_key_file (void)
{
  g_autofree char *path = temp_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (AlSettings) settings = al_settings_new (path);
  g_autoptr (GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (path, "this is not a key file\n", -1, NULL));
  g_assert_false (al_settings_load (settings, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE);
}

static void
test_theme_names (void)
{
  g_assert_true (al_theme_is_high_contrast ("HighContrast"));
  g_assert_true (al_theme_is_high_contrast ("HighContrastInverse"));
  g_assert_true (al_theme_is_high_contrast ("Default-hc"));
  g_assert_true (al_theme_is_high_contrast ("Default-hc-dark"));
  g_assert_true (al_theme_is_high_contrast ("Default:hc"));
  g_assert_true (al_theme_is_high_contrast ("Adwaita:hc-dark"));
  g_assert_false (al_theme_is_high_contrast ("Adwaita"));
  g_assert_false (al_theme_is_high_contrast ("Adwaita:dark"));
  g_assert_false (al_theme_is_high_contrast ("Default"));
  g_assert_false (al_theme_is_high_contrast (""));
  g_assert_false (al_theme_is_high_contrast (NULL));
}

static void
test_names (void)
{
  AlEcho echo;
  AlContrast contrast;

  for (AlEcho e = AL_ECHO_NONE; e <= AL_ECHO_CHARACTERS; e++)
    {
      g_assert_true (al_echo_from_string (al_echo_to_string (e), &echo));
      g_assert_cmpint (echo, ==, e);
    }
  for (AlContrast c = AL_CONTRAST_SYSTEM; c <= AL_CONTRAST_OFF; c++)
    {
      g_assert_true (al_contrast_from_string (al_contrast_to_string (c), &contrast));
      g_assert_cmpint (contrast, ==, c);
    }
  g_assert_false (al_echo_from_string ("Words", &echo));
  g_assert_false (al_contrast_from_string (NULL, &contrast));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/settings/defaults-without-file", test_defaults_without_file);
  g_test_add_func ("/settings/round-trip", test_round_trip);
  g_test_add_func ("/settings/partial-file", test_partial_file);
  g_test_add_func ("/settings/bad-values", test_bad_values);
  g_test_add_func ("/settings/not-a-key-file", test_not_a_key_file);
  g_test_add_func ("/settings/theme-names", test_theme_names);
  g_test_add_func ("/settings/names", test_names);
  return g_test_run ();
}
