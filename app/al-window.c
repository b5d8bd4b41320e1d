/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "al-box-editor.h"
#include "al-classify-editor.h"
#include "al-review-editor.h"
#include "al-video-box-editor.h"
#include "al-transcribe-editor.h"
#include "al-window-private.h"
#include "al-feedback.h"
#include "al-keys.h"
#include "al-player.h"
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
void
al_window_hold_for_speech (AlWindow *self,
                           gboolean  hold)
{
  AlEditor *words = self->editors[AL_TASK_KIND_TRANSCRIBE];
  AlEditor *choices = self->editors[AL_TASK_KIND_CLASSIFY];
  AlEditor *cues = self->editors[AL_TASK_KIND_SUBTITLE_REVIEW];

  if ((words == NULL && choices == NULL && cues == NULL) || self->speech_holds_audio == hold)
    return;
  self->speech_holds_audio = hold;
  if (words)
    al_transcribe_editor_hold (AL_TRANSCRIBE_EDITOR (words), hold);
  if (choices)
    al_classify_editor_hold (AL_CLASSIFY_EDITOR (choices), hold);
  if (cues)
    al_review_editor_hold (AL_REVIEW_EDITOR (cues), hold);
}

/* Speech only: for text that has a place of its own on the screen. */
void
al_window_speak (AlWindow   *self,
                 AlSpeechPriority  priority,
                 const char *language,
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
      al_window_hold_for_speech (self, TRUE);
      al_speech_say (speech, priority,
                     language ? language : al_editor_language (), text);
    }
}

void
al_window_announce (AlWindow         *self,
                    AlSpeechPriority  priority,
                    const char       *text)
{
  g_autofree char *shown = NULL;
  gboolean reader;

  g_return_if_fail (AL_IS_WINDOW (self));

  reader = self->app && al_application_get_screen_reader (self->app);

  /* One voice: what a screen reader reads from the focused widget's
   * description, annolab does not say again. */
  if (!(reader && (priority & AL_SPEECH_DESCRIBED)))
    al_window_speak (self, AL_SPEECH_PRIORITY_OF (priority), NULL, text);
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
  self->notice_asks = FALSE;
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
  al_window_announce (self, AL_SPEECH_QUEUE, title);
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
  /* "The text field is still empty" is answered by typing: it goes. */
  if (self->notice_asks)
    al_window_show_notice (self, NULL, NULL);
}

typedef struct
{
  int priority;
  char *language;
  char *text;
} HeldWords;

static void
held_words_free (HeldWords *held)
{
  g_free (held->language);
  g_free (held->text);
  g_free (held);
}

static void
announce_in (AlWindow   *self,
             AlSpeechPriority  priority,
             const char *language,
             const char *text)
{
  if (language == NULL || g_strcmp0 (language, al_editor_language ()) == 0)
    al_window_announce (self, priority, text);
  else
    {
      /* The recording's own words, in its own voice; the status line shows them too. */
      al_window_speak (self, priority, language, text);
      gtk_label_set_text (self->status_label, text);
    }
}

static void
editor_announce (AlEditor   *editor,
                 const char *text,
                 int         priority,
                 const char *language,
                 AlWindow   *self)
{
  /* While a task loads, its description waits for the task number and
   * instructions, which come first. */
  if (self->held_words)
    {
      HeldWords *held = g_new0 (HeldWords, 1);
      held->priority = priority;
      held->language = g_strdup (language);
      held->text = g_strdup (text);
      g_ptr_array_add (self->held_words, held);
      return;
    }
  announce_in (self, priority, language, text);
}

static void
playback_heard (AlWindow *self,
                gint64    monotonic_us)
{
  g_autofree char *ms = NULL;
  /* On the logs' clock: the probe's moment, not this later one. */
  ms = g_strdup_printf ("%" G_GINT64_FORMAT,
                        al_process_uptime_ms () - (g_get_monotonic_time () - monotonic_us) / 1000);
  al_application_log_event (self->app, "playback-heard", self->task ? self->task->id : NULL, ms);
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
  al_window_announce (self, AL_SPEECH_IMPORTANT, text);
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
  al_window_hold_for_speech (self, al_speech_get_speaking (speech) || !al_speech_get_idle (speech));
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
  else if (kind == AL_TASK_KIND_VIDEO_BOXES)
    editor = AL_EDITOR (al_video_box_editor_new ());
  else if (kind == AL_TASK_KIND_CLASSIFY)
    {
      AlClassifyEditor *ce = al_classify_editor_new (al_application_get_options (self->app)->sink);
      AlSpeech *speech = al_application_get_speech (self->app);

      al_classify_editor_set_voice (ce, speech != NULL);
      g_signal_connect_object (al_classify_editor_get_player (ce), "notify::playing",
                               G_CALLBACK (playback_changed), self, G_CONNECT_SWAPPED);
      /* The other recording's editor may hold already: this one joins it. */
      if (self->speech_holds_audio)
        al_classify_editor_hold (ce, TRUE);
      editor = AL_EDITOR (ce);
      self->editors[kind] = editor;
      if (speech && (al_speech_get_speaking (speech) || !al_speech_get_idle (speech)))
        al_window_hold_for_speech (self, TRUE);
    }
  else if (kind == AL_TASK_KIND_SUBTITLE_REVIEW)
    {
      AlReviewEditor *re = al_review_editor_new (al_application_get_options (self->app)->sink);
      AlSpeech *speech = al_application_get_speech (self->app);

      al_review_editor_set_voice (re, speech != NULL);
      g_signal_connect_object (al_review_editor_get_player (re), "notify::playing",
                               G_CALLBACK (playback_changed), self, G_CONNECT_SWAPPED);
      if (self->speech_holds_audio)
        al_review_editor_hold (re, TRUE);
      editor = AL_EDITOR (re);
      self->editors[kind] = editor;
      if (speech && (al_speech_get_speaking (speech) || !al_speech_get_idle (speech)))
        al_window_hold_for_speech (self, TRUE);
    }
  else
    {
      AlTranscribeEditor *te = al_transcribe_editor_new (al_application_get_options (self->app)->sink);
      al_transcribe_editor_set_voice (te, al_application_get_speech (self->app) != NULL);
      al_window_settings_apply_editor (self, AL_EDITOR (te));
      AlSpeech *speech = al_application_get_speech (self->app);

      g_signal_connect_object (al_transcribe_editor_get_player (te), "notify::playing",
                               G_CALLBACK (playback_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (al_transcribe_editor_get_player (te), "first-sample",
                               G_CALLBACK (playback_heard), self, G_CONNECT_SWAPPED);
      al_transcribe_editor_set_brief (te, al_window_experienced (self));
      editor = AL_EDITOR (te);
      self->editors[kind] = editor;
      if (self->speech_holds_audio)
        al_transcribe_editor_hold (te, TRUE);
      /* Words already on their way hold the first recording too. */
      if (speech && (al_speech_get_speaking (speech) || !al_speech_get_idle (speech)))
        al_window_hold_for_speech (self, TRUE);
    }
  self->editors[kind] = editor;
  /* Every key in force, so the editor's hints name the window's keys too. */
  {
    AlKeymap *keymap = al_application_get_keymap (self->app);
    g_auto (GStrv) actions = keymap ? al_keymap_list_actions (keymap) : NULL;

    for (guint i = 0; actions && actions[i]; i++)
      al_editor_set_keys (editor, actions[i], al_keymap_get (keymap, actions[i]));
  }
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
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_words_free);

  g_clear_pointer (&self->task, al_task_unref);
  self->task = al_task_ref (task);
  if (self->store)
    draft = al_store_load_draft (self->store, task->id);
  al_application_log_event (self->app, "task-shown", task->id, al_task_kind_to_string (task->kind));
  if (AL_IS_TRANSCRIBE_EDITOR (editor))
    al_transcribe_editor_set_brief (AL_TRANSCRIBE_EDITOR (editor), al_window_experienced (self));
  self->held_words = held;
  al_editor_load (editor, task, draft);
  self->held_words = NULL;
  if (self->task != task)
    return;  /* it could not be shown, and the next one is on its way */
  update_progress (self);
  al_window_session_task_shown (self);
  if (!al_window_session_open (self))
    return;  /* a break: the task waits, loaded, behind the break screen */
  al_window_show_task_page (self);
  self->shown_us = g_get_monotonic_time ();

  instructions = al_task_instructions (task, al_editor_language ());
  if (al_window_experienced (self))
    {
      /* A tone and the number; the instructions only when they are new. */
      gboolean same = g_strcmp0 (instructions, self->last_instructions) == 0;
      al_window_earcon (self, AL_SPEECH_QUEUE, AL_EARCON_NEXT_TASK, NULL);
      intro = g_strdup_printf (_("Task %d."), task->number_today);
      if (!same && instructions)
        {
          g_autofree char *both = g_strjoin (" ", intro, instructions, NULL);
          g_free (intro);
          intro = g_steal_pointer (&both);
        }
    }
  else
    intro = g_strdup_printf (_("Task %d today. %s"), task->number_today,
                             instructions ? instructions : "");
  g_free (self->last_instructions);
  self->last_instructions = g_strdup (instructions);
  /* The instructions are the description of the field that gets the focus,
   * which a screen reader reads: then annolab says only the number. */
  if (al_application_get_screen_reader (self->app))
    {
      g_autofree char *number = g_strdup_printf (_("Task %d today."), task->number_today);

      al_window_speak (self, AL_SPEECH_QUEUE, NULL, number);
      al_window_announce (self, AL_SPEECH_QUEUE | AL_SPEECH_DESCRIBED, intro);
    }
  else
    al_window_announce (self, AL_SPEECH_QUEUE, intro);
  for (guint i = 0; i < held->len; i++)
    {
      HeldWords *words = g_ptr_array_index (held, i);
      announce_in (self, words->priority, words->language, words->text);
    }
  if (task->kind == AL_TASK_KIND_CLASSIFY)
    al_classify_editor_announce_choices (AL_CLASSIFY_EDITOR (editor));
  else if (task->kind == AL_TASK_KIND_SUBTITLE_REVIEW)
    al_review_editor_announce_cue (AL_REVIEW_EDITOR (editor));
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

      if (al_queue_get_voice (self->queue))
        {
          /* Other work may wait that needs the screen: say why none comes. */
          g_autofree char *words = g_strjoin (" ", _("In voice mode you get the tasks you can do "
                                                     "by listening, and none of those are left. "
                                                     "Tell your coach that you are ready; your "
                                                     "coach can give you other work."),
                                              unsent ? unsent : _("Your work has been saved."),
                                              NULL);
          show_message (self, _("There are no tasks left for you in voice mode."), words);
          al_window_announce (self, AL_SPEECH_QUEUE, words);
          return;
        }
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

static char *
see_reference_text (AlWindow *self)
{
  g_autofree char *keys = al_window_keys_of (self, "win.reference");

  return g_strdup_printf (_("Press %s to see the reference answer."), keys);
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
      g_autofree char *keys = al_window_keys_of (self, "win.submit");

      text = g_strdup_printf (_("Your answer could not be saved: %s Your work is still here; "
                                "try again with %s."), error->message, keys);
      al_window_show_notice (self, "error", text);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
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
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
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
      al_window_announce (self, AL_SPEECH_QUEUE, text);
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
          g_free (self->reference_language);
          self->reference_language = g_strdup (self->task->language);
        }
      if (self->task->kind == AL_TASK_KIND_BBOX && self->reference)
        {
          show_review (self, json_object_get (score, "feedback"), explanation);
          return;
        }
      /* The next task opens under these words: say which task they are about. */
      if (al_window_experienced (self))
        {
          const char *parts[] = { feedback, explanation };
          text = join_words (parts, G_N_ELEMENTS (parts));
          al_window_earcon (self, AL_SPEECH_QUEUE, AL_EARCON_SAVED, _("Saved."));
          al_window_show_notice (self, "good", *text ? text : _("Saved."));
          if (*text)
            al_window_announce (self, AL_SPEECH_QUEUE, text);
          else
            gtk_label_set_text (self->status_label, _("Saved."));
        }
      else
      {
        g_autofree char *see_reference = see_reference_text (self);
        const char *parts[] = { _("Saved."),
                                (feedback && *feedback) || explanation
                                  ? _("About the task you just finished:") : NULL,
                                feedback, explanation,
                                self->reference ? see_reference : NULL };
        text = join_words (parts, G_N_ELEMENTS (parts));
      }
      if (!al_window_experienced (self))
        {
          al_window_show_notice (self, "good", text);
          al_window_announce (self, AL_SPEECH_QUEUE, text);
        }
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
  al_window_set_submit_label (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), TRUE);

  {
    g_autofree char *keys = al_window_keys_of (self, "win.submit");
    g_autofree char *next = g_strdup_printf (_("Press %s for the next task."), keys);
    const char *parts[] = { _("Saved."), explanation, next };
    text = join_words (parts, G_N_ELEMENTS (parts));
  }
  al_window_show_notice (self, "good", text);
  spoken = g_strjoin (" ", text, differences,
                      _("Your boxes have a solid line, the reference answer a dashed line."), NULL);
  al_window_announce (self, AL_SPEECH_QUEUE, spoken);
}

static void
end_review (AlWindow *self)
{
  self->reviewing = FALSE;
  g_clear_pointer (&self->review_words, g_free);
  al_box_editor_end_review (AL_BOX_EDITOR (self->editors[AL_TASK_KIND_BBOX]));
  al_window_set_submit_label (self, FALSE);
  al_window_show_notice (self, NULL, NULL);
  if (al_window_session_task_done (self))
    al_window_load_next (self);
}

void
al_window_submit (AlWindow *self)
{
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
      if (al_window_experienced (self))
        al_window_earcon (self, AL_SPEECH_IMPORTANT, AL_EARCON_ERROR, NULL);
      al_window_show_notice (self, "error", problem);
      self->notice_asks = TRUE;
      al_window_announce (self, AL_SPEECH_IMPORTANT, problem);
      return;
    }
  result = al_editor_get_result (editor);
  al_application_log_event (self->app, "submit", self->task->id, NULL);
  /* A new key cuts old words: the echo of the last word typed is not
   * worth waiting for before "saved". */
  if (al_application_get_speech (self->app))
    {
      /* The recording is done with too: it must not come back while the
       * speech is briefly silent before the next task. */
      if (self->task->kind == AL_TASK_KIND_TRANSCRIBE)
        {
          GObject *player = al_transcribe_editor_get_player (AL_TRANSCRIBE_EDITOR (editor));
          al_player_stop (AL_PLAYER (player));
        }
      al_speech_cancel (al_application_get_speech (self->app));
    }
  lead_ms = (g_get_monotonic_time () - self->shown_us) / 1000;
  g_clear_handle_id (&self->draft_source, g_source_remove);
  self->busy = TRUE;
  self->submitted_us = g_get_monotonic_time ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  al_queue_submit_async (self->queue, self->task, result, lead_ms, self->cancellable, submitted,
                         g_object_ref (self));
}

static void
flushed (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr (AlWindow) self = data;

  al_queue_flush_finish (AL_QUEUE (source), result);
  /* The goodbye finishes the closing once it has been heard. */
  self->flushed = TRUE;
  if (self->goodbye_source == 0)
    {
      self->closing = 2;
      gtk_window_close (GTK_WINDOW (self));
    }
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
      al_window_say_goodbye (self);
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
  al_window_announce (self, AL_SPEECH_IMPORTANT, text);
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
      al_window_announce (self, AL_SPEECH_IMPORTANT, _("Your coach is coming."));
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
                             : json_object_get (self->reference, "choices") ? AL_TASK_KIND_CLASSIFY
                             : json_object_get (self->reference, "tracks") ? AL_TASK_KIND_VIDEO_BOXES
                                                                            : AL_TASK_KIND_TRANSCRIBE;
    }
  /* It comes while another task may be open: say that it is about an earlier one. */
  {
    g_autofree char *see_reference = see_reference_text (self);
    const char *parts[] = { _("About a task you finished earlier:"), feedback, explanation,
                            self->reference ? see_reference : NULL };
    text = join_words (parts, G_N_ELEMENTS (parts));
  }
  al_window_show_notice (self, "good", text);
  al_window_announce (self, AL_SPEECH_QUEUE, text);
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
  al_window_announce (self, AL_SPEECH_IMPORTANT, text);
}

static void
al_window_dispose (GObject *object)
{
  AlWindow *self = AL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->draft_source)
    al_window_save_draft_now (self);
  g_clear_handle_id (&self->notice_source, g_source_remove);
  g_clear_handle_id (&self->goodbye_source, g_source_remove);
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
  g_clear_pointer (&self->reference_language, g_free);
  g_clear_pointer (&self->last_instructions, g_free);
  g_clear_pointer (&self->pass_reason, g_free);
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
  gtk_widget_class_bind_template_child (widget_class, AlWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, key_help_button);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, ask_help_button);
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
}

AlWindow *
al_window_new (AlApplication *app)
{
  AlWindow *self = g_object_new (AL_TYPE_WINDOW, "application", app, NULL);

  self->app = app;
  self->queue = al_application_get_queue (app);
  self->store = al_application_get_store (app);
  al_queue_set_voice (self->queue, al_application_get_options (app)->voice);
  g_signal_connect_object (self->queue, "notify::online", G_CALLBACK (online_changed), self, 0);
  g_signal_connect_object (self->queue, "notice", G_CALLBACK (queue_notice), self, 0);
  g_signal_connect_object (self->queue, "delivered", G_CALLBACK (queue_delivered), self, 0);
  g_signal_connect_object (self->queue, "refused", G_CALLBACK (queue_refused), self, 0);
  al_window_actions_init (self);
  /* After the actions: they make the menu. */
  name_layout (self);
  if (al_application_get_speech (app))
    g_signal_connect_object (al_application_get_speech (app), "notify::speaking",
                             G_CALLBACK (speaking_changed), self, G_CONNECT_SWAPPED);
  al_window_settings_init (self);
  al_window_voice_init (self);
  al_window_session_start (self);
  if (al_application_get_keys_problem (app))
    {
      g_autofree char *text = g_strdup_printf (_("Your own keys could not be used, so the "
                                                 "standard keys apply. %s"),
                                               al_application_get_keys_problem (app));
      al_window_show_notice (self, "error", text);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
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
  al_window_actions_init (self);
  name_layout (self);
  al_window_settings_init (self);
  al_window_actions_set_enabled (self, "win.submit", FALSE);
  al_window_actions_set_enabled (self, "win.ask-help", FALSE);
  al_window_actions_set_enabled (self, "win.export-record", FALSE);
  show_message (self, _("annolab cannot start"), message);
  return self;
}
