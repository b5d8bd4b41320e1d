/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "al-window-private.h"

/* "I can't do this one": a small chooser for the reason, then the task
 * goes back to the pool for someone else. A pass is no answer, so it
 * counts as neither right nor wrong. */

static const struct
{
  const char *code;   /* as the store and the server know it */
  const char *words;
} reasons[] = {
  { "noisy", N_ ("Too noisy or unclear") },
  { "language", N_ ("Wrong language") },
  { "not_for_me", N_ ("Not for me") },
  { "other", N_ ("Something else") },
};

static const char *
reason_words (const char *code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (reasons[i].code, code))
      return _ (reasons[i].words);
  return code;
}

static void
passed (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  g_autoptr (AlWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  const char *code = g_object_get_data (G_OBJECT (self), "al-pass-reason");

  self->busy = FALSE;
  if (!al_queue_pass_finish (AL_QUEUE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), TRUE);
      if (g_error_matches (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_PASSES))
        text = g_strdup (_ ("You cannot pass on more tasks today. Please do this one, or press "
                            "F2 to call your coach."));
      else
        text = g_strdup_printf (_ ("The task could not be passed on: %s"), error->message);
      al_window_show_notice (self, "error", text);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
      return;
    }
  al_application_log_event (self->app, "task-passed", self->task ? self->task->id : NULL, code);
  text = g_strdup_printf (_ ("Passed on: %s. The task goes to someone else; the next task is "
                             "loading."), reason_words (code));
  al_window_show_notice (self, NULL, text);
  al_window_announce (self, AL_SPEECH_IMPORTANT, text);
  g_clear_pointer (&self->task, al_task_unref);
  al_window_load_next (self);
}

static void
pass_with (AlWindow   *self,
           const char *code)
{
  if (self->task == NULL || self->busy)
    return;
  g_clear_handle_id (&self->draft_source, g_source_remove);
  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  /* Kept for the words afterwards. */
  g_object_set_data_full (G_OBJECT (self), "al-pass-reason", g_strdup (code), g_free);
  al_queue_pass_async (self->queue, self->task, code, self->cancellable, passed,
                       g_object_ref (self));
}

static void
chosen (GtkButton *button,
        AlWindow  *self)
{
  GtkWidget *dialog = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (button)));
  const char *code = g_object_get_data (G_OBJECT (button), "al-reason");

  g_object_set_data (G_OBJECT (dialog), "al-chosen", GINT_TO_POINTER (TRUE));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (self));
  pass_with (self, code);
}

static gboolean
digit_pressed (GtkWidget *dialog,
               GVariant  *args,
               gpointer   data)
{
  GtkWidget *button = g_object_get_data (G_OBJECT (dialog), g_variant_get_string (args, NULL));

  if (button)
    gtk_widget_activate (button);
  return TRUE;
}

static void
say_focused (GtkEventControllerFocus *focus,
             AlWindow                *self)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));
  GObject *dialog = G_OBJECT (gtk_widget_get_root (button));
  const char *name = g_object_get_data (G_OBJECT (button), "al-name");

  /* The first reason is said with the question, not over it. */
  if (g_object_get_data (dialog, "al-quiet"))
    {
      g_object_set_data (dialog, "al-quiet", NULL);
      return;
    }
  if (name)
    al_window_announce (self, AL_SPEECH_INTERRUPT, name);
}

static void
closed (GtkWidget *dialog,
        AlWindow  *self)
{
  if (!g_object_get_data (G_OBJECT (dialog), "al-chosen"))
    al_window_announce (self, AL_SPEECH_INTERRUPT, _ ("Not passed on. Back to the task."));
}

void
al_window_pass (AlWindow *self)
{
  GtkEventController *keys;
  GtkWidget *dialog, *box, *title, *button, *first = NULL;
  g_autofree char *intro = NULL;

  if (self->task == NULL || self->busy || self->reviewing || !al_window_session_open (self))
    {
      al_window_announce (self, AL_SPEECH_INTERRUPT, _ ("There is no task to pass on now."));
      return;
    }
  dialog = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (dialog), _ ("Pass on this task"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, -1);
  al_window_style_dialog (self, GTK_WINDOW (dialog));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  title = gtk_label_new (_ ("Why can't you do this task? It goes to someone else, and counts as "
                            "neither right nor wrong."));
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "body");
  gtk_box_append (GTK_BOX (box), title);

  keys = gtk_shortcut_controller_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autofree char *label = g_strdup_printf ("%zu  %s", i + 1, _ (reasons[i].words));
      g_autofree char *digit = g_strdup_printf ("%zu", i + 1);
      GtkEventController *focus = gtk_event_controller_focus_new ();

      button = gtk_button_new_with_label (label);
      g_object_set_data (G_OBJECT (button), "al-reason", (gpointer) reasons[i].code);
      g_object_set_data_full (G_OBJECT (button), "al-name", g_strdup (label), g_free);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      gtk_widget_set_halign (gtk_button_get_child (GTK_BUTTON (button)), GTK_ALIGN_START);
      g_signal_connect (button, "clicked", G_CALLBACK (chosen), self);
      g_signal_connect (focus, "enter", G_CALLBACK (say_focused), self);
      gtk_widget_add_controller (button, focus);
      gtk_box_append (GTK_BOX (box), button);
      g_object_set_data (G_OBJECT (dialog), digit, button);
      for (guint kp = 0; kp < 2; kp++)
        gtk_shortcut_controller_add_shortcut (
          GTK_SHORTCUT_CONTROLLER (keys),
          gtk_shortcut_new_with_arguments (
            gtk_keyval_trigger_new ((kp ? GDK_KEY_KP_1 : GDK_KEY_1) + (guint) i, 0),
            gtk_callback_action_new (digit_pressed, NULL, NULL), "s", digit));
      if (first == NULL)
        first = button;
    }
  gtk_widget_add_controller (dialog, keys);
  button = al_window_dialog_close_button (self, GTK_WINDOW (dialog));
  {
    g_autofree char *close_keys = al_window_keys_of (self, "dialog.close");
    /* TRANSLATORS: %s is the key that closes the chooser, "Escape". */
    g_autofree char *cancel = g_strdup_printf (_ ("Cancel (%s)"), close_keys);

    gtk_button_set_label (GTK_BUTTON (button), cancel);
  }
  gtk_box_append (GTK_BOX (box), button);
  gtk_window_set_child (GTK_WINDOW (dialog), box);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (closed), self, 0);
  g_object_set_data (G_OBJECT (dialog), "al-quiet", GINT_TO_POINTER (TRUE));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (first);
  intro = g_strdup_printf (_ ("Pass on this task. Why can't you do it? Choose with the arrow keys "
                              "and Enter, or press 1 to %zu. Escape goes back to the task. %s"),
                           G_N_ELEMENTS (reasons), (char *) g_object_get_data (G_OBJECT (first),
                                                                               "al-name"));
  al_window_announce (self, AL_SPEECH_INTERRUPT, intro);
}
