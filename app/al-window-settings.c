/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-settings"

#include "config.h"

#include <glib/gi18n.h>

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
      al_transcribe_editor_set_echo (AL_TRANSCRIBE_EDITOR (editor), echoes[settings_of (self)->echo]);
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

typedef struct
{
  AlWindow *window;
  GtkWidget *dialog;
} Screen;

static char *
describe (GtkWidget *widget)
{
  const char *name = g_object_get_data (G_OBJECT (widget), "al-name");

  if (name == NULL)
    return NULL;
  if (GTK_IS_EDITABLE (widget) && !GTK_IS_SPIN_BUTTON (widget))
    return g_strdup_printf (_ ("%s: %s"), name, gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (GTK_IS_SPIN_BUTTON (widget))
    return g_strdup_printf (_ ("%s: %d"), name,
                            gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
  if (GTK_IS_CHECK_BUTTON (widget))
    {
      gboolean active = gtk_check_button_get_active (GTK_CHECK_BUTTON (widget));
      const char *group = g_object_get_data (G_OBJECT (widget), "al-group");
      if (group)
        return g_strdup_printf (active ? _ ("%s: %s, chosen") : _ ("%s: %s, not chosen"), group,
                                name);
      return g_strdup_printf (active ? _ ("%s: on") : _ ("%s: off"), name);
    }
  return g_strdup (name);
}

/* Voice mode has no screen reader to read the focus: say it. */
static void
focus_moved (GtkWindow *dialog, GParamSpec *pspec, AlWindow *self)
{
  GtkWidget *focus = gtk_window_get_focus (dialog);
  g_autofree char *text = NULL;

  for (; focus && text == NULL; focus = gtk_widget_get_parent (focus))
    text = describe (focus);
  if (text)
    al_window_announce (self, AL_SPEECH_INTERRUPT, text);
}

static void
say_state (GtkWidget *widget, AlWindow *self)
{
  g_autofree char *text = NULL;

  /* A radio that is switched off speaks through the one switched on. */
  if (GTK_IS_CHECK_BUTTON (widget) && g_object_get_data (G_OBJECT (widget), "al-group")
      && !gtk_check_button_get_active (GTK_CHECK_BUTTON (widget)))
    return;
  if (!gtk_widget_has_focus (widget) && !(GTK_IS_SPIN_BUTTON (widget)))
    return;
  text = describe (widget);
  if (text)
    al_window_announce (self, AL_SPEECH_INTERRUPT, text);
}

static void
name_widget (GtkWidget *widget, const char *name, const char *group)
{
  g_object_set_data_full (G_OBJECT (widget), "al-name", g_strdup (name), g_free);
  if (group)
    g_object_set_data_full (G_OBJECT (widget), "al-group", g_strdup (group), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static GtkWidget *
add_heading (GtkWidget *box, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "setting-heading");
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

/* A group of radio buttons under a heading; returns the buttons. */
static GtkWidget *
add_choices (GtkWidget *box,
             const char *heading,
             const char *const *choices,
             guint n,
             guint active,
             GCallback changed,
             AlWindow *self,
             GtkWidget **buttons)
{
  GtkWidget *group = g_object_new (GTK_TYPE_BOX, "orientation", GTK_ORIENTATION_VERTICAL, "spacing",
                                   4, "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP, NULL);
  GtkWidget *first = NULL;

  add_heading (group, heading);
  gtk_accessible_update_property (GTK_ACCESSIBLE (group), GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                  -1);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *radio = g_object_new (GTK_TYPE_CHECK_BUTTON, "accessible-role",
                                       GTK_ACCESSIBLE_ROLE_RADIO, NULL);
      /* A wrapping label: long choices (in Dutch, at twice the text size)
       * take more lines instead of widening the dialog past the screen. */
      GtkWidget *text = gtk_label_new (choices[i]);

      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_check_button_set_child (GTK_CHECK_BUTTON (radio), text);
      name_widget (radio, choices[i], heading);
      if (first)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (radio), GTK_CHECK_BUTTON (first));
      else
        first = radio;
      gtk_check_button_set_active (GTK_CHECK_BUTTON (radio), i == active);
      g_object_set_data (G_OBJECT (radio), "al-index", GUINT_TO_POINTER (i));
      g_signal_connect (radio, "toggled", changed, self);
      g_signal_connect (radio, "toggled", G_CALLBACK (say_state), self);
      gtk_widget_set_margin_start (radio, 12);
      gtk_box_append (GTK_BOX (group), radio);
      if (buttons)
        buttons[i] = radio;
    }
  gtk_box_append (GTK_BOX (box), group);
  return group;
}

static GtkWidget *
add_number (GtkWidget *box,
            const char *heading,
            int min,
            int max,
            int step,
            int value,
            GCallback changed,
            AlWindow *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (heading);
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "setting-heading");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  name_widget (spin, heading, NULL);
  g_signal_connect (spin, "value-changed", changed, self);
  g_signal_connect (spin, "value-changed", G_CALLBACK (say_state), self);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), spin);
  gtk_box_append (GTK_BOX (box), row);
  return spin;
}

static guint
chosen (GtkCheckButton *radio)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (radio), "al-index"));
}

static void
language_toggled (GtkCheckButton *radio, AlWindow *self)
{
  AlSettings *settings = settings_of (self);

  if (!gtk_check_button_get_active (radio))
    return;
  g_free (settings->language);
  settings->language = g_strdup (chosen (radio) == 0 ? "nl" : "en");
  save_settings (self);
}

static void
voice_toggled (GtkCheckButton *check, AlWindow *self)
{
  settings_of (self)->voice = gtk_check_button_get_active (check);
  /* The next task follows at once: no picture task for someone who just
   * turned to speech. */
  if (self->queue)
    al_queue_set_voice (self->queue, settings_of (self)->voice);
  save_settings (self);
}

static void
rate_changed (GtkSpinButton *spin, AlWindow *self)
{
  AlSpeech *speech = al_application_get_speech (self->app);

  settings_of (self)->speech_rate = gtk_spin_button_get_value_as_int (spin);
  if (speech)
    al_speech_set_rate (speech, settings_of (self)->speech_rate);
  save_settings (self);
}

static void
echo_toggled (GtkCheckButton *radio, AlWindow *self)
{
  AlEditor *editor = self->editors[AL_TASK_KIND_TRANSCRIBE];

  if (!gtk_check_button_get_active (radio))
    return;
  settings_of (self)->echo = chosen (radio);
  if (editor)
    al_window_settings_apply_editor (self, editor);
  save_settings (self);
}

static void
verbosity_toggled (GtkCheckButton *radio, AlWindow *self)
{
  if (gtk_check_button_get_active (radio))
    al_window_set_verbosity (self, chosen (radio));
}

static void
name_changed (GtkEditable *entry, AlWindow *self)
{
  AlSettings *settings = settings_of (self);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  g_free (settings->name);
  settings->name = *name ? g_utf8_substring (name, 0, 100) : NULL;
  save_settings (self);
}

static void
output_toggled (GtkCheckButton *radio, AlWindow *self)
{
  if (!gtk_check_button_get_active (radio))
    return;
  settings_of (self)->speech_output = chosen (radio);
  save_settings (self);
}

static void
contrast_toggled (GtkCheckButton *radio, AlWindow *self)
{
  static const AlContrast order[] = { AL_CONTRAST_SYSTEM, AL_CONTRAST_ON, AL_CONTRAST_OFF };

  if (!gtk_check_button_get_active (radio))
    return;
  settings_of (self)->contrast = order[chosen (radio)];
  apply_contrast (self);
  save_settings (self);
}

static void
scale_changed (GtkSpinButton *spin, AlWindow *self)
{
  settings_of (self)->text_scale = gtk_spin_button_get_value_as_int (spin);
  apply_text_scale (self, settings_of (self)->text_scale);
  save_settings (self);
}

void
al_window_settings_show (AlWindow *self)
{
  AlSettings *settings = settings_of (self);
  const char *languages[] = { "Nederlands", "English" };
  const char *echoes[] = { _ ("Nothing"), _ ("Each word"), _ ("Each letter") };
  const char *contrasts[] = { _ ("As set on this computer"), _ ("On"), _ ("Off") };
  /* In the order of AlSpeechBackend. */
  const char *outputs[] = { _ ("Automatic: with the screen reader when one runs"),
                            _ ("eSpeak NG, straight from annolab"),
                            _ ("Speech Dispatcher, shared with the screen reader (Orca)") };
  /* In the order of AlVerbosity. */
  const char *verbosities[] = { _ ("Beginner: full sentences"),
                                _ ("Experienced: short words, and tones for saved, next task "
                                   "and error") };
  static const guint contrast_index[]
      = { [AL_CONTRAST_SYSTEM] = 0, [AL_CONTRAST_ON] = 1, [AL_CONTRAST_OFF] = 2 };
  const char *language = settings->language ? settings->language : al_editor_language ();
  GtkWidget *dialog, *scroller, *outer, *box, *voice, *hint, *button, *title;
  g_autofree char *contrast_heading = al_window_label (self, "win.high-contrast");
  g_autofree char *close_keys = al_window_keys_of (self, "dialog.close");
  g_autofree char *intro = NULL;

  if (self->settings_dialog)
    {
      gtk_window_present (self->settings_dialog);
      return;
    }
  dialog = gtk_window_new ();
  self->settings_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->settings_dialog);
  gtk_window_set_title (GTK_WINDOW (dialog), _ ("Settings"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 720, 700);
  al_window_style_dialog (self, GTK_WINDOW (dialog));

  outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_add_css_class (box, "settings");
  title = gtk_label_new (_ ("Settings"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title");
  gtk_accessible_update_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  gtk_box_append (GTK_BOX (box), title);
  /* First, so it is read before the settings and never scrolled away. */
  hint = gtk_label_new (_ ("Every change is saved at once. Tab moves to the next setting, "
                           "Space chooses, the arrow keys change a number."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "body");
  gtk_box_append (GTK_BOX (box), hint);

  /* What a person with low vision needs to read the rest comes first. */
  add_number (box, _ ("Text size in percent (100 to 200)"), 100, 200, 10, settings->text_scale,
              G_CALLBACK (scale_changed), self);
  add_choices (box, contrast_heading, contrasts, G_N_ELEMENTS (contrasts),
               contrast_index[settings->contrast], G_CALLBACK (contrast_toggled), self, NULL);
  add_choices (box, _ ("Language (when annolab starts again)"), languages, 2,
               g_strcmp0 (language, "en") == 0, G_CALLBACK (language_toggled), self, NULL);

  voice = gtk_check_button_new_with_label (_ ("Voice mode: speak everything (when annolab "
                                              "starts again)"));
  name_widget (voice, _ ("Voice mode: speak everything (when annolab starts again)"), NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (voice), settings->voice);
  g_signal_connect (voice, "toggled", G_CALLBACK (voice_toggled), self);
  g_signal_connect (voice, "toggled", G_CALLBACK (say_state), self);
  gtk_box_append (GTK_BOX (box), voice);

  add_number (box, _ ("Speech rate in words per minute (80 to 450)"), 80, 450, 10,
              settings->speech_rate, G_CALLBACK (rate_changed), self);
  add_choices (box, _ ("Say what I type"), echoes, G_N_ELEMENTS (echoes), settings->echo,
               G_CALLBACK (echo_toggled), self, NULL);
  add_choices (box, _ ("Speech output (when annolab starts again)"), outputs,
               G_N_ELEMENTS (outputs), settings->speech_output, G_CALLBACK (output_toggled), self,
               NULL);
  add_choices (box, _ ("How much voice mode says"), verbosities, G_N_ELEMENTS (verbosities),
               settings->verbosity, G_CALLBACK (verbosity_toggled), self, NULL);
  {
    GtkWidget *entry = gtk_entry_new ();
    add_heading (box, _ ("Your name on your work record"));
    gtk_editable_set_text (GTK_EDITABLE (entry), settings->name ? settings->name : "");
    gtk_entry_set_max_length (GTK_ENTRY (entry), 100);
    name_widget (entry, _ ("Your name on your work record"), NULL);
    g_signal_connect (entry, "changed", G_CALLBACK (name_changed), self);
    gtk_box_append (GTK_BOX (box), entry);
  }

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  /* A scrollbar that is always there: an overlay one shows only under the
   * pointer, and then nothing says that more settings follow below. */
  gtk_scrolled_window_set_overlay_scrolling (GTK_SCROLLED_WINDOW (scroller), FALSE);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_focusable (scroller, FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_box_append (GTK_BOX (outer), scroller);

  button = al_window_dialog_close_button (self, GTK_WINDOW (dialog));
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_end (button, 18);
  gtk_widget_set_margin_bottom (button, 18);
  g_object_set_data_full (G_OBJECT (button), "al-name",
                          g_strdup (gtk_button_get_label (GTK_BUTTON (button))), g_free);
  gtk_box_append (GTK_BOX (outer), button);
  gtk_window_set_child (GTK_WINDOW (dialog), outer);

  gtk_window_present (GTK_WINDOW (dialog));
  /* TRANSLATORS: %s is the key that closes the settings, "Escape". */
  intro = g_strdup_printf (_ ("Settings. Tab moves to the next setting; %s closes."), close_keys);
  al_window_announce (self, AL_SPEECH_INTERRUPT, intro);
  g_signal_connect_object (dialog, "notify::focus-widget", G_CALLBACK (focus_moved), self, 0);
}

void
al_window_settings_init (AlWindow *self)
{
  /* The actions (win.settings, win.high-contrast) are in al-window-actions.c. */
  if (gtk_settings_get_default ())
    g_signal_connect_object (gtk_settings_get_default (), "notify::gtk-theme-name",
                             G_CALLBACK (theme_changed), self, G_CONNECT_SWAPPED);
  apply_contrast (self);
  apply_layout (self, al_application_get_options (self->app)->text_scale);
}
