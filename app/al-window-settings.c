/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "al-settings-dialog.h"
#include "al-transcribe-editor.h"
#include "al-window-private.h"

/* The participant's settings: the settings screen, high contrast and the
 * settings that can change while annolab runs. */

#define HIGH_CONTRAST_CLASS "high-contrast"

static AlSettings *
settings_of (AlWindow *self)
{
  return al_application_get_settings (self->app);
}

/* GTK_THEME overrides the desktop's theme; gtk-theme-name follows it (GNOME's
 * high-contrast switch sets "HighContrast" through XSETTINGS). */
static gboolean
system_high_contrast (void)
{
  const char *env = g_getenv ("GTK_THEME");
  g_autofree char *theme = NULL;

  if (env && *env)
    return al_theme_is_high_contrast (env);
  if (gtk_settings_get_default () == NULL)
    return FALSE;
  g_object_get (gtk_settings_get_default (), "gtk-theme-name", &theme, NULL);
  return al_theme_is_high_contrast (theme);
}

gboolean
al_window_high_contrast (AlWindow *self)
{
  AlSettings *settings = self->app ? settings_of (self) : NULL;

  if (settings == NULL || settings->contrast == AL_CONTRAST_SYSTEM)
    return system_high_contrast ();
  return settings->contrast == AL_CONTRAST_ON;
}

void
al_window_style_dialog (AlWindow *self, GtkWindow *dialog)
{
  if (al_window_high_contrast (self))
    gtk_widget_add_css_class (GTK_WIDGET (dialog), HIGH_CONTRAST_CLASS);
  else
    gtk_widget_remove_css_class (GTK_WIDGET (dialog), HIGH_CONTRAST_CLASS);
}

static void
apply_contrast (AlWindow *self)
{
  gboolean on = al_window_high_contrast (self);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "high-contrast");

  al_window_style_dialog (self, GTK_WINDOW (self));
  if (self->settings_dialog)
    al_window_style_dialog (self, self->settings_dialog);
  if (action)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (on));
}

static void
theme_changed (AlWindow *self)
{
  apply_contrast (self);
}

static void
save_settings (AlWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (!al_settings_save (settings_of (self), &error))
    {
      g_autofree char *text
          = g_strdup_printf (_ ("Your settings could not be saved: %s"), error->message);
      al_window_show_notice (self, "error", text);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
    }
}

/* From one and a half times the text size the top bar's buttons go below
 * the task and clock, so neither is squeezed into a narrow column. */
static void
apply_layout (AlWindow *self, int percent)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->topbar), percent >= 150
                                                                     ? GTK_ORIENTATION_VERTICAL
                                                                     : GTK_ORIENTATION_HORIZONTAL);
  /* From one and a half times the text size a 800-pixel screen has no
   * height to spare: the notice band and the status line keep room for one
   * line instead of two, and the transcript field for fewer lines, so the
   * player and the marks stay on the screen (style.css, "large-text"). */
  if (percent >= 150)
    gtk_widget_add_css_class (GTK_WIDGET (self), "large-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "large-text");
  gtk_label_set_lines (self->status_label, percent >= 150 ? 1 : 2);
  /* Large text needs every pixel: the window takes the whole screen
   * (as far as the window manager leaves it) instead of its usual size. */
  if (percent >= 150)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
      GdkRectangle area;

      if (monitor)
        {
          gdk_monitor_get_geometry (monitor, &area);
          gtk_window_set_default_size (GTK_WINDOW (self), area.width, area.height);
        }
      gtk_window_maximize (GTK_WINDOW (self));
    }
  if (self->editors[AL_TASK_KIND_TRANSCRIBE])
    al_transcribe_editor_set_compact (AL_TRANSCRIBE_EDITOR (self->editors[AL_TASK_KIND_TRANSCRIBE]),
                                      percent >= 150);
}

/* At large text sizes the task page can be taller than the window: scroll
 * so the focused field is in view once it has its place. */
static gboolean
reveal_focus_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  AlWindow *self = AL_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->page_scroller);
  guint *frames = data;
  graphene_rect_t bounds;
  double top, bottom, page, value;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->stack))
      || !gtk_widget_compute_bounds (focus, GTK_WIDGET (self->stack), &bounds)
      || bounds.size.height <= 0 || gtk_adjustment_get_page_size (adjustment) <= 0)
    return ++*frames < 10 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
  top = bounds.origin.y;
  bottom = top + bounds.size.height;
  page = gtk_adjustment_get_page_size (adjustment);
  value = gtk_adjustment_get_value (adjustment);
  if (bottom > value + page)
    value = MIN (top, bottom - page);
  if (top < value)
    value = top;
  gtk_adjustment_set_value (adjustment, value);
  return G_SOURCE_REMOVE;
}

void
al_window_reveal_focus (AlWindow *self)
{
  gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_focus_tick, g_new0 (guint, 1), g_free);
}

static void
apply_text_scale (AlWindow *self, int percent)
{
  GtkSettings *gtk_settings = gtk_settings_get_default ();

  if (gtk_settings && percent >= 100 && percent <= 200)
    g_object_set (gtk_settings, "gtk-xft-dpi", 96 * 1024 * percent / 100, NULL);
  apply_layout (self, percent);
  al_window_reveal_focus (self);
}

void
al_window_settings_apply_editor (AlWindow *self, AlEditor *editor)
{
  static const AlTranscribeEcho echoes[] = {
    [AL_ECHO_NONE] = AL_TRANSCRIBE_ECHO_NONE,
    [AL_ECHO_WORDS] = AL_TRANSCRIBE_ECHO_WORDS,
    [AL_ECHO_CHARACTERS] = AL_TRANSCRIBE_ECHO_CHARACTERS,
  };

  if (AL_IS_TRANSCRIBE_EDITOR (editor) && self->app)
    {
      /* A screen reader echoes typing by its own settings: a word from
       * annolab besides its letters would be a second voice. */
      AlTranscribeEcho echo = al_application_get_screen_reader (self->app)
                                ? AL_TRANSCRIBE_ECHO_NONE
                                : echoes[settings_of (self)->echo];

      al_transcribe_editor_set_echo (AL_TRANSCRIBE_EDITOR (editor), echo);
      al_transcribe_editor_set_compact (AL_TRANSCRIBE_EDITOR (editor),
                                        gtk_widget_has_css_class (GTK_WIDGET (self), "large-text"));
    }
}

void
al_window_settings_set_contrast (AlWindow *self, gboolean on)
{
  settings_of (self)->contrast = on ? AL_CONTRAST_ON : AL_CONTRAST_OFF;
  apply_contrast (self);
  save_settings (self);
  al_window_announce (self, AL_SPEECH_INTERRUPT,
                      on ? _ ("High contrast on.") : _ ("High contrast off."));
}

/* The settings screen. Every change counts at once and is saved at once:
 * there is no "Save" to forget. */

static void
scale_changed (AlSettingsDialog *dialog, GParamSpec *pspec, AlWindow *self)
{
  g_object_get (dialog, "text-scale", &settings_of (self)->text_scale, NULL);
  apply_text_scale (self, settings_of (self)->text_scale);
  save_settings (self);
}

static void
contrast_changed (AlSettingsDialog *dialog, GParamSpec *pspec, AlWindow *self)
{
  guint contrast;

  g_object_get (dialog, "contrast", &contrast, NULL);
  settings_of (self)->contrast = contrast;
  apply_contrast (self);
  save_settings (self);
}

static void
language_changed (AlSettingsDialog *dialog, GParamSpec *pspec, AlWindow *self)
{
  AlSettings *settings = settings_of (self);

  g_free (settings->language);
  g_object_get (dialog, "language", &settings->language, NULL);
  save_settings (self);
}

static void
voice_changed (AlSettingsDialog *dialog, GParamSpec *pspec, AlWindow *self)
{
  g_object_get (dialog, "voice", &settings_of (self)->voice, NULL);
  /* The next task follows at once: no picture task for someone who just
   * turned to speech. */
  if (self->queue)
    al_queue_set_voice (self->queue, settings_of (self)->voice);
  save_settings (self);
}

static void
rate_changed (AlSettingsDialog *dialog, GParamSpec *pspec, AlWindow *self)
{
  AlSpeech *speech = al_application_get_speech (self->app);

  g_object_get (dialog, "speech-rate", &settings_of (self)->speech_rate, NULL);
  if (speech)
    al_speech_set_rate (speech, settings_of (self)->speech_rate);
  save_settings (self);
}

static void
echo_changed (AlSettingsDialog *dialog, GParamSpec *pspec, AlWindow *self)
{
  AlEditor *editor = self->editors[AL_TASK_KIND_TRANSCRIBE];
  guint echo;

  g_object_get (dialog, "echo", &echo, NULL);
  settings_of (self)->echo = echo;
  if (editor)
    al_window_settings_apply_editor (self, editor);
  save_settings (self);
}

static void
output_changed (AlSettingsDialog *dialog, GParamSpec *pspec, AlWindow *self)
{
  guint output;

  g_object_get (dialog, "speech-output", &output, NULL);
  settings_of (self)->speech_output = output;
  save_settings (self);
}

static void
verbosity_changed (AlSettingsDialog *dialog, GParamSpec *pspec, AlWindow *self)
{
  guint verbosity;

  g_object_get (dialog, "verbosity", &verbosity, NULL);
  al_window_set_verbosity (self, verbosity);
}

static void
name_changed (AlSettingsDialog *dialog, GParamSpec *pspec, AlWindow *self)
{
  AlSettings *settings = settings_of (self);
  g_autofree char *name = NULL;

  g_object_get (dialog, "worker-name", &name, NULL);
  g_strstrip (name);
  g_free (settings->name);
  settings->name = *name ? g_utf8_substring (name, 0, 100) : NULL;
  save_settings (self);
}

static void
dialog_announce (AlSettingsDialog *dialog, const char *text, AlWindow *self)
{
  al_window_announce (self, AL_SPEECH_INTERRUPT, text);
}

void
al_window_settings_show (AlWindow *self)
{
  AlSettings *settings = settings_of (self);
  const char *language = settings->language ? settings->language : al_editor_language ();
  g_autofree char *contrast_heading = al_window_label (self, "win.high-contrast");
  g_autofree char *close_keys = al_window_keys_of (self, "dialog.close");
  g_autofree char *intro = NULL;
  AlSettingsDialog *dialog;

  if (self->settings_dialog)
    {
      gtk_window_present (self->settings_dialog);
      return;
    }
  dialog = al_settings_dialog_new (GTK_WINDOW (self), settings, language);
  self->settings_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->settings_dialog);
  al_window_style_dialog (self, GTK_WINDOW (dialog));
  al_settings_dialog_set_contrast_heading (dialog, contrast_heading);
  al_settings_dialog_set_close_button (dialog,
                                       al_window_dialog_close_button (self, GTK_WINDOW (dialog)));
  g_signal_connect_object (dialog, "notify::text-scale", G_CALLBACK (scale_changed), self, 0);
  g_signal_connect_object (dialog, "notify::contrast", G_CALLBACK (contrast_changed), self, 0);
  g_signal_connect_object (dialog, "notify::language", G_CALLBACK (language_changed), self, 0);
  g_signal_connect_object (dialog, "notify::voice", G_CALLBACK (voice_changed), self, 0);
  g_signal_connect_object (dialog, "notify::speech-rate", G_CALLBACK (rate_changed), self, 0);
  g_signal_connect_object (dialog, "notify::echo", G_CALLBACK (echo_changed), self, 0);
  g_signal_connect_object (dialog, "notify::speech-output", G_CALLBACK (output_changed), self, 0);
  g_signal_connect_object (dialog, "notify::verbosity", G_CALLBACK (verbosity_changed), self, 0);
  g_signal_connect_object (dialog, "notify::worker-name", G_CALLBACK (name_changed), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  /* TRANSLATORS: %s is the key that closes the settings, "Escape". */
  intro = g_strdup_printf (_ ("Settings. Tab moves to the next setting; %s closes."), close_keys);
  al_window_announce (self, AL_SPEECH_INTERRUPT, intro);
  /* From here on: what was said while the screen opened is covered by the intro. */
  g_signal_connect_object (dialog, "announce", G_CALLBACK (dialog_announce), self, 0);
}

void
al_window_settings_init (AlWindow *self)
{
  /* The actions (win.settings, win.high-contrast) are in al-window-actions.c. */
  if (gtk_settings_get_default ())
    g_signal_connect_object (gtk_settings_get_default (), "notify::gtk-theme-name",
                             G_CALLBACK (theme_changed), self, G_CONNECT_SWAPPED);
  apply_contrast (self);
  /* The settings screen shows the size in use, also when the command line chose it. */
  settings_of (self)->text_scale = al_application_get_options (self->app)->text_scale;
  apply_layout (self, settings_of (self)->text_scale);
}
