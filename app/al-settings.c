/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-settings"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "al-settings.h"

#define GROUP "workstation"
#define MAX_FILE_SIZE (64 * 1024)

/* clang-format off */
G_DEFINE_QUARK (al-settings-error-quark, al_settings_error)
/* clang-format on */

static const char *const echo_names[] = { "none", "words", "characters" };
static const char *const contrast_names[] = { "system", "on", "off" };
static const char *const output_names[] = { "auto", "espeak", "speech-dispatcher" };
static const char *const verbosity_names[] = { "beginner", "experienced" };

const char *
al_verbosity_to_string (AlVerbosity verbosity)
{
  g_return_val_if_fail (verbosity <= AL_VERBOSITY_EXPERIENCED, NULL);
  return verbosity_names[verbosity];
}

gboolean
al_verbosity_from_string (const char *text, AlVerbosity *verbosity)
{
  for (guint i = 0; i < G_N_ELEMENTS (verbosity_names); i++)
    if (g_strcmp0 (text, verbosity_names[i]) == 0)
      {
        *verbosity = i;
        return TRUE;
      }
  return FALSE;
}

const char *
al_speech_backend_to_string (AlSpeechBackend output)
{
  g_return_val_if_fail (output <= AL_SPEECH_BACKEND_SPEECHD, NULL);
  return output_names[output];
}

gboolean
al_speech_backend_from_string (const char *text, AlSpeechBackend *output)
{
  for (guint i = 0; i < G_N_ELEMENTS (output_names); i++)
    if (g_strcmp0 (text, output_names[i]) == 0)
      {
        *output = i;
        return TRUE;
      }
  return FALSE;
}

const char *
al_echo_to_string (AlEcho echo)
{
  g_return_val_if_fail (echo <= AL_ECHO_CHARACTERS, NULL);
  return echo_names[echo];
}

gboolean
al_echo_from_string (const char *text, AlEcho *echo)
{
  for (guint i = 0; i < G_N_ELEMENTS (echo_names); i++)
    if (g_strcmp0 (text, echo_names[i]) == 0)
      {
        *echo = i;
        return TRUE;
      }
  return FALSE;
}

const char *
al_contrast_to_string (AlContrast contrast)
{
  g_return_val_if_fail (contrast <= AL_CONTRAST_OFF, NULL);
  return contrast_names[contrast];
}

gboolean
al_contrast_from_string (const char *text, AlContrast *contrast)
{
  for (guint i = 0; i < G_N_ELEMENTS (contrast_names); i++)
    if (g_strcmp0 (text, contrast_names[i]) == 0)
      {
        *contrast = i;
        return TRUE;
      }
  return FALSE;
}

/* GTK 4.8 knows "HighContrast" and "HighContrastInverse" (what GNOME's
 * accessibility switch sets) as aliases of its own "Default-hc" and
 * "Default-hc-dark"; GTK_THEME may also name a variant as "Default:hc". */
gboolean
al_theme_is_high_contrast (const char *theme)
{
  g_auto (GStrv) parts = NULL;

  if (theme == NULL || *theme == '\0')
    return FALSE;
  parts = g_strsplit (theme, ":", 2);
  if (g_str_has_prefix (parts[0], "HighContrast") || g_str_has_suffix (parts[0], "-hc")
      || g_str_has_suffix (parts[0], "-hc-dark"))
    return TRUE;
  return parts[1] && g_str_has_prefix (parts[1], "hc");
}

char *
al_settings_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "annolab", "settings.ini", NULL);
}

AlSettings *
al_settings_new (const char *path)
{
  AlSettings *self = g_new0 (AlSettings, 1);

  self->path = path ? g_strdup (path) : al_settings_default_path ();
  self->speech_rate = 175;
  self->echo = AL_ECHO_WORDS;
  self->contrast = AL_CONTRAST_SYSTEM;
  self->text_scale = 100;
  return self;
}

void
al_settings_free (AlSettings *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->language);
  g_free (self->name);
  g_free (self);
}

static gboolean
invalid (GError **error, const char *path, const char *key, const char *value, const char *expected)
{
  g_set_error (error, AL_SETTINGS_ERROR, AL_SETTINGS_ERROR_INVALID,
               _ ("%s: %s: “%s” is not valid (use %s)"), path, key, value, expected);
  return FALSE;
}

/* A missing file is no error: the defaults stand. Loading is all or
 * nothing, so a half-broken file changes nothing. */
gboolean
al_settings_load (AlSettings *self, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *contents = NULL;
  g_autofree char *language = NULL;
  g_autofree char *echo_text = NULL;
  g_autofree char *contrast_text = NULL;
  g_autofree char *output_text = NULL;
  g_autofree char *verbosity_text = NULL;
  g_autofree char *name = NULL;
  g_autoptr (GError) local = NULL;
  gsize length = 0;
  gboolean voice;
  int rate, scale;
  AlEcho echo;
  AlContrast contrast;
  AlSpeechBackend output;
  AlVerbosity verbosity;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!g_file_get_contents (self->path, &contents, &length, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (length > MAX_FILE_SIZE)
    {
      g_set_error (error, AL_SETTINGS_ERROR, AL_SETTINGS_ERROR_INVALID,
                   _ ("%s is larger than 64 KiB"), self->path);
      return FALSE;
    }
  if (!g_key_file_load_from_data (file, contents, length, G_KEY_FILE_NONE, error))
    return FALSE;

  language = g_key_file_get_string (file, GROUP, "language", NULL);
  if (language && g_strcmp0 (language, "nl") != 0 && g_strcmp0 (language, "en") != 0)
    return invalid (error, self->path, "language", language, _ ("nl or en"));

  voice = g_key_file_get_boolean (file, GROUP, "voice", &local);
  if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE))
    {
      g_autofree char *raw = g_key_file_get_value (file, GROUP, "voice", NULL);
      return invalid (error, self->path, "voice", raw, _ ("true or false"));
    }
  if (local)
    voice = self->voice;
  g_clear_error (&local);

  rate = g_key_file_get_integer (file, GROUP, "speech-rate", &local);
  if (local == NULL && (rate < 80 || rate > 450))
    local = g_error_new_literal (G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "");
  if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE))
    {
      g_autofree char *raw = g_key_file_get_value (file, GROUP, "speech-rate", NULL);
      return invalid (error, self->path, "speech-rate", raw, _ ("80 to 450"));
    }
  if (local)
    rate = self->speech_rate;
  g_clear_error (&local);

  scale = g_key_file_get_integer (file, GROUP, "text-scale", &local);
  if (local == NULL && (scale < 100 || scale > 200))
    local = g_error_new_literal (G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "");
  if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE))
    {
      g_autofree char *raw = g_key_file_get_value (file, GROUP, "text-scale", NULL);
      return invalid (error, self->path, "text-scale", raw, _ ("100 to 200"));
    }
  if (local)
    scale = self->text_scale;
  g_clear_error (&local);

  echo = self->echo;
  echo_text = g_key_file_get_string (file, GROUP, "echo", NULL);
  if (echo_text && !al_echo_from_string (echo_text, &echo))
    return invalid (error, self->path, "echo", echo_text, _ ("none, words or characters"));

  contrast = self->contrast;
  contrast_text = g_key_file_get_string (file, GROUP, "high-contrast", NULL);
  if (contrast_text && !al_contrast_from_string (contrast_text, &contrast))
    return invalid (error, self->path, "high-contrast", contrast_text, _ ("system, on or off"));

  output = self->speech_output;
  output_text = g_key_file_get_string (file, GROUP, "speech-output", NULL);
  if (output_text && !al_speech_backend_from_string (output_text, &output))
    return invalid (error, self->path, "speech-output", output_text,
                    _ ("auto, espeak or speech-dispatcher"));

  verbosity = self->verbosity;
  verbosity_text = g_key_file_get_string (file, GROUP, "verbosity", NULL);
  if (verbosity_text && !al_verbosity_from_string (verbosity_text, &verbosity))
    return invalid (error, self->path, "verbosity", verbosity_text, _ ("beginner or experienced"));

  name = g_key_file_get_string (file, GROUP, "name", NULL);
  if (name && (g_utf8_strlen (g_strstrip (name), -1) > 100 || !g_utf8_validate (name, -1, NULL)))
    return invalid (error, self->path, "name", name, _ ("a name of at most 100 characters"));
  if (name && *name == '\0')
    g_clear_pointer (&name, g_free);

  g_free (self->language);
  self->language = g_steal_pointer (&language);
  self->voice = voice;
  self->speech_rate = rate;
  self->text_scale = scale;
  self->echo = echo;
  self->contrast = contrast;
  self->speech_output = output;
  self->verbosity = verbosity;
  g_free (self->name);
  self->name = g_steal_pointer (&name);
  return TRUE;
}

gboolean
al_settings_save (AlSettings *self, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  g_key_file_set_comment (file, NULL, NULL, " annolab: settings of this workstation", NULL);
  if (self->language)
    g_key_file_set_string (file, GROUP, "language", self->language);
  g_key_file_set_boolean (file, GROUP, "voice", self->voice);
  g_key_file_set_integer (file, GROUP, "speech-rate", self->speech_rate);
  g_key_file_set_string (file, GROUP, "echo", al_echo_to_string (self->echo));
  g_key_file_set_string (file, GROUP, "high-contrast", al_contrast_to_string (self->contrast));
  g_key_file_set_string (file, GROUP, "speech-output",
                         al_speech_backend_to_string (self->speech_output));
  g_key_file_set_string (file, GROUP, "verbosity", al_verbosity_to_string (self->verbosity));
  if (self->name)
    g_key_file_set_string (file, GROUP, "name", self->name);
  g_key_file_set_integer (file, GROUP, "text-scale", self->text_scale);
  data = g_key_file_to_data (file, NULL, NULL);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("Cannot create %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  /* g_file_set_contents writes a temporary file and renames it: a crash
   * leaves the old settings or the new ones, never half a file. */
  return g_file_set_contents (self->path, data, -1, error);
}
