/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the transcription editor says while the person types. */
typedef enum
{
  AL_ECHO_NONE,
  AL_ECHO_WORDS,
  AL_ECHO_CHARACTERS,
} AlEcho;

/* High contrast: as the desktop is set, or forced on or off. */
typedef enum
{
  AL_CONTRAST_SYSTEM,
  AL_CONTRAST_ON,
  AL_CONTRAST_OFF,
} AlContrast;

/* Where speech goes: eSpeak NG directly, or Speech Dispatcher, which a
 * screen reader such as Orca shares, so the two never talk at once. */
typedef enum
{
  AL_SPEECH_BACKEND_AUTO, /* Speech Dispatcher when a screen reader runs */
  AL_SPEECH_BACKEND_ESPEAK,
  AL_SPEECH_BACKEND_SPEECHD,
} AlSpeechBackend;

/* How much voice mode says, as screen readers have it: full sentences
 * for a beginner, short words and tones for an experienced worker. */
typedef enum
{
  AL_VERBOSITY_BEGINNER,
  AL_VERBOSITY_EXPERIENCED,
} AlVerbosity;

/* The participant's own settings for this workstation, kept in
 * $XDG_CONFIG_HOME/annolab/settings.ini. Plain data: no GTK. */
typedef struct
{
  char *path;
  char *language; /* "nl", "en", or NULL: from the environment */
  gboolean voice;
  int speech_rate; /* words per minute, 80–450 */
  AlEcho echo;
  AlContrast contrast;
  AlSpeechBackend speech_output;
  AlVerbosity verbosity;
  char *name;      /* on the work record of a workstation of its own; NULL: the account's */
  int text_scale; /* percent, 100–200 */
} AlSettings;

#define AL_SETTINGS_ERROR (al_settings_error_quark ())
typedef enum
{
  AL_SETTINGS_ERROR_INVALID,
} AlSettingsError;

GQuark al_settings_error_quark (void);
char *al_settings_default_path (void);
AlSettings *al_settings_new (const char *path);
gboolean al_settings_load (AlSettings *self, GError **error);
gboolean al_settings_save (AlSettings *self, GError **error);
void al_settings_free (AlSettings *self);

const char *al_echo_to_string (AlEcho echo);
gboolean al_echo_from_string (const char *text, AlEcho *echo);
const char *al_contrast_to_string (AlContrast contrast);
gboolean al_contrast_from_string (const char *text, AlContrast *contrast);
const char *al_speech_backend_to_string (AlSpeechBackend output);
gboolean al_speech_backend_from_string (const char *text, AlSpeechBackend *output);
const char *al_verbosity_to_string (AlVerbosity verbosity);
gboolean al_verbosity_from_string (const char *text, AlVerbosity *verbosity);
/* Whether a GTK theme name (as in GTK_THEME or gtk-theme-name) is one of
 * the high-contrast themes. */
gboolean al_theme_is_high_contrast (const char *theme);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSettings, al_settings_free)

G_END_DECLS
