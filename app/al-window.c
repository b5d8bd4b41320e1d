/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-window"

#include "config.h"

#include <glib/gi18n.h>

#include "al-box-editor.h"
#include "al-transcribe-editor.h"
#include "al-window-private.h"
#include "al-feedback.h"
#include "al-keys.h"
#include "al-speech-log.h"
#include "al-work-record.h"

#define DRAFT_DELAY_MS 400


G_DEFINE_FINAL_TYPE (AlWindow, al_window, GTK_TYPE_APPLICATION_WINDOW)


/* GTK 4.8 gives an unnamed accessible its type name, so Orca said
 * "GtkStackPage panel" on every task and "GtkPopoverMenu menu" on the menu.
 * A stack page's role cannot be changed once it exists; a page named as the
 * application is layout to Orca, which then says only what is in it. */
static void
name_pages (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget))
    for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
         child = gtk_widget_get_next_sibling (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_stack_get_page (GTK_STACK (widget), child)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, g_get_application_name (), -1);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    name_pages (child);
}

static void
name_layout (AlWindow *self)
{
  name_pages (GTK_WIDGET (self->stack));
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->topbar)); w;
       w = gtk_widget_get_next_sibling (w))
    for (GtkWidget *b = gtk_widget_get_first_child (w); b; b = gtk_widget_get_next_sibling (b))
      if (GTK_IS_MENU_BUTTON (b) && gtk_menu_button_get_popover (GTK_MENU_BUTTON (b)))
        {
          GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (b)));

          gtk_accessible_update_property (GTK_ACCESSIBLE (popover), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Menu"), -1);
          name_pages (popover);
        }
}

/* Speech holds the recording: the task audio is never talked over. It is
 * held from the moment something is to be said until the speech thread has
 * nothing left to say. */
static void
hold_for_speech (AlWindow *self,
                 gboolean  hold)
{
  AlEditor *editor = self->editors[AL_TASK_KIND_TRANSCRIBE];

  if (editor == NULL || self->speech_holds_audio == hold)
    return;
  self->speech_holds_audio = hold;
  al_transcribe_editor_hold (AL_TRANSCRIBE_EDITOR (editor), hold);
}

/* Speech only: for text that has a place of its own on the screen. */
static void
speak (AlWindow   *self,
       AlAnnounce  priority,
       const char *text)
{
  AlSpeech *speech = self->app ? al_application_get_speech (self->app) : NULL;

  /* A notice is the window's title too, which a screen reader says. */
  if (speech && al_application_get_screen_reader (self->app) &&
      g_strcmp0 (text, gtk_label_get_text (self->notice_label)) == 0)
    return;
  if (speech && text && *text)
    {
      /* Hold the task audio before the words are queued: speech starts on
       * its own thread at once, and must not start over the recording. */
      hold_for_speech (self, TRUE);
      al_speech_say (speech, (AlSpeechPriority) priority, al_editor_language (), text);
    }
}

void
al_window_announce (AlWindow   *self,
                    AlAnnounce  priority,
                    const char *text)
{
  g_autofree char *shown = NULL;
  gboolean reader;

  g_return_if_fail (AL_IS_WINDOW (self));

  reader = self->app && al_application_get_screen_reader (self->app);

  /* One voice: what a screen reader reads from the focused widget's
   * description, annolab does not say again. */
  if (!(reader && (priority & AL_ANNOUNCE_DESCRIBED)))
    speak (self, AL_ANNOUNCE_PRIORITY (priority), text);
  /* One paragraph, so the label's two-line limit holds (Pango limits
   * lines per paragraph); the style keeps two lines' room, so the page
   * above does not move when the text grows or shrinks. */
  shown = g_strdup (text);
  if (shown)
    g_strdelimit (shown, "\n", ' ');
  gtk_label_set_text (self->status_label, shown);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static gboolean
notice_expired (gpointer data)
{
  AlWindow *self = data;

  self->notice_source = 0;
  al_window_show_notice (self, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* The band keeps its place when empty, so the task below never moves; a
 * notice stays long enough to be read twice, then makes way. */
void
al_window_show_notice (AlWindow   *self,
                       const char *css,
                       const char *text)
{
  static const char *const classes[] = { "error", "good", "where", "empty" };
  guint seconds;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->notice_label), classes[i]);
  g_clear_handle_id (&self->notice_source, g_source_remove);
  if (text == NULL || *text == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->notice_label), "empty");
      gtk_label_set_text (self->notice_label, "");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->notice_label),
                                     GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }
  if (css)
    gtk_widget_add_css_class (GTK_WIDGET (self->notice_label), css);
  gtk_label_set_text (self->notice_label, text);
  /* GTK 4.8 cannot announce, and Orca says nothing when an alert's text
   * changes; it does say a new title of the active window. The title keeps
   * the last notice until the next one: a change back would be said too. */
  gtk_window_set_title (GTK_WINDOW (self), text);
  /* About twice the time it takes to read it slowly. */
  seconds = CLAMP (4 + g_utf8_strlen (text, -1) / 15, 6, 30);
  if (g_strcmp0 (css, "error") == 0)
    seconds += seconds / 2;
  self->notice_source = g_timeout_add_seconds (seconds, notice_expired, self);
}

static void
show_message (AlWindow   *self,
              const char *title,
              const char *body)
{
  gtk_label_set_text (self->message_title, title);
  gtk_label_set_text (self->message_body, body ? body : "");
  gtk_stack_set_visible_child_name (self->stack, "message");
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  /* Focusable only while shown, so a screen reader lands on the message. */
  gtk_widget_set_focusable (GTK_WIDGET (self->message_title), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->message_title));
  al_window_announce (self, AL_ANNOUNCE_QUEUE, title);
}

static void
update_progress (AlWindow *self)
{
  g_autofree char *text = NULL;

  if (self->task == NULL)
    {
      gtk_label_set_text (self->progress_label, "");
      return;
    }
  text = g_strdup_printf (_("Task %d today"), self->task->number_today);
  gtk_label_set_text (self->progress_label, text);
}

/* Drafts are saved shortly after the last change, off the main loop, so a
 * crash loses at most the last fraction of a second of typing. */
typedef struct
{
  AlStore *store;
  char *task_id;
  json_t *draft;
} DraftJob;

static void
draft_job_free (DraftJob *job)
{
  al_store_unref (job->store);
  g_free (job->task_id);
  json_decref (job->draft);
  g_free (job);
}

static void
save_draft_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  DraftJob *job = data;
  g_autoptr (GError) error = NULL;

  if (!al_store_save_draft (job->store, job->task_id, job->draft, &error))
    g_warning ("Could not save the draft of task %s: %s", job->task_id, error->message);
  g_task_return_boolean (task, TRUE);
}

void
al_window_save_draft_now (AlWindow *self)
{
  AlEditor *editor;
  DraftJob *job;
  g_autoptr (GTask) gtask = NULL;

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->task == NULL || self->store == NULL)
    return;
  editor = self->editors[self->task->kind];
  job = g_new0 (DraftJob, 1);
  job->store = al_store_ref (self->store);
  job->task_id = g_strdup (self->task->id);
  job->draft = al_editor_get_draft (editor);
  if (job->draft == NULL)
    {
      draft_job_free (job);
      return;
    }
  gtask = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (gtask, job, (GDestroyNotify) draft_job_free);
  g_task_run_in_thread (gtask, save_draft_thread);
}

static gboolean
draft_timeout (gpointer data)
{
  AlWindow *self = data;
  self->draft_source = 0;
  al_window_save_draft_now (self);
  return G_SOURCE_REMOVE;
}

static void
editor_changed (AlEditor *editor,
                AlWindow *self)
{
  if (self->draft_source == 0)
    self->draft_source = g_timeout_add (DRAFT_DELAY_MS, draft_timeout, self);
}

static void
editor_announce (AlEditor   *editor,
                 const char *text,
                 int         priority,
                 AlWindow   *self)
{
  al_window_announce (self, priority, text);
}

static void
editor_ready (AlEditor *editor,
              AlWindow *self)
{
  self->shown_us = g_get_monotonic_time ();
  /* Timings for bench/: one line per task shown. */
  if (g_getenv ("ANNOLAB_TIMING"))
    {
      if (!self->first_task_logged)
        g_printerr ("annolab-timing\tfirst-task\t%.1f\n",
                    (self->shown_us - al_application_started_us (self->app)) / 1000.0);
      else if (self->submitted_us)
        g_printerr ("annolab-timing\tsubmit-to-next\t%.1f\n",
                    (self->shown_us - self->submitted_us) / 1000.0);
      self->first_task_logged = TRUE;
    }
}

static void
editor_broken (AlEditor   *editor,
               const char *reason,
               AlWindow   *self)
{
  g_autofree char *text = NULL;

  if (self->task == NULL)
    return;
  text = g_strdup_printf (_("This task cannot be shown: %s It has been reported, and the next "
                            "task is loading."), reason);
  al_window_show_notice (self, "error", text);
  al_window_announce (self, AL_ANNOUNCE_IMPORTANT, text);
  al_application_log_event (self->app, "task-broken", self->task->id, reason);
  al_queue_report_broken (self->queue, self->task, reason);
  g_clear_pointer (&self->task, al_task_unref);
  al_window_load_next (self);
}

/* Playback on the speech log's clock, for the event log (and bench/). */
static void
playback_changed (AlWindow   *self,
                  GParamSpec *pspec,
                  GObject    *player)
{
  gboolean playing;
  double position;
  char where[G_ASCII_DTOSTR_BUF_SIZE];

  g_object_get (player, "playing", &playing, "position", &position, NULL);
  /* The log is read by programs: a point, whatever the locale says. */
  g_ascii_formatd (where, sizeof where, "%.2f", position);
  al_application_log_event (self->app, playing ? "playback-start" : "playback-stop",
                            self->task ? self->task->id : NULL, where);
  if (!g_getenv ("ANNOLAB_TIMING"))
    return;
  g_printerr ("annolab-timing\tplayback\t%s\t%" G_GINT64_FORMAT "\n", playing ? "start" : "stop",
              al_process_uptime_ms ());
}

static void
speaking_changed (AlWindow   *self,
                  GParamSpec *pspec,
                  AlSpeech   *speech)
{
  /* "speaking" may turn FALSE while newer words already wait: those
   * keep the hold until they have been said. */
  hold_for_speech (self, al_speech_get_speaking (speech) || !al_speech_get_idle (speech));
}

static AlEditor *
editor_for (AlWindow  *self,
            AlTaskKind kind)
{
  AlEditor *editor = self->editors[kind];

  if (editor)
    return editor;
  if (kind == AL_TASK_KIND_BBOX)
    editor = AL_EDITOR (al_box_editor_new ());
  else
    {
      AlTranscribeEditor *te = al_transcribe_editor_new (al_application_get_options (self->app)->sink);
      al_transcribe_editor_set_voice (te, al_application_get_speech (self->app) != NULL);
      al_window_settings_apply_editor (self, AL_EDITOR (te));
      AlKeymap *keymap = al_application_get_keymap (self->app);
      AlSpeech *speech = al_application_get_speech (self->app);
      const AlEditorKey *keys;
      gsize n = 0;

      g_signal_connect_object (al_transcribe_editor_get_player (te), "notify::playing",
                               G_CALLBACK (playback_changed), self, G_CONNECT_SWAPPED);
      keys = al_transcribe_editor_default_keys (&n);
      for (gsize i = 0; keymap && i < n; i++)
        al_transcribe_editor_set_keys (te, keys[i].action, al_keymap_get (keymap, keys[i].action));
      editor = AL_EDITOR (te);
      self->editors[kind] = editor;
      /* Words already on their way hold the first recording too. */
      if (speech && (al_speech_get_speaking (speech) || !al_speech_get_idle (speech)))
        hold_for_speech (self, TRUE);
    }
  self->editors[kind] = editor;
  g_signal_connect (editor, "changed", G_CALLBACK (editor_changed), self);
  g_signal_connect (editor, "announce", G_CALLBACK (editor_announce), self);
  g_signal_connect (editor, "ready", G_CALLBACK (editor_ready), self);
  g_signal_connect (editor, "broken", G_CALLBACK (editor_broken), self);
  gtk_stack_add_named (self->stack, GTK_WIDGET (editor), al_task_kind_to_string (kind));
  name_pages (GTK_WIDGET (self->stack));
  return editor;
}

static void
show_task (AlWindow *self,
           AlTask   *task)
{
  gtk_widget_set_focusable (GTK_WIDGET (self->message_title), FALSE);
  g_autoptr (json_t) draft = NULL;
  AlEditor *editor = editor_for (self, task->kind);
  const char *instructions;
  g_autofree char *intro = NULL;

  g_clear_pointer (&self->task, al_task_unref);
  self->task = al_task_ref (task);
  if (self->store)
    draft = al_store_load_draft (self->store, task->id);
  al_application_log_event (self->app, "task-shown", task->id, al_task_kind_to_string (task->kind));
  al_editor_load (editor, task, draft);
  update_progress (self);
  al_window_session_task_shown (self);
  if (!al_window_session_open (self))
    return;  /* a break: the task waits, loaded, behind the break screen */
  al_window_show_task_page (self);
  self->shown_us = g_get_monotonic_time ();

  instructions = al_task_instructions (task, al_editor_language ());
  intro = g_strdup_printf (_("Task %d today. %s"), task->number_today,
                           instructions ? instructions : "");
  /* The instructions are the description of the field that gets the focus,
   * which a screen reader reads: then annolab says only the number. */
  if (al_application_get_screen_reader (self->app))
    {
      g_autofree char *number = g_strdup_printf (_("Task %d today."), task->number_today);

      speak (self, AL_ANNOUNCE_QUEUE, number);
      al_window_announce (self, AL_ANNOUNCE_QUEUE | AL_ANNOUNCE_DESCRIBED, intro);
    }
  else
    al_window_announce (self, AL_ANNOUNCE_QUEUE, intro);
}

static gboolean
retry_next (gpointer data)
{
  AlWindow *self = data;

  if (self->task == NULL && !self->busy && gtk_widget_get_visible (GTK_WIDGET (self)))
    al_window_load_next (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Back to the task in hand (after a break), or on to the next one. */
void
al_window_show_task_page (AlWindow *self)
{
  AlEditor *editor;

  if (self->reviewing)
    {
      /* Back from a break to the feedback picture it interrupted. */
      editor = self->editors[AL_TASK_KIND_BBOX];
      gtk_stack_set_visible_child (self->stack, GTK_WIDGET (editor));
      gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (editor));
      return;
    }
  if (self->task == NULL)
    {
      if (!self->busy)
        al_window_load_next (self);
      return;
    }
  editor = self->editors[self->task->kind];
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (editor));
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (editor));
  al_window_reveal_focus (self);
}

/* "Your work has been saved" only when the server has all of it. */
char *
al_window_unsent_text (AlWindow *self)
{
  g_autofree char *wait_text = NULL;
  g_autofree char *refused_text = NULL;
  int waiting = 0, refused = 0;

  al_queue_unsent (self->queue, &waiting, &refused);
  if (waiting == 0 && refused == 0)
    return NULL;
  if (waiting)
    wait_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%d answer is still on this computer; it goes to "
                                              "the lab server as soon as the server can be "
                                              "reached.",
                                              "%d answers are still on this computer; they go to "
                                              "the lab server as soon as the server can be "
                                              "reached.", waiting), waiting);
  if (refused)
    refused_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "The lab server did not accept %d answer; it is "
                                                 "kept on this computer.",
                                                 "The lab server did not accept %d answers; they "
                                                 "are kept on this computer.", refused), refused);
  if (wait_text && refused_text)
    return g_strjoin (" ", wait_text, refused_text, NULL);
  return g_strdup (wait_text ? wait_text : refused_text);
}

static void
next_ready (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr (AlWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) task = al_queue_next_finish (AL_QUEUE (source), result, &error);

  self->busy = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error)
    {
      /* Without a server and without a task in hand: try again shortly. */
      show_message (self, _("No task could be loaded"), error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
        g_timeout_add_seconds (5, retry_next, g_object_ref (self));
      return;
    }
  if (task == NULL)
    {
      g_clear_pointer (&self->task, al_task_unref);
      update_progress (self);
      g_autofree char *unsent = al_window_unsent_text (self);
      g_autofree char *body = unsent ? g_strjoin (" ", _("All tasks in the queue have been done."),
                                                  unsent, _("Tell your coach that you are ready."),
                                                  NULL)
                                     : NULL;

      show_message (self, _("There are no tasks left. Well done!"),
                    body ? body : _("All tasks in the queue have been done. Your work has been "
                                    "saved. Tell your coach that you are ready."));
      return;
    }
  show_task (self, task);
}

void
al_window_load_next (AlWindow *self)
{
  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  al_queue_next_async (self->queue, self->cancellable, next_ready, g_object_ref (self));
}

/* In plain words: a participant can do nothing about a refusal but tell
 * the coach, who finds the server's reason in its log. */
static char *
refusal_text (gint64   status,
              gboolean earlier)
{
  const char *what = earlier ? _("The lab server did not accept one of your earlier answers.")
                             : _("The lab server did not accept this answer.");
  const char *why;

  if (status == 409 || status == 404 || status == 410)
    why = _("The task had already been handed in, or it had been closed.");
  else if (status == 400 || status == 422)
    why = _("The server found a problem in the answer.");
  else
    why = _("The server did not say why.");
  return g_strjoin (" ", what, why, _("Your answer is kept on this computer. Please tell your "
                                      "coach."), NULL);
}

/* Sentences joined by one space, leaving out the missing and empty ones. */
static char *
join_words (const char *const *parts,
            gsize              n)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    if (parts[i] && *parts[i])
      g_string_append_printf (out, "%s%s", out->len ? " " : "", parts[i]);
  return g_string_free (out, FALSE);
}

static void show_review (AlWindow   *self,
                         json_t     *feedback,
                         const char *explanation);

static void
submitted (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr (AlWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) response = al_queue_submit_finish (AL_QUEUE (source), result, &error);

  self->busy = FALSE;
  if (response == NULL)
    {
      g_autofree char *text = NULL;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The editor keeps what was typed; nothing is lost. */
      text = g_strdup_printf (_("Your answer could not be saved: %s Your work is still here; "
                                "try again with Ctrl+Enter."), error->message);
      al_window_show_notice (self, "error", text);
      al_window_announce (self, AL_ANNOUNCE_IMPORTANT, text);
      gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), TRUE);
      return;
    }
  if (json_is_true (json_object_get (response, "refused")))
    {
      g_autofree char *text = refusal_text (json_integer_value (json_object_get (response,
                                                                                  "status")),
                                            FALSE);
      al_application_log_event (self->app, "result-refused", self->task->id,
                                json_string_value (json_object_get (response, "reason")));
      al_window_show_notice (self, "error", text);
      al_window_announce (self, AL_ANNOUNCE_IMPORTANT, text);
      g_clear_pointer (&self->task, al_task_unref);
      if (al_window_session_task_done (self))
        al_window_load_next (self);
      return;
    }
  if (json_is_true (json_object_get (response, "queued")))
    {
      /* Kept, not yet received: said as such. Feedback comes when it is. */
      const char *text = _("Kept on this computer. Your answer goes to the lab server as soon "
                           "as the server can be reached.");
      al_window_show_notice (self, NULL, text);
      al_window_announce (self, AL_ANNOUNCE_QUEUE, text);
    }
  else
    {
      json_t *score = json_object_get (response, "score");
      g_autofree char *feedback = score ? al_feedback_render (json_object_get (score, "feedback"),
                                                              al_editor_language ())
                                        : NULL;
      json_t *expl = json_object_get (response, "explanation");
      const char *explanation = json_is_object (expl)
                                  ? json_string_value (json_object_get (expl, al_editor_language ()))
                                : self->task->training
                                  ? al_task_explanation (self->task, al_editor_language ())
                                  : NULL;
      g_autofree char *text = NULL;

      g_clear_pointer (&self->reference, json_decref);
      if (json_is_object (json_object_get (response, "reference")))
        {
          self->reference = json_incref (json_object_get (response, "reference"));
          self->reference_kind = self->task->kind;
        }
      if (self->task->kind == AL_TASK_KIND_BBOX && self->reference)
        {
          show_review (self, json_object_get (score, "feedback"), explanation);
          return;
        }
      /* The next task opens under these words: say which task they are about. */
      {
        const char *parts[] = { _("Saved."),
                                (feedback && *feedback) || explanation
                                  ? _("About the task you just finished:") : NULL,
                                feedback, explanation,
                                self->reference ? _("Press F3 to see the reference answer.") : NULL };
        text = join_words (parts, G_N_ELEMENTS (parts));
      }
      al_window_show_notice (self, "good", text);
      al_window_announce (self, AL_ANNOUNCE_QUEUE, text);
    }
  g_clear_pointer (&self->task, al_task_unref);
  self->tasks_done++;
  if (al_window_session_task_done (self))
    al_window_load_next (self);
}

/* A scored box task stays on screen with the reference drawn in, so the
 * feedback is seen on its own photo, not above the next one. */
static void
show_review (AlWindow   *self,
             json_t     *feedback,
             const char *explanation)
{
  AlEditor *editor = self->editors[AL_TASK_KIND_BBOX];
  g_autofree char *differences = al_feedback_render_differences (feedback, al_editor_language ());
  g_autofree char *well = NULL;
  g_autofree char *text = NULL;
  g_autofree char *spoken = NULL;

  if (differences == NULL || *differences == '\0')
    {
      g_free (differences);
      differences = g_strdup (_("Your boxes match the reference answer."));
    }
  al_box_editor_show_review (AL_BOX_EDITOR (editor), self->reference, differences);
  self->reviewing = TRUE;
  self->review_number = self->task->number_today;
  g_free (self->review_words);
  self->review_words = g_strdup (differences);
  g_clear_pointer (&self->task, al_task_unref);
  self->tasks_done++;
  gtk_button_set_label (self->submit_button, _("Next task (Ctrl+Enter)"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), TRUE);

  {
    const char *parts[] = { _("Saved."), explanation, _("Press Ctrl+Enter for the next task.") };
    text = join_words (parts, G_N_ELEMENTS (parts));
  }
  al_window_show_notice (self, "good", text);
  spoken = g_strjoin (" ", text, differences,
                      _("Your boxes have a solid line, the reference answer a dashed line."), NULL);
  al_window_announce (self, AL_ANNOUNCE_QUEUE, spoken);
}

static void
end_review (AlWindow *self)
{
  self->reviewing = FALSE;
  g_clear_pointer (&self->review_words, g_free);
  al_box_editor_end_review (AL_BOX_EDITOR (self->editors[AL_TASK_KIND_BBOX]));
  gtk_button_set_label (self->submit_button, _("Submit (Ctrl+Enter)"));
  al_window_show_notice (self, NULL, NULL);
  if (al_window_session_task_done (self))
    al_window_load_next (self);
}

static void
submit_activated (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  AlWindow *self = AL_WINDOW (widget);
  AlEditor *editor;
  g_autofree char *problem = NULL;
  g_autoptr (json_t) result = NULL;
  gint64 lead_ms;

  if (self->reviewing && !self->busy && al_window_session_open (self))
    {
      end_review (self);
      return;
    }
  if (self->task == NULL || self->busy || !al_window_session_open (self))
    return;
  editor = self->editors[self->task->kind];
  if (!al_editor_check (editor, &problem))
    {
      al_window_show_notice (self, "error", problem);
      al_window_announce (self, AL_ANNOUNCE_IMPORTANT, problem);
      return;
    }
  result = al_editor_get_result (editor);
  lead_ms = (g_get_monotonic_time () - self->shown_us) / 1000;
  g_clear_handle_id (&self->draft_source, g_source_remove);
  self->busy = TRUE;
  self->submitted_us = g_get_monotonic_time ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  al_queue_submit_async (self->queue, self->task, result, lead_ms, self->cancellable, submitted,
                         g_object_ref (self));
}

/* "Where am I" gets the notice band, in large type, not the status line. */
static void
tell_where (AlWindow   *self,
            const char *text)
{
  al_window_show_notice (self, "where", text);
  speak (self, AL_ANNOUNCE_INTERRUPT, text);
}

static void
where_am_i_activated (GtkWidget  *widget,
                      const char *action,
                      GVariant   *param)
{
  AlWindow *self = AL_WINDOW (widget);
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;
  g_autofree char *session = al_window_session_describe (self);

  if (!al_window_session_open (self))
    {
      tell_where (self, session);
      return;
    }
  if (self->reviewing)
    {
      text = g_strdup_printf (_("Feedback on task %d today. %s Press Ctrl+Enter for the next "
                                "task. %s"), self->review_number, self->review_words, session);
      tell_where (self, text);
      return;
    }
  if (self->task == NULL)
    {
      text = g_strdup_printf ("%s %s", gtk_label_get_text (self->message_title), session);
      tell_where (self, text);
      return;
    }
  where = al_editor_describe (self->editors[self->task->kind]);
  text = g_strdup_printf (_("Task %d today. %s %s"), self->task->number_today, where ? where : "",
                          session);
  tell_where (self, text);
}

static gboolean
close_dialog (GtkWidget *widget,
              GVariant  *args,
              gpointer   data)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));

  gtk_window_destroy (GTK_WINDOW (widget));
  /* Hand the keyboard back to the task, also where no window manager does. */
  if (parent)
    gtk_window_present (parent);
  if (AL_IS_WINDOW (parent))
    al_window_reveal_focus (AL_WINDOW (parent));
  return TRUE;
}

static void
close_dialog_clicked (GtkWidget *dialog)
{
  close_dialog (dialog, NULL, NULL);
}

void
al_window_dialog_closes_with (GtkWindow *dialog,
                              GtkWidget *button)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();

  g_signal_connect_swapped (button, "clicked", G_CALLBACK (close_dialog_clicked), dialog);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new (close_dialog, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (dialog), keys);
}

static void
key_help_activated (GtkWidget  *widget,
                    const char *action,
                    GVariant   *param)
{
  AlWindow *self = AL_WINDOW (widget);
  g_autofree char *editor_keys = NULL;
  g_autofree char *window_keys = NULL;
  g_autofree char *text = NULL;
  GtkWidget *dialog, *box, *label, *scroller, *button;

  if (self->task)
    editor_keys = al_editor_key_help (self->editors[self->task->kind]);
  window_keys = al_keys_window_help (al_application_get_keymap (self->app));
  text = g_strdup_printf ("%s\n\n%s", editor_keys ? editor_keys : "", window_keys);

  dialog = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (dialog), _("Keys"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_hide_on_close (GTK_WINDOW (dialog), FALSE);
  al_window_style_dialog (self, GTK_WINDOW (dialog));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  /* A read-only text in a scroller: at twice the text size the list is
   * taller than the screen, and the arrow keys and Page Down scroll it. */
  label = gtk_text_view_new ();
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (label)), text, -1);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (label), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (label), GTK_WRAP_WORD);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (label), FALSE);
  gtk_widget_add_css_class (label, "body");
  gtk_widget_add_css_class (label, "key-help");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Keys"),
                                  -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  /* Always shown: a line cut off at the bottom must look like "more below". */
  gtk_scrolled_window_set_overlay_scrolling (GTK_SCROLLED_WINDOW (scroller), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 820, 640);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_focusable (scroller, FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  button = gtk_button_new_with_label (_("Close (Escape)"));
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), button);
  gtk_window_set_child (GTK_WINDOW (dialog), box);
  al_window_dialog_closes_with (GTK_WINDOW (dialog), button);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (button);
  /* The dialog is its place on screen; the status line keeps its own text. */
  speak (self, AL_ANNOUNCE_INTERRUPT, text);
}

static char *
describe_reference (AlWindow *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  json_t *boxes, *box;
  size_t i;

  if (self->reference_kind == AL_TASK_KIND_TRANSCRIBE)
    return g_strdup_printf (_("The reference transcript is: %s"),
                            json_string_value (json_object_get (self->reference, "text")));
  boxes = json_object_get (self->reference, "boxes");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "The reference has %zu box:",
                                             "The reference has %zu boxes:",
                                             json_array_size (boxes)),
                          json_array_size (boxes));
  json_array_foreach (boxes, i, box)
    g_string_append_printf (text, " %s (x %.0f, y %.0f, %.0f × %.0f)%s",
                            json_string_value (json_object_get (box, "label")),
                            json_number_value (json_object_get (box, "x")),
                            json_number_value (json_object_get (box, "y")),
                            json_number_value (json_object_get (box, "w")),
                            json_number_value (json_object_get (box, "h")),
                            i + 1 < json_array_size (boxes) ? ";" : ".");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
reference_activated (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  AlWindow *self = AL_WINDOW (widget);
  g_autofree char *text = NULL;

  if (self->reference == NULL)
    {
      al_window_announce (self, AL_ANNOUNCE_INTERRUPT,
                          _("There is no reference answer to show: it comes after a practice "
                            "or check task."));
      return;
    }
  text = describe_reference (self);
  al_window_show_notice (self, NULL, text);
  al_window_announce (self, AL_ANNOUNCE_INTERRUPT, text);
}

static void
ask_help_activated (GtkWidget  *widget,
                    const char *action,
                    GVariant   *param)
{
  AlWindow *self = AL_WINDOW (widget);
  g_autoptr (json_t) data = json_object ();

  if (self->task)
    json_object_set_new (data, "task_id", json_string (self->task->id));
  al_queue_post_event (self->queue, "help", data);
  al_window_show_notice (self, NULL, _("Your coach has been asked to come to you."));
  al_window_announce (self, AL_ANNOUNCE_IMPORTANT, _("Your coach has been asked to come to you."));
}

static char *
record_path (const char *extension)
{
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("%s-%s.%s", _("annolab-work-record"), day, extension);

  return g_build_filename (dir ? dir : g_get_home_dir (), name, NULL);
}

static void
record_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr (AlWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) record = al_queue_record_finish (AL_QUEUE (source), result, &error);
  g_autofree char *html_path = record_path ("html");
  g_autofree char *json_path = record_path ("json");
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;

  if (record)
    {
      html = al_work_record_to_html (record);
      if (json_dump_file (record, json_path, JSON_INDENT (2) | JSON_PRESERVE_ORDER) != 0)
        g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("Cannot write %s."), json_path);
      else
        g_file_set_contents (html_path, html, -1, &error);
    }
  if (error)
    {
      text = g_strdup_printf (_("Your work record could not be saved: %s"), error->message);
      al_window_show_notice (self, "error", text);
      al_window_announce (self, AL_ANNOUNCE_IMPORTANT, text);
      return;
    }
  text = g_strdup_printf (_("Your work record has been saved as %s, ready to print."), html_path);
  al_window_show_notice (self, "good", text);
  al_window_announce (self, AL_ANNOUNCE_QUEUE, text);
}

static void
export_record_activated (GtkWidget  *widget,
                         const char *action,
                         GVariant   *param)
{
  AlWindow *self = AL_WINDOW (widget);
  al_queue_record_async (self->queue, self->cancellable, record_ready, g_object_ref (self));
}

static void
pause_activated (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  al_window_session_toggle_pause (AL_WINDOW (widget));
}

static void
flushed (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr (AlWindow) self = data;

  al_queue_flush_finish (AL_QUEUE (source), result);
  self->closing = 2;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
al_window_close_request (GtkWindow *window)
{
  AlWindow *self = AL_WINDOW (window);

  /* Keep what was typed when the window closes. */
  if (self->draft_source)
    al_window_save_draft_now (self);
  if (self->queue && self->closing == 0)
    {
      /* The end of the session goes out first, for at most two seconds;
       * what does not make it is sent at the next start. */
      self->closing = 1;
      al_window_session_quit (self);
      al_queue_flush_async (self->queue, 2000, flushed, g_object_ref (self));
    }
  if (self->closing == 1)
    return TRUE;
  return GTK_WINDOW_CLASS (al_window_parent_class)->close_request (window);
}

static void
online_changed (AlQueue    *queue,
                GParamSpec *pspec,
                AlWindow   *self)
{
  gboolean online = al_queue_get_online (queue);
  const char *text = online ? _("The lab server can be reached again. Your work is being sent.")
                            : _("The lab server cannot be reached. You can keep working: your "
                                "answers are kept on this computer and sent later.");

  /* The notice below gives way to the next one; this label stays while the
   * server is away, so the state is always there to read. */
  gtk_label_set_text (self->connection_label, _("No connection to the lab server"));
  gtk_widget_set_visible (GTK_WIDGET (self->connection_label), !online);
  al_window_show_notice (self, online ? "good" : "error", text);
  al_window_announce (self, AL_ANNOUNCE_IMPORTANT, text);
}

static void
queue_notice (AlQueue  *queue,
              json_t   *notice,
              AlWindow *self)
{
  const char *type = json_string_value (json_object_get (notice, "type"));

  if (g_strcmp0 (type, "help_ack") == 0)
    {
      al_window_show_notice (self, "good", _("Your coach is coming."));
      al_window_announce (self, AL_ANNOUNCE_IMPORTANT, _("Your coach is coming."));
    }
  al_window_session_notice (self, notice);
}

/* Feedback on a check task arrives when the server has scored it. */
static void
queue_delivered (AlQueue    *queue,
                 const char *task_id,
                 json_t     *response,
                 AlWindow   *self)
{
  json_t *score = json_object_get (response, "score");
  json_t *expl = json_object_get (response, "explanation");
  g_autofree char *feedback = NULL;
  g_autofree char *text = NULL;
  const char *explanation = json_string_value (json_object_get (expl, al_editor_language ()));

  if (score == NULL && explanation == NULL)
    return;
  feedback = score ? al_feedback_render (json_object_get (score, "feedback"), al_editor_language ())
                   : NULL;
  g_clear_pointer (&self->reference, json_decref);
  if (json_is_object (json_object_get (response, "reference")))
    {
      self->reference = json_incref (json_object_get (response, "reference"));
      self->reference_kind = json_object_get (self->reference, "boxes") ? AL_TASK_KIND_BBOX
                                                                         : AL_TASK_KIND_TRANSCRIBE;
    }
  /* It comes while another task may be open: say that it is about an earlier one. */
  {
    const char *parts[] = { _("About a task you finished earlier:"), feedback, explanation,
                            self->reference ? _("Press F3 to see the reference answer.") : NULL };
    text = join_words (parts, G_N_ELEMENTS (parts));
  }
  al_window_show_notice (self, "good", text);
  al_window_announce (self, AL_ANNOUNCE_QUEUE, text);
}

static void
queue_refused (AlQueue    *queue,
               const char *task_id,
               int         status,
               const char *reason,
               AlWindow   *self)
{
  g_autofree char *text = refusal_text (status, TRUE);

  al_application_log_event (self->app, "result-refused", task_id, reason);
  al_window_show_notice (self, "error", text);
  al_window_announce (self, AL_ANNOUNCE_IMPORTANT, text);
}

static void
al_window_dispose (GObject *object)
{
  AlWindow *self = AL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->draft_source)
    al_window_save_draft_now (self);
  g_clear_handle_id (&self->notice_source, g_source_remove);
  al_window_session_stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_WINDOW);
  G_OBJECT_CLASS (al_window_parent_class)->dispose (object);
}

static void
al_window_finalize (GObject *object)
{
  AlWindow *self = AL_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->task, al_task_unref);
  g_clear_pointer (&self->reference, json_decref);
  g_clear_pointer (&self->review_words, g_free);
  G_OBJECT_CLASS (al_window_parent_class)->finalize (object);
}

static void
al_window_class_init (AlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = al_window_dispose;
  object_class->finalize = al_window_finalize;
  window_class->close_request = al_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/annolab/Workstation/al-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AlWindow, topbar);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, page_scroller);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, clock_label);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, message_title);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, message_body);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, submit_button);

  gtk_widget_class_install_action (widget_class, "win.submit", NULL, submit_activated);
  gtk_widget_class_install_action (widget_class, "win.where-am-i", NULL, where_am_i_activated);
  gtk_widget_class_install_action (widget_class, "win.key-help", NULL, key_help_activated);
  gtk_widget_class_install_action (widget_class, "win.ask-help", NULL, ask_help_activated);
  gtk_widget_class_install_action (widget_class, "win.reference", NULL, reference_activated);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_activated);
  gtk_widget_class_install_action (widget_class, "win.export-record", NULL,
                                   export_record_activated);
}

static void
load_css (void)
{
  static gboolean done;
  GtkCssProvider *provider;

  if (done)
    return;
  done = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/nl/annolab/Workstation/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
}

static void
al_window_init (AlWindow *self)
{
  load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
  al_window_show_notice (self, NULL, NULL);
  self->cancellable = g_cancellable_new ();
  self->break_view = al_break_view_new ();
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->break_view), "break");
  name_layout (self);
}

AlWindow *
al_window_new (AlApplication *app)
{
  AlWindow *self = g_object_new (AL_TYPE_WINDOW, "application", app, NULL);

  self->app = app;
  self->queue = al_application_get_queue (app);
  self->store = al_application_get_store (app);
  g_signal_connect_object (self->queue, "notify::online", G_CALLBACK (online_changed), self, 0);
  g_signal_connect_object (self->queue, "notice", G_CALLBACK (queue_notice), self, 0);
  g_signal_connect_object (self->queue, "delivered", G_CALLBACK (queue_delivered), self, 0);
  g_signal_connect_object (self->queue, "refused", G_CALLBACK (queue_refused), self, 0);
  if (al_application_get_speech (app))
    g_signal_connect_object (al_application_get_speech (app), "notify::speaking",
                             G_CALLBACK (speaking_changed), self, G_CONNECT_SWAPPED);
  al_window_settings_init (self);
  al_window_session_start (self);
  if (al_application_get_keys_problem (app))
    {
      g_autofree char *text = g_strdup_printf (_("Your own keys could not be used, so the "
                                                 "standard keys apply. %s"),
                                               al_application_get_keys_problem (app));
      al_window_show_notice (self, "error", text);
      al_window_announce (self, AL_ANNOUNCE_IMPORTANT, text);
    }
  if (al_window_session_open (self))
    al_window_load_next (self);
  return self;
}

AlWindow *
al_window_new_error (AlApplication *app,
                     const char    *message)
{
  AlWindow *self = g_object_new (AL_TYPE_WINDOW, "application", app, NULL);

  self->app = app;
  al_window_settings_init (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.submit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.ask-help", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-record", FALSE);
  show_message (self, _("annolab cannot start"), message);
  return self;
}
