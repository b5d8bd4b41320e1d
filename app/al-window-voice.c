/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "al-key-help-dialog.h"
#include "al-keys.h"
#include "al-window-private.h"

/* Voice mode: what is said where the screen shows something, at the
 * verbosity the participant (or the coach) chose. */

static AlSpeech *
speech_of (AlWindow *self)
{
  return self->app ? al_application_get_speech (self->app) : NULL;
}

gboolean
al_window_experienced (AlWindow *self)
{
  AlSettings *settings = self->app ? al_application_get_settings (self->app) : NULL;

  return settings && settings->verbosity == AL_VERBOSITY_EXPERIENCED;
}

void
al_window_earcon (AlWindow   *self,
                  AlSpeechPriority  priority,
                  AlEarcon    earcon,
                  const char *word)
{
  AlSpeech *speech = speech_of (self);

  if (speech == NULL)
    return;
  al_window_hold_for_speech (self, TRUE);
  al_speech_play_earcon (speech, priority, earcon, al_editor_language (), word);
}

void
al_window_set_verbosity (AlWindow    *self,
                         AlVerbosity  verbosity)
{
  AlSettings *settings = al_application_get_settings (self->app);
  g_autoptr (GError) error = NULL;

  if (settings == NULL || settings->verbosity == verbosity)
    return;
  settings->verbosity = verbosity;
  if (!al_settings_save (settings, &error))
    g_warning ("%s", error->message);
}

/* ---- Keys that do nothing ---- */

static gboolean
is_navigation_or_modifier (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Shift_L: case GDK_KEY_Shift_R:
    case GDK_KEY_Control_L: case GDK_KEY_Control_R:
    case GDK_KEY_Alt_L: case GDK_KEY_Alt_R:
    case GDK_KEY_Meta_L: case GDK_KEY_Meta_R:
    case GDK_KEY_Super_L: case GDK_KEY_Super_R:
    case GDK_KEY_Hyper_L: case GDK_KEY_Hyper_R:
    case GDK_KEY_ISO_Level3_Shift: case GDK_KEY_Caps_Lock: case GDK_KEY_Num_Lock:
    case GDK_KEY_Tab: case GDK_KEY_ISO_Left_Tab: case GDK_KEY_KP_Tab:
    case GDK_KEY_Left: case GDK_KEY_Right: case GDK_KEY_Up: case GDK_KEY_Down:
    case GDK_KEY_Home: case GDK_KEY_End: case GDK_KEY_Page_Up: case GDK_KEY_Page_Down:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A key that nothing took reaches the window last: silence would leave a
 * blind worker wondering whether it was heard at all. */
static gboolean
key_unhandled (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               AlWindow              *self)
{
  g_autofree char *accel = NULL;
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;

  if (speech_of (self) == NULL || is_navigation_or_modifier (keyval))
    return FALSE;
  if (al_window_experienced (self))
    {
      al_window_earcon (self, AL_SPEECH_INTERRUPT, AL_EARCON_ERROR, _("nothing"));
      return TRUE;
    }
  accel = gtk_accelerator_name (keyval, state & gtk_accelerator_get_default_mod_mask ());
  label = al_editor_key_label (accel);
  text = g_strdup_printf (_("%s does nothing here. F1 lists the keys."), label ? label : accel);
  al_window_speak (self, AL_SPEECH_INTERRUPT, NULL, text);
  return TRUE;
}

void
al_window_voice_init (AlWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_BUBBLE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_unhandled), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* ---- The key list (F1 in voice mode) ---- */

static void
item_selected (GtkListBox    *list,
               GtkListBoxRow *row,
               AlWindow      *self)
{
  GtkWidget *label;

  if (row == NULL)
    return;
  label = gtk_list_box_row_get_child (row);
  al_window_speak (self, AL_SPEECH_INTERRUPT, NULL, gtk_label_get_text (GTK_LABEL (label)));
}

/* In the list only the arrow keys and Escape mean something. */
static gboolean
list_key_unhandled (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    AlWindow              *self)
{
  /* Keys with Ctrl or Alt are left to the dialog's shortcuts (Ctrl+I). */
  if (is_navigation_or_modifier (keyval) || keyval == GDK_KEY_Escape ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    return FALSE;
  if (al_window_experienced (self))
    al_window_earcon (self, AL_SPEECH_INTERRUPT, AL_EARCON_ERROR, _("nothing"));
  else
    al_window_speak (self, AL_SPEECH_INTERRUPT, NULL,
                     _("In the key list, Down and Up go through the keys; Escape closes it."));
  return TRUE;
}

/* One item a line of the key help; the arrow keys go through them one at
 * a time, so a blind worker can stop at the one wanted. */
void
al_window_voice_key_list (AlWindow   *self,
                          const char *help)
{
  AlKeyHelpDialog *dialog = al_key_help_dialog_new (GTK_WINDOW (self), help, TRUE);
  GtkListBox *list = al_key_help_dialog_get_list (dialog);
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_autofree char *intro = NULL;
  GtkListBoxRow *first;
  guint n = al_key_help_dialog_get_n_items (dialog);

  al_window_style_dialog (self, GTK_WINDOW (dialog));
  al_key_help_dialog_set_close_button (dialog,
                                al_window_dialog_close_button (self, GTK_WINDOW (dialog)));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (list_key_unhandled), self);
  gtk_widget_add_controller (GTK_WIDGET (dialog), keys);
  first = gtk_list_box_get_row_at_index (list, 0);
  if (first)
    gtk_list_box_select_row (list, first);
  gtk_window_present (GTK_WINDOW (dialog));

  intro = al_window_experienced (self)
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Keys, %u item.", "Keys, %u items.",
                                            n), n)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Keys: %u item. The arrow keys go through the list "
                                            "one key at a time; Escape closes it.",
                                            "Keys: %u items. The arrow keys go through the list "
                                            "one key at a time; Escape closes it.", n), n);
  al_window_speak (self, AL_SPEECH_INTERRUPT, NULL, intro);
  if (first)
    {
      /* The first item follows the introduction instead of cutting it off. */
      gtk_widget_grab_focus (GTK_WIDGET (first));
      al_window_speak (self, AL_SPEECH_QUEUE, NULL,
                       gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (first))));
    }
  g_signal_connect (list, "row-selected", G_CALLBACK (item_selected), self);
}

/* Said when a dialog closes and the keyboard is back on the task. */
void
al_window_dialog_closed (AlWindow   *self,
                         const char *title)
{
  g_autofree char *text = NULL;

  if (speech_of (self) == NULL)
    return;
  if (self->task)
    text = al_window_experienced (self)
             ? g_strdup_printf (_("Task %d."), self->task->number_today)
             : g_strdup_printf (_("%s closed. Back to task %d."), title ? title : _("Window"),
                                self->task->number_today);
  else
    text = g_strdup_printf (_("%s closed."), title ? title : _("Window"));
  al_window_speak (self, AL_SPEECH_INTERRUPT, NULL, text);
}

/* ---- Goodbye ---- */

static gboolean
goodbye_wait (gpointer data)
{
  AlWindow *self = data;
  AlSpeech *speech = speech_of (self);

  if (self->flushed && (speech == NULL || al_speech_get_idle (speech) ||
                        g_get_monotonic_time () > self->goodbye_until_us))
    {
      self->goodbye_source = 0;
      self->closing = 2;
      gtk_window_close (GTK_WINDOW (self));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Ctrl+Q: the last words are heard before the window goes, for at most a
 * few seconds, while the session's end goes to the server. */
void
al_window_say_goodbye (AlWindow *self)
{
  g_autofree char *unsent = self->queue ? al_window_unsent_text (self) : NULL;
  g_autofree char *text = NULL;

  if (unsent)
    text = g_strjoin (" ", unsent, _("Goodbye."), NULL);
  else
    text = g_strdup (al_window_experienced (self) ? _("Saved. Goodbye.")
                                                  : _("Your work is saved. Goodbye."));
  if (speech_of (self))
    {
      /* Whatever was being said gives way to the last words. */
      al_speech_cancel (speech_of (self));
      al_window_speak (self, AL_SPEECH_IMPORTANT, NULL, text);
    }
  gtk_label_set_text (self->status_label, text);
  /* At most 3 seconds: someone who quits wants to go, also when important
   * words still wait before these. */
  self->goodbye_until_us = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  self->goodbye_source = g_timeout_add (40, goodbye_wait, self);
}
