/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "al-pass-chooser.h"
#include "al-window-private.h"

/* "I can't do this one": a small chooser for the reason, then the task
 * goes back to the pool for someone else. A pass is no answer, so it
 * counts as neither right nor wrong. */

static void
passed (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  g_autoptr (AlWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  const char *code = self->pass_reason;

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
                             "loading."), al_pass_reason_words (code));
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
  g_free (self->pass_reason);
  self->pass_reason = g_strdup (code);
  al_queue_pass_async (self->queue, self->task, code, self->cancellable, passed,
                       g_object_ref (self));
}

static void
chosen (AlPassChooser *dialog,
        const char    *code,
        AlWindow      *self)
{
  g_autofree char *kept = g_strdup (code);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (self));
  pass_with (self, kept);
}

static void
say_focused (AlPassChooser *dialog,
             const char    *name,
             AlWindow      *self)
{
  al_window_announce (self, AL_SPEECH_INTERRUPT, name);
}

static void
closed (AlPassChooser *dialog,
        AlWindow      *self)
{
  if (!al_pass_chooser_get_chosen (dialog))
    al_window_announce (self, AL_SPEECH_INTERRUPT, _ ("Not passed on. Back to the task."));
}

void
al_window_pass (AlWindow *self)
{
  AlPassChooser *dialog;
  GtkWidget *button;
  g_autofree char *intro = NULL;
  const char *first;

  if (self->task == NULL || self->busy || self->reviewing || !al_window_session_open (self))
    {
      al_window_announce (self, AL_SPEECH_INTERRUPT, _ ("There is no task to pass on now."));
      return;
    }
  dialog = al_pass_chooser_new (GTK_WINDOW (self));
  al_window_style_dialog (self, GTK_WINDOW (dialog));
  button = al_window_dialog_close_button (self, GTK_WINDOW (dialog));
  {
    g_autofree char *close_keys = al_window_keys_of (self, "dialog.close");
    /* TRANSLATORS: %s is the key that closes the chooser, "Escape". */
    g_autofree char *cancel = g_strdup_printf (_ ("Cancel (%s)"), close_keys);

    gtk_button_set_label (GTK_BUTTON (button), cancel);
  }
  al_pass_chooser_set_close_button (dialog, button);
  g_signal_connect_object (dialog, "reason-chosen", G_CALLBACK (chosen), self, 0);
  g_signal_connect_object (dialog, "announce", G_CALLBACK (say_focused), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (closed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  first = al_pass_chooser_focus_first (dialog);
  intro = g_strdup_printf (_ ("Pass on this task. Why can't you do it? Choose with the arrow keys "
                              "and Enter, or press 1 to %zu. Escape goes back to the task. %s"),
                           (gsize) al_pass_chooser_get_n_reasons (dialog), first);
  al_window_announce (self, AL_SPEECH_INTERRUPT, intro);
}
